"""Markdown for every generated page, and the data helpers of hand-written pages. Pure: returns text.

Generated pages come from ``templates/``; hand-written pages in ``site_src/`` are Jinja
templates too, with the helpers of ``PageHelpers`` (``dashboard``, ``indicator_table``,
``table``, ``bar_chart``, ``rows``...). In both, every ``{{ value }}`` from data is escaped.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from generator import catalogue, charts, compute, fragments, identity, prerendered, releases, urls
from generator.compute import Assessment
from generator.config import Publisher
from generator.downloads import FileFacts
from generator.model import FOREIGN_PACKAGE_KEYS, LICENCE_NOT_STATED, Contributor, Dataset, Indicator, IndicatorSet, Priority, Source, Table, is_web_address
from generator.problems import Severity
from generator.rules import RULES

PREVIEW_ROWS = 20
POLARITY_WORDS = {"lower-is-better": "Lower is better", "higher-is-better": "Higher is better"}
UNIT_WORDS = {"count": "Count", "percent": "Percentage", "currency": "Pounds sterling"}


def _finalize(value: Any) -> Any:
    return fragments.text(value)


def front_matter_text(value: object) -> Markup:
    """A front-matter string (page title, description): one line, quoted, and HTML-escaped,
    because the theme prints these into ``<title>``, ``<meta>`` and the header unescaped."""
    return Markup(json.dumps(str(escape(" ".join(str(value).split()))), ensure_ascii=False))


def make_environment(template_dir: Path | None = None) -> Environment:
    """A Jinja environment in which every printed value from data is inert text."""
    env = Environment(
        loader=FileSystemLoader(template_dir or Path(__file__).parent / "templates"),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
    )
    env.filters["yaml"] = front_matter_text
    env.filters["block"] = prerendered.block
    env.filters["jsonld"] = lambda value: Markup(json.dumps(json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")))
    env.filters["lower"] = lambda value: str(value).lower()
    env.filters["month_name"] = lambda month: calendar.month_name[int(month)]
    return env


@dataclass(frozen=True)
class SiteData:
    """Everything the pages are made from."""

    datasets: tuple[Dataset, ...]
    indicator_sets: tuple[IndicatorSet, ...]
    updated: datetime
    files: Mapping[str, FileFacts] = field(default_factory=dict)  # every download, by docs path
    file_dates: Mapping[Path, datetime] = field(default_factory=dict)  # when each CSV last changed
    site_url: str = "http://127.0.0.1:8000/"
    site_name: str = ""
    publisher: Publisher = field(default_factory=Publisher)  # who publishes the site (extra: publisher)

    def dataset(self, name: str) -> Dataset:
        for dataset in self.datasets:
            if dataset.name == name:
                return dataset
        raise KeyError(f"no dataset named {name!r}; there are: {', '.join(d.name for d in self.datasets)}")

    def indicator_set(self, name: str) -> IndicatorSet:
        for data in self.indicator_sets:
            if data.dataset.name == name:
                return data
        raise KeyError(f"no indicator dataset named {name!r}")


def render_pages(site: SiteData) -> dict[str, str]:
    """Every generated page, keyed by its path in the docs folder."""
    env = make_environment()
    pages: dict[str, str] = {"data/index.md": env.get_template("data_index.md.j2").render(catalogue=_catalogue(site))}
    for dataset in site.datasets:
        pages[urls.dataset_page(dataset.name)] = render_dataset(env, dataset, site)
    for data in site.indicator_sets:
        pages.update(render_indicator_pages(env, site, data))
    pages[urls.RELEASES_PAGE] = render_releases(env, site)
    return pages


def render_releases(env: Environment, site: SiteData) -> str:
    """The release log of every dataset, newest first, with each release's data."""
    doc = urls.RELEASES_PAGE
    found = releases.releases_of(site.datasets)
    rows = [
        (
            f"{r.date:%-d %B %Y}",
            fragments.link(urls.relative(doc, urls.dataset_page(r.package)), r.package_title),
            r.version,
            releases.TYPE_WORDS.get(r.type, r.type),
            r.summary,
            r.reason,
            fragments.link(urls.relative(doc, r.archive), f"{r.package}-{r.version}.zip") if r.archive in site.files else "Not kept",
        )
        for r in found
    ]
    headers = ["Date", "Dataset", "Version", "Type", "What changed", "Why", "Data"]
    table = fragments.table("Release log", headers, rows, css_class="releases") if rows else None
    next_dates = {title: f"{day:%-d %B %Y}" for title, day in releases.next_releases(found).items()}
    return env.get_template("releases.md.j2").render(table=table, next=next_dates)


