"""Charts as images that travel on their own: a standalone SVG document of a chart, and the
1200 x 630 card a shared link shows. Pure: figure and words in, SVG markup out.

Both draw the chart with ``svg.plot``, the drawing of the page's chart, so the image, the page
and Plotly agree. An image read away from the site carries what a reader needs to trust and
credit it: its title, the source, the licence and the address of its page, as text in the
drawing. The PNG files are these documents rasterised (``outputs.raster``), in the bundled font.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from generator.outputs.raster import FONT_FAMILY
from generator.render import svg

CHART_WIDTH = 640
CARD_WIDTH, CARD_HEIGHT = 1200, 630
PAD = 24
TEXT = svg.TEXT
QUIET = "#484f53"  # secondary text: 8.4:1 on white
ADVANCE = 0.55  # about the widest average advance of Lato's letters, as a fraction of the font size


@dataclass(frozen=True)
class Credit:
    """What an image carries about itself: its title, what it shows, where the figures come
    from, under which licence they may be reused, and where to read them in full."""

    title: str
    caption: str
    source: str
    licence: str
    url: str


def wrap(words: str, size: float, width: float, max_lines: int = 0) -> list[str]:
    """``words`` broken into lines that fit ``width`` pixels at ``size`` px (estimated, never
    under); with ``max_lines``, at most that many, the last ending in an ellipsis if cut."""
    room = max(1, int(width / (size * ADVANCE)))
    lines: list[str] = []
    for word in words.split():
        while len(word) > room:  # a web address or a long word: broken where it must be
            if lines and len(lines[-1]) + 1 < room:
                cut = room - len(lines[-1]) - 1
                lines[-1] += " " + word[:cut]
            else:
                cut = room
                lines.append(word[:cut])
            word = word[cut:]
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        elif word:
            lines.append(word)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: room - 1].rstrip() + "\u2026"
    return lines


def _lines(lines: Sequence[str], x: float, y: float, size: float, leading: float, extra: str = "") -> tuple[str, float]:
    """Text lines from the baseline ``y`` down; returns the markup and the baseline after them."""
    parts = [f'<text x="{x:.0f}" y="{y + n * leading:.0f}" font-size="{size:g}"{extra}>{escape(line)}</text>' for n, line in enumerate(lines)]
    return "".join(parts), y + len(lines) * leading


def _document(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" font-family="{FONT_FAMILY}" fill="{TEXT}">'
        f"<title>{escape(label)}</title>"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>{body}</svg>\n'
    )


def chart_svg(figure: dict[str, Any], credit: Credit) -> str:
    """A chart as an SVG document of its own: its title and what it shows, the chart, then the
    source, the licence and the address of its page."""
    inner = CHART_WIDTH - 2 * PAD
    title, y = _lines(wrap(credit.title, 22, inner), PAD, PAD + 20, 22, 28, ' font-weight="700"')
    caption, y = _lines(wrap(credit.caption, 15, inner), PAD, y + 4, 15, 20, f' fill="{QUIET}"')
    height = int(figure["layout"].get("height", 320))
    plot = svg.plot(figure, PAD, y + 4, inner)
    y += 4 + height + 36
    rule = f'<line x1="{PAD}" x2="{CHART_WIDTH - PAD}" y1="{y - 22:.0f}" y2="{y - 22:.0f}" stroke="#b1b4b6"/>'
    footer, y = _lines(
        [*wrap(f"Source: {credit.source}", 14, inner), *wrap(f"Licence: {credit.licence}", 14, inner), *wrap(credit.url, 14, inner)],
        PAD,
        y,
        14,
        19,
        f' fill="{QUIET}"',
    )
    total = int(y - 19 + PAD)
    return _document(CHART_WIDTH, total, f"{credit.title}. {credit.caption}", title + caption + str(plot) + rule + footer)


def card_svg(figure: dict[str, Any] | None, credit: Credit, sentence: str, site_name: str) -> str:
    """The card a shared link shows (Open Graph, Twitter Card): 1200 x 630, the indicator's
    title and headline sentence on the left, its chart (when it has one) on the right, and the
    site and address of the page at the foot."""
    left = 56
    text_width = 500 if figure else CARD_WIDTH - 2 * left
    both = wrap(f"{site_name} \u00b7 {credit.url}" if site_name else credit.url, 22, CARD_WIDTH - 2 * left)
    foot = both if len(both) == 1 else wrap(credit.url, 22, CARD_WIDTH - 2 * left, max_lines=1)  # the address matters most
    footer, _ = _lines(foot, left, CARD_HEIGHT - 40, 22, 28, f' fill="{QUIET}"')
    rule = f'<line x1="{left}" x2="{CARD_WIDTH - left}" y1="{CARD_HEIGHT - 84}" y2="{CARD_HEIGHT - 84}" stroke="#b1b4b6"/>'
    size = next((s for s in (40, 34) if len(wrap(credit.title, s, text_width)) <= 3), 28)  # a long title in smaller type, not cut
    title, y = _lines(wrap(credit.title, size, text_width, max_lines=3), left, 104, size, size * 1.2, ' font-weight="700"')
    said, _ = _lines(wrap(sentence, 26, text_width, max_lines=7), left, y + 20, 26, 34)
    if figure is None:
        stripe = f'<rect width="{CARD_WIDTH}" height="16" fill="{TEXT}"/>'
        return _document(CARD_WIDTH, CARD_HEIGHT, f"{credit.title}: {sentence}", stripe + title + said + rule + footer)
    colour = svg.mark_colour(figure)
    height = int(figure["layout"].get("height", 320))
    room_width, room_height = 560, 430
    scale = min(room_width / 420, room_height / (height + 8))
    plot = svg.plot(figure, 0, 0, 420)
    chart = f'<g transform="translate({CARD_WIDTH - 40 - 420 * scale:.0f} {72 + (room_height - height * scale) / 2:.0f}) scale({scale:.3f})">{plot}</g>'
    stripe = f'<rect width="{CARD_WIDTH}" height="16" fill="{escape(colour)}"/>'
    return _document(CARD_WIDTH, CARD_HEIGHT, f"{credit.title}: {sentence}", stripe + title + said + chart + rule + footer)
