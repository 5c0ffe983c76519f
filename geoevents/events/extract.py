"""Events from articles: what happened (ACLED type, actors, fatalities), where and when, one record each.

For each sentence: its realis event triggers (``detect``), the places where each event
happened (``place``), who did it to whom (``actors``), how many died (``fatalities``) and when
(``dates``). Then the article as a whole: a mention with no place of its own ("the strikes
killed 12") joins the article's located event of the same type; what is still unplaced
falls back to the article's focus place at a coarser precision; repeated reports of one
event become one record (``merge``).
"""
from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from unidecode import unidecode

from .. import lexicon
from ..gazetteer.packages import country_iso3, country_name
from ..gazetteer.place import Place
from ..geoparsing import Geoparser, Toponym, default_geoparser
from ..geoparsing.geoparser import in_original
from ..nlp import doc_text, original, parse_texts
from ..text import Article, Skipped, article_from_text, text_key
from ..text.datelines import dateline_end
from .actors import COALITION, NONSTATE, STATE, ActorMention, acled_codes, dated_name, event_actors, fill_country, \
    find_actors, main_air_actor, main_armed_group
from .dates import DateResolver, EventDate
from .classify import NONE, EventTypeModel, sentence_features
from .classify import default_model as default_type_model
from .detect import ATTACK, CLASH, GOV_REGAINS, NONSTATE_TAKES, Trigger, event_clauses, find_triggers, \
    reported_as_fact
from .fatalities import fatalities as count_fatalities
from .merge import Report, dates_agree, lowest_fatalities, merge_events, report_of, same_event
from .place import EventPlaceFinder, campaign_target, finest_known_place, focus_place, geo_precision, in_description, \
    in_reporting_frame, is_near, locates_the_attacker, main_country, town_of_same_name, with_coordinated
from .record import EVENT_TYPE_OF, FAR_FROM_ARTICLE, PLACE_NOT_FOUND, Event, make_event_id

log = logging.getLogger(__name__)

# A trigger keeps the type the rules gave it when the model gives that type at least this probability:
# a sentence may report two events ("air strikes and shelling hit ...").
PLAUSIBLE_TYPE = 0.25
# Battle words that report their own event even beside a more specific trigger ("strikes hit X as
# the offensive on Y began"); kill/attack/shoot words are absorbed by the specific one.
_INDEPENDENT_GENERIC = lexicon.words("independent_generic_triggers")


@dataclass
class _Draft:
    """An event while the article is being read: finished into an ``Event`` at the end."""

    sub_event_type: str
    trigger: Trigger
    sent: object  # spaCy Span
    place: Place | None
    mention: tuple[int, int] | None  # char span of the place name in the doc
    near: bool
    date: EventDate
    actor1: str | None
    actor2: str | None
    fatalities: int
    confidence: float
    generic: bool
    far: bool = False  # the place is far from the article's other places, in a country it gives no evidence for
    written: str | None = None  # a place the sentence names that the gazetteer does not know; ``place`` stands in

    @property
    def event_type(self) -> str:
        return EVENT_TYPE_OF[self.sub_event_type]

    def report(self) -> Report:
        """What the same-event rule reads of this draft."""
        place = self.place
        return Report(self.sub_event_type, place.latitude if place else None, place.longitude if place else None,
                      self.date.date, stated=self.date.expression is not None)


