"""The one registry of the site's files, in memory: a path is written once, by one source.

Every producer (downloads, catalogues, feeds, pages) adds its files here with the words that say
what made each one. A second file at a path already taken is refused, never overwritten: a
resource named ``datapackage`` would lose its JSON to the descriptor, a package named
``all-data`` its zip to the site-wide one. Each refusal is kept as a conflict, which the pipeline
reports as a problem naming both sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from generator.problems.records import Problem

CONFLICT = "output-conflict"
C = TypeVar("C", bound="str | bytes")  # the content of a file: text or bytes


@dataclass(frozen=True)
class Conflict:
    """Two sources that would write the same path; the first one keeps it."""

    path: str
    kept: str  # what made the file that keeps the path
    refused: str  # what made the file that was refused
    file: Path  # where to act: the descriptor (or page) behind the refused file

    def problem(self, display: Callable[[Path], str]) -> Problem:
        return Problem(
            CONFLICT,
            f"Two files would be published at {self.path}: {self.kept}, and {self.refused}. Only one can be.",
            display(self.file),
            fix="Rename the package or resource so that its files have addresses of their own.",
        )


class Outputs(Mapping[str, C], Generic[C]):
    """Every file the site will have: docs path -> content, with what made each one."""

    def __init__(self) -> None:
        self._files: dict[str, C] = {}
        self._sources: dict[str, str] = {}
        self._where: dict[str, Path] = {}
        self.conflicts: list[Conflict] = []

    def add(self, path: str, content: C, source: str, file: Path) -> None:
        """Register ``content`` at ``path``, made by ``source``; a path already taken is refused."""
        if path in self._files:
            self.conflicts.append(Conflict(path, self._sources[path], source, file))
            return
        self._files[path] = content
        self._sources[path] = source
        self._where[path] = file

    def merge(self, other: Mapping[str, C], source: str = "a generated file", file: Path = Path()) -> None:
        """Register every file of ``other``: with its own sources and conflicts when it is a
        registry too, else each made by ``source``."""
        if isinstance(other, Outputs):
            self.conflicts.extend(other.conflicts)
            for path, content in other.items():
                self.add(path, content, other._sources[path], other._where[path])
            return
        for path, content in other.items():
            self.add(path, content, source, file)

    def transformed(self, change: Callable[[str, C], C]) -> Outputs[C]:
        """The same files, sources and conflicts, each content passed through ``change(path, content)``."""
        out: Outputs[C] = Outputs()
        out.conflicts.extend(self.conflicts)
        for path, content in self._files.items():
            out.add(path, change(path, content), self._sources[path], self._where[path])
        return out

    def source_of(self, path: str) -> str:
        """What made the file at ``path``."""
        return self._sources[path]

    def __getitem__(self, path: str) -> C:
        return self._files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)
