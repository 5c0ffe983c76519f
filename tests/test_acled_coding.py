"""ACLED's coding of an event: actor names, actor type ("inter") and interaction codes, and fatalities."""
from __future__ import annotations

import datetime as dt

import pyogrio
import pytest

from geoevents.events.actors import dated_name, inter_code, interaction_code
from geoevents.events.fatalities import fatalities
from geoevents.events.record import EVENT_FIELDS, Event
from geoevents.io import EventStore, events_frame, read_events, write_events
from geoevents.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


# --- actor names and codes on whole sentences ---------------------------------------------------

@pytest.mark.parametrize("text, published, actor1, actor2, inter1, inter2, interaction", [
    # A state's forces carry the ruling period of the event's day.
    ("Syrian army troops shelled the village of Kafr Nabl, Syria, on Monday.", "2017-07-11",
     "Military Forces of Syria (2000-2024)", None, 1, None, 10),
    ("Iraqi police arrested three men in Basra, Iraq, on Monday.", "2017-07-11",
     "Police Forces of Iraq (2014-2018)", None, 1, None, 10),
    ("Iraqi police arrested three men in Basra, Iraq, on Monday.", "2023-03-08",
     "Police Forces of Iraq (2022-)", None, 1, None, 10),
    # The Islamic State is named by the country it acts in; a rebel group to ACLED.
    ("Iraqi soldiers clashed with Islamic State fighters near Tal Afar, Iraq, on Sunday.", "2017-07-11",
     "Military Forces of Iraq (2014-2018)", "Islamic State (Iraq)", 1, 2, 12),
    # Foreign forces and the coalition are external forces (8).
    ("Turkish troops shelled SDF positions near Manbij, Syria, on Wednesday.", "2018-03-02",
     "Military Forces of Turkey (2016-)", "QSD: Syrian Democratic Forces", 8, 2, 28),
    ("Russian warplanes bombed Idlib, Syria, on Thursday.", "2019-05-04",
     "Military Forces of Russia (2000-)", None, 8, None, 80),
    ("American jets struck an ISIS convoy near Raqqa, Syria, on Monday.", "2017-07-11",
     "Military Forces of the United States (2017-2021)", "Islamic State (Syria)", 8, 2, 28),
    ("The US-led coalition struck Islamic State positions in Mayadin, Syria, on Tuesday.", "2017-07-11",
     "Global Coalition Against Daesh", "Islamic State (Syria)", 8, 2, 28),
    ("HTS fighters attacked government positions near Hama, Syria, on Monday.", "2019-05-07",
     "HTS: Hayat Tahrir al Sham", None, 2, None, 20),
    # Nobody names the armed men: an unidentified armed group, a political militia (3).
    ("Militants attacked a checkpoint near Baiji, Iraq, on Saturday.", "2017-07-11",
     "Unidentified Armed Group (Iraq)", None, 3, None, 30),
    # Violence against civilians has the civilians as actor2, whatever word names them.
    ("Unknown assailants shot dead a teacher in Daraa, Syria, on Friday.", "2019-05-04",
     "Unidentified Armed Group (Syria)", "Civilians (Syria)", 3, 7, 37),
    # A protest's actor1 is the protesters, a riot's the rioters.
    ("Protesters rallied in Basra, Iraq, on Friday.", "2019-10-05",
     "Protesters (Iraq)", None, 6, None, 60),
    ("Police fired tear gas at protesters in Nasiriyah, Iraq, on Tuesday.", "2019-10-05",
     "Protesters (Iraq)", "Police Forces of Iraq (2018-2020)", 6, 1, 16),
    ("Rioters torched the offices of a political party in Basra, Iraq, on Saturday.", "2019-10-05",
     "Rioters (Iraq)", None, 5, None, 50),
])
def test_actors_are_named_and_typed_as_acled_codes_them(extractor, text, published, actor1, actor2, inter1, inter2,
                                                        interaction):
    [event] = extractor.extract(text, published=published)
    assert (event.actor1, event.actor2) == (actor1, actor2)
    assert (event.inter1, event.inter2, event.interaction) == (inter1, inter2, interaction)


def test_the_saudi_led_coalition_is_not_the_coalition_against_daesh(extractor):
    [event] = extractor.extract("The Saudi-led coalition bombed a bridge near Hodeidah, Yemen, on Friday.",
                                published="2018-06-16")
    assert event.actor1 is None  # unnamed rather than the wrong coalition (before: the US-led one)


# --- the codes themselves ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, country, code", [
    ("Military Forces of Turkey (2016-)", "Syria", 8),
    ("Military Forces of Turkey (2016-)", "Turkey", 1),
    ("Military Forces of the United States (2021-2025)", "United States", 1),
    ("Military Forces of the United States (2021-2025)", "Iraq", 8),
    ("Military Forces of Syria", None, 1),
    ("Global Coalition Against Daesh", "Iraq", 8),
    ("Islamic State (Iraq)", "Iraq", 2),
    ("HTS: Hayat Tahrir al Sham", "Syria", 2),
    ("Unidentified Armed Group (Syria)", "Syria", 3),
    ("Rioters (Iraq)", "Iraq", 5),
    ("Protesters", None, 6),
    ("Civilians (Syria)", "Syria", 7),
    (None, "Syria", None),
    ("Somebody Nobody Knows", "Syria", None),
])
def test_inter_codes(name, country, code):
    assert inter_code(name, country) == code


