"""Which version of each package the site publishes at a moment: releases announced for later
are not published early.

A package's release log (its ``releases`` resource) may date a release in the future, with a
``time`` of day (London time; 09:30 when it gives none). When the descriptor's version is such a
release and its moment has not come, the package is *embargoed*: its data is read as it was
committed for the newest release whose moment has passed (from git history), so that every page,
download, catalogue and feed shows that release's data and none of the new figures. A package
whose only releases are still to come is announced but not published. The release log of the
working tree is still read for the announcements (the release calendar).

This is decided here, before validation, by choosing which files of a package are read; nothing
after it needs to know, apart from the release zips and file dates (``Embargo``).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from generator.inputs import history, load

log = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
DEFAULT_TIME = time(9, 30)  # the Code of Practice for Statistics' release time
RELEASES = "releases"
TIME_FORMAT = "%H:%M"


def release_moment(day: date, at: time | None = None) -> datetime:
    """The moment (in UTC) a release dated ``day`` at ``at`` London time is published: 09:30
    unless ``at`` says otherwise, in GMT or BST as the clocks are that day."""
    return datetime.combine(day, at or DEFAULT_TIME, tzinfo=LONDON).astimezone(UTC)


@dataclass(frozen=True)
class Announced:
    """A release as the package's release log (in the working tree) announces it."""

    package: str
    package_title: str
    version: str
    day: date
    at: time  # London time
    type: str
    summary: str

    @property
    def moment(self) -> datetime:
        """When it is published, in UTC."""
        return release_moment(self.day, self.at)

    @property
    def anchor(self) -> str:
        return f"{self.package}-{self.version}"


@dataclass(frozen=True)
class Embargo:
    """A package whose current version is announced for later: what is published instead.

    ``shown`` is the version published until ``coming`` is released (empty when none is: the
    package is announced only); ``shown_files`` are its files as committed and ``shown_since``
    when they were committed (the files' last-updated date on the site)."""

    package: str
    coming: Announced
    shown: str
    shown_files: Mapping[str, bytes] | None
    shown_since: datetime | None


def _descriptor(package_dir: Path) -> Any:
    """The package's descriptor, or None when it cannot be read (validation says why)."""
    try:
        return load.read_descriptor(package_dir)
    except (OSError, ValueError, yaml.YAMLError):
        return None


def _release_resource(descriptor: Any) -> Mapping[str, Any] | None:
    resources = descriptor.get("resources") if isinstance(descriptor, Mapping) else None
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, Mapping) and resource.get("name") == RELEASES and isinstance(resource.get("path"), str):
            return resource
    return None


def _time(text: str) -> time | None:
    if not text.strip():
        return DEFAULT_TIME
    try:
        return datetime.strptime(text.strip(), TIME_FORMAT).time()
    except ValueError:
        return None


def announced(package_dir: Path) -> list[Announced]:
    """Every release the package's release log announces, as it is in the working tree, oldest
    first. Rows that cannot be read (validation reports them) and a log that is not a plain
    file inside the package are left out."""
    descriptor = _descriptor(package_dir)
    resource = _release_resource(descriptor)
    path = str(resource["path"]) if resource else ""
    if not path or PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
        return []
    raw = history.package_files(package_dir).get(PurePosixPath(path).as_posix())
    if raw is None or not isinstance(descriptor, Mapping):
        return []
    name = str(descriptor.get("name") or package_dir.name)
    title = str(descriptor.get("title") or name)
    found = []
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig", "replace"))):
        at = _time(row.get("time") or "")
        try:
            day = date.fromisoformat((row.get("date") or "").strip())
        except ValueError:
            continue
        version = (row.get("version") or "").strip()
        if version and at is not None:
            found.append(Announced(name, title, version, day, at, (row.get("type") or "").strip(), (row.get("summary") or "").strip()))
    return sorted(found, key=lambda a: (a.moment, a.version))


def embargo_of(package_dir: Path, now: datetime) -> Embargo | None:
    """What the site may publish of the package at ``now``: None when its current version may be
    published (it is not announced for later); otherwise the ``Embargo`` naming the newest
    release whose moment has passed and its files as committed."""
    descriptor = _descriptor(package_dir)
    current = str(descriptor.get("version") or "") if isinstance(descriptor, Mapping) else ""
    releases = announced(package_dir)
    coming = next((a for a in releases if a.version == current and a.moment > now), None)
    if coming is None:
        return None
    past = [a for a in releases if a.moment <= now and a.version != current]
    shown = past[-1].version if past else ""
    files = history.package_at_version(package_dir, shown) if shown else None
    if shown and files is None:
        log.warning("%s: release %s is not in the git history; the package is announced but not published", package_dir.name, shown)
    return Embargo(package_dir.name, coming, shown, files, _committed(package_dir, shown) if files is not None else None)


def _committed(package_dir: Path, version: str) -> datetime | None:
    """When the newest commit whose descriptor has ``version`` was made."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=%H %ct", "--", history.DESCRIPTOR], cwd=package_dir, capture_output=True, text=True, check=False, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.split("\n"):
        commit, _, seconds = line.partition(" ")
        shown = subprocess.run(["git", "show", f"{commit}:./{history.DESCRIPTOR}"], cwd=package_dir, capture_output=True, check=False, timeout=60)
        try:
            if json.loads(shown.stdout or b"").get("version") == version and seconds.isdigit():
                return datetime.fromtimestamp(int(seconds), tz=UTC)
        except (ValueError, AttributeError):
            continue
    return None


def passed(announcements: Sequence[Announced], now: datetime) -> list[str]:
    """The releases whose moment has passed at ``now`` (``package version moment``): what a
    rebuild's fingerprint must see change when a release moment comes."""
    return [f"{a.package} {a.version} {a.moment.isoformat()}" for a in announcements if a.moment <= now]


def write_files(held: Embargo, folder: Path) -> Path:
    """Write the files of the release ``held`` shows into ``folder`` (a scratch folder, new),
    dated when they were committed; returns ``folder``."""
    for name, content in (held.shown_files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        if held.shown_since is not None:
            stamp = held.shown_since.timestamp()
            os.utime(path, (stamp, stamp))
    return folder
