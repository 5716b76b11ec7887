"""Change, status and sentences: the rules the about page promises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import compute
from generator.config import Config
from generator.model import IndicatorSet, StatusRule, build_indicator_set
from generator.validate import validate_all
from tests.conftest import ROOT

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


def test_indicators_with_no_previous_value_keep_the_published_status(seed: IndicatorSet) -> None:
    shown = {a.indicator.id: (a.status.label if a.status else None, a.status_basis) for a in compute.latest_all(seed)}
    assert shown["drug-operation-arrests"] == ("Green", "published")
    assert shown["drug-supply-charges"] == ("Green", "published")


def test_the_seed_reconciles_with_no_warning(seed: IndicatorSet) -> None:
    assert compute.reconcile(seed, "published-assessments.csv") == []


def test_a_wrong_published_status_is_reported(seed: IndicatorSet) -> None:
    wrong = tuple(p if p.indicator_id != "knife-crimes" else type(p)(p.indicator_id, p.period_id, p.change_text, "Green", p.row) for p in seed.published)
    problems = compute.reconcile(IndicatorSet(**{**seed.__dict__, "published": wrong}), "x.csv")
    assert [(p.code, p.row, p.field) for p in problems] == [("published-status-mismatch", 14, "published_direction_of_travel")]


def test_dashboard_counts(seed: IndicatorSet) -> None:
    assert compute.status_counts(compute.latest_all(seed)) == {"green": 7, "amber": 3, "red": 3}


def test_a_rate_shows_percentage_points_and_percent(seed: IndicatorSet) -> None:
    rate = next(i for i in seed.indicators if i.id == "dv-court-conviction-rate")
    a = compute.latest(seed, rate)
    assert a is not None
    assert compute.sentence(a) == (
        "Specialist Domestic Violence court conviction rate: 69% in the year to date, down 3 percentage points (4.2%) "
        "from 72% in the previous year to date. Higher is better, so this is worse: Amber."
    )


def test_a_count_sentence(seed: IndicatorSet) -> None:
    a = compute.latest(seed, next(i for i in seed.indicators if i.id == "asb-calls-101"))
    assert a is not None
    assert compute.sentence(a) == (
        "ASB calls to 101 to report ASB: 14,768 in the year to date, down 141 (0.9%) from 14,909 in the previous year to date. "
        "Lower is better, so this is an improvement: Green."
    )


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_format_number_round_trips(value: float) -> None:
    rounded = round(value, 2)
    assert float(compute.format_number(rounded).replace(",", "")) == pytest.approx(rounded, abs=1e-9)