def render_indicator_pages(env: Environment, site: SiteData, data: IndicatorSet) -> dict[str, str]:
    """The indicator, priority and index pages of one indicator-profile dataset."""
    helpers = PageHelpers(site, "indicators/index.md")
    pages = {
        "indicators/index.md": env.get_template("indicators_index.md.j2").render(
            title=data.dataset.title,
            description=data.dataset.description,
            dashboard=helpers.dashboard(data.dataset.name),
            tables=helpers.indicator_table(data.dataset.name),
            dataset_md=urls.markdown_link("indicators/index.md", urls.dataset_page(data.dataset.name)),
        ),
        "priorities/index.md": env.get_template("priorities_index.md.j2").render(
            description=f"The priorities that the indicators of {data.dataset.title.lower()} are reported under.",
            priorities=[
                dict(title=p.title, md=urls.markdown_link("priorities/index.md", urls.priority_page(p.id)), count=len(data.indicators_for(p.id)))
                for p in data.priorities
            ],
        ),
    }
    for indicator in data.indicators:
        pages[urls.indicator_page(indicator.id)] = render_indicator(env, data, indicator)
    for priority in data.priorities:
        pages[urls.priority_page(priority.id)] = render_priority(env, site, data, priority)
    return pages


def render_indicator(env: Environment, data: IndicatorSet, indicator: Indicator) -> str:
    """One indicator: status, sentence, chart with table, definition, periods, data links."""
    doc = urls.indicator_page(indicator.id)
    assessment = compute.latest(data, indicator)
    series = data.series(indicator.id)
    sentence = compute.sentence(assessment) if assessment else f"{indicator.title}: no figures have been published yet."
    package = data.dataset.name
    csv = urls.resource_csv(package, "observations")
    labels = [p.label for p, _ in series]
    values = [v for _, v in series]
    texts = [compute.format_value(v, indicator.unit) for v in values]
    table = fragments.table(f"{indicator.title}: figures by period", ["Period", "Value"], list(zip(labels, texts, strict=True)), numeric=[1])
    figure = charts.build("trend", labels, values, texts, UNIT_WORDS.get(indicator.unit, indicator.unit))
    chart = fragments.chart(f"chart-{indicator.id}", figure, sentence, table, urls.relative(doc, csv)) if series else Markup("")
    priority = next(p for p in data.priorities if p.id == indicator.priority_id)
    return env.get_template("indicator.md.j2").render(
        indicator=indicator,
        sentence=sentence,
        badge=fragments.status_badge(assessment.status if assessment else None, _basis_note(assessment)),
        chart=chart,
        comparison=_comparison_table(assessment) if assessment else Markup(""),
        about=_definition_list(
            [
                ("Definition", indicator.definition or "The source does not define this indicator beyond its title."),
                ("Priority", fragments.link(urls.relative(doc, urls.priority_page(priority.id)), priority.title)),
                ("Unit", UNIT_WORDS.get(indicator.unit, indicator.unit)),
                ("Which way is better", POLARITY_WORDS.get(indicator.polarity, indicator.polarity)),
                ("Source", indicator.source),
                ("Notes", indicator.notes or "None."),
            ]
        ),
        periods=_periods_table(data, [p for p, _ in series]),
        observations_csv=urls.markdown_link(doc, csv),
        indicators_csv=urls.markdown_link(doc, urls.resource_csv(package, "indicators")),
        dataset_md=urls.markdown_link(doc, urls.dataset_page(package)),
    )


def _basis_note(assessment: Assessment | None) -> str:
    if assessment is None or assessment.status_basis != "published":
        return ""
    return "as published; there is no earlier figure to compare with"


