"""A static SVG drawing of a chart figure, made at build time. Pure: figure in, markup out.

Every chart is first shown as this drawing: it needs no JavaScript, costs a few kilobytes and
appears with the page. Plotly replaces it with the interactive chart, at the same size, only
when a reader presses "Explore this chart" (see ``charts.js``). The drawing reads the same Plotly
figure dict that Plotly draws, so the two cannot disagree: one trace of vertical or
horizontal bars, or a line with markers.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

WIDTH = 358  # the narrowest column a chart is drawn for (a 390 px phone); wider columns get a wider plot
MARGIN = {"left": 64, "right": 16, "top": 28, "bottom": 52}
LABEL_COLUMN = 124  # room for horizontal bars' labels, wrapped at 14 characters
GRID = "#d9d9d9"
TEXT = "#1f1f1f"
FONT_SIZE = 14
CHARACTER_WIDTH = 8.5  # about the widest average advance of a 14 px bold figure or letter
LABEL_GAP = 12  # pixels at least between two category labels on a line chart
VALUE_ROOM = 24  # pixels under a negative bar's end for its value


@dataclass(frozen=True)
class Plan:
    """Where a figure's marks go, worked out once for the drawing and for Plotly.

    ``ticks`` are the value axis' ticks: the axis runs from the first to the last, and the last
    is the first tick at or above the largest value. ``shown`` are the categories whose labels
    (and, on a line, values) are printed: on a long line every ``n``th, counted back from the
    newest, so that labels never run together even in the narrowest column.
    """

    horizontal: bool
    ticks: list[float]
    left: float
    right: float
    top: float
    shown: frozenset[int]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def tick_label(value: float, top: float) -> str:
    """A short tick label: 2.5m, 750k, 1,500."""
    if value == 0:
        return "0"
    if top >= 1_000_000:
        return f"{value / 1_000_000:g}m"
    if top >= 10_000:
        return f"{value / 1_000:g}k"
    return _number(value)


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``top``: 0, 5,000, 10,000, 15,000."""
    return nice_range(0.0, top, count)


