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
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


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
    ticks = nice_ticks(max(values, default=0) * 1.1)
    scale = (bottom - top) / (ticks[-1] or 1)
    parts = _grid_y(ticks, scale, left, right, bottom)
    slot = (right - left) / max(len(values), 1)
    centres = [left + slot * (i + 0.5) for i in range(len(values))]
    if line:
        points = " ".join(f"{x:.1f},{bottom - v * scale:.1f}" for x, v in zip(centres, values, strict=True))
        parts.append(f'<polyline points="{points}" fill="none" stroke="var(--mark)" stroke-width="3"/>')
    for x, value, label, text in zip(centres, values, labels, texts, strict=True):
        y = bottom - value * scale
        if line:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="var(--mark)"/>')
        else:
            width = min(slot * 0.6, 120)
            parts.append(_rect(x - width / 2, y, width, value * scale))
        parts.append(_text(x, y - 8, text, extra=' font-weight="600"'))
        parts.extend(_text(x, bottom + 20 + 16 * i, part) for i, part in enumerate(_lines(label)))
    parts.append(_text(16, (top + bottom) / 2, _axis_title(layout, "yaxis"), extra=f' transform="rotate(-90 16 {(top + bottom) / 2:.1f})"'))
    return "".join(parts)


def _grid_y(ticks: Sequence[float], scale: float, left: float, right: float, bottom: float) -> list[str]:
    parts = []
    for tick in ticks:
        y = bottom - tick * scale
        parts.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 8, y + 5, tick_label(tick, ticks[-1]), "end"))
    return parts


def _horizontal_bars(trace: dict[str, Any], layout: dict[str, Any], height: int) -> str:
    labels = [str(y) for y in trace["y"]]
    values = [float(x) for x in trace["x"]]
    texts = [str(t) for t in trace.get("text") or map(_number, values)]
    left, right, top, bottom = LABEL_COLUMN, WIDTH - MARGIN["right"], 12, height - MARGIN["bottom"]
    ticks = nice_ticks(max(values, default=0) * 1.35, count=3)
    scale = (right - left) / (ticks[-1] or 1)
    parts = []
    for tick in ticks:
        x = left + tick * scale
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x, bottom + 20, tick_label(tick, ticks[-1]), "end" if tick == ticks[-1] else "middle"))
    slot = (bottom - top) / max(len(values), 1)
    for i, (value, label, text) in enumerate(zip(values, labels, texts, strict=True)):
        centre = top + slot * (i + 0.5)
        thickness = min(slot * 0.6, 40)
        parts.append(_rect(left, centre - thickness / 2, value * scale, thickness))
        parts.append(_text(left + value * scale + 6, centre + 5, text, "start", ' font-weight="600"'))
        lines = _lines(label)
        first = centre + 5 - 8 * (len(lines) - 1)
        parts.extend(_text(left - 8, first + 16 * n, part, "end") for n, part in enumerate(lines))
    parts.append(_text((left + right) / 2, height - 10, _axis_title(layout, "xaxis")))
    return "".join(parts)
