"""A static SVG drawing of a chart figure, made at build time. Pure: figure in, markup out.

Every chart is first shown as this drawing: it needs no JavaScript, costs a few kilobytes and
appears with the page. Plotly replaces it with the interactive chart, at the same size, only
when a reader reaches for the chart (see ``charts.js``). The drawing reads the same Plotly
figure dict that Plotly draws, so the two cannot disagree: one trace of vertical or
horizontal bars, or a line with markers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

WIDTH = 400  # drawn for a phone: at 360 px wide the text is still 12.6 px; wider screens show it at 400 px
MARGIN = {"left": 64, "right": 16, "top": 28, "bottom": 52}
LABEL_COLUMN = 124  # room for horizontal bars' labels, wrapped at 14 characters
GRID = "#d9d9d9"
TEXT = "#1f1f1f"
FONT_SIZE = 14
CHARACTER_WIDTH = 8.5  # about the widest average advance of a 14 px bold figure or letter
VALUE_ROOM = 24  # pixels under a negative bar's end for its value


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
        return [0.0, 1.0]
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    first -= step * first > low  # a value too small to divide by the step (1e-313) still gets a tick beyond it
    last += step * last < high
    return [step * i for i in range(first, last + 1)]


def _extend_down(ticks: list[float]) -> list[float]:
    """The ticks with one more step below the lowest."""
    return [ticks[0] - (ticks[1] - ticks[0]), *ticks]


def _text(x: float, y: float, content: object, anchor: str = "middle", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(str(content))}</text>'


def _rect(x: float, y: float, width: float, height: float) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="var(--mark)"/>'


def _lines(label: str) -> list[str]:
    return label.split("<br>")


def preview(figure: dict[str, Any]) -> Markup:
    """The figure as an SVG image sized like the Plotly chart (``layout.height``)."""
    trace = figure["data"][0]
    height = int(figure["layout"].get("height", 320))
    if trace.get("type") == "bar" and trace.get("orientation") == "h":
        body = _horizontal_bars(trace, figure["layout"], height)
    else:
        body = _columns(trace, figure["layout"], height, line=trace.get("type") == "scatter")
    colour = (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get("color") or TEXT
    return Markup(
        '<svg class="chart__svg" viewBox="0 0 {w} {h}" width="100%" height="{h}" preserveAspectRatio="xMinYMid meet" '
        'aria-hidden="true" focusable="false" font-size="{fs}" fill="{text}" style="--mark: {colour}">{body}</svg>'
    ).format(w=WIDTH, h=height, fs=FONT_SIZE, text=TEXT, colour=colour, body=Markup(body))


def _axis_title(layout: dict[str, Any], axis: str) -> str:
    title = (layout.get(axis) or {}).get("title") or {}
    return str(title.get("text") or "") if isinstance(title, dict) else str(title)


def _columns(trace: dict[str, Any], layout: dict[str, Any], height: int, *, line: bool) -> str:
    labels = [str(x) for x in trace["x"]]
    values = [float(y) for y in trace["y"]]
    texts = [str(t) for t in trace.get("text") or map(_number, values)]
    left, right, top, bottom = MARGIN["left"], WIDTH - MARGIN["right"], MARGIN["top"], height - MARGIN["bottom"]
    lowest = min(values, default=0)
    ticks = nice_range(lowest * 1.1, max(values, default=0) * 1.1)
    for _ in range(3):  # below zero, a bar's value is printed under its end: keep room for it above the labels
        if lowest >= 0 or (lowest - ticks[0]) * (bottom - top) / (ticks[-1] - ticks[0]) >= VALUE_ROOM:
            break
        ticks = _extend_down(ticks)
    scale = (bottom - top) / (ticks[-1] - ticks[0])
    zero = bottom + ticks[0] * scale  # the y of the value 0
    parts = _grid_y(ticks, scale, left, right, zero)
    if ticks[0] < 0:
        parts.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="{TEXT}"/>')
    slot = (right - left) / max(len(values), 1)
    centres = [left + slot * (i + 0.5) for i in range(len(values))]
    if line:
        points = " ".join(f"{x:.1f},{zero - v * scale:.1f}" for x, v in zip(centres, values, strict=True))
        parts.append(f'<polyline points="{points}" fill="none" stroke="var(--mark)" stroke-width="3"/>')
    for x, value, label, text in zip(centres, values, labels, texts, strict=True):
        y = zero - value * scale
        if line:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="var(--mark)"/>')
        else:
            width = min(slot * 0.6, 120)
            parts.append(_rect(x - width / 2, min(y, zero), width, abs(value) * scale))
        below = value < 0 and not line
        parts.append(_text(x, y + 20 if below else y - 8, text, extra=' font-weight="600"'))
        parts.extend(_text(x, bottom + 20 + 16 * i, part) for i, part in enumerate(_lines(label)))
    parts.append(_text(16, (top + bottom) / 2, _axis_title(layout, "yaxis"), extra=f' transform="rotate(-90 16 {(top + bottom) / 2:.1f})"'))
    return "".join(parts)


def _grid_y(ticks: Sequence[float], scale: float, left: float, right: float, zero: float) -> list[str]:
    parts = []
    largest = max(abs(ticks[0]), abs(ticks[-1]))
    for tick in ticks:
        y = zero - tick * scale
        parts.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 8, y + 5, tick_label(tick, largest), "end"))
    return parts


def _horizontal_bars(trace: dict[str, Any], layout: dict[str, Any], height: int) -> str:
    labels = [str(y) for y in trace["y"]]
    values = [float(x) for x in trace["x"]]
    texts = [str(t) for t in trace.get("text") or map(_number, values)]
    left, right, top, bottom = LABEL_COLUMN, WIDTH - MARGIN["right"], 12, height - MARGIN["bottom"]
    lowest = min(values, default=0)
    ticks = nice_range(lowest * 1.35, max(values, default=0) * 1.35, count=3)
    widest = max((len(t) for v, t in zip(values, texts, strict=True) if v < 0), default=0) * CHARACTER_WIDTH + 6
    for _ in range(3):  # a negative bar's value is printed left of its end: keep room for it right of the labels
        if lowest >= 0 or (lowest - ticks[0]) * (right - left) / (ticks[-1] - ticks[0]) >= widest:
            break
        ticks = _extend_down(ticks)
    scale = (right - left) / (ticks[-1] - ticks[0])
    zero = left - ticks[0] * scale  # the x of the value 0
    largest = max(abs(ticks[0]), abs(ticks[-1]))
    parts = []
    for tick in ticks:
        x = zero + tick * scale
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x, bottom + 20, tick_label(tick, largest), "end" if tick == ticks[-1] else "middle"))
    if ticks[0] < 0:
        parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{TEXT}"/>')
    slot = (bottom - top) / max(len(values), 1)
    for i, (value, label, text) in enumerate(zip(values, labels, texts, strict=True)):
        centre = top + slot * (i + 0.5)
        thickness = min(slot * 0.6, 40)
        end = zero + value * scale
        parts.append(_rect(min(zero, end), centre - thickness / 2, abs(value) * scale, thickness))
        if value < 0:
            parts.append(_text(end - 6, centre + 5, text, "end", ' font-weight="600"'))
        else:
            parts.append(_text(end + 6, centre + 5, text, "start", ' font-weight="600"'))
        lines = _lines(label)
        first = centre + 5 - 8 * (len(lines) - 1)
        parts.extend(_text(left - 8, first + 16 * n, part, "end") for n, part in enumerate(lines))
    parts.append(_text((left + right) / 2, height - 10, _axis_title(layout, "xaxis")))
    return "".join(parts)