class EventExtractor:
    """Extracts ACLED-style events from articles, with one spaCy pipeline and gazetteer loaded once."""

    def __init__(self, geoparser: Geoparser | None = None, place_finder: EventPlaceFinder | None = None,
                 model: str | None = None, type_model: EventTypeModel | None = None):
        self.geoparser = geoparser or default_geoparser(model)
        self.place_finder = place_finder or EventPlaceFinder(self.geoparser)
        self.type_model = type_model or default_type_model()

    @property
    def gazetteer(self):
        return self.geoparser.gazetteer

    def with_focus(self, focus) -> EventExtractor:
        """This extractor (the same pipeline, gazetteer and models) with another focus (``Geoparser.focus``)."""
        return EventExtractor(self.geoparser.with_focus(focus), self.place_finder, type_model=self.type_model)

    # -- public ----------------------------------------------------------------------------

    def extract(self, text: str, published=None, source: str | None = None, article_id: str | None = None,
                url: str | None = None) -> list[Event]:
        article = article_from_text(text, id=article_id, published=published, source=source, url=url)
        return self.extract_article(article)

    def extract_article(self, article: Article) -> list[Event]:
        [pieces] = parse_texts(self.geoparser.nlp, [article.text])
        return self._analyse(article, pieces)[0]

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16,
                     report: Callable[[Skipped], None] | None = None) -> Iterator[tuple[Article, list[Event]]]:
        """(article, events) for each article, parsed in batches; an article that fails is reported and skipped."""
        for article, events, _toponyms in self.analyse_many(articles, batch_size, report):
            yield article, events

    def analyse_many(self, articles: Iterable[Article], batch_size: int = 16,
                     report: Callable[[Skipped], None] | None = None
                     ) -> Iterator[tuple[Article, list[Event], list[Toponym]]]:
        """(article, events, toponyms) for each article: the events and every place name they were drawn from."""
        pending = iter(articles)
        while True:
            batch = [a for _, a in zip(range(batch_size), pending)]
            if not batch:
                return
            for article, pieces in zip(batch, parse_texts(self.geoparser.nlp, [a.text for a in batch])):
                try:
                    yield article, *self._analyse(article, pieces)
                except Exception as exc:  # one bad article never stops a batch
                    log.debug("extraction failed", exc_info=True)
                    skipped = Skipped(article.origin or article.id, f"extraction failed: {type(exc).__name__}: {exc}")
                    if report:
                        report(skipped)
                    else:
                        log.warning(skipped.line())

    # -- one article -----------------------------------------------------------------------

    def _analyse(self, article: Article, pieces: list) -> tuple[list[Event], list[Toponym]]:
        """The events and toponyms of an article parsed in pieces (one for all but very long texts)."""
        events: list[Event] = []
        toponyms: list[Toponym] = []
        for doc in pieces:
            found = self.geoparser.toponyms(doc)
            earlier = len(events)
            for event in self.events(doc, article, found):
                # A long article can report one event in two pieces: one record, as within a piece.
                twin = next((i for i in range(earlier) if same_event(report_of(events[i]), report_of(event))), None)
                if twin is None:
                    events.append(event)
                else:
                    events[twin] = merge_events(events[twin], event)
            toponyms += in_original(doc, found)
        return events, toponyms

    def events(self, doc, article: Article, toponyms: list[Toponym] | None = None) -> list[Event]:
        """The events of a parsed article; ``toponyms`` when the doc was already geoparsed."""
        if toponyms is None:
            toponyms = self.geoparser.toponyms(doc)
        mentions = find_actors(doc)
        context = _ArticleContext(
            main_group=main_armed_group(mentions),
            air_actor=main_air_actor(mentions),
            country=main_country(toponyms),
            dates=DateResolver(article.published, doc_text(doc)),
        )
        drafts: list[_Draft] = []
        article_words = frozenset(t.lower_ for t in doc)
        places = [(t.start, t.end) for t in toponyms if not t.metonymic]
        for sent in doc.sents:
            found = find_triggers(sent, article_words)
            # Each part of a sentence reporting events at places of its own is read on its own:
            # the model types it, and its events are placed within it.
            triggers, part_of = [], {}
            for part in event_clauses(sent, places, found):
                for t in self._typed(part, [t for t in found if part.start <= t.index < part.end]):
                    triggers.append(t)
                    part_of[t.index] = part
            if triggers:
                sent_mentions = [m for m in mentions if sent.start <= m.start < sent.end]
                drafts.extend(self._sentence_drafts(sent, triggers, part_of, toponyms, sent_mentions, context))
        drafts = _place_unlocated(drafts, focus_place(toponyms))
        drafts = _merge_repeats(drafts)
        return [self._finish(d, article, context) for d in drafts]

    def _typed(self, sent, triggers: list[Trigger]) -> list[Trigger]:
        """The rules' triggers as the event-type model reads the whole sentence (``classify``). In a
        sentence where the rules found no word for an event, the model decides alone: an event when
        it finds one likelier than none, of the type it finds likeliest, anchored on the word that
        speaks most for that type ("More barrel bombs on Daraya"). Where the rules found triggers, the
        model overrides them only when one answer has more than half the probability: no event
        (none), or another type (triggers whose own type it finds implausible are retyped)."""
        p = self.type_model.probabilities(sentence_features(sent, triggers))
        if not triggers:
            if p[NONE] >= 0.5:
                return []
            best = max((label for label in p if label != NONE), key=p.get)
            anchor = self.type_model.anchor(sent, best)
            # "will not stop targeting ...": the same test of fact the rules apply to their words
            return [Trigger(anchor, best)] if reported_as_fact(sent, anchor) else []
        best = max(p, key=p.get)
        if p[best] <= 0.5:
            return triggers  # the model overrides the rules only when it is surer than not
        if best == NONE:
            return []
        return [t if t.sub_event_type == best or p[t.sub_event_type] >= PLAUSIBLE_TYPE
                else dataclasses.replace(t, sub_event_type=best) for t in triggers]

    def _sentence_drafts(self, sent, triggers: list[Trigger], part_of: dict, toponyms: list[Toponym],
                         mentions: list[ActorMention], context: _ArticleContext) -> list[_Draft]:
        """The drafts of a sentence's triggers; ``part_of`` gives each trigger's part (``event_clauses``)."""
        places_of = {t.index: self._event_places(part_of[t.index], t, toponyms) for t in triggers}
        chosen: list[Trigger] = []
        for t in triggers:
            specific = [s for s in triggers if not s.generic and part_of[s.index] == part_of[t.index]]
            specific_places = {p.mention for s in specific for p in places_of[s.index]}  # by char span
            if not t.generic or not specific or sent.doc[t.index].lemma_.lower() in _INDEPENDENT_GENERIC and places_of[t.index] and \
                    not {p.mention for p in places_of[t.index]} & specific_places:
                chosen.append(t)
        # One event per type and place in a sentence: "strikes ... killed 12" is one air strike.
        by_type: dict[str, list[Trigger]] = {}
        for t in chosen:
            by_type.setdefault(t.sub_event_type, []).append(t)
        drafts = []
        for sub_type, group in by_type.items():
            lead = group[0]
            same_type = [t for t in triggers if t.sub_event_type == sub_type]  # "killed ... in air strikes"
            # Each place with the part of the sentence it was found in, for that part's death toll.
            places = list({p.mention: (p, part_of[t.index]) for t in same_type for p in places_of[t.index]}.values())
            actor1, actor2 = event_actors(sent, sent.doc[lead.index], mentions, sub_type, context.main_group,
                                          context.air_actor)
            sub_type = _territory_by_actor(sub_type, actor1, mentions)
            anchor = sent.doc[lead.index].idx - sent.start_char
            date = context.dates.event_date(_without_dateline(sent.text), anchor=anchor)
            generic = all(t.generic for t in group)
            confidence = 0.6 if generic else 0.9
            counted: set[int] = set()
            for where, part in places or [(_Where(None, None, False, 1.0), part_of[lead.index])]:
                dead = 0 if part.start in counted else count_fatalities(part)  # one figure per report, not per place
                counted.add(part.start)
                drafts.append(_Draft(
                    sub_type, lead, sent, where.place, where.mention, where.near, date, actor1, actor2, dead,
                    round(confidence * where.confidence, 3), generic, where.far, where.written))
        return drafts

    def _event_places(self, sent, trigger: Trigger, toponyms: list[Toponym]) -> list[_Where]:
        """Each place where this trigger's event happened."""
        out = []
        spans = campaign_target(sent.doc[trigger.index], toponyms) or \
            with_coordinated(sent.doc, list(self.place_finder.locations(sent, trigger.index, toponyms)), toponyms)
        whole = sent.doc[trigger.index].sent
        if not spans and (sent.start, sent.end) != (whole.start, whole.end):
            # A part split off a sentence (``event_clauses``) because it names places of its own:
            # its events happened there, even where the parse hides how ("clashes continue in ...").
            lo, hi = sent.start_char, sent.end_char
            spans = [(t.start, t.end) for t in toponyms if lo <= t.start and t.end <= hi and not t.metonymic]
        remote = trigger.event_type == "Explosions/Remote violence"
        for start, end in spans:
            if in_reporting_frame(sent.doc, start, sent.doc[trigger.index]) or in_description(sent.doc, start):
                continue  # "told reporters at the Pentagon that the strikes ...": where it was said
            if remote and locates_the_attacker(sent.doc, start, sent.doc[trigger.index]):
                continue  # "warships in the Mediterranean fired missiles at ...": where the attack came from
            named = [t for t in toponyms if t.start < end and start < t.end and not t.metonymic]
            top = next((t for t in named if t.resolved is not None), None)
            if top is not None:
                out.append(_Where(town_of_same_name(top), (top.start, top.end), is_near(sent.doc, top.start, top.end),
                                  max(top.confidence, 0.3), top.far_from_others))
                continue
            place = self._lookup(doc_text(sent.doc)[start:end], toponyms)
            if place is not None:
                out.append(_Where(place, (start, end), is_near(sent.doc, start, end), 0.5))
            elif named and (stand_in := finest_known_place(sent, named[0], toponyms)) is not None:
                # "Kafr Hamra village in the Aleppo countryside", a village no gazetteer knows: the
                # event keeps its name and takes the point of the finest place the sentence knows.
                out.append(_Where(stand_in, (named[0].start, named[0].end), True, 0.4, written=named[0].text))
        # The village, not also the province it was placed by.
        stand_ins = {w.place.geonameid for w in out if w.written}
        return [w for w in out if w.written or w.place.geonameid not in stand_ins]

    def _lookup(self, name: str, toponyms: list[Toponym]) -> Place | None:
        """A place the finder found but the geoparser did not resolve, looked up in the article's countries."""
        countries = [c for c, _ in Counter(t.resolved.country_code for t in toponyms if t.resolved).most_common(2)]
        found = self.gazetteer.places(name, country=countries or None, limit=1, fuzzy=False)
        return found[0] if found else None

    def _finish(self, d: _Draft, article: Article, context: _ArticleContext) -> Event:
        place = d.place
        code = place.country_code or None if place is not None else None
        country = country_name(code) if code else None
        actor_country = country or (country_name(context.country) if context.country else None)
        key = article.id or text_key(article.text)
        trigger_word = d.sent.doc[d.trigger.index].text
        source = original(d.sent.doc)
        # The sentence without the spaces around it (a scraped page pads with "&nbsp;"), as the article wrote it.
        sent = d.sent.text
        lead = len(sent) - len(sent.lstrip())
        sent_start, sent_end = source.to_original(d.sent.start_char + lead, d.sent.start_char + len(sent.rstrip()))
        actor1, actor2 = fill_country(d.actor1, actor_country), fill_country(d.actor2, actor_country)
        if actor2 == actor1:  # merged reports or "the group" resolved back to the attacker: no one fights itself
            actor2 = None
        return Event(
            event_id=make_event_id(key, sent_start, d.sub_event_type, trigger_word,
                                   (place.geonameid if place else None) or (d.mention and d.mention[0])),
            event_date=d.date.date.isoformat() if d.date.date else None,
            time_precision=d.date.precision if d.date.date else None,
            event_type=EVENT_TYPE_OF[d.sub_event_type],
            sub_event_type=d.sub_event_type,
            actor1=dated_name(actor1, d.date.date),  # state forces named by the government of the day
            actor2=dated_name(actor2, d.date.date),
            # ACLED writes place names in ASCII; a place the gazetteer lacks keeps the name the text gives it.
            location=unidecode(d.written or place.name) if place else None,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            # A stand-in (the focus place, or the place near a name the gazetteer lacks) was not named.
            geo_precision=geo_precision(place, d.mention is not None and not d.written, d.near) if place else None,
            country=country,
            iso3=country_iso3(code),
            admin1=place.admin1 or None if place else None,
            admin2=place.admin2 or None if place else None,
            fatalities=d.fatalities,
            source=article.source,
            source_url=article.url,
            notes=" ".join(source.original[sent_start:sent_end].split()),  # the sentence as the article wrote it
            geonameid=place.geonameid if place and not d.written else None,
            confidence=d.confidence,
            trigger=trigger_word,
            article_id=article.id,
            published=article.published.isoformat() if article.published else None,
            place_check=PLACE_NOT_FOUND if d.written else FAR_FROM_ARTICLE if d.far else None,
            **acled_codes(actor1, actor2, actor_country),  # inter1, inter2, interaction
            extra=dict(article.metadata),
        )