def _comparison_table(a: Assessment) -> Markup:
    unit = a.indicator.unit
    rows: list[tuple[object, object]] = [(a.period.label, compute.format_value(a.value, unit))]
    if a.comparison is not None:
        previous = "Not published" if a.previous is None else compute.format_value(a.previous, unit)
        rows.append((a.comparison.label, previous))
    if a.change is not None:
        change = compute.format_number(round(a.change, 2))
        rows.append(("Change", f"{'+' if a.change > 0 else ''}{change}{' percentage points' if unit == 'percent' else ''}"))
    if a.percent_change is not None:
        rows.append(("% change (worked out from the figures)", f"{a.percent_change:+.2f}%"))
    if a.published is not None:
        rows.append(("% change as published", f"{a.published.change_text}%" if a.published.change_text else "Not published"))
        rows.append(("Direction of travel as published", a.published.status_label))
    rows.append(("Status shown", f"{a.status.label} ({a.status_basis})" if a.status else "None"))
    return fragments.table(f"{a.indicator.title}: comparison", ["Measure", "Value"], rows, numeric=[1])


def _definition_list(items: Sequence[tuple[str, object]]) -> Markup:
    """Terms and their descriptions; a list value gives the term one description per item."""
    body = Markup(" ").join(
        Markup("<dt>{}</dt> {}").format(fragments.text(k), Markup(" ").join(Markup("<dd>{}</dd>").format(fragments.text(d)) for d in v))
        if isinstance(v, list)
        else Markup("<dt>{}</dt> <dd>{}</dd>").format(fragments.text(k), fragments.text(v))
        for k, v in items
    )
    return Markup('<dl class="facts">{}</dl>').format(body)


def _periods_table(data: IndicatorSet, periods: Sequence[Any]) -> Markup:
    rows = []
    for period in periods:
        if period.dates_stated and period.start_date and period.end_date:
            dates = f"{period.start_date:%-d %B %Y} to {period.end_date:%-d %B %Y}"
        else:
            dates = "Not stated in the source"
        compared = data.period(period.compared_with).label if period.compared_with else "Not compared"
        rows.append((period.label, dates, compared, period.notes or ""))
    return fragments.table("Periods", ["Period", "Dates", "Compared with", "Notes"], rows)


def render_priority(env: Environment, site: SiteData, data: IndicatorSet, priority: Priority) -> str:
    """One priority: its indicators, then every row of any dataset that links to it."""
    doc = urls.priority_page(priority.id)
    helpers = PageHelpers(site, doc)
    count = len(data.indicators_for(priority.id))
    return env.get_template("priority.md.j2").render(
        priority=priority,
        description=f"{count} indicator{'s' if count != 1 else ''} reported under this priority, and the work linked to it.",
        indicators=helpers.indicator_table(data.dataset.name, priority_id=priority.id),
        linked=_linked_sections(site, data, priority, doc),
    )


def _linked_sections(site: SiteData, data: IndicatorSet, priority: Priority, doc: str) -> list[dict[str, object]]:
    sections: list[dict[str, object]] = []
    for dataset in site.datasets:
        for resource in dataset.descriptor["resources"]:
            for key in (resource.get("schema") or {}).get(FOREIGN_PACKAGE_KEYS, []):
                ref = key["reference"]
                if (ref["package"], ref["resource"]) != (data.dataset.name, "priorities"):
                    continue
                table = dataset.table(resource["name"])
                field = key["fields"][0]
                rows = [r for r in table.rows if r.get(field) == priority.id]
                if rows:
                    sections.append(
                        dict(
                            title=table.title,
                            table=_rows_table(table, rows, hide={field, *table.primary_key, "sequence"}),
                            csv=urls.markdown_link(doc, urls.resource_csv(dataset.name, table.name)),
                        )
                    )
    return sections


