"""Markdown for every generated page, and the data helpers of hand-written pages. Pure: returns text.

Generated pages come from ``templates/``; hand-written pages in ``site_src/`` are Jinja
templates too, with the helpers of ``PageHelpers`` (``dashboard``, ``indicator_table``,
``table``, ``bar_chart``, ``rows``...). In both, every ``{{ value }}`` from data is escaped.
"""

from __future__ import annotations

import calendar
import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown.extensions.toc import slugify
from markupsafe import Markup, escape

from generator.config import Publisher
from generator.inputs.embargo import Announced
from generator.model import compute, urls
from generator.model.compute import Assessment
from generator.model.dataset import (
    LICENCE_NOT_STATED,
    Contributor,
    Dataset,
    FileFacts,
    Indicator,
    IndicatorSet,
    Priority,
    Source,
    Table,
    foreign_package_keys,
    is_web_address,
)
from generator.outputs import catalogue, releases, revisions
from generator.outputs.registry import Outputs
from generator.problems.records import Severity
from generator.problems.rules import RULES
from generator.render import charts, embed, fragments, glossary, identity, prerendered, reuse, schedule
from generator.render import revisions as revision_html

PREVIEW_ROWS = 20
POLARITY_WORDS = {"lower-is-better": "Lower is better", "higher-is-better": "Higher is better"}
NOT_AVAILABLE = "Not available"
PER_YEAR_WORDS = " a year"


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
    currency: compute.Currency = field(default_factory=compute.Currency)  # what "currency" values are in (extra: currency)
    announced: tuple[Announced, ...] = ()  # every release the packages' logs announce, oldest first (the calendar)
    now: datetime | None = None  # the moment the site is published for; None: every announced release has come
    release_changes: revisions.ReleaseChanges = field(default_factory=dict)  # what each release changed, by (package, version)

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


def render_pages(site: SiteData) -> Outputs[str]:
    """Every generated page, keyed by its path in the docs folder; a path made twice (two
    indicator packages, each with an index of indicators) is a conflict of the registry."""
    env = make_environment()
    pages: Outputs[str] = Outputs()
    everything = site.datasets[0].folder.parent if site.datasets else Path()
    pages.add("data/index.md", env.get_template("data_index.md.j2").render(catalogue=_catalogue(site)), "the index of datasets", everything)
    for dataset in site.datasets:
        pages.add(urls.dataset_page(dataset.name), render_dataset(env, dataset, site), f"the page of the package {dataset.name!r}", _descriptor(dataset))
    for data in site.indicator_sets:
        for path, page in render_indicator_pages(env, site, data).items():
            pages.add(path, page, f"the indicator pages of the package {data.dataset.name!r}", _descriptor(data.dataset))
    pages.add(urls.RELEASES_PAGE, render_releases(env, site), "the release log", everything)
    published = frozenset(d.name for d in site.datasets)
    calendar_page = schedule.calendar_page(site.announced, site.now or datetime.max.replace(tzinfo=UTC), published)
    pages.add(urls.RELEASE_CALENDAR_PAGE, calendar_page, "the release calendar", everything)
    pages.add(urls.GLOSSARY_PAGE, render_glossary(env, site), "the glossary", everything)
    return pages


def _descriptor(dataset: Dataset) -> Path:
    return dataset.folder / "datapackage.json"


def render_glossary(env: Environment, site: SiteData) -> str:
    """Every term of every package's glossary as a list a phone shows without scrolling
    sideways: the term (marked up as an abbreviation, with an anchor), what it stands for, what
    it means, and its link when the glossary gives a web address."""
    items = []
    for term in glossary.terms_of(site.datasets):
        shown = glossary.abbr(term) if term.is_abbreviation else fragments.text(term.term)
        stands_for = Markup("<strong>{}</strong>. ").format(fragments.text(term.expansion)) if term.is_abbreviation else Markup("")
        more = Markup(" ") + fragments.link(term.link, f"More about {term.term}") if is_web_address(term.link) else Markup("")
        meaning = fragments.text(term.definition) + more
        items.append(Markup('<dt id="term-{}">{}</dt> <dd>{}{}</dd>').format(slugify(term.term, "-"), shown, stands_for, meaning))
    terms = Markup('<dl class="glossary">{}</dl>').format(Markup(" ").join(items)) if items else None
    return env.get_template("glossary.md.j2").render(terms=terms)