@dataclass(frozen=True)
class _Where:
    """A place where an event happened, as a sentence gives it."""

    place: Place | None
    mention: tuple[int, int] | None  # char span of the name in the doc
    near: bool
    confidence: float
    far: bool = False
    written: str | None = None  # the name as written, when the gazetteer does not know it and ``place`` stands in


@dataclass
class _ArticleContext:
    main_group: str | None
    air_actor: str | None
    country: str | None  # ISO2 of the article's main country
    dates: DateResolver


def _without_dateline(text: str) -> str:
    """ "BAGHDAD/AMMAN, July 11, 2017 - ": the story's date, not the event's; blanked, offsets kept."""
    end = dateline_end(text)
    return " " * end + text[end:]


def _territory_by_actor(sub_type: str, actor1: str | None, mentions: list[ActorMention]) -> str:
    """Who took a place decides the type: state forces regain territory, others overtake it."""
    if sub_type not in (GOV_REGAINS, NONSTATE_TAKES) or not actor1:
        return sub_type
    kinds = {m.name: m.kind for m in mentions}
    kind = kinds.get(actor1)
    if kind is None and actor1.startswith(("Military Forces", "Police Forces")):
        kind = STATE
    if kind in (STATE, COALITION):
        return GOV_REGAINS
    if kind == NONSTATE:
        return NONSTATE_TAKES
    return sub_type