@pytest.mark.parametrize("inter1, inter2, code", [
    (1, 2, 12), (2, 1, 12), (3, 7, 37), (7, 3, 37), (8, 8, 88), (6, None, 60), (1, None, 10), (None, 2, None),
])
def test_interaction_is_both_codes_lower_first(inter1, inter2, code):
    assert interaction_code(inter1, inter2) == code


@pytest.mark.parametrize("name, day, dated", [
    ("Military Forces of Syria", dt.date(2024, 12, 7), "Military Forces of Syria (2000-2024)"),
    # the new government's first day
    ("Military Forces of Iraq", dt.date(2018, 10, 25), "Military Forces of Iraq (2018-2020)"),
    ("Military Forces of Iraq", dt.date(2018, 10, 24), "Military Forces of Iraq (2014-2018)"),
    ("Military Forces of Iraq", None, "Military Forces of Iraq"),          # no date, no period
    ("Military Forces of Egypt", dt.date(2017, 1, 1), "Military Forces of Egypt"),  # no known period
    ("Islamic State (Syria)", dt.date(2017, 1, 1), "Islamic State (Syria)"),
])
def test_state_forces_carry_the_period_of_the_event_day(name, day, dated):
    assert dated_name(name, day) == dated


# --- the codes in every output format ----------------------------------------------------------------

def _coded(event_id: str, **fields) -> Event:
    values = dict(event_id=event_id, event_date="2018-03-02", time_precision=1,
                  event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                  actor1="Military Forces of Turkey (2016-)", actor2="QSD: Syrian Democratic Forces",
                  location="Manbij", latitude=36.5281, longitude=37.9549, geo_precision=1, country="Syria",
                  iso3="SYR", notes="Shelling near Manbij.", inter1=8, inter2=2, interaction=28)
    values.update(fields)
    return Event(**values)


def test_codes_follow_the_existing_fields():
    assert EVENT_FIELDS[-4:] == ("place_check", "inter1", "inter2", "interaction")
    frame = events_frame([_coded("GE1"), _coded("GE2", actor2=None, inter2=None, interaction=80)])
    assert all(frame[name].dtype == "Int64" for name in ("inter1", "inter2", "interaction"))


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".gpkg", ".parquet"])
def test_codes_survive_every_format(tmp_path, suffix):
    events = [_coded("GE1"), _coded("GE2", actor2=None, inter2=None, interaction=80, location="Tal Abyad",
                                    latitude=36.6975, longitude=38.9567),  # 90 km away: no store merges them
              _coded("GE3", actor1=None, actor2=None, inter1=None, inter2=None, interaction=None, event_date=None)]
    back = {e.event_id: e for e in read_events(write_events(events, tmp_path / f"events{suffix}"))}
    assert [(back[e.event_id].inter1, back[e.event_id].inter2, back[e.event_id].interaction) for e in events] == \
        [(8, 2, 28), (8, None, 80), (None, None, None)]


def test_a_store_written_before_the_codes_reads_and_appends(tmp_path):
    path = tmp_path / "events.gpkg"
    old = events_frame([_coded("GE1", inter1=None, inter2=None, interaction=None)])
    old.drop(columns=["inter1", "inter2", "interaction"]).to_file(path, layer="events", driver="GPKG")
    EventStore(path).append([_coded("GE2", location="Tal Rifaat", latitude=36.47, longitude=37.1)])
    assert {"inter1", "inter2", "interaction"} <= set(pyogrio.read_info(path, layer="events")["fields"])
    codes = {e.event_id: (e.inter1, e.inter2, e.interaction) for e in EventStore(path).events()}
    assert codes == {"GE1": (None, None, None), "GE2": (8, 2, 28)}


# --- fatalities ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, dead", [
    # A denied count reports no death.
    ("No one was killed when the mortar round hit the market.", 0),
    ("Not a single person died in the ambush on the convoy.", 0),
    ("None of the 4 guards at the gate was killed.", 0),
    ("Neither of the two truck drivers was killed in the blast.", 0),
    ("No one among the 30 worshippers was killed.", 0),
    # The hurt are never counted, even in a toll.
    ("The death and injury toll rose to 45 on Sunday.", 0),
    ("By nightfall the toll had risen to 18 wounded.", 0),
    # Sources that disagree: the lowest figure, also when the second one leaves out "killed".
    ("Nine people were killed according to the governor, six according to a hospital director.", 6),
    ("The army said 20 insurgents were killed, but villagers said only 7.", 7),
    ("The raid killed 11 people, or 8 according to the local council.", 8),
])
def test_fatalities_as_acled_counts_them(nlp, text, dead):
    assert fatalities(nlp(text)) == dead