def render_releases(env: Environment, site: SiteData) -> str:
    """The release log of every dataset, newest first, with each release's data."""
    doc = urls.RELEASES_PAGE
    found = releases.releases_of(site.datasets)
    rows = [
        (
            Markup('<span id="{}">{}</span>').format(r.anchor, compute.long_date(r.date)),  # the anchor the release's feed entry links to
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
    table = fragments.table("Every release, newest first", headers, rows, css_class=f"releases {fragments.CARDS}") if rows else None
    next_dates = {title: compute.long_date(day) for title, day in releases.next_releases(found).items()}
    coming = schedule.upcoming(site.announced, site.now or datetime.max.replace(tzinfo=UTC))
    published = frozenset(d.name for d in site.datasets)
    announced = schedule.calendar_table("Releases to come, soonest first", coming, doc, published) if coming else None
    indicators = {i.id: i for data in site.indicator_sets for i in data.indicators}
    titles = {f"{d.name}/{t.name}": t.title for d in site.datasets for t in d.tables}
    changed = revision_html.releases_changes(doc, found, site.release_changes, indicators, titles, site.currency)
    return env.get_template("releases.md.j2").render(table=table, next=next_dates, announced=announced, feed=urls.DISCOVERED_FEED, changed=changed)


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
            description=f"The priorities that the indicators are reported under ({data.dataset.title}).",
            priorities=[
                dict(title=p.title, md=urls.markdown_link("priorities/index.md", urls.priority_page(p.id)), count=len(data.indicators_for(p.id)))
                for p in data.priorities
            ],
        ),
    }
    for indicator in data.indicators:
        pages[urls.indicator_page(indicator.id)] = render_indicator(env, data, indicator, site)
        drawn = indicator_chart(data, indicator, site.currency)
        pages.update(reuse.indicator_files(data, indicator, site, drawn.figure if drawn else None))
    for priority in data.priorities:
        pages[urls.priority_page(priority.id)] = render_priority(env, site, data, priority)
    return pages


def render_indicator(env: Environment, data: IndicatorSet, indicator: Indicator, site: SiteData) -> str:
    """One indicator: status, sentence, chart with table, definition, periods, data links, and
    what the partnership is doing about it (the work of any package linked to its priority)."""
    doc = urls.indicator_page(indicator.id)
    assessment = compute.latest(data, indicator)
    series = data.series(indicator.id)
    currency = site.currency
    sentence = headline(data, indicator, currency)
    package = data.dataset.name
    csv = urls.resource_csv(package, "observations")
    labels = [p.label for p, _ in series]
    texts = [compute.format_value(v, indicator.unit, currency) for _, v in series]
    history = revisions.indicator_releases(releases.releases_of([data.dataset]), site.release_changes, package, indicator.id)
    cells = revision_html.marked_revised(texts, [p.id for p, _ in series], history)
    table = fragments.table(f"{indicator.title}: figures by period", ["Period", "Value"], list(zip(labels, cells, strict=True)), numeric=[1])
    drawn = indicator_chart(data, indicator, currency)
    chart_data = urls.relative(doc, reuse.indicator_file(indicator.id, reuse.CHART_DATA_FILE))
    chart = fragments.chart(f"chart-{indicator.id}", drawn.figure, drawn.caption, table, chart_data) if drawn else Markup("")
    priority = next(p for p in data.priorities if p.id == indicator.priority_id)
    return env.get_template("indicator.md.j2").render(
        indicator=indicator,
        feed_url=urls.relative(doc, revisions.feed_path(indicator.id)),
        revisions_summary=revision_html.indicator_summary(history),
        revisions=revision_html.indicator_history(history, currency),
        sentence=sentence,
        badge=status_cell(assessment) if assessment else Markup('<span class="status status--none">Not available</span>'),
        chart=chart,
        comparison=_comparison_table(assessment, currency) if assessment else Markup(""),
        about=_definition_list(
            [
                ("Definition", indicator.definition or "The source does not define this indicator beyond its title."),
                ("Priority", fragments.link(urls.relative(doc, urls.priority_page(priority.id)), priority.title)),
                ("Unit", compute.unit_words(indicator.unit, currency)),
                ("Which way is better", POLARITY_WORDS.get(indicator.polarity, indicator.polarity)),
                *([("Title in the source", indicator.published_title)] if indicator.retitled else []),
                ("Source", indicator.source),
                ("Notes", indicator.notes or "None."),
            ]
        ),
        periods=_periods_table(data, [p for p, _ in series]),
        observations_csv=urls.markdown_link(doc, csv),
        indicators_csv=urls.markdown_link(doc, urls.resource_csv(package, "indicators")),
        dataset_md=urls.markdown_link(doc, urls.dataset_page(package)),
        priority=priority,
        priority_md=urls.markdown_link(doc, urls.priority_page(priority.id)),
        work=_priority_work(site, data, priority, doc),
        reuse=reuse.sections(data, indicator, site, doc, has_chart=bool(series)),
        **_use_and_share(data, indicator, site),
    )


