"""The one frozen configuration object of a build, and how it is resolved."""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Config:
    """Where the inputs are, where the site goes, and how strict to be.

    Attributes:
        root: the project folder; relative paths in messages are relative to it.
        datasets_dir: folder of datapackages, one per sub-folder (``<name>/datapackage.json``).
        site_src_dir: hand-written pages, theme overrides and assets.
        schemas_dir: the Table Schemas of the site profiles (``indicator-profile/``).
        mkdocs_file: the MkDocs configuration to build with.
        site_dir: where the public site is published.
        work_dir: scratch space for staging builds; must be on the same file system as site_dir.
        strict: treat warnings as errors.
        updated: when the data was last updated, shown on the site.
    """

    root: Path
    datasets_dir: Path
    site_src_dir: Path
    schemas_dir: Path
    mkdocs_file: Path
    site_dir: Path
    work_dir: Path
    strict: bool
    updated: datetime

    @classmethod
    def for_project(
        cls,
        root: Path,
        *,
        datasets_dir: Path | None = None,
        site_dir: Path | None = None,
        strict: bool = False,
    ) -> Config:
        """The configuration for a project folder laid out as the README describes."""
        root = root.resolve()
        datasets = (datasets_dir or root / "datasets").resolve()
        site = (site_dir or root / "site").resolve()
        return cls(
            root=root,
            datasets_dir=datasets,
            site_src_dir=root / "site_src",
            schemas_dir=root / "schemas",
            mkdocs_file=root / "mkdocs.yml",
            site_dir=site,
            work_dir=site.parent / ".build",
            strict=strict,
            updated=data_updated(datasets),
        )

    def display(self, path: Path) -> str:
        """A path as shown in messages: relative to the project when it is inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def data_updated(datasets_dir: Path) -> datetime:
    """When the data last changed, reproducibly.

    ``SOURCE_DATE_EPOCH`` wins; otherwise the date of the last git commit that touched the
    datasets; otherwise the newest modification time of a file in them.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=datasets_dir,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as err:
        log.debug("git not usable for the data date: %s", err)
        out = ""
    if out.isdigit():
        return datetime.fromtimestamp(int(out), tz=UTC)
    mtimes = [p.stat().st_mtime for p in datasets_dir.rglob("*") if p.is_file()] or [0.0]
    return datetime.fromtimestamp(int(max(mtimes)), tz=UTC)
