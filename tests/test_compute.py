"""Change, status and sentences: the rules the about page promises."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.checks import domain
from generator.checks.validate import validate_all
from generator.config import Config
from generator.model import compute
from generator.model.dataset import IndicatorSet, StatusRule, build_indicator_set
from tests.conftest import ROOT

POUNDS = compute.Currency("£", "Pounds sterling")
SEED_RULES = (
    StatusRule("better", None, "green", None, 0),
    StatusRule("slightly-worse", None, "amber", 0, 5),
    StatusRule("worse", None, "red", 5, None),
)


@pytest.fixture(scope="module")
def seed() -> IndicatorSet:
    result = validate_all(Config.for_project(ROOT))
    return build_indicator_set(next(d for d in result.datasets if d.name == "community-safety-performance"))


def test_percent_change_is_relative_to_the_earlier_value() -> None:
    assert compute.percent_change(72, 69) == pytest.approx(-4.1667, abs=1e-4)
    assert compute.percent_change(0, 5) is None


def test_adverse_change_is_positive_when_worse() -> None:
    assert compute.adverse_change(12.6, "lower-is-better") == 12.6
    assert compute.adverse_change(-4.2, "higher-is-better") == 4.2


@pytest.mark.parametrize(("adverse", "status"), [(-9.06, "green"), (-0.01, "green"), (0, "amber"), (4.99, "amber"), (5, "red"), (508, "red")])
def test_status_thresholds_come_from_the_rules(adverse: float, status: str) -> None:
    assert compute.status_for(adverse, SEED_RULES) == status


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_every_adverse_change_gets_exactly_one_status(adverse: float) -> None:
    matching = [r for r in SEED_RULES if compute.status_for(adverse, (r,)) is not None]
    assert len(matching) == 1


def test_the_rules_reproduce_every_published_status(seed: IndicatorSet) -> None:
    compared = 0
    for indicator in seed.indicators:
        a = compute.latest(seed, indicator)
        assert a is not None and a.published_status is not None
        if a.computed_status is not None:
            assert a.computed_status == a.published_status, indicator.id
            compared += 1
    assert compared == 11


def test_indicators_with_no_previous_value_have_no_status_of_their_own(seed: IndicatorSet) -> None:
    shown = {a.indicator.id: (a.status, a.status_basis, compute.printed_note(a)) for a in compute.latest_all(seed)}
    assert shown["drug-operation-arrests"] == (None, "published", "The source rated it Green.")
    assert shown["drug-supply-charges"] == (None, "published", "The source rated it Green.")


def test_the_seed_reconciles_with_no_warning(seed: IndicatorSet) -> None:
    assert domain.reconcile(seed, "published-assessments.csv") == []


def test_a_wrong_published_status_is_reported(seed: IndicatorSet) -> None:
    wrong = tuple(p if p.indicator_id != "knife-crimes" else type(p)(p.indicator_id, p.period_id, p.change_text, "Green", p.row) for p in seed.published)
    problems = domain.reconcile(IndicatorSet(**{**seed.__dict__, "published": wrong}), "x.csv")
    assert [(p.code, p.row, p.field) for p in problems] == [("published-status-mismatch", 14, "published_direction_of_travel")]


def test_dashboard_counts(seed: IndicatorSet) -> None:
    assert compute.status_counts(compute.latest_all(seed)) == {"green": 5, "amber": 3, "red": 3, "no-comparison": 2}


def test_a_rate_shows_percentage_points_and_percent(seed: IndicatorSet) -> None:
    rate = next(i for i in seed.indicators if i.id == "dv-court-conviction-rate")
    a = compute.latest(seed, rate)
    assert a is not None
    assert compute.sentence(a, POUNDS) == (
        "Specialist Domestic Violence court conviction rate: 69% (Year to date), down 3 percentage points (-4.2%) "
        "from 72% (Previous year to date). Higher is better, so this is worse: Amber."
    )


def test_a_count_sentence(seed: IndicatorSet) -> None:
    a = compute.latest(seed, next(i for i in seed.indicators if i.id == "asb-calls-101"))
    assert a is not None
    assert compute.sentence(a, POUNDS) == (
        "Calls to the police on 101 to report anti-social behaviour: 14,768 (Year to date), down 141 (-0.9%) from 14,909 (Previous year to date). "
        "Lower is better, so this is an improvement: Green."
    )


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_format_number_round_trips(value: float) -> None:
    rounded = round(value, 2)
    assert float(compute.format_number(rounded).replace(",", "")) == pytest.approx(rounded, abs=1e-9)


def test_latest_is_the_newest_period_of_the_set_never_an_older_one(seed: IndicatorSet) -> None:
    knife = next(i for i in seed.indicators if i.id == "knife-crimes")
    values = {k: v for k, v in seed.values.items() if k != ("knife-crimes", "ytd")}
    missing = IndicatorSet(**{**seed.__dict__, "values": values})
    assert compute.latest(missing, knife) is None
    assert (
        compute.missing_sentence(missing, knife)
        == "Number of knife crimes: not available for Year to date. The figures published for earlier periods are below."
    )
    assert "knife-crimes" not in {a.indicator.id for a in compute.latest_all(missing)}


def test_a_rate_change_is_in_percentage_points_and_a_count_change_in_its_unit(seed: IndicatorSet) -> None:
    by_id = {a.indicator.id: a for a in compute.latest_all(seed)}
    assert compute.change_words(by_id["dv-court-conviction-rate"], POUNDS) == "down 3 percentage points (-4.2%)"
    assert compute.change_words(by_id["knife-crimes"], POUNDS) == "up 58 (+8.5%)"
    assert compute.change_words(by_id["drug-operation-arrests"], POUNDS) == "No comparison"


def test_status_and_period_words_read_as_english(seed: IndicatorSet) -> None:
    assert compute.status_words(seed.status("red")) == "Red (worse than the comparison period by 5% or more)"
    ytd = seed.period("ytd")
    assert compute.period_words(ytd) == "Year to date (the source does not state which year or which dates)"
    dated = type(ytd)(**{**ytd.__dict__, "start_date": date(2024, 4, 1), "end_date": date(2024, 6, 30), "dates_stated": True, "label": "Q1 2024-25"})
    assert compute.period_words(dated) == "Q1 2024-25: 1 April 2024 to 30 June 2024"


def test_dates_for_readers_are_written_one_way_on_every_platform() -> None:
    assert compute.long_date(date(2026, 11, 4)) == "4 November 2026"
    assert compute.long_date(datetime(2023, 1, 31, 23, 59, tzinfo=UTC)) == "31 January 2023"


@given(st.dates())
def test_long_date_agrees_with_the_glibc_format_it_replaces(day: date) -> None:
    assert compute.long_date(day) == f"{day.day} {day:%B} {day.year}"


def test_amounts_are_in_the_configured_currency_and_never_an_assumed_one() -> None:
    euros = compute.Currency("€", "Euros")
    assert compute.format_value(3_000_000, "currency", POUNDS) == "£3,000,000"
    assert compute.format_value(3_000_000, "currency", euros) == "€3,000,000"
    assert compute.format_short(7_300_000, "currency", euros) == "€7.3m"
    assert compute.format_short(750_000, "currency", POUNDS) == "£750k"
    assert compute.unit_words("currency", euros) == "Euros"
    unset = compute.Currency()
    assert compute.format_value(3_000_000, "currency", unset) == "3,000,000 (currency not stated)"
    assert compute.format_short(7_300_000, "currency", unset) == "7,300,000 (currency not stated)"
    assert compute.unit_words("currency", unset) == "Money (currency not stated)"
    assert compute.format_value(69, "percent", unset) == "69%"
    assert compute.format_value(14_768, "count", unset) == "14,768"
