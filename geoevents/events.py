"""Events from articles: what happened (ACLED type, actors, fatalities), where and when, one record each.

For each sentence: its realis event triggers (event_types), the places where each event
happened (event_place), who did it to whom (actors), how many died (fatalities) and when
(dates). Then the article as a whole: a mention with no place of its own ("the strikes
killed 12") joins the article's located event of the same type; what is still unplaced
falls back to the article's focus place at a coarser precision; repeated reports of one
event (same type, places within 10 km, compatible dates) become one record.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

from .actors import (
    CIVILIANS,
    COALITION,
    COUNTRY,
    NONSTATE,
    STATE,
    ActorMention,
    country_name,
    fill_country,
    find_actors,
    main_air_actor,
    main_armed_group,
)
from .articles import Article, Skipped, article_from_text, dateline_end
from .dates import DateResolver, EventDate
from .event_types import AIR, ATTACK, CLASH, GOV_REGAINS, NONSTATE_TAKES, SHELLING, Trigger, find_triggers
from .fatalities import fatalities as count_fatalities
from .gazetteer.geocoder import haversine_km
from .geoparser import Geoparser, Toponym, default_geoparser
from .places_context import ADMIN_SUFFIXES, demonym_country
from .schema import EVENT_TYPE_OF, Event, make_event_id, text_key

log = logging.getLogger(__name__)

SAME_EVENT_KM = 10.0
# Words next to a town that make its location approximate: "near Mayadin", "the Raqqa countryside".
_NEAR_BEFORE = frozenset(["near", "outside", "around", "outskirts", "vicinity", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "km", "kilometres", "kilometers", "miles"])
_NEAR_AFTER = frozenset(["countryside", "area", "areas", "outskirts", "region", "suburbs", "surroundings", "vicinity"])
# Battle words that report their own event even beside a more specific trigger ("strikes hit X as
# the offensive on Y began"); kill/attack/shoot words are absorbed by the specific one.
_INDEPENDENT_GENERIC = frozenset({"operation", "offensive", "advance", "push", "fight", "fighting", "campaign",
                                  "battle"})


@dataclass
class _Draft:
    """An event while the article is being read: finished into an ``Event`` at the end."""

    sub_event_type: str
    trigger: Trigger
    sent: object  # spaCy Span
    place: object | None  # geopy Location
    mention: tuple[int, int] | None  # char span of the place name in the doc
    near: bool
    date: EventDate
    actor1: str | None
    actor2: str | None
    fatalities: int
    confidence: float
    generic: bool

    @property
    def event_type(self) -> str:
        return EVENT_TYPE_OF[self.sub_event_type]


class EventExtractor:
    """Extracts ACLED-style events from articles, with one spaCy pipeline and gazetteer loaded once."""

    def __init__(self, geoparser: Geoparser | None = None, place_finder=None, model: str | None = None):
        self.geoparser = geoparser or default_geoparser(model)
        if place_finder is None:
            from .event_place import EventPlaceFinder

            place_finder = EventPlaceFinder(self.geoparser)
        self.place_finder = place_finder

    @property
    def gazetteer(self):
        return self.geoparser.gazetteer

    # -- public ----------------------------------------------------------------------------

    def extract(self, text: str, published=None, source: str | None = None, article_id: str | None = None,
                url: str | None = None) -> list[Event]:
        article = article_from_text(text, id=article_id, published=published, source=source, url=url)
        return self.extract_article(article)

    def extract_article(self, article: Article) -> list[Event]:
        doc = self.geoparser.nlp(article.text)
        return self.events(doc, article)

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
            for article, doc in zip(batch, self.geoparser.nlp.pipe([a.text for a in batch])):
                try:
                    toponyms = self.geoparser.toponyms(doc)
                    yield article, self.events(doc, article, toponyms), toponyms
                except Exception as exc:  # one bad article never stops a batch
                    log.debug("extraction failed", exc_info=True)
                    skipped = Skipped(article.origin or article.id, f"extraction failed: {type(exc).__name__}: {exc}")
                    if report:
                        report(skipped)
                    else:
                        log.warning(skipped.line())

    # -- one article -----------------------------------------------------------------------

    def events(self, doc, article: Article, toponyms: list[Toponym] | None = None) -> list[Event]:
        """The events of a parsed article; ``toponyms`` when the doc was already geoparsed."""
        if toponyms is None:
            toponyms = self.geoparser.toponyms(doc)
        mentions = find_actors(doc)
        context = _ArticleContext(
            main_group=main_armed_group(mentions),
            air_actor=main_air_actor(mentions),
            country=_main_country(toponyms),
            dates=DateResolver(article.published, doc.text),
        )
        drafts: list[_Draft] = []
        article_words = frozenset(t.lower_ for t in doc)
        for sent in doc.sents:
            triggers = find_triggers(sent, article_words)
            if triggers:
                sent_mentions = [m for m in mentions if sent.start <= m.start < sent.end]
                drafts.extend(self._sentence_drafts(sent, triggers, toponyms, sent_mentions, context))
        drafts = _place_unlocated(drafts, _focus_place(toponyms))
        drafts = _merge_repeats(drafts)
        return [self._finish(d, article, context) for d in drafts]

    def _sentence_drafts(self, sent, triggers: list[Trigger], toponyms: list[Toponym],
                         mentions: list[ActorMention], context: _ArticleContext) -> list[_Draft]:
        specific = [t for t in triggers if not t.generic]
        places_of = {t.index: self._event_places(sent, t, toponyms) for t in triggers}
        specific_places = {p[1] for t in specific for p in places_of[t.index]}  # by char span
        chosen: list[Trigger] = []
        for t in triggers:
            if not t.generic or not specific or sent.doc[t.index].lemma_.lower() in _INDEPENDENT_GENERIC and places_of[t.index] and \
                    not {p[1] for p in places_of[t.index]} & specific_places:
                chosen.append(t)
        # One event per type and place in a sentence: "strikes ... killed 12" is one air strike.
        by_type: dict[str, list[Trigger]] = {}
        for t in chosen:
            by_type.setdefault(t.sub_event_type, []).append(t)
        drafts = []
        dead = count_fatalities(sent)
        for sub_type, group in by_type.items():
            lead = group[0]
            same_type = [t for t in triggers if t.sub_event_type == sub_type]  # "killed ... in air strikes"
            places = list({p[1]: p for t in same_type for p in places_of[t.index]}.values())
            actor1, actor2 = _actors(sent, sent.doc[lead.index], mentions, context, sub_type)
            sub_type = _territory_by_actor(sub_type, actor1, mentions)
            anchor = sent.doc[lead.index].idx - sent.start_char
            date = context.dates.event_date(_without_dateline(sent.text), anchor=anchor)
            generic = all(t.generic for t in group)
            confidence = 0.6 if generic else 0.9
            for k, (place, mention, near, place_conf) in enumerate(places or [(None, None, False, 0.0)]):
                drafts.append(_Draft(
                    sub_type, lead, sent, place, mention, near, date, actor1, actor2,
                    dead if k == 0 else 0,  # one figure per report, not once per place
                    round(confidence * (place_conf if place is not None else 1.0), 3), generic))
        return drafts

    def _event_places(self, sent, trigger: Trigger, toponyms: list[Toponym]) -> list[tuple]:
        """(place, char span, near, confidence) for each place where this trigger's event happened."""
        out = []
        spans = _campaign_target(sent.doc[trigger.index], toponyms) or \
            _with_coordinated(sent.doc, list(self.place_finder.locations(sent, trigger.index, toponyms)), toponyms)
        for start, end in spans:
            if _in_reporting_frame(sent.doc, start, sent.doc[trigger.index]) or _in_description(sent.doc, start):
                continue  # "told reporters at the Pentagon that the strikes ...": where it was said
            top = next((t for t in toponyms if t.start < end and start < t.end and t.place is not None
                        and not t.metonymic), None)
            if top is not None:
                place, confidence = _town_of_same_name(top), max(top.confidence, 0.3)
                start, end = top.start, top.end
            else:
                place = self._lookup(sent.doc.text[start:end], toponyms)
                confidence = 0.5
            if place is None:
                continue
            out.append((place, (start, end), _is_near(sent.doc, start, end), confidence))
        return out

    def _lookup(self, name: str, toponyms: list[Toponym]):
        """A place the finder found but the geoparser did not resolve, looked up in the article's countries."""
        countries = [c for c, _ in Counter(t.place.raw["country_code"] for t in toponyms if t.place).most_common(2)]
        found = self.gazetteer.candidates(name, country=countries or None, limit=1, fuzzy=False)
        return found[0] if found else None

    def _finish(self, d: _Draft, article: Article, context: _ArticleContext) -> Event:
        raw = d.place.raw if d.place is not None else {}
        code = raw.get("country_code") or None
        country = country_name(code) if code else None
        actor_country = country or (country_name(context.country) if context.country else None)
        key = article.id or text_key(article.text)
        trigger_word = d.sent.doc[d.trigger.index].text
        actor1, actor2 = fill_country(d.actor1, actor_country), fill_country(d.actor2, actor_country)
        if actor2 == actor1:  # merged reports or "the group" resolved back to the attacker: no one fights itself
            actor2 = None
        return Event(
            event_id=make_event_id(key, d.sent.start_char, d.sub_event_type, trigger_word,
                                   raw.get("geonameid") or (d.mention and d.mention[0])),
            event_date=d.date.date.isoformat() if d.date.date else None,
            time_precision=d.date.precision if d.date.date else None,
            event_type=EVENT_TYPE_OF[d.sub_event_type],
            sub_event_type=d.sub_event_type,
            actor1=actor1,
            actor2=actor2,
            location=unidecode(raw["name"]) if raw else None,  # ACLED writes place names in ASCII
            latitude=raw.get("latitude"),
            longitude=raw.get("longitude"),
            geo_precision=_geo_precision(d) if d.place is not None else None,
            country=country,
            iso3=_iso3(code),
            admin1=raw.get("admin1") or None,
            admin2=raw.get("admin2") or None,
            fatalities=d.fatalities,
            source=article.source,
            source_url=article.url,
            notes=" ".join(d.sent.text.split()),
            geonameid=raw.get("geonameid"),
            confidence=d.confidence,
            trigger=trigger_word,
            article_id=article.id,
            published=article.published.isoformat() if article.published else None,
            extra=dict(article.metadata),
        )


