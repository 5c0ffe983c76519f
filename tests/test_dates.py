"""Event dates: date expressions in news sentences resolved to a date and an ACLED time precision."""
from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoevents.events.dates import PUBLICATION_DEFAULT_PRECISION, DateResolver, EventDate

D = datetime.date
PUBLISHED = D(2017, 7, 13)  # a Thursday
resolver = DateResolver(PUBLISHED)


def dated(sentence: str, anchor: int | None = None, published: D | None = PUBLISHED,
          article_text: str | None = None) -> tuple[D | None, int | None]:
    found = DateResolver(published, article_text).event_date(sentence, anchor)
    return found.date, found.precision


def test_publication_date_is_a_thursday():
    assert PUBLISHED.strftime("%A") == "Thursday"


# --- explicit dates: precision 1 ---

@pytest.mark.parametrize("sentence, expected", [
    ("Rebels shelled the airport road on July 10, 2017, the ministry said.", D(2017, 7, 10)),
    ("Rebels shelled the airport road on 10 July 2017, the ministry said.", D(2017, 7, 10)),
    ("On Monday, July 10, 2017, rebels shelled the airport road.", D(2017, 7, 10)),
    ("The convoy was ambushed on 2017-07-10 near the border crossing.", D(2017, 7, 10)),
    ("Two soldiers died in a blast on July 10, officials said.", D(2017, 7, 10)),
    ("A car bomb exploded at the market on the 3rd of July.", D(2017, 7, 3)),
    ("The militia seized the village on Sept. 6, 2016, residents said.", D(2016, 9, 6)),
    ("The militia seized the village on Jun 6th, residents said.", D(2017, 6, 6)),
    ("Fighters stormed the prison on June 30 2016 before dawn.", D(2016, 6, 30)),
])
def test_explicit_dates_are_day_precise(sentence, expected):
    assert dated(sentence) == (expected, 1)


def test_a_day_without_a_year_soon_after_publication_stays_in_its_year():
    # 55 days ahead: still this year; event_date passes it over as a plan, find() reports it
    assert [found.date for found in resolver.find("Elections are set for Sep 6th.")] == [D(2017, 9, 6)]


def test_a_day_without_a_year_far_after_publication_is_last_year():
    # "October 2" in a July article is 81 days ahead: news means last October
    assert dated("The dam was first captured on October 2, a commander recalled.") == (D(2016, 10, 2), 1)
    assert dated("Raids resumed on December 28.", published=D(2018, 1, 5)) == (D(2017, 12, 28), 1)


def test_without_publication_a_day_takes_the_articles_year():
    article = "BEIRUT, June 2016 (Wire) - Fighting went on. Jets struck the town on July 10."
    assert dated("Jets struck the town on July 10.", published=None, article_text=article) == (D(2016, 7, 10), 1)
    assert dated("Jets struck the town on July 10.", published=None) == (None, None)


def test_ambiguous_numeric_dates_are_skipped():
    assert resolver.find("The ceasefire of 10/7 collapsed after a few hours.") == []


def test_impossible_dates_are_not_dates():
    assert resolver.find("Shelling was reported on February 30.") == []


# --- months: precision 3, the 15th, or the first/last day when the text says so ---

@pytest.mark.parametrize("sentence, expected", [
    ("The town fell to the rebels in March 2017.", D(2017, 3, 15)),
    ("The town fell to the rebels last July.", D(2016, 7, 15)),
    ("The town fell to the rebels in May.", D(2017, 5, 15)),
    ("The town fell to the rebels last month.", D(2017, 6, 15)),
    ("The town fell to the rebels early last month.", D(2017, 6, 1)),
    ("The town fell to the rebels late last month.", D(2017, 6, 30)),
    ("The town fell to the rebels at the end of last month.", D(2017, 6, 30)),
    ("The town fell to the rebels in early June 2017.", D(2017, 6, 1)),
    ("The town fell to the rebels in mid-June.", D(2017, 6, 15)),
    # a month still running at publication: the middle of its elapsed part
    ("The town fell to the rebels this month.", D(2017, 7, 7)),
    ("The town fell to the rebels in July 2017.", D(2017, 7, 7)),
    ("The town fell to the rebels earlier this month.", D(2017, 7, 6)),
    # rolling windows: the middle of the window ending on publication
    ("Hundreds of families fled in the past three weeks.", D(2017, 7, 2)),
    ("Hundreds of families fled over the last few months.", D(2017, 5, 29)),
    ("Hundreds of families fled in recent months.", D(2017, 5, 29)),
    ("Hundreds of families fled two months ago.", D(2017, 5, 15)),
])
def test_month_expressions_are_month_precise(sentence, expected):
    assert dated(sentence) == (expected, 3)


