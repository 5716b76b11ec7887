"""Every indicator figure in one tidy table, as the home page shows it, and each indicator's own rows.

The rows come from the same model as the pages (``compute.assess`` over ``build_indicator_set``):
nothing is worked out again here, so the table cannot disagree with the site. The table is a
package of its own (``indicator-figures``), made in memory as a ``Dataset``: the data index, its
dataset page and the catalogues list it as they list every package, and its files (CSV, JSON,
XLSX, the descriptor with its Table Schema, the zip) are made here. Several indicator packages
give one table, each row naming its package. Pure: returns rows and bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.model import compute, urls
from generator.model.compute import Assessment
from generator.model.dataset import Dataset, Indicator, IndicatorSet, build_dataset
from generator.outputs import downloads, spreadsheet
from generator.outputs.archive import zip_bytes
from generator.outputs.registry import Outputs

PACKAGE = "indicator-figures"
TABLE = "figures"
SPATIAL = "x-spatial"  # the area a package covers (see outputs.catalogue)
UNIT_OF_CHANGE = {"percent": "percentage points", "count": "count"}  # a currency's change is in the currency: its name

# The table's fields: (name, type, description), in the order of the columns.
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("package", "string", "The package the figure comes from (its name in the data catalogue)."),
    ("indicator_id", "string", "The indicator's stable identifier, as in its page's address."),
    ("indicator_title", "string", "The indicator's title, as the site shows it."),
    ("priority_id", "string", "The priority the indicator is reported under."),
    ("priority_title", "string", "The priority's title, as published."),
    ("period_id", "string", "The reference period's stable identifier."),
    ("period_label", "string", "The reference period, as the site names it."),
    ("period_start", "date", "The first day of the period; empty where the source does not state it."),
    ("period_end", "date", "The last day of the period; empty where the source does not state it."),
    ("value", "number", "The figure, in its unit."),
    ("unit", "string", "count: a number of things; percent: a rate from 0 to 100; currency: an amount of money."),
    ("compared_period_id", "string", "The period the figure is compared with; empty when there is none."),
    ("compared_period_label", "string", "The compared period, as the site names it."),
    ("compared_value", "number", "The figure for the compared period; empty when there is none."),
    ("change", "number", "value minus compared_value, in the unit of change (percentage points for a percent); empty without a comparison."),
    ("change_unit", "string", "The unit of change: percentage points for a percent, else the indicator's unit."),
    ("percent_change", "number", "The change as a % of the compared value, to 2 decimal places; empty without a comparison or when that value is 0."),
    ("change_shown", "string", "The change in the words the site shows, for example: down 3 percentage points (-4.2%)."),
    ("status_id", "string", "The status's identifier; empty when no status is given."),
    ("status", "string", "The status as the site shows it: a status, No comparison, or Not assessed: small numbers."),
    ("status_printed_by_source", "string", "The status the source printed for this figure, kept as printed; empty where it printed none."),
    ("latest", "boolean", "Whether the figure is for the newest period, the one the home page shows."),
    ("notes", "string", "Notes on the indicator and on this figure's status."),
)


def status_shown(a: Assessment) -> str:
    """The status in the words of the site's tables: the status's label, ``Not assessed: small
    numbers`` or ``No comparison``."""
    if a.status is not None:
        return a.status.label
    if a.small_numbers:
        return compute.SMALL_NUMBERS_WORDS
    return "No comparison"


def tidy_number(value: float | None, places: int = 6) -> float | int | None:
    """A figure as a tidy number: whole numbers as integers, others without float noise."""
    if value is None:
        return None
    rounded = round(value, places)
    return int(rounded) if rounded == int(rounded) else rounded


def figure_row(data: IndicatorSet, a: Assessment, currency: compute.Currency) -> dict[str, Any]:
    """One figure of the table, from its assessment; amounts of money in ``currency``."""
    indicator = a.indicator
    priority = next((p for p in data.priorities if p.id == indicator.priority_id), None)
    newest = compute.latest_period(data)
    notes = " ".join(n for n in (indicator.notes or "", compute.status_note(a)) if n)
    return {
        "package": data.dataset.name,
        "indicator_id": indicator.id,
        "indicator_title": indicator.title,
        "priority_id": indicator.priority_id,
        "priority_title": priority.title if priority else "",
        "period_id": a.period.id,
        "period_label": a.period.label,
        "period_start": a.period.start_date if a.period.dates_stated else None,
        "period_end": a.period.end_date if a.period.dates_stated else None,
        "value": tidy_number(a.value),
        "unit": indicator.unit,
        "compared_period_id": a.comparison.id if a.comparison else None,
        "compared_period_label": a.comparison.label if a.comparison else None,
        "compared_value": tidy_number(a.previous),
        "change": tidy_number(a.change),
        "change_unit": change_unit(indicator.unit, currency) if a.change is not None else None,
        "percent_change": tidy_number(a.percent_change, 2),
        "change_shown": compute.change_words(a, currency),
        "status_id": a.status.id if a.status else None,
        "status": status_shown(a),
        "status_printed_by_source": a.published.status_label if a.published and a.published.status_label else None,
        "latest": newest is not None and a.period.id == newest.id,
        "notes": notes or None,
    }


def change_unit(unit: str, currency: compute.Currency) -> str:
    """What a change is measured in: ``percentage points`` for a rate, the currency's name for money."""
    if unit == "currency":
        return compute.unit_words(unit, currency)
    return UNIT_OF_CHANGE.get(unit, unit)