@dataclass
class _ArticleContext:
    main_group: str | None
    air_actor: str | None
    country: str | None  # ISO2 of the article's main country
    dates: DateResolver


# -- actors ----------------------------------------------------------------------------------

_ACTOR1_DEPS = frozenset({"nsubj", "agent", "compound", "poss", "amod", "nmod", "csubj"})
_ACTOR2_DEPS = frozenset({"dobj", "nsubjpass", "obj", "attr", "dative"})
_ACTOR2_PREPS = frozenset({"against", "on", "with", "at", "targeting", "from"})


def _actors(sent, trigger, mentions: list[ActorMention], context: _ArticleContext, sub_type: str):
    """actor1 (who did it) and actor2 (to whom) for the event at ``trigger``."""
    first: list[str] = []
    second: list[str] = []
    weak_first: list[str] = []
    for m in mentions:
        name = _name_of(m, context)
        if not name:
            continue
        role = _role(sent.doc, m, trigger)
        if role == 1:
            first.append(name)
        elif role == 2:
            second.append(name)
        elif m.kind == CIVILIANS:
            second.append(name)  # the people an event hits are never its author
        elif m.start < trigger.i:
            weak_first.append(name)
        elif not sent.doc.has_annotation("DEP"):
            second.append(name)
    if sent.doc.has_annotation("DEP") and sub_type == AIR:
        for child in trigger.children:  # "Russian airstrikes": the demonym names the air force
            if child.dep_ == "amod" and (code := demonym_country(child.text)):
                first.insert(0, f"Military Forces of {country_name(code)}")
    actor1 = (first or weak_first or [None])[0]
    if actor1 is None and sub_type in (AIR, SHELLING) and context.air_actor:  # the only air force named
        actor1 = context.air_actor
    actor2 = next((n for n in second if n != actor1), None)
    # Air and artillery strikes by a state or the coalition hit the article's armed group.
    if actor2 is None and sub_type in (AIR, SHELLING) and context.main_group and actor1 and \
            context.main_group != actor1 and not actor1.startswith("Unidentified"):
        actor2 = context.main_group
    if actor1 and actor1.startswith("Civilians") and actor2 and not actor2.startswith("Civilians"):
        actor1, actor2 = actor2, actor1  # civilians are what violence is done to
    return actor1, actor2