# --- weeks: precision 2, the middle of the period ---

@pytest.mark.parametrize("sentence, expected", [
    ("Government troops retook the hill last week.", D(2017, 7, 6)),  # Thursday of Jul 3-9
    ("Government troops retook the hill early last week.", D(2017, 7, 4)),
    ("Government troops retook the hill late last week.", D(2017, 7, 7)),
    ("Government troops retook the hill this week.", D(2017, 7, 11)),  # Mon Jul 10 .. Thu Jul 13
    ("Government troops retook the hill earlier this week.", D(2017, 7, 11)),  # Mon .. Wed
    ("Government troops retook the hill over the past week.", D(2017, 7, 9)),
    ("Government troops retook the hill in recent days.", D(2017, 7, 10)),
    ("Government troops retook the hill in the past few days.", D(2017, 7, 10)),
    ("Government troops retook the hill a few days ago.", D(2017, 7, 9)),
    ("Government troops retook the hill two weeks ago.", D(2017, 6, 29)),
    ("Government troops retook the hill over the weekend.", D(2017, 7, 8)),  # Saturday
])
def test_week_expressions_are_week_precise(sentence, expected):
    assert dated(sentence) == (expected, 2)


def test_weekend_seen_from_a_weekend():
    assert dated("Clashes broke out last weekend.", published=D(2017, 7, 16)) == (D(2017, 7, 8), 2)
    assert dated("Clashes broke out over the weekend.", published=D(2017, 7, 16)) == (D(2017, 7, 15), 2)


# --- relative days: precision 1 ---

@pytest.mark.parametrize("sentence, expected", [
    ("Coalition aircraft struck positions near Mayadin on Thursday, a spokesman said.", D(2017, 7, 13)),
    ("Coalition aircraft struck positions near Mayadin on Tuesday, a spokesman said.", D(2017, 7, 11)),
    ("Coalition aircraft struck positions near Mayadin on Friday, a spokesman said.", D(2017, 7, 7)),
    ("Coalition aircraft struck positions near Mayadin last Thursday.", D(2017, 7, 6)),
    ("Coalition aircraft struck positions near Mayadin on Wednesday night.", D(2017, 7, 12)),
    ("Wednesday's strike on Mayadin destroyed a bakery.", D(2017, 7, 12)),
    ("Coalition aircraft struck positions near Mayadin today.", D(2017, 7, 13)),
    ("Coalition aircraft struck positions near Mayadin yesterday.", D(2017, 7, 12)),
    ("Coalition aircraft struck positions near Mayadin last night.", D(2017, 7, 12)),
    ("Coalition aircraft struck positions near Mayadin the day before yesterday.", D(2017, 7, 11)),
    ("Coalition aircraft struck positions near Mayadin two days ago.", D(2017, 7, 11)),
    ("Coalition aircraft struck positions near Mayadin three days earlier.", D(2017, 7, 10)),
    ("Coalition aircraft struck Mayadin the day before, a spokesman said.", D(2017, 7, 12)),
])
def test_relative_days_are_day_precise(sentence, expected):
    assert dated(sentence) == (expected, 1)


def test_the_day_before_counts_from_a_date_in_the_same_sentence():
    sentence = "Rebels shelled the base on July 3; the day before, jets had struck; two days later troops entered."
    assert [(found.date, found.expression) for found in resolver.find(sentence)] == [
        (D(2017, 7, 3), "on July 3"), (D(2017, 7, 2), "the day before"), (D(2017, 7, 5), "two days later"),
    ]


def test_expressions_come_with_their_offsets():
    sentence = "Jets hit Raqqa on Monday and Tabqa yesterday."
    found = resolver.find(sentence)
    assert [sentence[item.start:item.end] for item in found] == ["on Monday", "yesterday"]
    assert [item.expression for item in found] == ["on Monday", "yesterday"]


# --- no publication date: nothing relative is guessed ---

@pytest.mark.parametrize("sentence", [
    "Coalition aircraft struck positions near Mayadin on Thursday.",
    "Government troops retook the hill last week.",
    "The town fell to the rebels last month.",
    "Coalition aircraft struck positions near Mayadin yesterday.",
])
def test_without_publication_relative_expressions_are_unknown(sentence):
    found = DateResolver(None).event_date(sentence)
    assert (found.date, found.precision) == (None, None)
    assert found.expression is not None