def _place_unlocated(drafts: list[_Draft], focus) -> list[_Draft]:
    """A mention without a place joins the located event of its type, else takes the focus place."""
    located = [d for d in drafts if d.place is not None]
    out = [d for d in drafts if d.place is not None]
    for d in drafts:
        if d.place is not None:
            continue
        if d.generic and located and d.sub_event_type in (CLASH, ATTACK):
            # "Dozens were killed in the fighting for the town": the toll of the battle just reported.
            recent = [x for x in located if x.event_type == "Battles" and 0 <= d.sent.start - x.sent.end < 80]
            if recent and d.fatalities:
                nearest = max(recent, key=lambda x: x.sent.start)
                nearest.fatalities = lowest_fatalities(nearest.fatalities, d.fatalities)
            continue  # "the militants killed ..." in an article that already placed its events
        same = next((x for x in located if x.sub_event_type == d.sub_event_type and dates_agree(x.report(), d.report())),
                    None)
        if same is not None:
            _absorb(same, d)
            continue
        if focus is not None:
            d.place, d.confidence = focus, round(d.confidence * 0.5, 3)
        out.append(d)
    out.sort(key=lambda d: (d.sent.start, d.trigger.index))
    return out


def _merge_repeats(drafts: list[_Draft]) -> list[_Draft]:
    """One record per event (``merge.same_event``): same type, places within 10 km, dates that agree."""
    kept: list[_Draft] = []
    for d in drafts:
        twin = next((k for k in kept if same_event(k.report(), d.report())), None)
        if twin is None:
            kept.append(d)
        else:
            _absorb(twin, d)
    return kept