def nice_range(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values, evenly spaced, from at most ``min(low, 0)`` through 0 to at least
    ``max(high, 0)``: -500, 0, 500, 1,000."""
    low, high = min(low, 0.0), max(high, 0.0)
    raw = (high - low) / count
    if not 0 < raw < math.inf:  # nothing to span (or a span too small or large to divide)
        return [-1.0, 0.0, 1.0] if low < 0 < high else [-1.0, 0.0] if low < 0 else [0.0, 1.0]
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    first -= step * first > low  # a value too small to divide by the step (1e-313) still gets a tick beyond it
    last += step * last < high
    return [step * i for i in range(first, last + 1)]


def _extend_down(ticks: list[float]) -> list[float]:
    """The ticks with one more step below the lowest."""
    return [ticks[0] - (ticks[1] - ticks[0]), *ticks]


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.2f}%"


def _text(x: float | str, y: float, content: object, anchor: str = "middle", extra: str = "") -> str:
    where = x if isinstance(x, str) else f"{x:.1f}"
    return f'<text x="{where}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(str(content))}</text>'


def _rect(x: str, y: float, width: str, height: float) -> str:
    return f'<rect x="{x}" y="{y:.1f}" width="{width}" height="{height:.1f}" fill="var(--mark)"/>'


def _lines(label: str) -> list[str]:
    return label.split("<br>")


def _texts(trace: dict[str, Any], values: Sequence[float]) -> list[str]:
    return [str(t) for t in trace.get("text") or map(_number, values)]


def plan(figure: dict[str, Any]) -> Plan:
    """The axis and labels of a figure's drawing (see ``Plan``)."""
    trace = figure["data"][0]
    height = int(figure["layout"].get("height", 320))
    if trace.get("type") == "bar" and trace.get("orientation") == "h":
        values = [float(x) for x in trace["x"]]
        texts = _texts(trace, values)
        widest = max((len(t) for v, t in zip(values, texts, strict=True) if v >= 0), default=0) * CHARACTER_WIDTH + 6
        left, right = LABEL_COLUMN, max(MARGIN["right"], widest + 4)
        room = WIDTH - left - right
        lowest = min(values, default=0)
        ticks = nice_range(lowest, max(values, default=0), count=3)
        widest_negative = max((len(t) for v, t in zip(values, texts, strict=True) if v < 0), default=0) * CHARACTER_WIDTH + 6
        for _ in range(3):  # a negative bar's value is printed left of its end: keep room for it right of the labels
            if lowest >= 0 or (lowest - ticks[0]) * room / (ticks[-1] - ticks[0]) >= widest_negative:
                break
            ticks = _extend_down(ticks)
        return Plan(True, ticks, left, right, 12, frozenset(range(len(values))))
    values = [float(y) for y in trace["y"]]
    top, bottom = MARGIN["top"], height - MARGIN["bottom"]
    lowest = min(values, default=0)
    ticks = nice_range(lowest, max(values, default=0))
    for _ in range(3):  # below zero, a bar's value is printed under its end: keep room for it above the labels
        if lowest >= 0 or (lowest - ticks[0]) * (bottom - top) / (ticks[-1] - ticks[0]) >= VALUE_ROOM:
            break
        ticks = _extend_down(ticks)
    labels = [str(x) for x in trace["x"]]
    shown = range(len(values))
    if trace.get("type") == "scatter":
        shown = _every_nth(labels, _texts(trace, values), WIDTH - MARGIN["left"] - MARGIN["right"])
    return Plan(False, ticks, MARGIN["left"], MARGIN["right"], top, frozenset(shown))


def _every_nth(labels: Sequence[str], texts: Sequence[str], room: float) -> range:
    """The indexes to label so that no two labels (or values) overlap in ``room`` pixels:
    every ``n``th, ending with the newest."""
    count = len(labels)
    if count == 0:
        return range(0)
    widest = max(len(part) for label, text in zip(labels, texts, strict=True) for part in [*_lines(label), text]) * CHARACTER_WIDTH
    step = max(1, math.ceil((widest + LABEL_GAP) / (room / count)))
    return range((count - 1) % step, count, step)


def preview(figure: dict[str, Any]) -> Markup:
    """The figure as an SVG image as tall as the Plotly chart (``layout.height``) and as wide as
    its column. The ``<svg>`` element is the plot area: its CSS width is the column's less the
    margins, marks are placed in percentages of that width (so bars stretch and text keeps its
    14 px at every width), and axis labels are drawn outside it, in the margins (``overflow``
    visible), at negative or beyond-100% positions."""
    layout, height, colour, body, outside = _drawing(figure)
    return Markup(
        '<svg class="chart__svg" width="{w}" height="{h}" overflow="visible" aria-hidden="true" focusable="false" font-size="{fs}" fill="{text}" '
        'style="--mark: {colour}; margin-left: {left}px; width: calc(100% - {margins}px)">{body}{outside}</svg>'
    ).format(
        w=f"{WIDTH - layout.left - layout.right:.0f}",
        h=height,
        fs=FONT_SIZE,
        text=TEXT,
        colour=colour,
        left=f"{layout.left:.0f}",
        margins=f"{layout.left + layout.right:.0f}",
        body=Markup(body),
        outside=Markup(outside),
    )


def _drawing(figure: dict[str, Any]) -> tuple[Plan, int, str, str, str]:
    """A figure's plan, height, mark colour, marks (coloured ``var(--mark)``) and the text drawn
    outside the plot area (the value axis' title)."""
    trace = figure["data"][0]
    height = int(figure["layout"].get("height", 320))
    layout = plan(figure)
    if layout.horizontal:
        body, outside = _horizontal_bars(trace, figure["layout"], height, layout), ""
    else:
        body, outside = _columns(trace, height, layout, line=trace.get("type") == "scatter"), _y_title(figure["layout"], height)
    return layout, height, mark_colour(figure), body, outside


def mark_colour(figure: dict[str, Any]) -> str:
    """The colour of a figure's bars or line."""
    trace = figure["data"][0]
    return str((trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get("color") or TEXT)


def plot(figure: dict[str, Any], x: float, y: float, width: float) -> Markup:
    """The same drawing as ``preview``, for a standalone SVG document (a file, an image): a nested
    ``<svg>`` whose box, ``width`` wide at (``x``, ``y``), holds the plot area and its margins,
    with the marks' colour written in (a document on its own has no page CSS)."""
    layout, height, colour, body, outside = _drawing(figure)
    marks = (body + outside).replace("var(--mark)", str(escape(colour)))
    return Markup('<svg x="{x}" y="{y}" width="{w}" height="{h}" overflow="visible" font-size="{fs}" fill="{text}">{marks}</svg>').format(
        x=f"{x + layout.left:.0f}", y=f"{y:.0f}", w=f"{width - layout.left - layout.right:.0f}", h=height, fs=FONT_SIZE, text=TEXT, marks=Markup(marks)
    )


def interactive(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure for Plotly, laid out like its drawing: the same value axis (range, ticks and
    tick labels), margins, and the same category labels and values printed."""
    result = copy.deepcopy(figure)
    layout = plan(figure)
    trace, settings = result["data"][0], result["layout"]
    largest = max(abs(layout.ticks[0]), abs(layout.ticks[-1]))
    value_axis = dict(
        range=[layout.ticks[0], layout.ticks[-1]],
        tickmode="array",
        tickvals=layout.ticks,
        ticktext=[tick_label(t, largest) for t in layout.ticks],
        autorange=False,
        zeroline=layout.ticks[0] < 0,
        zerolinecolor=TEXT,
    )
    height = int(settings.get("height", 320))
    if layout.horizontal:
        settings["xaxis"] = {**settings.get("xaxis", {}), **value_axis}
        settings["margin"] = dict(l=layout.left, r=layout.right, t=layout.top, b=MARGIN["bottom"])
    else:
        settings["yaxis"] = {**settings.get("yaxis", {}), **value_axis}
        settings["margin"] = dict(l=layout.left, r=layout.right, t=layout.top, b=MARGIN["bottom"])
        categories = list(trace["x"])
        settings["xaxis"] = {**settings.get("xaxis", {}), "tickmode": "array", "tickvals": [c for i, c in enumerate(categories) if i in layout.shown]}
        if trace.get("type") == "scatter":
            trace["texttemplate"] = ["%{text}" if i in layout.shown else "" for i in range(len(categories))]
        else:
            trace["textposition"], trace["cliponaxis"] = "outside", False
    settings["height"] = height
    return result


def _y_title(layout: dict[str, Any], height: int) -> str:
    middle, x = (MARGIN["top"] + height - MARGIN["bottom"]) / 2, 16 - MARGIN["left"]
    return _text(x, middle, _axis_title(layout, "yaxis"), extra=f' transform="rotate(-90 {x} {middle:.1f})"')


def _axis_title(layout: dict[str, Any], axis: str) -> str:
    title = (layout.get(axis) or {}).get("title") or {}
    return str(title.get("text") or "") if isinstance(title, dict) else str(title)


def _columns(trace: dict[str, Any], height: int, layout: Plan, *, line: bool) -> str:
    labels = [str(x) for x in trace["x"]]
    values = [float(y) for y in trace["y"]]
    texts = _texts(trace, values)
    ticks, top, bottom = layout.ticks, layout.top, height - MARGIN["bottom"]
    scale = (bottom - top) / (ticks[-1] - ticks[0])
    zero = bottom + ticks[0] * scale  # the y of the value 0
    parts = _grid_y(ticks, scale, zero)
    if ticks[0] < 0:
        parts.append(f'<line x1="0" x2="100%" y1="{zero:.1f}" y2="{zero:.1f}" stroke="{TEXT}"/>')
    slot = 1 / max(len(values), 1)
    centres = [slot * (i + 0.5) for i in range(len(values))]
    if line:
        for (x1, v1), (x2, v2) in itertools.pairwise(zip(centres, values, strict=True)):
            ends = f'x1="{_pct(x1)}" y1="{zero - v1 * scale:.1f}" x2="{_pct(x2)}" y2="{zero - v2 * scale:.1f}"'
            parts.append(f'<line {ends} stroke="var(--mark)" stroke-width="3" stroke-linecap="round"/>')
    for i, (x, value, label, text) in enumerate(zip(centres, values, labels, texts, strict=True)):
        y = zero - value * scale
        if line:
            parts.append(f'<circle cx="{_pct(x)}" cy="{y:.1f}" r="5" fill="var(--mark)"/>')
        else:
            parts.append(_rect(_pct(x - slot * 0.3), min(y, zero), _pct(slot * 0.6), abs(value) * scale))
        if i not in layout.shown:
            continue
        below = value < 0 and not line
        parts.append(_text(_pct(x), y + 20 if below else y - 8, text, extra=' font-weight="600"'))
        parts.extend(_text(_pct(x), bottom + 20 + 16 * n, part) for n, part in enumerate(_lines(label)))
    return "".join(parts)


def _grid_y(ticks: Sequence[float], scale: float, zero: float) -> list[str]:
    parts = []
    largest = max(abs(ticks[0]), abs(ticks[-1]))
    for tick in ticks:
        y = zero - tick * scale
        parts.append(f'<line x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(-8, y + 5, tick_label(tick, largest), "end"))
    return parts


def _horizontal_bars(trace: dict[str, Any], layout: dict[str, Any], height: int, plan: Plan) -> str:
    labels = [str(y) for y in trace["y"]]
    values = [float(x) for x in trace["x"]]
    texts = _texts(trace, values)
    ticks, top, bottom = plan.ticks, plan.top, height - MARGIN["bottom"]
    span = ticks[-1] - ticks[0]
    zero = -ticks[0] / span  # where the value 0 is, as a fraction of the plot's width
    largest = max(abs(ticks[0]), abs(ticks[-1]))
    parts = []
    for tick in ticks:
        x = _pct((tick - ticks[0]) / span)
        parts.append(f'<line x1="{x}" x2="{x}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x, bottom + 20, tick_label(tick, largest), "middle"))
    if ticks[0] < 0:
        parts.append(f'<line x1="{_pct(zero)}" x2="{_pct(zero)}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{TEXT}"/>')
    slot = (bottom - top) / max(len(values), 1)
    for i, (value, label, text) in enumerate(zip(values, labels, texts, strict=True)):
        centre = top + slot * (i + 0.5)
        thickness = min(slot * 0.6, 40)
        end = (value - ticks[0]) / span
        parts.append(_rect(_pct(min(zero, end)), centre - thickness / 2, _pct(abs(value) / span), thickness))
        if value < 0:
            parts.append(_text(_pct(end), centre + 5, text, "end", ' dx="-6" font-weight="600"'))
        else:
            parts.append(_text(_pct(end), centre + 5, text, "start", ' dx="6" font-weight="600"'))
        lines = _lines(label)
        first = centre + 5 - 8 * (len(lines) - 1)
        parts.extend(_text(-8, first + 16 * n, part, "end") for n, part in enumerate(lines))
    parts.append(_text("50%", height - 10, _axis_title(layout, "xaxis")))
    return "".join(parts)
