"""A registry of chart builders. Each returns a deterministic Plotly figure as a plain dict.

The dicts are written out rather than built with ``plotly.graph_objects``, whose validation
costs about 30 ms a figure (30 s for a thousand indicator pages); the tests check every kind
against Plotly's schema instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Figure = dict[str, Any]
NO_TEMPLATE = {"data": {"scatter": [{"type": "scatter"}]}}  # Plotly's "none" template

BAR_COLOUR = "#1d5a86"  # 7.4:1 on white: readable for every kind of colour vision
LONG_LABEL = 14  # characters: longer category labels get horizontal bars
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _layout(y_title: str, *, height: int = 320) -> dict[str, Any]:
    return dict(
        template=NO_TEMPLATE,
        height=height,
        margin=dict(l=64, r=16, t=16, b=48),
        font=dict(family=FONT, size=14, color="#1f1f1f"),
        yaxis=dict(title=dict(text=y_title), rangemode="tozero", gridcolor="#d9d9d9", automargin=True),
        xaxis=dict(automargin=True, type="category"),
        showlegend=False,
        separators=".,",
    )


def bar(labels: Sequence[str], values: Sequence[float], texts: Sequence[str], y_title: str) -> Figure:
    """Bars, one per label, each with its value printed on it. Long labels get horizontal
    bars, so they stay readable on a phone instead of being slanted over the plot."""
    if max((len(label) for label in labels), default=0) <= LONG_LABEL:
        trace: Figure = dict(
            type="bar",
            x=list(labels),
            y=list(values),
            text=list(texts),
            textposition="auto",
            marker=dict(color=BAR_COLOUR),
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
        return dict(data=[trace], layout=_layout(y_title))
    trace = dict(
        type="bar",
        y=[_wrap(label) for label in labels],
        x=list(values),
        text=list(texts),
        textposition="outside",
        orientation="h",
        cliponaxis=False,
        customdata=list(labels),
        marker=dict(color=BAR_COLOUR),
        hovertemplate="%{customdata}: %{text}<extra></extra>",
    )
    layout = _layout("", height=96 + 64 * len(labels))
    layout["xaxis"], layout["yaxis"] = (
        dict(
            title=dict(text=y_title), range=[min(min(values, default=0) * 1.45, 0), max(max(values, default=1) * 1.45, 0)], gridcolor="#d9d9d9", automargin=True
        ),
        dict(automargin=True, type="category", autorange="reversed"),
    )
    return dict(data=[trace], layout=layout)


def _wrap(label: str, width: int = LONG_LABEL) -> str:
    """Break a long label into lines of at most ``width`` characters (at spaces)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def line(labels: Sequence[str], values: Sequence[float], texts: Sequence[str], y_title: str) -> Figure:
    """A line with a marker and value at every point: the trend over more than two periods."""
    trace = dict(
        type="scatter",
        x=list(labels),
        y=list(values),
        text=list(texts),
        mode="lines+markers+text",
        textposition="top center",
        line=dict(color=BAR_COLOUR, width=3),
        marker=dict(size=9),
        hovertemplate="%{x}: %{text}<extra></extra>",
    )
    return dict(data=[trace], layout=_layout(y_title))


def trend(labels: Sequence[str], values: Sequence[float], texts: Sequence[str], y_title: str) -> Figure:
    """Bars for one or two periods; a line once there are more, to show the trend."""
    return (line if len(values) > 2 else bar)(labels, values, texts, y_title)


ChartBuilder = Callable[[Sequence[str], Sequence[float], Sequence[str], str], Figure]

CHARTS: dict[str, ChartBuilder] = {"bar": bar, "line": line, "trend": trend}


def build(kind: str, labels: Sequence[str], values: Sequence[float], texts: Sequence[str], y_title: str) -> Figure:
    """The figure of a registered kind; ``KeyError`` names the kinds there are."""
    if kind not in CHARTS:
        raise KeyError(f"unknown chart kind {kind!r}; known: {', '.join(sorted(CHARTS))}")
    return CHARTS[kind](labels, values, texts, y_title)
