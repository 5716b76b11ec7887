"""What a reader takes away from an indicator page: its data, its chart's data and a citation.

Each indicator page has two sections of its own, "Download the data" and "Cite this
indicator", and four files beside it (``indicators/<id>/``):

- ``data.csv``: exactly the rows of the page's table of figures (the rows of the table of every
  figure, ``outputs.figures``, for this indicator), with the notes, the source and the licence;
- ``chart-data.csv``: the figures the chart draws, read from the chart's own figure;
- ``cite.bib`` and ``cite.json``: the citation as BibTeX and as CSL-JSON, which reference
  managers import.

The citation names the page's stable URL, the publisher (``extra: publisher`` in mkdocs.yml, else
the package's publisher), the release (the package's version and the date of that release) and
asks for the date of access, which only the reader knows. Pure: returns text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from markupsafe import Markup, escape

from generator.config import Publisher
from generator.model import compute, urls
from generator.model.dataset import RELEASES, Indicator, IndicatorSet
from generator.outputs import figures
from generator.render import fragments, glossary

DATA_FILE = "data.csv"
CHART_DATA_FILE = "chart-data.csv"
BIBTEX_FILE = "cite.bib"
CSL_FILE = "cite.json"
SOURCE_COLUMNS = ("source", "dataset", "licence", "page")  # what the indicator's CSV adds to the rows of figures


class Site(Protocol):
    """What these sections need of the site (the pages' ``SiteData``)."""

    @property
    def updated(self) -> datetime: ...
    @property
    def site_url(self) -> str: ...
    @property
    def site_name(self) -> str: ...
    @property
    def publisher(self) -> Publisher: ...
    @property
    def currency(self) -> compute.Currency: ...


def indicator_file(indicator_id: str, name: str) -> str:
    """The docs path of one of an indicator's files: ``indicators/<id>/<name>``."""
    return f"indicators/{indicator_id}/{name}"


@dataclass(frozen=True)
class Citation:
    """What a citation of one indicator says."""

    key: str  # the BibTeX key and CSL id: package, indicator and version
    title: str
    publisher: str  # empty when neither the site nor the package names one
    dataset: str  # the package's title
    version: str  # the package's version; empty when it states none
    released: date  # the date of that release (else of the data's last change)
    site_name: str
    url: str  # the indicator page's stable address

    def text(self) -> str:
        """``Publisher (2026). Title [Data set]. Dataset, version 1.0.0 (released 24 November 2026). Site. URL``."""
        edition = f", version {self.version}" if self.version else ""
        released = f" (released {compute.long_date(self.released)})"
        where = f" {self.site_name}." if self.site_name else ""
        body = f"{self.title} [Data set]. {self.dataset}{edition}{released}.{where} {self.url}"
        return f"{self.publisher} ({self.released.year}). {body}" if self.publisher else f"{body} ({self.released.year})"

    def bibtex(self) -> str:
        """The citation as a BibTeX ``@misc`` entry (BibTeX has no data-set type; biblatex reads
        ``@misc`` too). Text is escaped for LaTeX; the date of access is left to the reader."""
        fields = [
            *([("author", "{" + _latex(self.publisher) + "}"), ("publisher", _latex(self.publisher))] if self.publisher else []),
            ("title", "{" + _latex(self.title) + "}"),
            ("howpublished", _latex(f"Data set: {self.dataset}" + (f", version {self.version}" if self.version else ""))),
            ("year", str(self.released.year)),
            ("month", compute.MONTHS[self.released.month - 1][:3].lower()),
            *([("version", _latex(self.version))] if self.version else []),
            ("url", self.url),
            ("note", "Add the date you accessed it as urldate"),
        ]
        width = max(len(name) for name, _ in fields)
        body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def csl(self) -> list[dict[str, Any]]:
        """The citation as CSL-JSON (a list of one item of type ``dataset``), with only the
        variables of the CSL data schema; add ``accessed`` when you use it."""
        item: dict[str, Any] = {"id": self.key, "type": "dataset", "title": self.title}
        if self.publisher:
            item["author"] = [{"literal": self.publisher}]
            item["publisher"] = self.publisher
        item["container-title"] = self.dataset
        if self.version:
            item["version"] = self.version
        item["issued"] = {"date-parts": [[self.released.year, self.released.month, self.released.day]]}
        item["URL"] = self.url
        item["medium"] = "Data set"
        return [item]

    def csl_json(self) -> str:
        return json.dumps(self.csl(), indent=2, ensure_ascii=False) + "\n"


def citation(data: IndicatorSet, indicator: Indicator, site: Site) -> Citation:
    """The citation of an indicator on ``site`` (the pages' ``SiteData``)."""
    dataset = data.dataset
    version = str(dataset.descriptor.get("version") or "")
    released = site.updated.date()
    if dataset.has_table(RELEASES):
        dates = [r["date"] for r in dataset.table(RELEASES).rows if str(r.get("version")) == version and isinstance(r.get("date"), date)]
        released = max(dates, default=released)
    key = re.sub(r"[^A-Za-z0-9_.:-]+", "-", f"{dataset.name}:{indicator.id}" + (f":{version}" if version else ""))
    return Citation(
        key=key,
        title=indicator.title,
        publisher=site.publisher.name or dataset.publisher,
        dataset=dataset.title,
        version=version,
        released=released,
        site_name=site.site_name,
        url=site.site_url + urls.url_of(urls.indicator_page(indicator.id)),
    )


_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _latex(text: str) -> str:
    """Text as a BibTeX value holds it: LaTeX's special characters escaped, on one line."""
    return "".join(_LATEX.get(c, c) for c in " ".join(text.split()))


def indicator_csv(data: IndicatorSet, indicator: Indicator, site: Site) -> str:
    """The indicator's rows of figures (the rows its page's table shows), each with the
    indicator's source, its package, the licence and the page's address."""
    rows = figures.indicator_rows(data, indicator, site.currency)
    dataset = data.dataset
    extra = {
        "source": indicator.source,
        "dataset": dataset.title,
        "licence": dataset.licence.title if dataset.licence else "",
        "page": site.site_url + urls.url_of(urls.indicator_page(indicator.id)),
    }
    names = [name for name, _, _ in figures.FIELDS] + list(SOURCE_COLUMNS)
    return figures.rows_csv([{**row, **extra} for row in rows], names).decode("utf-8")


def chart_rows(figure: Mapping[str, Any]) -> list[tuple[str, float, str]]:
    """What the chart draws, read from its figure: each mark's category, value and label."""
    found = []
    for trace in figure.get("data", []):
        across = trace.get("orientation") == "h"
        # horizontal bars wrap their axis labels: customdata has them whole
        categories = (trace.get("customdata") or trace.get("y")) if across else trace.get("x")
        values = trace.get("x") if across else trace.get("y")
        texts = trace.get("text") or [""] * len(values or [])
        found += list(zip([str(c) for c in categories or []], values or [], texts, strict=True))
    return found


def chart_csv(figure: Mapping[str, Any], category: str, unit: str) -> str:
    """The chart's own data as CSV: a row per mark, with the label the chart prints on it."""
    rows = [{category: c, "value": figures.tidy_number(v), "label_on_chart": t, "unit": unit} for c, v, t in chart_rows(figure)]
    return figures.rows_csv(rows, [category, "value", "label_on_chart", "unit"]).decode("utf-8")


def indicator_files(data: IndicatorSet, indicator: Indicator, site: Site, figure: Mapping[str, Any] | None) -> dict[str, str]:
    """The files beside an indicator's page: its data, its chart's data (when it has a chart) and its citation."""
    cite = citation(data, indicator, site)
    found = {
        indicator_file(indicator.id, DATA_FILE): indicator_csv(data, indicator, site),
        indicator_file(indicator.id, BIBTEX_FILE): cite.bibtex(),
        indicator_file(indicator.id, CSL_FILE): cite.csl_json(),
    }
    if figure is not None:
        found[indicator_file(indicator.id, CHART_DATA_FILE)] = chart_csv(figure, "period", indicator.unit)
    return found


def _code(text: str, label: str) -> Markup:
    """A block of code to copy, on one line of HTML (its line breaks as character references)."""
    lines = Markup("&#10;").join(escape(line) for line in text.rstrip("\n").split("\n"))
    return Markup('<pre class="citation__code" aria-label="{}" tabindex="0"><code>{}</code></pre>').format(label, lines)


def sections(data: IndicatorSet, indicator: Indicator, site: Site, doc: str, has_chart: bool) -> dict[str, Markup]:
    """The two sections' finished HTML: ``downloads`` (this indicator's data) and ``citation``."""
    rows = len(figures.indicator_rows(data, indicator, site.currency))
    items = [
        Markup("<li>{} ({} {}, with the notes and the source)</li>").format(
            fragments.link(urls.relative(doc, indicator_file(indicator.id, DATA_FILE)), "This indicator's figures (CSV)"), rows, "row" if rows == 1 else "rows"
        )
    ]
    everything = urls.dataset_page(figures.PACKAGE)
    items.append(Markup("<li>{}</li>").format(fragments.link(urls.relative(doc, everything), "Every indicator's figures in one table (CSV, JSON or XLSX)")))
    downloads = Markup('<ul class="indicator-downloads">{}</ul>').format(Markup("").join(items))
    cite = citation(data, indicator, site)
    text = Markup('<p class="citation__text" {}>{}</p>').format(Markup(glossary.OFF), fragments.text(cite.text()))
    accessed = Markup(
        "<p>Add the date you accessed the figures at the end, as <em>(accessed</em> and the date<em>)</em>. Figures can be "
        "revised in a later release: the version and the date say which figures you used.</p>"
    )
    forms = Markup("").join(
        Markup('<details class="citation__form" {}><summary>{}</summary>{}<p>{}</p></details>').format(
            Markup(glossary.OFF), summary, _code(code, summary), fragments.link(urls.relative(doc, indicator_file(indicator.id, name)), f"Download {name}")
        )
        for summary, code, name in (
            ("BibTeX", cite.bibtex(), BIBTEX_FILE),
            ("Citation Style Language JSON, for Zotero, Mendeley or Pandoc", cite.csl_json(), CSL_FILE),
        )
    )
    return {"downloads": downloads, "citation": text + accessed + forms}