def _name_of(m: ActorMention, context: _ArticleContext) -> str | None:
    if m.generic:
        return context.main_group or f"Unidentified Armed Group ({COUNTRY})"
    return m.name


def _role(doc, m: ActorMention, trigger) -> int:
    """1 when the mention is the trigger's agent, 2 its target, 0 when the parse does not say."""
    if not doc.has_annotation("DEP"):
        return 1 if m.end <= trigger.i else 2
    head = doc[m.start:m.end].root
    node = head
    # spaCy makes a new Token object on every access: compare positions, never identities.
    while node.head.i != node.i and node.head.i != trigger.i and node.i != trigger.i:
        node = node.head
    if node.head.i == trigger.i and node.i != trigger.i:
        if node.dep_ in _ACTOR1_DEPS:
            return 1
        if node.dep_ in _ACTOR2_DEPS:
            return 2
        if node.dep_ == "prep":
            return 1 if node.lower_ == "by" else 2 if node.lower_ in _ACTOR2_PREPS else 0
        if node.dep_ == "acl":
            return 2
        return 0
    # The mention governs the trigger: "the coalition said it killed", "ISIS fighters killed in strikes".
    if any(a.i == head.i for a in trigger.ancestors):
        return 1 if trigger.dep_ in ("relcl", "ccomp") else 2 if trigger.dep_ == "acl" and trigger.tag_ == "VBN" \
            else 0
    return 0


