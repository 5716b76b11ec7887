"""Change, percentage-point change, status rules and plain-English sentences. Pure functions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from generator.model.dataset import Indicator, IndicatorSet, Period, PublishedAssessment, Status, StatusRule

LOWER_IS_BETTER = "lower-is-better"
HIGHER_IS_BETTER = "higher-is-better"


@dataclass(frozen=True)
class Assessment:
    """One indicator in one period, compared with the period it is compared with."""

    indicator: Indicator
    period: Period
    value: float
    comparison: Period | None
    previous: float | None
    percent_change: float | None
    computed_status: Status | None
    published: PublishedAssessment | None
    published_status: Status | None
    small_numbers: bool = False  # the counts are below the status rules' minimum_count: no status is given
    minimum_count: float | None = None  # the smallest count the indicator's status rules assess, if they set one

    @property
    def change(self) -> float | None:
        """The difference in the indicator's unit (percentage points for a percent)."""
        return None if self.previous is None else self.value - self.previous

    @property
    def status(self) -> Status | None:
        """The status shown: only where a comparison was made. Without one, an indicator has no
        status of its own; the status the source printed is a note (``published_status``)."""
        return self.computed_status

    @property
    def status_basis(self) -> str:
        """``computed``, ``published`` (no comparison was possible; the source printed one) or ``none``."""
        if self.computed_status:
            return "computed"
        return "published" if self.published_status else "none"


def percent_change(previous: float, current: float) -> float | None:
    """Relative change in percent; ``None`` when the previous value is zero."""
    if previous == 0:
        return None
    return (current - previous) / abs(previous) * 100


def adverse_change(percent: float, polarity: str) -> float:
    """The percent change signed so that a positive number means worse."""
    return percent if polarity == LOWER_IS_BETTER else -percent


def status_for(adverse: float, rules: tuple[StatusRule, ...]) -> str | None:
    """The status of the first rule whose interval ``[from, below)`` holds ``adverse``."""
    for rule in sorted(rules, key=lambda r: float("-inf") if r.adverse_from is None else r.adverse_from):
        above = rule.adverse_from is None or adverse >= rule.adverse_from
        below = rule.adverse_below is None or adverse < rule.adverse_below
        if above and below:
            return rule.status_id
    return None


def assess(data: IndicatorSet, indicator: Indicator, period: Period) -> Assessment | None:
    """The indicator's assessment for a period, or ``None`` if it has no value then."""
    value = data.values.get((indicator.id, period.id))
    if value is None:
        return None
    comparison = data.period(period.compared_with) if period.compared_with else None
    previous = data.values.get((indicator.id, comparison.id)) if comparison else None
    pct = None if previous is None else percent_change(previous, value)
    computed = None
    minimum = data.minimum_count_for(indicator.id)
    small = is_small(indicator, minimum, value, previous)
    if pct is not None and not small:
        status_id = status_for(adverse_change(pct, indicator.polarity), data.rules_for(indicator.id))
        computed = data.status(status_id) if status_id else None
    published = data.published_for(indicator.id, period.id)
    return Assessment(
        indicator=indicator,
        period=period,
        value=value,
        comparison=comparison,
        previous=previous,
        percent_change=pct,
        computed_status=computed,
        published=published,
        published_status=data.status_by_published_label(published.status_label) if published else None,
        small_numbers=small,
        minimum_count=minimum,
    )


SMALL_NUMBERS = "small-numbers"
SMALL_NUMBERS_WORDS = "Not assessed: small numbers"


def is_small(indicator: Indicator, minimum: float | None, value: float, previous: float | None) -> bool:
    """Whether a count, or the count it is compared with, is below the smallest count the status
    rules assess (``minimum_count``): a change between small counts is mostly chance."""
    if minimum is None or indicator.unit != "count" or previous is None:
        return False
    return value < minimum or previous < minimum


