"""Charts are readable for everyone: marks meet 3:1 and text 4.5:1 against the page, in one hue."""

from __future__ import annotations

import itertools
import re
from typing import Any
from xml.etree import ElementTree

import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.render import charts, svg

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


SVG = "{http://www.w3.org/2000/svg}"


def drawing_of(kind: str, labels: list[str], values: list[float], width: float = svg.WIDTH) -> tuple[ElementTree.Element, float]:
    """The parsed drawing of a chart in a column ``width`` pixels wide, and its height, with
    every horizontal position resolved to pixels from the column's left edge (as a browser
    lays it out: the ``<svg>`` is the plot area, its marks placed in percentages of it)."""
    texts = [f"{v:g}" for v in values]
    figure = charts.build(kind, labels, values, texts, "Change")
    root = ElementTree.fromstring(str(svg.preview(figure)).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
    return resolve(root, width), float(root.get("height", "0"))


def resolve(root: ElementTree.Element, width: float) -> ElementTree.Element:
    """The drawing with x positions and widths in pixels of a column ``width`` wide."""
    style = dict(part.split(":", 1) for part in (root.get("style") or "").replace(" ", "").split(";") if part)
    left = float(style["margin-left"].removesuffix("px"))
    margins = float(style["width"].removeprefix("calc(100%-").removesuffix("px)"))
    plot = width - margins

    def px(value: str, offset: float) -> float:
        return offset + (float(value[:-1]) / 100 * plot if value.endswith("%") else float(value))

    for element in root.iter():
        if element is root:
            continue
        for name in ("x", "x1", "x2", "cx"):
            if element.get(name) is not None:
                element.set(name, f"{px(element.get(name, '0'), left) + float(element.get('dx', '0')):.2f}")
        if element.get("width") is not None:
            element.set("width", f"{px(element.get('width', '0'), 0):.2f}")
    root.set("plot-width", f"{plot:.2f}")
    return root


def texts_of(root: ElementTree.Element) -> list[ElementTree.Element]:
    return list(root.iter(f"{SVG}text"))


def zero_of(root: ElementTree.Element, axis: str) -> float:
    """Where the value 0 is: the position of the tick labelled 0 (y is 5 px under the line)."""
    tick = next(t for t in texts_of(root) if t.text == "0")
    return float(tick.get(axis, "0")) - (5 if axis == "y" else 0)


def ticks_of(root: ElementTree.Element) -> list[float]:
    """The values of the y axis' ticks (labels right-aligned left of the plot)."""
    return [float((t.text or "").replace(",", "")) for t in texts_of(root) if t.get("text-anchor") == "end" and float(t.get("x", "0")) < svg.MARGIN["left"]]


def assert_text_inside(root: ElementTree.Element, height: float) -> None:
    for text in texts_of(root):
        if text.get("transform"):
            continue  # the rotated axis title
        x, y, width = float(text.get("x", "0")), float(text.get("y", "0")), len(text.text or "") * svg.CHARACTER_WIDTH
        start = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
        assert start >= 0 and start + width <= svg.WIDTH, (text.text, x)
        assert svg.FONT_SIZE <= y <= height, (text.text, y)


SIGNED_SERIES = [[-120.0, -45.0], [-3.5, -0.25, -2.0], [150.0, -60.0], [-1500.0, 10.0, 300.0]]


@pytest.mark.parametrize("values", SIGNED_SERIES)
def test_bars_below_zero_start_at_zero_and_go_down_with_ticks_below_zero(values: list[float]) -> None:
    labels = [f"Q{i + 1}" for i in range(len(values))]
    root, height = drawing_of("bar", labels, values)
    zero = zero_of(root, "y")
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == len(values)
    heights = [float(r.get("height", "0")) for r in rects]
    per_unit = max(heights) / max(map(abs, values))
    assert heights == pytest.approx([abs(v) * per_unit for v in values], abs=0.11), "bar lengths are proportional to the values"
    for rect, value in zip(rects, values, strict=True):
        y, h = float(rect.get("y", "0")), float(rect.get("height", "0"))
        assert h > 0
        if value < 0:
            assert y == pytest.approx(zero, abs=0.11), "a negative bar hangs from the zero line"
        else:
            assert y + h == pytest.approx(zero, abs=0.11), "a positive bar stands on the zero line"
    ticks_below = [t for t in texts_of(root) if (t.text or "").startswith("-") and float(t.get("x", "0")) < svg.MARGIN["left"]]
    assert ticks_below and all(float(t.get("y", "0")) > zero for t in ticks_below), "the axis extends below zero, with ticks"
    lowest = max(float(r.get("y", "0")) + float(r.get("height", "0")) for r in rects)
    assert lowest <= height - svg.MARGIN["bottom"], "bars stay above the category labels"
    assert_text_inside(root, height)


@pytest.mark.parametrize("values", SIGNED_SERIES)
def test_a_line_below_zero_is_drawn_under_the_zero_line(values: list[float]) -> None:
    labels = [f"Q{i + 1}" for i in range(len(values))]
    root, height = drawing_of("line", labels, values)
    zero = zero_of(root, "y")
    circles = [float(c.get("cy", "0")) for c in root.iter(f"{SVG}circle")]
    assert len(circles) == len(values)
    ticks = ticks_of(root)
    per_unit = (height - svg.MARGIN["bottom"] - svg.MARGIN["top"]) / (max(ticks) - min(ticks))
    assert [zero - cy for cy in circles] == pytest.approx([v * per_unit for v in values], abs=0.11), "points sit at their value, negative ones under zero"
    assert all(svg.MARGIN["top"] - 0.1 <= cy <= height - svg.MARGIN["bottom"] + 0.1 for cy in circles)
    assert_text_inside(root, height)


@pytest.mark.parametrize("values", SIGNED_SERIES)
def test_horizontal_bars_below_zero_go_left_from_zero(values: list[float]) -> None:
    labels = [f"Anti-social behaviour service {i}" for i in range(len(values))]
    root, height = drawing_of("bar", labels, values)
    zero = zero_of(root, "x")
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == len(values)
    for rect, value in zip(rects, values, strict=True):
        x, w = float(rect.get("x", "0")), float(rect.get("width", "0"))
        assert w > 0
        if value < 0:
            assert x + w == pytest.approx(zero, abs=0.11) and x >= svg.LABEL_COLUMN - 0.1
        else:
            assert x == pytest.approx(zero, abs=0.11)
    assert any((t.text or "").startswith("-") and float(t.get("x", "0")) < zero for t in texts_of(root)), "the axis extends below zero"
    assert_text_inside(root, height)
    figure = charts.build("bar", labels, values, [str(v) for v in values], "Change")
    low, high = figure["layout"]["xaxis"]["range"]
    assert low < min(values) and high >= max(0, *values), "Plotly's axis shows every bar too"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_ticks_span_both_signs_through_zero_evenly(a: float, b: float) -> None:
    low, high = sorted((a, b))
    ticks = svg.nice_range(low, high)
    steps = {round((y - x) / (ticks[1] - ticks[0]), 6) for x, y in itertools.pairwise(ticks)}
    assert 0 in ticks and ticks[0] <= min(low, 0) and ticks[-1] >= max(high, 0) and steps == {1} and 2 <= len(ticks) <= 7


@given(st.lists(st.floats(min_value=0.01, max_value=1e9, allow_nan=False), min_size=1, max_size=8), st.booleans())
def test_the_value_axis_ends_at_the_first_tick_at_or_above_the_largest_value(values: list[float], long_labels: bool) -> None:
    labels = [("Anti-social behaviour service " if long_labels else "Q") + str(i) for i in range(len(values))]
    figure = charts.build("bar", labels, values, [f"{v:g}" for v in values], "Count")
    ticks = svg.plan(figure).ticks
    assert ticks[0] == 0 and ticks[-1] >= max(values) and ticks[-2] < max(values), ticks


def test_741_knife_crimes_end_the_axis_at_750_not_1500() -> None:
    figure = charts.build("bar", ["Previous year to date", "Year to date"], [683.0, 741.0], ["683", "741"], "Count")
    assert svg.plan(figure).ticks == [0, 250, 500, 750]
    interactive = svg.interactive(figure)
    assert interactive["layout"]["xaxis"]["range"] == [0, 750] and interactive["layout"]["xaxis"]["tickvals"] == [0, 250, 500, 750]
    drawn = [t.text for t in texts_of(drawing_of("bar", ["Previous year to date", "Year to date"], [683.0, 741.0])[0])]
    assert "1,500" not in drawn and "750" in drawn


@pytest.mark.parametrize("kind", ["bar", "line"])
@pytest.mark.parametrize("values", [[683.0, 741.0], [-120.0, 45.0, 300.0], [float(10 * i) for i in range(40)]])
def test_plotly_gets_the_drawings_axis_and_a_valid_figure(kind: str, values: list[float]) -> None:
    labels = [f"Q{i % 4 + 1} {2000 + i // 4}" for i in range(len(values))]
    figure = charts.build(kind, labels, values, [f"{v:g}" for v in values], "Count")
    interactive = svg.interactive(figure)
    go.Figure(interactive)  # raises on any property Plotly does not know
    plan = svg.plan(figure)
    axis = interactive["layout"]["xaxis" if plan.horizontal else "yaxis"]
    assert axis["range"] == [plan.ticks[0], plan.ticks[-1]] and axis["tickvals"] == plan.ticks
    assert axis["ticktext"] == [svg.tick_label(t, max(abs(plan.ticks[0]), abs(plan.ticks[-1]))) for t in plan.ticks]
    assert figure == charts.build(kind, labels, values, [f"{v:g}" for v in values], "Count"), "the figure itself is not changed"


@pytest.mark.parametrize("count", [3, 12, 40, 120])
@pytest.mark.parametrize("width", [svg.WIDTH, 1248])
def test_a_long_line_labels_every_nth_period_and_labels_never_overlap(count: int, width: int) -> None:
    labels = [f"Q{i % 4 + 1} {2000 + i // 4}-{(i // 4 + 1) % 100:02d}" for i in range(count)]
    root, height = drawing_of("line", labels, [100.0 + i for i in range(count)], width)
    bottom = height - svg.MARGIN["bottom"]
    names = sorted((float(t.get("x", "0")), t.text or "") for t in texts_of(root) if float(t.get("y", "0")) > bottom + 10)
    assert names[-1][1] == labels[-1], "the newest period is always labelled"
    assert len(names) >= 2
    for (x1, a), (x2, b) in itertools.pairwise(names):
        assert x2 - x1 >= (len(a) + len(b)) / 2 * svg.CHARACTER_WIDTH + svg.LABEL_GAP / 2, (a, b)
    values = sorted(float(t.get("x", "0")) for t in texts_of(root) if t.get("font-weight") == "600")
    assert values == pytest.approx([x for x, _ in names]), "values are printed where their periods are labelled"


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_the_drawing_fills_its_column_at_every_width(kind: str) -> None:
    labels, values = ["2023", "2024", "2025"], [300.0, 500.0, 741.0]
    for width in (svg.WIDTH, 700.0, 1248.0):
        root, _ = drawing_of(kind, labels, values, width)
        plot = float(root.get("plot-width", "0"))
        assert plot == pytest.approx(width - svg.MARGIN["left"] - svg.MARGIN["right"])
        marks = [float(e.get("x", e.get("cx", "0"))) + float(e.get("width", "0")) / 2 for e in root.iter() if e.tag in (f"{SVG}rect", f"{SVG}circle")]
        assert max(marks) == pytest.approx(svg.MARGIN["left"] + plot * 5 / 6, abs=1), "the last category sits in the last sixth of the column"
