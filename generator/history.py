"""The files of each release of a package: now from its folder, earlier ones from the project's
git history. Reads only.

A release stays downloadable after later ones: its files are those of the newest commit in
which the package's descriptor had the release's version. Without git, or without that
commit (a shallow clone: fetch the full history), the release has no archive and the
caller says so.
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)


def _git(folder: Path, *args: str) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError) as err:
        log.debug("git %s: %s", " ".join(args), err)
        return None
    return result.stdout if result.returncode == 0 else None


def package_files(package_dir: Path) -> dict[str, bytes]:
    """The package's files as they are now, paths relative to its folder, as a release keeps them."""
    return {p.relative_to(package_dir).as_posix(): p.read_bytes() for p in sorted(package_dir.rglob("*")) if p.is_file()}


def package_at_version(package_dir: Path, version: str) -> dict[str, bytes] | None:
    """The package's files (paths relative to its folder) as committed at ``version``, or None."""
    top = _git(package_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.decode().strip()).resolve()
    relative = package_dir.resolve().relative_to(root).as_posix()
    commits = _git(root, "log", "--format=%H", "--", f"{relative}/datapackage.json")
    for commit in (commits or b"").decode().split():
        descriptor = _git(root, "show", f"{commit}:{relative}/datapackage.json")
        try:
            found = json.loads(descriptor or b"").get("version")
        except (ValueError, AttributeError):
            continue
        if found == version:
            return _files_at(root, commit, relative)
    return None


def _files_at(root: Path, commit: str, relative: str) -> dict[str, bytes] | None:
    listing = _git(root, "ls-tree", "-r", "--name-only", commit, "--", relative)
    if listing is None:
        return None
    files = {}
    for name in listing.decode().splitlines():
        content = _git(root, "show", f"{commit}:{name}")
        if content is None:
            return None
        files[name.removeprefix(f"{relative}/")] = content
    return files or None
