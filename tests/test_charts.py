"""Charts are readable for everyone: marks meet 3:1 and text 4.5:1 against the page, in one hue."""

from __future__ import annotations

import itertools
import re
from typing import Any

import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import charts, svg

PAGE_BACKGROUND = "#ffffff"


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colours(node: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (key, #rrggbb) pair anywhere in a figure."""
    if isinstance(node, dict):
        return [pair for k, v in node.items() for pair in colours(v, k)]
    if isinstance(node, list):
        return [pair for item in node for pair in colours(item, key)]
    return [(key, node)] if isinstance(node, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", node) else []


@pytest.mark.parametrize("kind", ["bar", "line", "trend"])
@pytest.mark.parametrize("labels", [["Previous year to date", "Year to date"], ["A", "B", "C"]])
def test_marks_and_text_contrast_with_the_page(kind: str, labels: list[str]) -> None:
    figure = charts.build(kind, labels, [3.0] * len(labels), ["3"] * len(labels), "Count")
    found = colours(figure)
    marks = {c for k, c in found if k == "color" and c != figure["layout"]["font"]["color"]}
    assert marks, "the figure draws with explicit colours"
    assert all(contrast(c, PAGE_BACKGROUND) >= 3 for c in marks), marks
    assert contrast(figure["layout"]["font"]["color"], PAGE_BACKGROUND) >= 4.5
    assert len(marks) == 1, "one hue: nothing depends on telling colours apart"


@pytest.mark.parametrize(
    ("kind", "labels", "mark"),
    [
        ("bar", ["2023", "2024"], "<rect "),
        ("bar", ["Drugs and alcohol treatment for adults", "CCTV network", "Anti-social behaviour service"], "<rect "),
        ("line", ["Q1", "Q2", "Q3", "Q4"], "<circle "),
    ],
)
def test_the_drawing_shows_every_value_with_its_label(kind: str, labels: list[str], mark: str) -> None:
    values = [1500.0 * (i + 1) for i in range(len(labels))]
    texts = [f"£{v:,.0f}" for v in values]
    drawing = str(svg.preview(charts.build(kind, labels, values, texts, "Pounds")))
    assert drawing.count(mark) == len(values)
    for text in texts:
        assert f">{text}</text>" in drawing
    for word in " ".join(labels).split():
        assert word in drawing
    assert 'aria-hidden="true"' in drawing, "the figure's caption and table speak for it"


def test_the_drawing_escapes_its_labels() -> None:
    drawing = str(svg.preview(charts.build("bar", ["<script>", "a&b"], [1.0, 2.0], ["1", "2"], "<y>")))
    assert "<script>" not in drawing and "&lt;script&gt;" in drawing and "a&amp;b" in drawing and "&lt;y&gt;" in drawing


@given(st.floats(min_value=0.001, max_value=1e12, allow_nan=False))
def test_ticks_start_at_zero_rise_evenly_and_reach_the_top(top: float) -> None:
    ticks = svg.nice_ticks(top)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert ticks[0] == 0 and ticks[-1] >= top and len(steps) == 1 and 2 <= len(ticks) <= 6


@pytest.mark.parametrize("kind", ["bar", "line", "trend"])
@pytest.mark.parametrize("labels", [["Previous year to date", "Year to date"], ["A", "B", "C"]])
def test_every_figure_is_valid_for_plotly(kind: str, labels: list[str]) -> None:
    figure = charts.build(kind, labels, [3.0] * len(labels), ["3"] * len(labels), "Count")
    validated = go.Figure(figure).to_plotly_json()  # raises on any property Plotly does not know
    assert validated["data"][0]["type"] == figure["data"][0]["type"]
    assert validated["layout"]["height"] == figure["layout"]["height"]
