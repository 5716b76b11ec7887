"""Pure builders of the HTML fragments pages are made of: escaped text, tables, badges, charts.

Every value taken from data goes through ``text()``: HTML special characters and every
character Markdown (or its extensions) could act on become numeric entities, so data can
never turn into markup, links, attributes or template syntax.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from generator.model.dataset import Status
from generator.render import svg

_MARKDOWN_ACTIVE = "\\`*_{}[]()#+-.!|~:<>&\"'=^$@%"
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _MARKDOWN_ACTIVE}
STACKED = "table--stacked"  # on a phone each row becomes a card of "heading: value" lines (site.css)
STACK_FROM = 3  # columns: a table this wide no longer fits a phone's width as a grid (nor does one with a long text)
CARDS = "table--cards"  # a log of long entries: a card per row at every width
LONG_TEXT = 60  # characters: a cell this long keeps a readable width (class "long") rather than a narrow column
SHORT_TEXT = 24  # characters: a longer cell (class "text") keeps a width of a few words


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
    """An accessible table: a caption, header cells with scope, and row headers in column one.

    Built from strings, every cell through ``text()``: tables are most of a page's markup, and
    a thousand pages of them must render in seconds.
    """
    numbers = set(numeric)
    # Cells are separated by a space, which the page does not show, so that text taken from
    # the page (the search index, a copy and paste) keeps its cells apart.
    head = " ".join(_cell("th", "col", i in numbers, h) for i, h in enumerate(headers))
    labels = [_data_label(h) for h in headers]
    body = " ".join(
        "<tr>"
        + " ".join(
            _cell("th", "row", i in numbers, v, labels[i] if i < len(labels) else "")
            if row_headers and i == 0
            else _cell("td", "", i in numbers, v, labels[i] if i < len(labels) else "")
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    label = text(caption)
    # A table too wide for a phone, or one whose long text would squeeze its other columns
    # into a narrow tower of broken lines, is stacked on a phone.
    stacked = len(headers) >= STACK_FROM or ' class="long"' in body or ' long"' in body
    classes = " ".join(filter(None, [css_class, STACKED if stacked else ""]))
    cls = f' class="{escape(classes)}"' if classes else ""
    return Markup(
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}"><table{cls}><caption>{label}</caption>'
        f" <thead><tr>{head}</tr></thead> <tbody>{body}</tbody></table></div>"
    )


def _cell(tag: str, scope: str, number: bool, value: object, data_label: str = "") -> str:
    content = text(value)
    length = len(content.striptags()) if tag == "td" else 0
    size = "long" if length > LONG_TEXT else "text" if length > SHORT_TEXT and not number else ""
    classes = " ".join(filter(None, ["num" if number else "", size]))
    attributes = (f' scope="{scope}"' if scope else "") + (f' class="{classes}"' if classes else "") + (f' data-label="{data_label}"' if data_label else "")
    return f"<{tag}{attributes}>{content}</{tag}>"


def _data_label(header: object) -> str:
    """A column's heading as plain text for a cell's ``data-label`` attribute: on a phone a
    stacked row shows it before the cell's value (markup such as ``<abbr>`` is dropped)."""
    plain = header.striptags() if isinstance(header, Markup) else Markup.escape(header).striptags()
    return str(text(plain))


def figure_json(figure: dict[str, Any]) -> str:
    """Deterministic Plotly JSON: sorted keys, no spaces."""
    return json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chart(chart_id: str, figure: dict[str, Any], caption: object, data_table: Markup, download_href: str) -> Markup:
    """A chart as a figure: its finding as the caption, the plot, the same numbers as a table,
    and a link to the data behind it. The plot is first a static SVG drawing, so it shows with
    the page and without JavaScript; its box has the chart's height, so nothing moves when
    Plotly replaces the drawing with the interactive chart, which happens only when the reader
    presses "Explore this chart". Plotly gets the figure laid out like the drawing
    (``svg.interactive``): the same axis, ticks, colours and labels.

    The figure travels in a ``data-figure`` attribute, not a ``<script>`` element: Material's
    instant navigation re-inserts script elements and would run JSON as JavaScript.
    """
    return Markup(
        '<figure class="chart" id="{0}">'
        "<figcaption>{1}</figcaption>"
        '<div class="chart__plot" id="{0}-plot" data-figure="{2}" role="img" aria-label="{1}" style="height: {3}px">{4}</div>'
        # Shown by charts.js (without JavaScript the button could do nothing): the 1 MB
        # interactive chart is fetched only when a reader asks for it, never on a touch.
        '<p class="chart__explore" hidden><button type="button" class="md-button chart__button" aria-controls="{0}-plot">Explore this chart</button></p>'
        "{5}"
        '<p class="chart__download"><a href="{6}">Download the data behind this chart</a></p>'
        "</figure>"
    ).format(
        chart_id, text(caption), figure_json(svg.interactive(figure)), int(figure["layout"].get("height", 320)), svg.preview(figure), data_table, download_href
    )