def small_numbers_words(a: Assessment) -> str:
    """Why a figure has no status: ``The counts (4 and 7) are below 10, the smallest count...``."""
    counts = " and ".join(format_number(v) for v in (a.previous, a.value) if v is not None)
    smallest = format_number(a.minimum_count) if a.minimum_count is not None else ""
    return (
        f"No status is given: the counts ({counts}) are below {smallest}, the smallest count the status rules assess. "
        "With numbers this small a change is mostly chance, so it says little about whether things got better or worse."
    )


def status_note(a: Assessment) -> str:
    """Why a figure has no status of its own, in words: small numbers, and what the source printed."""
    parts = [small_numbers_words(a)] if a.small_numbers else []
    if a.status is None and printed_note(a):
        parts.append(printed_note(a))
    return " ".join(parts)


NO_COMPARISON = "no-comparison"


def latest_period(data: IndicatorSet) -> Period | None:
    """The newest period of the set: every table and sentence reports this period, by its id."""
    return data.periods[-1] if data.periods else None


def latest(data: IndicatorSet, indicator: Indicator) -> Assessment | None:
    """The assessment for the set's newest period; ``None`` when the indicator has no value
    for it (never an older figure in its place)."""
    period = latest_period(data)
    return assess(data, indicator, period) if period else None


def latest_all(data: IndicatorSet) -> tuple[Assessment, ...]:
    """The assessment for the newest period of every indicator that has a value then, in published order."""
    found = (latest(data, i) for i in data.indicators)
    return tuple(a for a in found if a is not None)


def status_counts(assessments: tuple[Assessment, ...]) -> Counter[str]:
    """How many assessments show each status id; those without a comparison count as
    ``no-comparison``, those with counts too small to assess as ``small-numbers``."""
    return Counter(a.status.id if a.status else SMALL_NUMBERS if a.small_numbers else NO_COMPARISON for a in assessments)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def long_date(day: date) -> str:
    """A date as readers write it, ``24 November 2026``: the one place dates are formatted for
    readers. No ``%-d`` (glibc only) and no locale: the same words on every platform."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_number(value: float) -> str:
    """A number with thousands separators and at most two decimals: ``14,768``, ``4.2``."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Currency:
    """The money that values in the unit ``currency`` are in: project configuration
    (``extra: currency: {symbol, name}`` in mkdocs.yml), never assumed. Unset, an amount is
    shown as a plain number that says its currency is not stated."""

    symbol: str = ""  # written before the amount: "£", "€", "$"
    name: str = ""  # the unit in words, for tables and chart axes: "Pounds sterling"

    @property
    def stated(self) -> bool:
        return bool(self.symbol)

    def amount(self, number: str) -> str:
        """``£3,000,000``; ``3,000,000 (currency not stated)`` when no currency is configured."""
        return f"{self.symbol}{number}" if self.stated else f"{number} (currency not stated)"


UNIT_WORDS = {"count": "Count", "percent": "Percentage"}


def unit_words(unit: str, currency: Currency) -> str:
    """A unit as a table or an axis names it: ``Count``, ``Percentage``, ``Pounds sterling``."""
    if unit == "currency":
        return currency.name or (f"Money ({currency.symbol})" if currency.stated else "Money (currency not stated)")
    return UNIT_WORDS.get(unit, unit)


def format_value(value: float, unit: str, currency: Currency) -> str:
    """A value in its unit: ``14,768``, ``69%``, ``£3,000,000`` (in the configured currency)."""
    if unit == "percent":
        return f"{format_number(value)}%"
    if unit == "currency":
        return currency.amount(format_number(value))
    return format_number(value)


def format_short(value: float, unit: str, currency: Currency) -> str:
    """A value short enough to label a bar: ``£7.3m``, ``£750k``; other values as ``format_value``."""
    if unit == "currency" and currency.stated and abs(value) >= 1_000_000:
        return currency.amount(f"{format_number(round(value / 1_000_000, 1))}m")
    if unit == "currency" and currency.stated and abs(value) >= 10_000:
        return currency.amount(f"{format_number(round(value / 1_000))}k")
    return format_value(value, unit, currency)


