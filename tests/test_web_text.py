"""Text as the web writes it: invisible marks, odd spaces and dashes, entities and very long
articles never move an event, and every span still points into the text the user gave."""
from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoevents.distance import great_circle_km
from geoevents.gazetteer.names import fold
from geoevents.nlp import PIECE_CHARS, original, parse_texts, split_text
from geoevents.text import example_articles, read_articles
from geoevents.text.clean import clean_text

from test_cli import run

# Characters a reader never sees: anywhere in or beside a name.
INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "&shy;", "&#8203;")
# Characters that read as a space or a hyphen: in place of the name's own, or of the space beside it.
SPACES = ("\u00a0", "\u202f", "\u2009", "\u3000", "&nbsp;", "&#160;")
DASHES = ("\u2011", "\u2010", "\u2013")


@pytest.mark.parametrize("written, plain", [
    ("Deir\u00a0ez-Zor", "Deir ez-Zor"),
    ("Deir ez\u2011Zor", "Deir ez-Zor"),
    ("Deir ez\u2013Zor", "Deir ez-Zor"),
    ("Ra\u00adqqa\u200d", "Raqqa"),
    ("\u200fAbu\u202fKamal\u200e", "Abu Kamal"),
    ("Deir&nbsp;ez-Zor &amp; Raqqa", "Deir ez-Zor & Raqqa"),
    ("\uff2d\uff4f\uff53\uff55\uff4c\u3000city", "Mosul city"),
])
def test_web_characters_are_made_plain(written, plain):
    assert clean_text(written).text == plain
    assert fold(written) == fold(plain)  # the gazetteer's keys read them the same way


@pytest.mark.parametrize("text", [
    "Dates stay ranges: 10\u201312 July.",  # an en dash between digits is not a hyphen
    "Raqqa \u2014 the city \u2014 fell.",  # nor an em dash between words
    "AT&T and &nosuch; are left as written.",
    "Plain text is returned as it is.",
])
def test_what_is_not_a_web_character_is_left_alone(text):
    assert clean_text(text).text == text


def test_offsets_map_every_clean_span_back_to_the_original():
    text = "Shelling hit Deir&nbsp;ez\u2011Zor and Ra\u00adqqa\u200b on Monday."
    clean = clean_text(text)
    assert clean.text == "Shelling hit Deir ez-Zor and Raqqa on Monday."
    start = clean.text.index("Deir")
    assert clean.quote(start, start + len("Deir ez-Zor")) == "Deir&nbsp;ez\u2011Zor"
    start = clean.text.index("Raqqa")
    s, e = clean.to_original(start, start + 5)
    assert text[s:e] == "Ra\u00adqqa"
    assert clean.to_clean(s, e) == (start, start + 5)


def test_geoparse_offsets_and_names_point_into_the_text_as_given(geoparser):
    text = "Air strikes hit Deir&nbsp;ez-Zor and Ra\u00adqqa on Monday."
    found = {t.text: t for t in geoparser.geoparse(text)}
    assert set(found) == {"Deir&nbsp;ez-Zor", "Ra\u00adqqa"}
    for name, t in found.items():
        assert text[t.start:t.end] == name
    assert found["Ra\u00adqqa"].resolved.country_code == "SY"


def test_event_notes_quote_the_article(extractor):
    text = "An air strike hit Abu\u00a0Kamal on Tuesday, killing five people."
    [event] = extractor.extract(text, published="2017-07-04")
    assert event.notes == text.replace("\u00a0", " ")  # notes are the sentence, whitespace collapsed
    assert event.location == "Albu Kamal" and event.country == "Syria"


# -- the property: any web character in or beside a place name leaves its event where it was --

@pytest.fixture(scope="module")
def example_cases(extractor):
    """(article, name start, name end, sub-type, lat, lon) for each event place named in the examples."""
    cases = []
    articles = list(read_articles(example_articles()))
    for article, events, toponyms in extractor.analyse_many(articles):
        for event in events:
            for t in toponyms:
                if t.resolved is not None and t.resolved.geonameid == event.geonameid:
                    cases.append((article, t.start, t.end, event.sub_event_type, event.latitude, event.longitude))
    assert len({c[0].id for c in cases}) == len(articles)
    return cases


