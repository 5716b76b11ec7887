"""The seed presentation, as data: every figure is in a CSV, and every package is valid."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Package

from tests.conftest import ROOT

PACKAGES = sorted(p.parent for p in (ROOT / "datasets").glob("*/datapackage.json"))

# Every number printed in the seed, as the value a downloadable CSV must hold.
INDICATOR_TABLE = [
    14768,
    14909,
    -0.95,
    522,
    574,
    -9.06,
    1041,
    776,
    34.15,
    1563,
    257,
    508.17,
    190,
    148,
    3393,
    3013,
    12.61,
    69,
    72,
    -4.2,
    320,
    309,
    3.56,
    1472,
    1448,
    1.66,
    830,
    889,
    -6.64,
    3293,
    2928,
    12.47,
    741,
    683,
    8.49,
]
PROSE = [
    2017,
    2021,
    2018,
    18,
    24,
    88,
    1,
    94,
    9,
    49,
    12,
    26,
    25,
    3_000_000,
    7_300_000,
    500_000,
    190,
    91,
    399,
    93,
    10,
    3,
    25,
    18,
    2099,
    424,
    138_000,
    6,
    1_300_000,
    95,
    1_500_000,
]
MONTHS = ["2017-11", "2018-02", "2018-11", "2019-10"]
YEARS_AS_PRINTED = ["2018-19", "2019/20"]


@functools.cache
def all_cells() -> pd.DataFrame:
    """Every cell of every CSV in datasets/, one per row, in a column named ``cell``."""
    frames = [pd.read_csv(csv, dtype=str, keep_default_na=False).melt(value_name="cell") for p in PACKAGES for csv in sorted((p / "data").glob("*.csv"))]
    assert frames, "no CSV files found"
    return pd.concat(frames)


def test_there_are_two_seed_packages() -> None:
    assert [p.name for p in PACKAGES] == ["community-safety-performance", "community-safety-plan"]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_frictionless_finds_every_package_valid(package: Path) -> None:
    report = Package(str(package / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("number", sorted(set(INDICATOR_TABLE + PROSE)))
def test_every_seed_number_is_a_value_in_a_csv(number: float) -> None:
    values = pd.to_numeric(all_cells()["cell"], errors="coerce")
    assert (abs(values - number) < 1e-9).any(), f"{number} is in the seed but in no CSV cell"


@pytest.mark.parametrize("text", MONTHS + YEARS_AS_PRINTED)
def test_every_seed_date_is_in_a_csv(text: str) -> None:
    assert (all_cells()["cell"] == text).any()


def test_published_change_and_status_are_kept_as_printed() -> None:
    table = pd.read_csv(ROOT / "datasets/community-safety-performance/data/published-assessments.csv", dtype=str, keep_default_na=False)
    assert table.set_index("indicator_id").loc["dv-court-conviction-rate"].to_dict() == {
        "period_id": "ytd",
        "published_change_percent": "-4.2",
        "published_direction_of_travel": "Orange",
    }
    assert list(table["published_change_percent"]).count("") == 2  # the two indicators with no previous YTD
    assert set(table["published_direction_of_travel"]) == {"Green", "Orange", "Red"}


def test_period_dates_are_marked_not_stated_never_invented() -> None:
    periods = pd.read_csv(ROOT / "datasets/community-safety-performance/data/periods.csv", dtype=str, keep_default_na=False)
    assert set(periods["dates_stated"]) == {"false"}
    assert set(periods["start_date"]) == {""} and set(periods["end_date"]) == {""}


@pytest.mark.parametrize("schema_file", sorted((ROOT / "schemas/indicator-profile").glob("*.json")), ids=lambda p: p.stem)
def test_performance_package_uses_the_profile_schemas(schema_file: Path) -> None:
    descriptor = json.loads((ROOT / "datasets/community-safety-performance/datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == schema_file.stem)
    assert resource["schema"] == json.loads(schema_file.read_text())
