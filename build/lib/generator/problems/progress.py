"""Progress on long work, for a person watching a terminal: the package and table being
checked or written, and the rows done.

Library code reports through ``report`` (the ``generator.progress`` logger); nothing is shown
unless the command line has called ``show``, which it does only when standard error is a
terminal and the build is not running in CI. The line is rewritten in place and cleared by
``done``. Worker processes show progress when the process that started them does (``showing``).
"""

from __future__ import annotations

import logging
import shutil
import sys
from typing import TextIO

LOGGER = logging.getLogger("generator.progress")
LOGGER.propagate = False  # never mixed into the debug log's lines


class _Line(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each message over the last one, on one line of the terminal."""

    terminator = ""

    def format(self, record: logging.LogRecord) -> str:
        width = shutil.get_terminal_size().columns - 1
        return "\r" + super().format(record)[:width] + "\x1b[K"


def show(stream: TextIO | None = None) -> None:
    """Show progress on ``stream`` (standard error) from now on, in this process."""
    if not showing():
        LOGGER.addHandler(_Line(stream or sys.stderr))
        LOGGER.setLevel(logging.INFO)


def showing() -> bool:
    """Whether progress is shown in this process."""
    return any(isinstance(handler, _Line) for handler in LOGGER.handlers)


def done() -> None:
    """Clear the progress line and show no more."""
    for handler in [h for h in LOGGER.handlers if isinstance(h, _Line)]:
        handler.stream.write("\r\x1b[K")
        handler.flush()
        LOGGER.removeHandler(handler)


def report(message: str, *args: object) -> None:
    """Say what is being done now (shown only when ``show`` was called)."""
    LOGGER.info(message, *args)