def _rows_table(table: Table, rows: Sequence[Mapping[str, Any]], hide: set[str] = frozenset()) -> Markup:  # type: ignore[assignment]
    fields = [f for f in table.fields if f.name not in hide]
    body = [[_cell(row.get(f.name)) for f in fields] for row in rows]
    return fragments.table(
        table.title,
        [f.title or f.name.replace("_", " ").capitalize() for f in fields],
        body,
        row_headers=False,
        numeric=[i for i, f in enumerate(fields) if f.type in ("number", "integer")],
    )


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return compute.format_number(value)
    return value


def _catalogue(site: SiteData) -> Markup:
    rows = []
    for dataset in site.datasets:
        count = len(dataset.tables)
        title = fragments.link(urls.relative("data/index.md", urls.dataset_page(dataset.name)), dataset.title)
        rows.append((title, dataset.description, f"{count} table{'s' if count != 1 else ''}", dataset.licence.title if dataset.licence else LICENCE_NOT_STATED))
    return fragments.table("Datasets", ["Dataset", "Description", "Tables", "Licence"], rows, row_headers=False)


def render_dataset(env: Environment, dataset: Dataset, site: SiteData) -> str:
    """One dataset: description, licence, citation, every download with its size, rows,
    SHA-256 and date, and per table a data dictionary and a preview."""
    doc = urls.dataset_page(dataset.name)
    facts: list[tuple[str, object]] = [("Publisher", catalogue.publisher(dataset))] if catalogue.publisher(dataset) else []
    facts.append(("Licence", _licence(dataset)))
    if dataset.sources:
        facts.append(("Source" if len(dataset.sources) == 1 else "Sources", [_source(s) for s in dataset.sources]))
    if dataset.contributors:
        facts.append(("Contributor" if len(dataset.contributors) == 1 else "Contributors", [_contributor(c) for c in dataset.contributors]))
    facts += [
        ("Version", dataset.descriptor.get("version") or "Not stated"),
        ("Last updated", f"{site.updated:%-d %B %Y}"),
        ("Tables", str(len(dataset.tables))),
        ("Identifier", catalogue.absolute(site.site_url, doc)),
    ]
    summary = _definition_list(facts)
    resources = []
    for table in dataset.tables:
        dictionary = fragments.table(
            f"{table.title}: data dictionary",
            ["Field", "Type", "Required", "Description"],
            [
                (f.name, f.type, "Yes" if f.required or f.name in table.primary_key else "No", _field_description(f.description, f.constraints))
                for f in table.fields
            ],
        )
        shown = table.rows[:PREVIEW_ROWS]
        caption = f"{table.title}: {'first ' + str(len(shown)) + ' of ' if len(shown) < len(table.rows) else 'all '}{len(table.rows):,} rows"
        preview = fragments.table(
            caption,
            [f.name for f in table.fields],
            [[_cell(r.get(f.name)) for f in table.fields] for r in shown],
            row_headers=False,
            numeric=[i for i, f in enumerate(table.fields) if f.type in ("number", "integer")],
        )
        resources.append(dict(title=table.title, description=table.description, dictionary=dictionary, preview=preview, inferred=table.inferred))
    return env.get_template("dataset.md.j2").render(
        dataset=dataset,
        summary=summary,
        downloads=_downloads_table(dataset, site, doc),
        package_zip=urls.markdown_link(doc, urls.package_zip(dataset.name)),
        citation=catalogue.citation(dataset, site.site_url, site.site_name, site.updated),
        attribution=catalogue.attribution(dataset),
        licence=dataset.licence,
        jsonld=catalogue.schema_org(dataset, site.files, site.site_url, site.updated) if site.files else None,
        resources=resources,
    )


def _web_link(path: str, label: str) -> Markup:
    """``label`` linked to ``path`` when it is an http(s) address taken from a descriptor, else as text."""
    return fragments.link(path, label) if is_web_address(path) else fragments.text(label)


def _licence(dataset: Dataset) -> Markup:
    """The licence, linked to its text when the descriptor (v1 ``url``, v2 ``path``) or the site gives its address."""
    if dataset.licence is None:
        return fragments.text(LICENCE_NOT_STATED)
    shown = _web_link(dataset.licence.path, dataset.licence.title)
    return Markup("{} (the site's default licence: the package names none)").format(shown) if dataset.licence.site_default else shown


