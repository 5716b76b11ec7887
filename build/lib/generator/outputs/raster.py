"""SVG drawings rasterised to PNG images at build time, in memory, the same on every machine.

The rasteriser is resvg (through the ``resvg-py`` wheel: resvg compiled into one module, with no
system library to install, unlike CairoSVG, which needs the Cairo C library). It is given only
the fonts bundled here (``fonts/``: Lato Regular and Bold, SIL Open Font License, ``OFL.txt``)
and never looks at the machine's own, so a chart's PNG has the same letters, widths and bytes
wherever the site is built. Drawings name the font ``Lato`` (see ``FONT_FAMILY``).
"""

from __future__ import annotations

import multiprocessing
import struct
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import resvg_py

from generator.checks import parallel

FONTS = Path(__file__).parent / "fonts"
FONT_FILES = (FONTS / "Lato-Regular.ttf", FONTS / "Lato-Bold.ttf")
FONT_FAMILY = "Lato, sans-serif"  # what a drawing asks for: the bundled font, else the viewer's sans-serif
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WORTH_A_PROCESS = 100  # images a worker process should get: fewer, and starting it costs more than it saves
REMEMBERED = 5000  # images kept for the next build in this process (the live preview): about 150 MB at most
_made: dict[str, bytes] = {}  # SVG document -> its PNG, made by this process


def png(svg: str) -> bytes:
    """The PNG image of a standalone SVG document, at its own width and height (one pixel a
    unit), on the white the drawing paints, text set in the bundled font only."""
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            font_files=[str(f) for f in FONT_FILES],
            skip_system_fonts=True,
            font_family="Lato",
            sans_serif_family="Lato",
        )
    )


def pngs(svgs: Sequence[str]) -> list[bytes]:
    """The PNG image of each document, in order: on every core when there are enough of them
    (a thousand indicators are two thousand images, some tens of milliseconds each). Images
    made before in this process are reused (a drawing gives the same bytes every time), so the
    live preview's rebuilds rasterise only the charts whose drawing changed."""
    missing = list(dict.fromkeys(svg for svg in svgs if svg not in _made))
    processes = min(parallel.workers(), len(missing) // WORTH_A_PROCESS)
    if processes < 2:
        made = [png(svg) for svg in missing]
    else:
        with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            made = list(pool.map(png, missing, chunksize=WORTH_A_PROCESS // 4))
    if len(_made) + len(made) > REMEMBERED:
        _made.clear()
    found = {**{svg: _made[svg] for svg in svgs if svg in _made}, **dict(zip(missing, made, strict=True))}
    _made.update(found)
    return [found[svg] for svg in svgs]


def png_size(image: bytes) -> tuple[int, int]:
    """The width and height in a PNG's header (its first chunk, IHDR).

    Raises:
        ValueError: the bytes are not a PNG.
    """
    if image[:8] != PNG_SIGNATURE or image[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", image[16:24])
    return width, height