def _moved_km(extractor, case, text) -> float:
    article, _, _, sub_type, lat, lon = case
    events = extractor.extract(text, published=article.published, article_id=article.id)
    return min((great_circle_km(lat, lon, e.latitude, e.longitude) for e in events
                if e.sub_event_type == sub_type and e.latitude is not None), default=float("inf"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_invisible_characters_anywhere_in_or_beside_a_name_never_move_its_event(extractor, example_cases, data):
    case = data.draw(st.sampled_from(example_cases))
    article, start, end = case[:3]
    at = data.draw(st.integers(start, end))
    mark = data.draw(st.sampled_from(INVISIBLE))
    text = article.text[:at] + mark + article.text[at:]
    assert _moved_km(extractor, case, text) <= 25, (article.id, text[start - 20:end + 20])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_odd_spaces_and_dashes_in_or_beside_a_name_never_move_its_event(extractor, example_cases, data):
    case = data.draw(st.sampled_from(example_cases))
    article, start, end = case[:3]
    text = article.text
    # The name's own spaces and hyphens, and the space before and after it.
    seps = [i for i in range(max(start - 1, 0), min(end + 1, len(text))) if text[i] in " -"]
    if not seps:
        return
    at = data.draw(st.sampled_from(seps))
    mark = data.draw(st.sampled_from(SPACES if text[at] == " " else SPACES + DASHES))
    text = text[:at] + mark + text[at + 1:]
    assert _moved_km(extractor, case, text) <= 25, (article.id, text[start - 20:end + 20])


# -- long articles ---------------------------------------------------------------------------

def test_split_text_cuts_between_paragraphs_and_joins_back():
    para = "Shelling hit the eastern districts of Deir ez-Zor. Clashes went on near Mayadin.\n\n"
    text = para * 3000
    pieces = split_text(text, 10_000)
    assert "".join(pieces) == text
    assert all(len(p) <= 10_000 and p.endswith("\n\n") for p in pieces[:-1])
    words = "word " * 5000  # no paragraph or sentence break: cut between words
    assert "".join(split_text(words, 999)) == words
    assert all(len(p) <= 999 and p.endswith(" ") for p in split_text(words, 999)[:-1])


def test_a_text_longer_than_spacy_allows_is_parsed_in_pieces_with_offsets_as_if_whole():
    import spacy

    nlp = spacy.blank("en")  # the tokenizer alone: the pieces and offsets are what is tested
    para = "An air strike hit Abu\u00a0Kamal on Monday.\n\n"
    text = para * (nlp.max_length // len(para) + 10)
    assert len(text) > nlp.max_length > PIECE_CHARS
    [pieces] = parse_texts(nlp, [text])
    assert 1 < len(pieces) and all(len(doc.text) <= PIECE_CHARS for doc in pieces)
    last = pieces[-1]
    kamal = [t for t in last if t.text == "Kamal"][-1]
    s, e = original(last).to_original(kamal.idx - 4, kamal.idx + 5)
    assert text[s:e] == "Abu\u00a0Kamal" and s > len(text) - len(para)


def test_a_folder_with_a_one_and_a_half_million_character_article_loses_nothing(cache_dir, gazetteer, tmp_path):
    folder = tmp_path / "scraped"
    folder.mkdir()
    # A scraped page: a story, a million and a half characters of entity padding, the story's end.
    padding = "&nbsp; " * 10 + "\n"
    (folder / "long.txt").write_text(
        "An air strike hit Abu Kamal on Monday, killing four people, a monitor said.\n\n"
        + padding * (1_500_000 // len(padding))
        + "\n\nLater, shelling hit Mayadin, wounding two civilians.\n", encoding="utf-8")
    (folder / "short.txt").write_text("Clashes broke out in Raqqa on Tuesday.\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    result = run(["parse", str(folder), "--published", "2017-07-03", "-o", str(out), "-q"], cache_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {(r["article_id"], r["location"]) for r in rows} >= {
        ("long", "Albu Kamal"), ("long", "Al Mayadin"), ("short", "Ar Raqqah")}