def _source(source: Source) -> Markup:
    """A source's title, linked to its address when it has one; an address that is not a web
    address is shown as text beside the title."""
    if is_web_address(source.path):
        return fragments.link(source.path, source.title or source.path)
    return fragments.text(f"{source.title} ({source.path})" if source.title and source.path else source.title or source.path)


def _contributor(contributor: Contributor) -> Markup:
    """A contributor's name (linked when the descriptor gives a web address), organisation and roles."""
    name = _web_link(contributor.path, contributor.name)
    organization = Markup(", {}").format(fragments.text(contributor.organization)) if contributor.organization else Markup("")
    roles = Markup(" ({})").format(fragments.text(", ".join(contributor.roles))) if contributor.roles else Markup("")
    return name + organization + roles


def _downloads_table(dataset: Dataset, site: SiteData, doc: str) -> Markup:
    """Every file of the dataset: what it holds, its size, rows, date and SHA-256."""
    rows = []
    package_files = [
        (urls.package_zip(dataset.name), "All tables (zip)", "", site.updated),
        (urls.package_descriptor(dataset.name), "Descriptor", "", site.updated),
    ]
    table_files = [
        (urls.resource_download(dataset.name, t.name, ext), t.title, f"{len(t.rows):,}", site.file_dates.get(t.file, site.updated))
        for t in dataset.tables
        for ext in urls.DOWNLOAD_FORMATS
    ]
    for path, holds, count, changed in package_files + table_files:
        fact = site.files.get(path)
        size, digest = (_size(fact.bytes), Markup("<code>{}</code>").format(fact.sha256)) if fact else ("", "")
        rows.append((fragments.link(urls.relative(doc, path), path.rsplit("/", 1)[-1]), holds, count, size, f"{changed:%-d %B %Y}", digest))
    return fragments.table("Downloads", ["File", "Holds", "Rows", "Size", "Last updated", "SHA-256"], rows, numeric=[2, 3], css_class="downloads")


def _size(count: int) -> str:
    return f"{count:,} bytes" if count < 1024 else f"{count / 1024:,.1f} KB" if count < 1024 * 1024 else f"{count / 1024 / 1024:,.1f} MB"


def _field_description(description: str, constraints: Mapping[str, Any]) -> str:
    allowed = constraints.get("enum")
    return f"{description} Allowed values: {', '.join(map(str, allowed))}." if allowed else description


