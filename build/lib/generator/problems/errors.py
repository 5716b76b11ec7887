"""The one exception hierarchy of the generator; only ``cli.py`` turns it into exit codes."""

from __future__ import annotations

from collections.abc import Sequence

from generator.problems.records import Problem


class GeneratorError(Exception):
    """Root of every error the generator raises on purpose."""


class InvalidInput(GeneratorError):
    """The input data has problems that stop the build; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the input")
        self.problems = tuple(problems)


class SiteBuildFailed(GeneratorError):
    """MkDocs could not build the site from the generated pages; the previous site is kept."""


class UsageError(GeneratorError):
    """The command cannot run as asked (an unsafe output folder, a malformed setting); nothing was touched."""