def _use_and_share(data: IndicatorSet, indicator: Indicator, site: SiteData) -> dict[str, object]:
    """The indicator page's "Use and share this chart" section (its chart as SVG and PNG, the
    code to embed it) and the social card its front matter names for shared links."""
    drawn = indicator_chart(data, indicator, site.currency)
    doc = urls.indicator_page(indicator.id)
    return dict(
        share=embed.share_section(doc, indicator.id, indicator.title, site.site_url, drawn.figure) if drawn else None,
        social_image=catalogue.absolute(site.site_url, urls.social_card(indicator.id)),
        social_image_alt=headline(data, indicator, site.currency),  # the sentence names the indicator
    )


@dataclass(frozen=True)
class IndicatorChart:
    """An indicator's chart: the figure, its caption, and the table of the same figures."""

    figure: charts.Figure
    caption: str
    table: Markup


def indicator_chart(data: IndicatorSet, indicator: Indicator, currency: compute.Currency) -> IndicatorChart | None:
    """The chart of an indicator's figures, as its page draws it; ``None`` when it has none.
    (The images and embed page of the chart are made from this: see ``render/share.py``.)"""
    series = data.series(indicator.id)
    if not series:
        return None
    labels = [p.label for p, _ in series]
    values = [v for _, v in series]
    texts = [compute.format_value(v, indicator.unit, currency) for v in values]
    table = fragments.table(f"{indicator.title}: figures by period", ["Period", "Value"], list(zip(labels, texts, strict=True)), numeric=[1])
    figure = charts.build("trend", labels, values, texts, compute.unit_words(indicator.unit, currency))
    return IndicatorChart(figure, _chart_caption(indicator, series), table)


def headline(data: IndicatorSet, indicator: Indicator, currency: compute.Currency) -> str:
    """The indicator's headline sentence: its newest figure, or that there is none."""
    assessment = compute.latest(data, indicator)
    return compute.sentence(assessment, currency) if assessment else compute.missing_sentence(data, indicator)


def status_cell(a: Assessment) -> Markup:
    """The status of an assessment; without a comparison, "No comparison" and what the source printed."""
    if a.status is not None:
        return fragments.status_badge(a.status)
    if a.small_numbers:
        return Markup('<span class="status status--none">{}</span>').format(compute.SMALL_NUMBERS_WORDS)
    note = Markup(' <span class="status__note">({})</span>').format(compute.printed_note(a).rstrip(".")) if compute.printed_note(a) else Markup("")
    return Markup('<span class="status status--none">No comparison</span>{}').format(note)


def _chart_caption(indicator: Indicator, series: Sequence[tuple[Any, float]]) -> str:
    """What the chart shows and for which periods, in words (not the page's headline sentence)."""
    periods = [p for p, _ in series]
    if not any(p.dates_stated and p.start_date and p.end_date for p in periods):
        return f"Figures for each period published: {_and(p.label for p in periods)} (the source does not state which year or which dates)."
    return f"Figures for each period published: {_and(compute.period_words(p) for p in periods)}."