class PageHelpers:
    """Data helpers for the page at ``doc`` (a path in the docs folder); links are relative to it."""

    def __init__(self, site: SiteData, doc: str) -> None:
        self.site = site
        self.doc = doc

    def url(self, doc_path: str) -> Markup:
        """A link for raw HTML from this page to another docs file."""
        return urls.relative(self.doc, doc_path)

    def link(self, doc_path: str) -> Markup:
        """A Markdown link target from this page to another docs file (checked by MkDocs)."""
        return urls.markdown_link(self.doc, doc_path)

    def rows(self, package: str, resource: str) -> tuple[Mapping[str, Any], ...]:
        """The typed rows of a resource, in file order."""
        return self.site.dataset(package).table(resource).rows

    def dashboard(self, package: str) -> Markup:
        """How many indicators show each status, as symbols and words."""
        data = self.site.indicator_set(package)
        assessments = compute.latest_all(data)
        counts = compute.status_counts(assessments)
        items = Markup("").join(
            Markup('<li class="dashboard__item dashboard__item--{}"><span class="dashboard__count">{}</span> {}</li>').format(
                s.id, counts.get(s.id, 0), fragments.status_badge(s)
            )
            for s in data.statuses
        )
        total = len(assessments)
        return Markup('<div class="dashboard"><p class="dashboard__lead">Status of the {} indicators:</p><ul class="dashboard__list">{}</ul></div>').format(
            total, items
        )

    def indicator_table(self, package: str, priority_id: str | None = None) -> Markup:
        """Indicators grouped by priority: latest figure, comparison, change and status."""
        data = self.site.indicator_set(package)
        tables = []
        for priority in data.priorities:
            if priority_id and priority.id != priority_id:
                continue
            rows = []
            for indicator in data.indicators_for(priority.id):
                a = compute.latest(data, indicator)
                title = fragments.link(self.url(urls.indicator_page(indicator.id)), indicator.title)
                if a is None:
                    rows.append((title, fragments.status_badge(None), "No data", "", ""))
                    continue
                previous = compute.format_value(a.previous, indicator.unit) if a.previous is not None else "Not published"
                change = f"{a.percent_change:+.1f}%" if a.percent_change is not None else "No comparison"
                badge = fragments.status_badge(a.status, "as published" if a.status_basis == "published" else "")
                rows.append((title, badge, compute.format_value(a.value, indicator.unit), previous, change))
            period, compared = self._period_words(data)
            tables.append(
                # Status comes second, so that on a phone it is seen without scrolling the table.
                fragments.table(priority.title, ["Indicator", "Status", period, compared, "% change"], rows, numeric=[2, 3, 4], css_class="indicator-table")
            )
        return Markup("\n\n").join(tables)

    @staticmethod
    def _period_words(data: IndicatorSet) -> tuple[str, str]:
        latest = data.periods[-1]
        compared = data.period(latest.compared_with).label if latest.compared_with else "Previous"
        return latest.label, compared

    def table(self, package: str, resource: str, columns: Sequence[str] | None = None, caption: str | None = None) -> Markup:
        """A resource (or some of its columns) as an accessible table."""
        table = self.site.dataset(package).table(resource)
        hide = {f.name for f in table.fields if columns is not None and f.name not in columns}
        shown = Table(
            table.name,
            caption or table.title,
            table.description,
            table.path,
            table.file,
            tuple(f for f in table.fields if f.name not in hide),
            table.primary_key,
            table.rows,
        )
        return _rows_table(shown, table.rows)

    def bar_chart(self, package: str, resource: str, label: str, value: str, caption: str, y_title: str, unit: str = "count") -> Markup:
        """A bar chart of one resource, with its table and a link to its CSV."""
        table = self.site.dataset(package).table(resource)
        labels = [str(r[label]) for r in table.rows]
        values = [float(r[value]) for r in table.rows]
        texts = [compute.format_value(v, unit) for v in values]
        data_table = fragments.table(caption, [label.replace("_", " ").capitalize(), y_title], list(zip(labels, texts, strict=True)), numeric=[1])
        figure = charts.build("bar", labels, values, texts, y_title)
        return fragments.chart(f"chart-{resource}", figure, caption, data_table, self.url(urls.resource_csv(package, resource)))

    @staticmethod
    def validation_rules() -> Markup:
        """Every check made before publishing (the registry in ``generator/rules.py``), whether a
        breach stops the build, and what to do about one."""
        effect = {Severity.ERROR: "Stops the build", Severity.WARNING: "Warning (stops the build in strict mode)"}
        rows = [(rule.code, rule.checks, effect[rule.severity], rule.fix) for rule in RULES]
        return fragments.table("Checks made before anything is published", ["Problem code", "What is checked", "If it fails", "What to do"], rows)

    def csv(self, package: str, resource: str) -> Markup:
        """The Markdown link target of a resource's CSV download; ``KeyError`` if there is no such resource."""
        self.site.dataset(package).table(resource)
        return self.link(urls.resource_csv(package, resource))

    @property
    def updated(self) -> str:
        """When the data was last updated, as a date a person reads."""
        return f"{self.site.updated:%-d %B %Y}"


def render_source_page(source: str, doc: str, site: SiteData) -> str:
    """A hand-written page rendered as a template with the data helpers."""
    env = make_environment()
    helpers = PageHelpers(site, doc)
    template = env.from_string(source)
    return template.render(
        site=helpers,
        **{name: getattr(helpers, name) for name in ("rows", "dashboard", "indicator_table", "table", "bar_chart", "csv", "url", "link", "validation_rules")},
        updated=helpers.updated,
        format_number=compute.format_number,
        publisher=site.publisher,
        contact_routes=lambda: identity.contact_routes(site.publisher.contact),
    )
