"""The currency setting, checked: a warning when indicators are measured in money but the
project has not said which currency. Returns problems; never raises."""

from __future__ import annotations

from collections.abc import Sequence

from generator.model.compute import Currency
from generator.model.dataset import IndicatorSet
from generator.problems.records import Problem, Severity

CURRENCY_SETTING = "extra.currency"


def currency_problems(currency: Currency, indicator_sets: Sequence[IndicatorSet], mkdocs_file: str) -> list[Problem]:
    """A warning naming the indicators in the unit ``currency`` when no currency is configured:
    their amounts are then shown as plain numbers saying the currency is not stated."""
    if currency.stated:
        return []
    money = [indicator.id for data in indicator_sets for indicator in data.indicators if indicator.unit == "currency"]
    if not money:
        return []
    return [
        Problem(
            "currency-not-stated",
            f"Indicators in the unit currency ({', '.join(money)}) are shown as plain numbers marked 'currency not stated', "
            "because the site does not say which currency they are in.",
            mkdocs_file,
            field=CURRENCY_SETTING,
            fix='Set extra: currency: {symbol: "£", name: Pounds sterling} (or your currency) in mkdocs.yml.',
            severity=Severity.WARNING,
        )
    ]