def _and(words: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(words)
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


def _comparison_table(a: Assessment, currency: compute.Currency) -> Markup:
    unit = a.indicator.unit
    rows: list[tuple[object, object]] = [(a.period.label, compute.format_value(a.value, unit, currency))]
    if a.comparison is not None:
        previous = "Not available" if a.previous is None else compute.format_value(a.previous, unit, currency)
        rows.append((a.comparison.label, previous))
    if a.change is not None:
        rows.append(("Change", compute.change_words(a, currency)))
    if a.published is not None:
        printed = ", ".join(x for x in (f"{a.published.change_text}%" if a.published.change_text else "", a.published.status_label) if x)
        rows.append(("The source printed", printed or "Nothing"))
    if a.small_numbers:
        rows.append(("Status", f"{compute.SMALL_NUMBERS_WORDS}. {compute.small_numbers_words(a)}"))
    else:
        rows.append(("Status", compute.status_words(a.status) if a.status else "No comparison"))
    caption = compute.comparison_words(a.period, a.comparison)
    # Figures and words share the value column, so it is read as text: left-aligned, wrapping between words.
    return fragments.table(caption[:1].upper() + caption[1:], ["Measure", "Value"], rows)


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
            dates = f"{compute.long_date(period.start_date)} to {compute.long_date(period.end_date)}"
        else:
            dates = "Not stated in the source"
        compared = data.period(period.compared_with).label if period.compared_with else "Not compared"
        rows.append((period.label, dates, compared, period.notes or ""))
    return fragments.table("Dates of each period, and the period it is compared with", ["Period", "Dates", "Compared with", "Notes"], rows)


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


@dataclass(frozen=True)
class _Linked:
    """The rows of one table (of any package) that reference a priority of an indicator package."""

    dataset: Dataset
    table: Table
    field: str  # the column that holds the priority's id
    rows: tuple[Mapping[str, Any], ...]


def _linked_tables(site: SiteData, data: IndicatorSet, priority: Priority) -> list[_Linked]:
    """Every table whose ``x-foreignPackageKeys`` reference the indicator package's priorities,
    with its rows for ``priority``; tables with none are left out."""
    found = []
    for dataset in site.datasets:
        for resource in dataset.descriptor["resources"]:
            for key in foreign_package_keys(resource):
                ref = key["reference"]
                if (ref["package"], ref["resource"]) != (data.dataset.name, "priorities"):
                    continue
                table = dataset.table(resource["name"])
                field = key["fields"][0]
                rows = tuple(r for r in table.rows if r.get(field) == priority.id)
                if rows:
                    found.append(_Linked(dataset, table, field, rows))
    return found


def _linked_sections(site: SiteData, data: IndicatorSet, priority: Priority, doc: str) -> list[dict[str, object]]:
    return [
        dict(
            title=linked.table.title,
            # the section's heading is the table's title: the caption says what the rows are instead of repeating it
            table=_rows_table(
                *_readable(linked),
                hide={linked.field, *linked.table.primary_key, "sequence"},
                caption=f"{linked.table.title} under {priority.title} ({len(linked.rows)} {'row' if len(linked.rows) == 1 else 'rows'})",
            ),
            csv=urls.markdown_link(doc, urls.resource_csv(linked.dataset.name, linked.table.name)),
        )
        for linked in _linked_tables(site, data, priority)
    ]


def _readable(linked: _Linked) -> tuple[Table, Sequence[Mapping[str, Any]]]:
    """The table and rows with each reference to another table of its package shown as that
    row's title (a plan's title, not its id), or left out where that table has no title."""
    table, rows = linked.table, [dict(r) for r in linked.rows]
    fields = list(table.fields)
    for key in (table_schema(linked.dataset, table.name)).get("foreignKeys", []):
        names, ref = key.get("fields"), key.get("reference") or {}
        name = names[0] if isinstance(names, list) and len(names) == 1 else names if isinstance(names, str) else None
        target = ref.get("resource")
        if not name or not target or not linked.dataset.has_table(target):
            continue
        other = linked.dataset.table(target)
        ref_fields = ref.get("fields")
        ref_field = str(ref_fields[0] if isinstance(ref_fields, list) and ref_fields else ref_fields)
        titles = {r.get(ref_field): r.get("title") for r in other.rows} if any(f.name == "title" for f in other.fields) else {}
        at = next(i for i, f in enumerate(fields) if f.name == name)
        if titles:
            label = name.removesuffix("_id").replace("_", " ").capitalize()
            fields[at] = dataclasses.replace(fields[at], type="string", title=fields[at].title or label, constraints={})
            for row in rows:
                row[name] = titles.get(row.get(name), row.get(name))
        else:
            del fields[at]
    shown = Table(table.name, table.title, table.description, table.path, table.file, tuple(fields), table.primary_key, tuple(rows))
    return shown, rows


def table_schema(dataset: Dataset, resource: str) -> Mapping[str, Any]:
    """The Table Schema of one resource of a dataset, as its descriptor gives it."""
    for raw in dataset.descriptor["resources"]:
        if raw.get("name") == resource:
            schema = raw.get("schema")
            return schema if isinstance(schema, Mapping) else {}
    return {}


LABEL_FIELDS = ("title", "name", "text")  # the fields that name a row, in order of preference


def _row_label(table: Table, row: Mapping[str, Any], hide: set[str]) -> object:
    """What names a row in a list: its title, name or text, or the field named after its table
    (``action`` in ``actions``), else its first text field that is not a key."""
    names = [f.name for f in table.fields if f.type == "string" and f.name not in hide]
    singular = table.name.removesuffix("s")
    preferred = [n for n in (*LABEL_FIELDS, singular) if n in names]
    for name in preferred + names:
        if row.get(name):
            return row[name]
    return ""


def _priority_work(site: SiteData, data: IndicatorSet, priority: Priority, doc: str) -> list[dict[str, object]]:
    """What the partnership is doing about an indicator: each table linked to its priority, its
    rows' names, and a link to where they are shown in full (the priority page's section)."""
    groups: list[dict[str, object]] = []
    for linked in _linked_tables(site, data, priority):
        hide = {linked.field, *linked.table.primary_key, "sequence"}
        items = [_row_label(linked.table, row, hide) for row in linked.rows]
        anchor = slugify(linked.table.title, "-")
        count = len(items)
        groups.append(
            dict(
                title=linked.table.title,
                entries=Markup('<ul class="priority-work">{}</ul>').format(Markup("").join(Markup("<li>{}</li>").format(fragments.text(i)) for i in items)),
                link=Markup("{}#{}").format(urls.markdown_link(doc, urls.priority_page(priority.id)), anchor),
                link_text=f"{linked.table.title} for this priority, in full ({count} {'row' if count == 1 else 'rows'})",
            )
        )
    return groups


def _rows_table(table: Table, rows: Sequence[Mapping[str, Any]], hide: set[str] = frozenset(), caption: str | None = None) -> Markup:  # type: ignore[assignment]
    fields = [f for f in table.fields if f.name not in hide]
    body = [[_cell(row.get(f.name)) for f in fields] for row in rows]
    return fragments.table(
        caption or table.title,
        [f.title or f.name.replace("_", " ").capitalize() for f in fields],
        body,
        row_headers=False,
        numeric=[i for i, f in enumerate(fields) if f.type in ("number", "integer")],
    )


def _basis(table: Table, row: Mapping[str, Any]) -> tuple[str | None, bool]:
    """A row's unit (from a ``unit`` column) and whether it is an amount per year (a ``per_year``
    flag): rows that differ in either cannot be added together."""
    names = {f.name for f in table.fields}
    unit = str(row["unit"]) if "unit" in names and row.get("unit") is not None else None
    return unit, bool(row.get("per_year")) if "per_year" in names else False


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
        ("Data last changed on this site", f"{compute.long_date(site.updated)} (when it was published here, not the period the figures are for)"),
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
        preview = Markup("<div {}>{}</div>").format(Markup(glossary.OFF), preview)  # data as published: abbreviations not expanded
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
    """Every file of the dataset: what it holds, its size, rows and date; then, for people who
    check files, each file's SHA-256 checksum in a list that opens on request (a 64-character
    checksum in a table cell made every row hundreds of pixels tall on a phone)."""
    rows = []
    checksums = []
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
        name = path.rsplit("/", 1)[-1]
        if fact:
            checksums.append((name, fact.sha256))
        rows.append((fragments.link(urls.relative(doc, path), name), holds, count, _size(fact.bytes) if fact else "", compute.long_date(changed)))
    table = fragments.table("Every file of this dataset", ["File", "Holds", "Rows", "Size", "Last updated"], rows, numeric=[2, 3], css_class="downloads")
    return table + _checksums(checksums) if checksums else table


def _checksums(checksums: Sequence[tuple[str, str]]) -> Markup:
    """Files' SHA-256 checksums as a list that opens on request, below the downloads table."""
    items = Markup("").join(
        Markup('<li><span class="checksums__file">{}</span> <code>{}</code></li>').format(fragments.text(n), fragments.text(d)) for n, d in checksums
    )
    return Markup(
        '\n\n<details class="checksums"><summary>Checksums (SHA-256)</summary>'
        "<p>To check a downloaded file has not changed, compare its SHA-256 checksum with the one below.</p>"
        '<ul class="checksums__list">{}</ul></details>'
    ).format(items)


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
        return tuple(self.site.dataset(package).table(resource).rows)

    def dashboard(self, package: str) -> Markup:
        """How many indicators show each status for the newest period, as symbols and words;
        those without a comparison are counted as "No comparison", those without a figure as "Not available"."""
        data = self.site.indicator_set(package)
        assessments = compute.latest_all(data)
        counts = compute.status_counts(assessments)
        items = [
            Markup('<li class="dashboard__item dashboard__item--{}"><span class="dashboard__count">{}</span> {}</li>').format(
                s.id, counts.get(s.id, 0), fragments.status_badge(s)
            )
            for s in data.statuses
        ]
        extra = [(compute.NO_COMPARISON, "No comparison", counts.get(compute.NO_COMPARISON, 0))]
        extra.append((compute.SMALL_NUMBERS, compute.SMALL_NUMBERS_WORDS, counts.get(compute.SMALL_NUMBERS, 0)))
        extra.append(("not-available", "Not available", len(data.indicators) - len(assessments)))
        items += [
            Markup(
                '<li class="dashboard__item dashboard__item--{}"><span class="dashboard__count">{}</span> <span class="status status--none">{}</span></li>'
            ).format(key, count, words)
            for key, words, count in extra
            if count
        ]
        period = compute.latest_period(data)
        when = Markup(" for {}").format(compute.period_words(period)) if period else Markup("")
        return Markup('<div class="dashboard"><p class="dashboard__lead">Status of the {} indicators{}:</p><ul class="dashboard__list">{}</ul></div>').format(
            len(data.indicators), when, Markup("").join(items)
        )

    def indicator_table(self, package: str, priority_id: str | None = None) -> Markup:
        """Indicators grouped by priority: the newest period's figure, the figure it is compared
        with, change and status. Every value is looked up by its period, never by position: an
        indicator without a figure for a period reads "Not available" under that period."""
        data = self.site.indicator_set(package)
        period = compute.latest_period(data)
        if period is None:
            return Markup("")
        compared = data.period(period.compared_with) if period.compared_with else None
        tables = []
        currency = self.site.currency
        for priority in data.priorities:
            if priority_id and priority.id != priority_id:
                continue
            rows = []
            for indicator in data.indicators_for(priority.id):
                title = fragments.link(self.url(urls.indicator_page(indicator.id)), indicator.title)
                earlier = data.values.get((indicator.id, compared.id)) if compared else None
                earlier_text = compute.format_value(earlier, indicator.unit, currency) if earlier is not None else NOT_AVAILABLE
                a = compute.assess(data, indicator, period)
                if a is None:
                    rows.append((title, Markup('<span class="status status--none">Not available</span>'), NOT_AVAILABLE, earlier_text, "No comparison"))
                    continue
                rows.append((title, status_cell(a), compute.format_value(a.value, indicator.unit, currency), earlier_text, compute.change_words(a, currency)))
            headers = ["Indicator", "Status", period.label, compared.label if compared else "Compared with", "Change"]
            # Status comes second, so that on a phone it is seen without scrolling the table.
            caption = priority.title if priority_id is None else "Indicators under this priority"  # a priority's own page has its title as heading
            tables.append(fragments.table(caption, headers, rows, numeric=[2, 3, 4], css_class="indicator-table"))
        lead = Markup('<p class="figures-period">Figures for {}.</p>').format(compute.comparison_words(period, compared))
        return lead + Markup("\n\n") + Markup("\n\n").join(tables)

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
        """A bar chart of one resource, with its table and a link to its CSV. A row flagged
        per year (a ``per_year`` column) is labelled "a year" in the chart and the table."""
        table = self.site.dataset(package).table(resource)
        labels = [str(r[label]) for r in table.rows]
        values = [float(r[value]) for r in table.rows]
        yearly = [PER_YEAR_WORDS if _basis(table, r)[1] else "" for r in table.rows]
        texts = [compute.format_value(v, unit, self.site.currency) + y for v, y in zip(values, yearly, strict=True)]
        data_table = fragments.table(
            f"{table.title}: the figures in the chart", [label.replace("_", " ").capitalize(), y_title], list(zip(labels, texts, strict=True)), numeric=[1]
        )
        # On the chart, "a year" goes with the bar's name and the value is short (£7.3m), so that both fit on a phone; the table has the full figures.
        named = [f"{name} ({y.strip()})" if y else name for name, y in zip(labels, yearly, strict=True)]
        figure = charts.build("bar", named, values, [compute.format_short(v, unit, self.site.currency) for v in values], y_title)
        return fragments.chart(f"chart-{resource}", figure, caption, data_table, self.url(urls.resource_csv(package, resource)))

    def total(self, package: str, resource: str, value_field: str, unit: str = "currency", per_year: bool | None = None) -> str:
        """The total of a column, in words (``£7,300,000 a year``), only over rows of one unit and
        basis: a resource with a ``unit`` column or a ``per_year`` flag whose rows differ is
        refused (``ValueError``, reported as a page-template problem) unless ``per_year`` picks
        the per-year (``True``) or one-off (``False``) rows."""
        table = self.site.dataset(package).table(resource)
        rows = [r for r in table.rows if per_year is None or _basis(table, r)[1] == per_year]
        if not rows:
            raise ValueError(f"total of {resource}.{value_field}: no rows with per_year={per_year}.")
        bases = {_basis(table, r) for r in rows}
        if len(bases) > 1:
            kinds = sorted({f"{u or unit}{PER_YEAR_WORDS if y else ' one-off'}" for u, y in bases})
            raise ValueError(
                f"total of {resource}.{value_field} would add unlike amounts ({', '.join(kinds)}). "
                "Total each kind apart: total(..., per_year=True) and total(..., per_year=False)."
            )
        amount = sum(float(r[value_field]) for r in rows if r.get(value_field) is not None)
        return compute.format_value(amount, rows[0].get("unit") or unit, self.site.currency) + (PER_YEAR_WORDS if bases.pop()[1] else "")

    @staticmethod
    def validation_rules() -> Markup:
        """Every check made before publishing (the registry in ``generator/problems/rules.py``), whether a
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
        return compute.long_date(self.site.updated)


def render_source_page(source: str, doc: str, site: SiteData) -> str:
    """A hand-written page rendered as a template with the data helpers."""
    env = make_environment()
    helpers = PageHelpers(site, doc)
    template = env.from_string(source)
    return template.render(
        site=helpers,
        **{
            name: getattr(helpers, name)
            for name in ("rows", "dashboard", "indicator_table", "table", "bar_chart", "total", "csv", "url", "link", "validation_rules")
        },
        updated=helpers.updated,
        format_number=compute.format_number,
        publisher=site.publisher,
        contact_routes=lambda: identity.contact_routes(site.publisher.contact),
    )