def indicator_rows(data: IndicatorSet, indicator: Indicator, currency: compute.Currency) -> list[dict[str, Any]]:
    """Every figure of one indicator, oldest period first: the rows its page's table shows."""
    found = (compute.assess(data, indicator, period) for period, _ in data.series(indicator.id))
    return [figure_row(data, a, currency) for a in found if a is not None]


def figure_rows(indicator_sets: Sequence[IndicatorSet], currency: compute.Currency) -> list[dict[str, Any]]:
    """Every figure of every indicator package: by package, then indicator in published order, then period."""
    return [row for data in indicator_sets for indicator in data.indicators for row in indicator_rows(data, indicator, currency)]


def table_schema() -> dict[str, Any]:
    """The Table Schema of the table of figures."""
    return {
        "fields": [{"name": name, "type": kind, "description": description} for name, kind, description in FIELDS],
        "primaryKey": ["package", "indicator_id", "period_id"],
        "missingValues": [""],
    }


def descriptor(indicator_sets: Sequence[IndicatorSet], site_url: str) -> dict[str, Any]:
    """The package's descriptor: the table and its schema, the packages it is made from as its
    sources, their publishers, and their licence when they all share one (else none is claimed)."""
    sources = [d.dataset for d in indicator_sets]
    licences = {(ds.licence.name, ds.licence.title, ds.licence.path) for ds in sources if ds.licence is not None}
    shared = licences.pop() if len(licences) == 1 and all(ds.licence is not None for ds in sources) else None
    publishers = list(dict.fromkeys(ds.publisher for ds in sources if ds.publisher))
    found: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": PACKAGE,
        "title": "Every indicator figure",
        "description": (
            "Every figure of every performance indicator in one table, as the site shows it: the period, the value, "
            "the figure it is compared with, the change and the status. Made from " + "; ".join(ds.title for ds in sources) + "."
        ),
        "keywords": list(dict.fromkeys(["indicators", "performance", *(str(k) for ds in sources for k in ds.descriptor.get("keywords") or [])])),
        "sources": [{"title": ds.title, "path": site_url + urls.url_of(urls.dataset_page(ds.name))} for ds in sources],
        "contributors": [{"title": name, "roles": ["publisher"]} for name in publishers],
        "resources": [
            {
                "name": TABLE,
                "type": "table",
                "path": f"{TABLE}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": "Indicator figures",
                "description": "One row per indicator and period: the figure, what it is compared with, the change and the status, as the site shows them.",
                "schema": table_schema(),
            }
        ],
    }
    versions = {str(ds.descriptor.get("version") or "") for ds in sources}
    if len(versions) == 1 and "" not in versions:  # made from one release of each source: it is that release
        found["version"] = versions.pop()
    if shared is not None:
        name, title, path = shared
        found["licenses"] = [{k: v for k, v in (("name", name), ("path", path), ("title", title)) if v}]
    areas = {json.dumps(ds.descriptor.get(SPATIAL), sort_keys=True) for ds in sources}
    if len(areas) == 1 and sources[0].descriptor.get(SPATIAL):  # every source covers the same stated area
        found[SPATIAL] = sources[0].descriptor[SPATIAL]
    return found


def figures_dataset(indicator_sets: Sequence[IndicatorSet], datasets_dir: Path, site_url: str, currency: compute.Currency) -> Dataset | None:
    """The table of figures as a package, in memory; ``None`` when there is no indicator package."""
    if not indicator_sets:
        return None
    return build_dataset(descriptor(indicator_sets, site_url), datasets_dir / PACKAGE, {TABLE: figure_rows(indicator_sets, currency)})


def rows_csv(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> bytes:
    """Rows as CSV (UTF-8, a header, a line feed after each row, as the packages write theirs): numbers as numbers, dates as ISO dates,
    booleans as ``true``/``false``, missing values empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_cell(row.get(name)) for name in names])
    return out.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(spreadsheet.json_value(value))


def figures_files(dataset: Dataset, updated: datetime) -> Outputs[bytes]:
    """The package's files: CSV, JSON and XLSX of the table, the descriptor and the zip."""
    files: Outputs[bytes] = Outputs()
    where = dataset.folder / "datapackage.json"
    table = dataset.table(TABLE)
    made_by = f"the {{}} of the table of every indicator figure ({PACKAGE})"
    files.add(urls.resource_csv(PACKAGE, TABLE), rows_csv(table.rows, [f.name for f in table.fields]), made_by.format("CSV file"), where)
    files.add(urls.resource_download(PACKAGE, TABLE, "json"), downloads.table_json(table), made_by.format("JSON file"), where)
    files.add(urls.resource_download(PACKAGE, TABLE, "xlsx"), spreadsheet.workbook(dataset, table, updated), made_by.format("workbook"), where)
    published = downloads.published_descriptor(dataset.descriptor, dict(files), PACKAGE, updated)
    files.add(urls.package_descriptor(PACKAGE), published, made_by.format("descriptor"), where)
    entries = downloads.package_entries(dataset, {**dict(files), urls.package_descriptor(PACKAGE): published})
    files.add(urls.package_zip(PACKAGE), zip_bytes(entries, updated), made_by.format("zip"), where)
    return files


def json_text(document: object) -> str:
    """A JSON document as published: indented, UTF-8, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