def _without_dateline(text: str) -> str:
    """ "BAGHDAD/AMMAN, July 11, 2017 - ": the story's date, not the event's; blanked, offsets kept."""
    end = dateline_end(text)
    return " " * end + text[end:]


def _with_coordinated(doc, spans: list[tuple[int, int]], toponyms: list[Toponym]) -> list[tuple[int, int]]:
    """A list of places shares its role: "struck fighters in Abu Kamal and in Mayadin" hit both."""
    if not spans or not doc.has_annotation("DEP"):
        return spans
    roots = {}
    for t in toponyms:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and not t.metonymic:
            roots[(t.start, t.end)] = span.root
    chosen = list(spans)
    for start, end in spans:
        anchor = next((r for (s, e), r in roots.items() if s < end and start < e), None)
        if anchor is None:
            continue
        for key, other in roots.items():
            if key in chosen or other.i == anchor.i:
                continue
            if _coordinated(anchor, other) or _coordinated(other, anchor):
                chosen.append(key)
    return chosen


def _coordinated(a, b) -> bool:
    """b is a conjunct of a ("A and B"), or b's preposition of a's ("in A and in B")."""
    if b.dep_ == "conj" and b.head.i == a.i:
        return True
    pa, pb = a.head, b.head
    return a.dep_ == "pobj" and b.dep_ == "pobj" and pb.dep_ == "conj" and pb.head.i == pa.i