def test_without_publication_explicit_dates_still_count():
    assert dated("Rebels shelled the airport road on July 10, 2017.", published=None) == (D(2017, 7, 10), 1)
    assert dated("The town fell to the rebels in March 2017.", published=None) == (D(2017, 3, 15), 3)


# --- the default when the sentence names no date ---

def test_no_date_in_the_sentence_means_the_publication_week():
    found = resolver.event_date("Coalition aircraft struck positions near Mayadin, a spokesman said.")
    assert found == EventDate(PUBLISHED, PUBLICATION_DEFAULT_PRECISION, None)
    assert PUBLICATION_DEFAULT_PRECISION == 2


def test_no_date_and_no_publication_is_unknown():
    assert DateResolver(None).event_date("Jets struck the town.") == EventDate(None, None, None)


def test_a_timestamp_publication_counts_as_its_day():
    assert dated("Jets struck the town yesterday.", published=datetime.datetime(2017, 7, 13, 23, 5)) == (
        D(2017, 7, 12), 1)


# --- choosing among several expressions ---

def test_the_expression_nearest_the_trigger_dates_the_event():
    sentence = "Militants attacked a checkpoint on Tuesday, and on Wednesday jets bombed their hideouts."
    assert dated(sentence, anchor=sentence.index("attacked")) == (D(2017, 7, 11), 1)
    assert dated(sentence, anchor=sentence.index("bombed")) == (D(2017, 7, 12), 1)


def test_ties_go_to_the_day_precise_expression():
    sentence = "Clashes last week and on Tuesday killed five."
    week, tuesday = resolver.find(sentence)
    anchor = sentence.index("and") + 1  # three characters from either expression
    assert anchor - (week.end - 1) == tuesday.start - anchor == 3
    assert dated(sentence, anchor=anchor) == (D(2017, 7, 11), 1)
    assert dated(sentence, anchor=anchor - 1) == (D(2017, 7, 6), 2)


def test_without_anchor_the_most_precise_expression_wins():
    assert dated("Fighting raged last week and jets struck on Tuesday.") == (D(2017, 7, 11), 1)


def test_dates_after_publication_are_plans_not_events():
    sentence = "Jets struck the town, and talks are due next Monday."
    assert resolver.find(sentence)[0].date == D(2017, 7, 17)
    assert dated(sentence) == (PUBLISHED, PUBLICATION_DEFAULT_PRECISION)


# --- words that are not dates ---

@pytest.mark.parametrize("sentence", [
    "Troops may march on Raqqa if the talks fail, officials said.",
    "March and May were quiet, a resident said.",
    "Supporters will march to the square; the governor may resign.",
    "The stadium hosted a 2016 soccer match before the war.",
    "The group has controlled the city since 2014.",
    "The shelling began around noon and lasted until 3 pm.",
    "Residents endured nine months of fighting.",
    "The convoy reached the Sat camp with 20 trucks.",
    "Fighting has raged in the past nine months.",
])
def test_non_dates_are_ignored(sentence):
    assert resolver.find(sentence) == []


def test_a_capitalised_month_with_a_day_or_preposition_is_a_date():
    assert dated("Protesters held a march on March 8 in the capital.") == (D(2017, 3, 8), 1)
    assert dated("Troops began to march on the town in March.") == (D(2017, 3, 15), 3)


# --- nothing raises; the result is always coherent ---

_FRAGMENTS = st.sampled_from([
    "on Thursday", "last week", "the day before", "two days later", "yesterday", "July 10", "last July",
    "in recent months", "over the weekend", "February 29", "next Monday", "earlier this month", "2017-07-10",
    "a few weeks ago", "Sep 6th", "jets struck", ",", "may", "March", "since 2014", "9999-99-99",
])
_SENTENCES = st.one_of(st.text(max_size=200), st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=12)
                       .map(" ".join))


def _coherent(found: EventDate) -> bool:
    return (found.date is None and found.precision is None) or (
        isinstance(found.date, datetime.date) and found.precision in {1, 2, 3})


@settings(max_examples=300, deadline=None)
@given(sentence=_SENTENCES, published=st.none() | st.dates(), anchor=st.none() | st.integers(-50, 400))
def test_any_sentence_and_publication_date_give_a_coherent_answer(sentence, published, anchor):
    date_resolver = DateResolver(published, article_text=sentence)
    assert _coherent(date_resolver.event_date(sentence, anchor))
    for found in date_resolver.find(sentence):
        assert _coherent(found)
        assert sentence[found.start:found.end] == found.expression
