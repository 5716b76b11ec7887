"""Problem records: bad data is a value, not an exception.

Every problem says where (file, row, field), what (code, message) and what to do (fix).
The formatters here are pure: they return text for the CLI to print.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from itertools import groupby


class Severity(StrEnum):
    """How bad a problem is: errors stop the build, warnings stop it only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows.

    ``row`` counts lines of the file as a spreadsheet shows them (the header is row 1);
    ``None`` means the problem is about the whole file or field.
    """

    code: str
    message: str
    file: str
    row: int | None = None
    field: str | None = None
    fix: str = ""
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        """``file:row:field`` with the parts that are known."""
        parts = [self.file]
        if self.row is not None or self.field:
            parts.append("" if self.row is None else str(self.row))
        if self.field:
            parts.append(self.field)
        return ":".join(parts)

    def line(self) -> str:
        """The problem as one line: ``path:row:field [code] message Fix: ...``."""
        text = f"{self.location} [{self.code}] {self.message}"
        if self.severity is Severity.WARNING:
            text = f"{self.location} [{self.code}] warning: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


def is_fatal(problems: Iterable[Problem], strict: bool) -> bool:
    """True when the problems must stop the build (any error; any warning when strict)."""
    return any(strict or p.severity is Severity.ERROR for p in problems)


MORE_CELLS = "more cells have the same problem"  # the summary line after a file's first examples of one code


def sort_key(problem: Problem) -> tuple[str, int, str, str]:
    """Order problems by file, then row, then field, then code. A problem about the whole file
    comes first, except the summary of cells like those shown ("N more cells..."), which comes
    after them."""
    summary = problem.row is None and MORE_CELLS in problem.message
    return (problem.file, sys.maxsize if summary else problem.row or 0, problem.field or "", problem.code)


def format_text(problems: Sequence[Problem]) -> str:
    """Problems grouped by file, one line each, with a closing count."""
    lines: list[str] = []
    for file, group in groupby(sorted(problems, key=sort_key), key=lambda p: p.file):
        lines.append(f"{file}:")
        lines.extend(f"  {p.line()}" for p in group)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    lines.append(f"{errors} error(s), {len(problems) - errors} warning(s)")
    return "\n".join(lines)


def format_json(problems: Sequence[Problem]) -> str:
    """A machine-readable report: ``{"problems": [...], "errors": n, "warnings": n}``."""
    records = [{**asdict(p), "severity": p.severity.value} for p in sorted(problems, key=sort_key)]
    errors = sum(p.severity is Severity.ERROR for p in problems)
    report = {"problems": records, "errors": errors, "warnings": len(problems) - errors}
    return json.dumps(report, indent=2, ensure_ascii=False)


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_escape(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands, so problems show on the offending CSV line."""
    lines = []
    for p in sorted(problems, key=sort_key):
        props = f"file={_github_property(p.file)}"
        if p.row is not None:
            props += f",line={p.row}"
        props += f",title={_github_property(p.code)}"
        message = f"{p.field + ': ' if p.field else ''}{p.message}{' Fix: ' + p.fix if p.fix else ''}"
        lines.append(f"::{p.severity.value} {props}::{_github_escape(message)}")
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