def change_words(a: Assessment, currency: Currency) -> str:
    """The change in words, a rate's in percentage points: ``down 3 percentage points (-4.2%)``,
    ``up 58 (+8.5%)``, ``no change``; ``No comparison`` when there is nothing to compare with."""
    if a.change is None:
        return "No comparison"
    if a.change == 0:
        return "no change"
    word = "up" if a.change > 0 else "down"
    amount = abs(a.change)
    if a.indicator.unit == "percent":
        size = f"{format_number(round(amount, 2))} percentage point{'s' if amount != 1 else ''}"
    else:
        size = format_value(round(amount, 2), a.indicator.unit, currency)
    relative = f" ({a.percent_change:+.1f}%)" if a.percent_change is not None else ""
    return f"{word} {size}{relative}"


def status_words(status: Status) -> str:
    """A status with what it means: ``Red (worse than the comparison period by 5% or more)``."""
    meaning = status.meaning.strip().rstrip(".")
    return f"{status.label} ({meaning[:1].lower()}{meaning[1:]})" if meaning else status.label


def printed_note(a: Assessment) -> str:
    """What the source printed when no comparison could be made: ``The source rated it Green.``"""
    return f"The source rated it {a.published.status_label}." if a.published and a.published.status_label else ""


def period_words(period: Period) -> str:
    """The reference period in words, with what the source does and does not state:
    ``Year to date (the source does not state which year or which dates)``."""
    if period.dates_stated and period.start_date and period.end_date:
        return f"{period.label}: {long_date(period.start_date)} to {long_date(period.end_date)}"
    return f"{period.label} (the source does not state which year or which dates)"


def comparison_words(period: Period, compared: Period | None) -> str:
    """The period of a set of figures and the one they are compared with, saying once what the
    source does not state: ``Year to date, compared with Previous year to date (the source
    does not state which year or which dates of either)``."""
    if compared is None:
        return f"{period_words(period)}, with no earlier period to compare with"
    if not _dated(period) and not _dated(compared):
        return f"{period.label}, compared with {compared.label} (the source does not state which year or which dates of either)"
    return f"{period_words(period)}, compared with {period_words(compared)}"


def _dated(period: Period) -> bool:
    return bool(period.dates_stated and period.start_date and period.end_date)


def sentence(a: Assessment, currency: Currency) -> str:
    """One plain-English sentence (or two) that a resident can read aloud; period labels keep their case."""
    unit = a.indicator.unit
    start = f"{a.indicator.title}: {format_value(a.value, unit, currency)} ({a.period.label})"
    if a.previous is None or a.comparison is None:
        printed = f" {printed_note(a)}" if printed_note(a) else ""
        return f"{start}. There is no earlier figure to compare with, so it has no status of its own.{printed}"
    if a.change == 0:
        movement = f"the same as in {a.comparison.label} ({format_value(a.previous, unit, currency)})"
    else:
        movement = f"{change_words(a, currency)} from {format_value(a.previous, unit, currency)} ({a.comparison.label})"
    if a.small_numbers:
        return f"{start}, {movement}. The numbers are too small to say whether this is a real change, so it has no status ({SMALL_NUMBERS_WORDS.lower()})."
    better = "Lower" if a.indicator.polarity == LOWER_IS_BETTER else "Higher"
    verdict = ""
    if a.status and a.percent_change is not None and a.change:
        improved = (a.change < 0) == (a.indicator.polarity == LOWER_IS_BETTER)
        verdict = f" {better} is better, so this is {'an improvement' if improved else 'worse'}: {a.status.label}."
    return f"{start}, {movement}.{verdict}"


def missing_sentence(data: IndicatorSet, indicator: Indicator) -> str:
    """The sentence for an indicator with no value for the newest period: says so, and names the period."""
    period = latest_period(data)
    if period is None or not data.series(indicator.id):
        return f"{indicator.title}: no figures have been published yet."
    return f"{indicator.title}: not available for {period.label}. The figures published for earlier periods are below."