_REPORTING_VERBS = frozenset("say tell report announce brief add state claim confirm note speak write".split())


def _in_reporting_frame(doc, start: int, trigger) -> bool:
    """The place belongs to the clause that reports the event, not to the event."""
    if not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    place = span.root
    place_ancestors = {a.i for a in place.ancestors}
    if trigger.i in place_ancestors:
        return False
    trigger_ancestors = {a.i for a in trigger.ancestors}
    return any(doc[i].lemma_.lower() in _REPORTING_VERBS and i in trigger_ancestors for i in place_ancestors)


def _in_description(doc, start: int) -> bool:
    """ "the town, which lies on the Euphrates in Deir ez-Zor province": where the town is, not the event."""
    if not doc.has_annotation("DEP"):
        return False
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    return span is not None and any(a.dep_ == "relcl" and a.lemma_.lower() in ("lie", "sit", "locate", "be")
                                    for a in span.root.ancestors)


_CAMPAIGN_WORDS = frozenset("operation operations offensive campaign battle assault push drive fighting fight".split())
_TAKING_VERBS = frozenset("liberate retake recapture capture seize wrest take free clear reclaim".split())


def _campaign_target(trigger, toponyms: list[Toponym]) -> list[tuple[int, int]]:
    """ "the operation to wrest Raqqa from ISIS", "the battle for Mosul": a campaign happens at its target.

    Read off the words, not the parse: the small model often attaches the purpose clause elsewhere.
    """
    if trigger.lower_ not in _CAMPAIGN_WORDS:
        return []
    doc = trigger.doc
    nxt = doc[trigger.i + 1:trigger.i + 3]
    if not (len(nxt) == 2 and nxt[0].lower_ == "to" and nxt[1].lemma_.lower() in _TAKING_VERBS
            or len(nxt) >= 1 and nxt[0].lower_ in ("for", "on", "into")):
        return []
    window_end = trigger.i + 1
    while window_end < min(len(doc), trigger.i + 10) and doc[window_end].text not in (",", ";", ".", ":"):
        window_end += 1
    start_char, end_char = doc[trigger.i].idx, doc[window_end - 1].idx + len(doc[window_end - 1])
    first = next((t for t in toponyms if start_char <= t.start and t.end <= end_char and t.place is not None
                  and not t.metonymic), None)
    return [(first.start, first.end)] if first else []


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


# -- places ----------------------------------------------------------------------------------

def _town_of_same_name(top: Toponym):
    """ "clashes in Raqqa": an event happens in the city, not the province named after it, unless the
    text says "province"."""
    place = top.place
    if place.raw["feature_class"] != "A" or place.raw["feature_code"].startswith("PCL") or \
            ADMIN_SUFFIXES.search(top.text):
        return place
    for other in top.candidates:
        raw = other.raw
        if raw["feature_class"] == "P" and raw["country_code"] == place.raw["country_code"] and \
                raw["admin1"] == place.raw["admin1"] and raw.get("population", 0) >= 10_000:
            return other
    return place


