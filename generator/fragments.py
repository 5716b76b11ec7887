"""Pure builders of the HTML fragments pages are made of: escaped text, tables, badges, charts.

Every value taken from data goes through ``text()``: HTML special characters and every
character Markdown (or its extensions) could act on become numeric entities, so data can
never turn into markup, links, attributes or template syntax.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from generator import svg
from generator.model import Status

_MARKDOWN_ACTIVE = "\\`*_{}[]()#+-.!|~:<>&\"'=^$@%"
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _MARKDOWN_ACTIVE}


def text(value: object) -> Markup:
    """Inert text for a Markdown or HTML context; ``None`` becomes empty."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    flat = " ".join(str(value).replace("\x00", "").split())
    return Markup(flat.translate(_ENTITIES))


def link(href: str, label: object) -> Markup:
    """An HTML link to a URL built by the generator (never one taken from data)."""
    return Markup('<a href="{}">{}</a>').format(href, text(label))


def status_badge(status: Status | None, note: str = "") -> Markup:
    """The status as a symbol and a word, so it never depends on colour alone."""
    if status is None:
        return Markup('<span class="status status--none">No status</span>')
    extra = Markup(' <span class="status__note">({})</span>').format(text(note)) if note else Markup("")
    return Markup('<span class="status status--{}"><span class="status__symbol" aria-hidden="true">{}</span> {}</span>{}').format(
        status.id, text(status.symbol), text(status.label), extra
    )


def table(
    caption: object, headers: Sequence[object], rows: Sequence[Sequence[object]], *, numeric: Sequence[int] = (), row_headers: bool = True, css_class: str = ""
) -> Markup:
    """An accessible table: a caption, header cells with scope, and row headers in column one."""
    head = Markup("").join(Markup('<th scope="col"{}>{}</th>').format(_num(i, numeric), text(h)) for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            tag = "th" if row_headers and i == 0 else "td"
            scope = Markup(' scope="row"') if tag == "th" else Markup("")
            cells.append(Markup("<{0}{1}{2}>{3}</{0}>").format(Markup(tag), scope, _num(i, numeric), text(cell)))
        body.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    cls = Markup(' class="{}"').format(css_class) if css_class else Markup("")
    return Markup(
        '<div class="table-wrap" tabindex="0" role="region" aria-label="{0}"><table{1}><caption>{0}</caption>'
        "<thead><tr>{2}</tr></thead><tbody>{3}</tbody></table></div>"
    ).format(text(caption), cls, head, Markup("").join(body))


def _num(index: int, numeric: Sequence[int]) -> Markup:
    return Markup(' class="num"') if index in numeric else Markup("")


def figure_json(figure: dict[str, Any]) -> str:
    """Deterministic Plotly JSON: sorted keys, no spaces."""
    return json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chart(chart_id: str, figure: dict[str, Any], caption: object, data_table: Markup, download_href: str) -> Markup:
    """A chart as a figure: its finding as the caption, the plot, the same numbers as a table,
    and a link to the data behind it. The plot is first a static SVG drawing, so it shows with
    the page and without JavaScript; its box has the chart's height, so nothing moves when
    Plotly replaces the drawing with the interactive chart.

    The figure travels in a ``data-figure`` attribute, not a ``<script>`` element: Material's
    instant navigation re-inserts script elements and would run JSON as JavaScript.
    """
    return Markup(
        '<figure class="chart" id="{0}">'
        "<figcaption>{1}</figcaption>"
        '<div class="chart__plot" data-figure="{2}" role="img" aria-label="{1}" style="height: {3}px">{4}</div>'
        "{5}"
        '<p class="chart__download"><a href="{6}">Download the data behind this chart</a></p>'
        "</figure>"
    ).format(chart_id, text(caption), figure_json(figure), int(figure["layout"].get("height", 320)), svg.preview(figure), data_table, download_href)