def _absorb(into: _Draft, other: _Draft) -> None:
    """Fold a second report of an event into the first: the better date, the lowest death toll, both actors."""
    if _date_rank(other.date) < _date_rank(into.date):
        into.date = other.date
    into.fatalities = lowest_fatalities(into.fatalities, other.fatalities)
    into.actor1 = into.actor1 or other.actor1
    into.actor2 = into.actor2 or other.actor2
    if into.mention is None and other.mention is not None:
        into.place, into.mention, into.near, into.far, into.written = \
            other.place, other.mention, other.near, other.far, other.written
    if into.generic and not other.generic:
        into.trigger, into.generic = other.trigger, False
    into.confidence = max(into.confidence, other.confidence)


def _date_rank(date: EventDate) -> tuple:
    """Explicit dates first, then the more precise; the publication-date default last."""
    if date.date is None:
        return (3, 9)
    return (1 if date.expression is None else 0, date.precision or 9)


_default: EventExtractor | None = None


def default_extractor(model: str | None = None) -> EventExtractor:
    global _default
    if _default is None or model is not None:
        extractor = EventExtractor(default_geoparser(model))
        if model is not None:
            return extractor
        _default = extractor
    return _default


def extract_events(text: str, published=None, source: str | None = None, model: str | None = None,
                   focus=None) -> list[Event]:
    """Events in one article's text: ``published`` (a date or ISO string) dates relative expressions;
    ``focus`` ("SY,IQ") the countries the analyst works on, a prior on where places are."""
    return default_extractor(model).with_focus(focus).extract(text, published=published, source=source)