def _is_near(doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    before = {t.lower_ for t in doc[max(0, span.start - 3):span.start]}
    after = {t.lower_ for t in doc[span.end:span.end + 2]}
    return bool(before & _NEAR_BEFORE or after & _NEAR_AFTER)


def _geo_precision(d: _Draft) -> int:
    """ACLED geo_precision: 1 the town itself, 2 near a town or part of a region, 3 a region or larger."""
    raw = d.place.raw
    fclass, fcode = raw.get("feature_class"), raw.get("feature_code", "")
    if d.mention is None:  # the article's focus place, standing in for a place the sentence did not give
        return 2 if fclass in ("P", "S") else 3
    if fclass in ("P", "S"):
        return 2 if d.near else 1
    if fclass == "A" and fcode in ("ADM2", "ADM3", "ADM4", "ADMD"):
        return 2
    return 3


def _focus_place(toponyms: list[Toponym]):
    """The place an article is about: its most named town, else its most named place of any kind."""
    usable = [t for t in toponyms if t.place is not None and not t.metonymic]
    if not usable:
        return None
    towns = Counter(t.place.raw["geonameid"] for t in usable if t.place.raw["feature_class"] in ("P", "S"))
    counts = towns if towns else Counter(t.place.raw["geonameid"] for t in usable)
    best = counts.most_common(1)[0][0]
    return next(t.place for t in usable if t.place.raw["geonameid"] == best)


def _main_country(toponyms: list[Toponym]) -> str | None:
    counts = Counter(t.place.raw["country_code"] for t in toponyms if t.place is not None and
                     t.place.raw.get("country_code"))
    return counts.most_common(1)[0][0] if counts else None


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
                nearest.fatalities = min(f for f in (nearest.fatalities, d.fatalities) if f)
            continue  # "the militants killed ..." in an article that already placed its events
        same = next((x for x in located if x.sub_event_type == d.sub_event_type and _dates_compatible(x, d)), None)
        if same is not None:
            _absorb(same, d)
            continue
        if focus is not None:
            d.place, d.confidence = focus, round(d.confidence * 0.5, 3)
        out.append(d)
    out.sort(key=lambda d: (d.sent.start, d.trigger.index))
    return out


def _merge_repeats(drafts: list[_Draft]) -> list[_Draft]:
    """One record per event: same type, places within 10 km, compatible dates."""
    kept: list[_Draft] = []
    for d in drafts:
        twin = next((k for k in kept if k.sub_event_type == d.sub_event_type and _same_place(k, d)
                     and _dates_compatible(k, d)), None)
        if twin is None:
            kept.append(d)
        else:
            _absorb(twin, d)
    return kept


def _same_place(a: _Draft, b: _Draft) -> bool:
    if a.place is None or b.place is None:
        return a.place is None and b.place is None
    return haversine_km(a.place.latitude, a.place.longitude, b.place.latitude, b.place.longitude) <= SAME_EVENT_KM


def _dates_compatible(a: _Draft, b: _Draft) -> bool:
    return a.date.date is None or b.date.date is None or a.date.date == b.date.date or \
        a.date.expression is None or b.date.expression is None


def _absorb(into: _Draft, other: _Draft) -> None:
    """Fold a second report of an event into the first: the better date, the lowest death toll, both actors."""
    if _date_rank(other.date) < _date_rank(into.date):
        into.date = other.date
    figures = [f for f in (into.fatalities, other.fatalities) if f]
    into.fatalities = min(figures) if figures else 0
    into.actor1 = into.actor1 or other.actor1
    into.actor2 = into.actor2 or other.actor2
    if into.mention is None and other.mention is not None:
        into.place, into.mention, into.near = other.place, other.mention, other.near
    if into.generic and not other.generic:
        into.trigger, into.generic = other.trigger, False
    into.confidence = max(into.confidence, other.confidence)


def _date_rank(date: EventDate) -> tuple:
    """Explicit dates first, then the more precise; the publication-date default last."""
    if date.date is None:
        return (3, 9)
    return (1 if date.expression is None else 0, date.precision or 9)


@lru_cache(maxsize=512)
def _iso3(code: str | None) -> str | None:
    if not code:
        return None
    from .gazetteer.sources import load_countries

    row = load_countries().get(code)
    return row.get("iso3") if row else None


# -- module-level API ------------------------------------------------------------------------

_default: EventExtractor | None = None


def default_extractor(model: str | None = None) -> EventExtractor:
    global _default
    if _default is None or model is not None:
        extractor = EventExtractor(default_geoparser(model))
        if model is not None:
            return extractor
        _default = extractor
    return _default


def extract_events(text: str, published=None, source: str | None = None, model: str | None = None) -> list[Event]:
    """Events in one article's text: ``published`` (a date or ISO string) dates relative expressions."""
    return default_extractor(model).extract(text, published=published, source=source)
