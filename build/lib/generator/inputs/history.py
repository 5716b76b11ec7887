"""The files of each release of a package: now from its folder, earlier ones from the project's
git history. Reads only.

A release stays downloadable after later ones: its files are those of the newest commit in
which the package's descriptor had the release's version (a later commit that changed only its
data, keeping the version, is part of that release). Without git, or without that
commit (a shallow clone: fetch the full history), the release has no archive and the
caller says so.

A release holds only what the descriptor names (its tables, and schema and dialect files),
the descriptor, and a README or LICENCE beside it; each a regular file inside the package
(never a link, device or FIFO; from git, never anything but a regular blob). Anything else in
the folder, such as a link a pull request added, is never published.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import subprocess
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

log = logging.getLogger(__name__)

DESCRIPTOR = "datapackage.json"
BESIDE_DESCRIPTOR = re.compile(r"(readme|licen[cs]e)(\.(md|txt))?", re.IGNORECASE)  # published with the package
REGULAR_BLOBS = ("100644", "100755")  # git modes of regular files (not 120000, a link; not 160000, a submodule)


def _git(folder: Path, *args: str) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError) as err:
        log.debug("git %s: %s", " ".join(args), err)
        return None
    return result.stdout if result.returncode == 0 else None


def named_files(descriptor: object) -> set[str]:
    """The paths (relative to the package folder) a descriptor names: the descriptor itself,
    each resource's path, and its schema and dialect when they are files."""
    names = {DESCRIPTOR}
    resources = descriptor.get("resources") if isinstance(descriptor, Mapping) else None
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, Mapping):
            names.update(_relative(value) for key in ("path", "schema", "dialect") if isinstance(value := resource.get(key), str))
    return names - {""}


def _relative(path: str) -> str:
    """A path as the descriptor gives it, normalised (``./data/x.csv`` -> ``data/x.csv``); empty when unsafe."""
    pure = PurePosixPath(path)
    return "" if pure.is_absolute() or ".." in pure.parts or "\\" in path else pure.as_posix()


def publishable(name: str, named: set[str]) -> bool:
    """Whether a release keeps the file ``name``: the descriptor names it, or it is a README or licence beside it."""
    return name in named or ("/" not in name and BESIDE_DESCRIPTOR.fullmatch(name) is not None)


def _regular_file(package_dir: Path, name: str) -> bytes | None:
    """The bytes of ``package_dir/name`` when every step of the way is a real folder and it is a regular file."""
    path, mode = package_dir, stat.S_IFDIR
    try:
        for part in PurePosixPath(name).parts:
            path = path / part
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                log.debug("not publishing %s: it is a link", path)
                return None
        if not stat.S_ISREG(mode):
            log.debug("not publishing %s: it is not a regular file", path)
            return None
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
            return handle.read()
    except OSError as err:
        log.debug("not publishing %s: %s", path, err)
        return None


def package_files(package_dir: Path) -> dict[str, bytes]:
    """The package's files as they are now, paths relative to its folder, as a release keeps them:
    only those its descriptor names, and a README or licence beside it (see ``publishable``)."""
    raw = _regular_file(package_dir, DESCRIPTOR)
    try:
        descriptor: Any = json.loads(raw or b"")
    except (ValueError, RecursionError):
        return {}
    named = named_files(descriptor)
    candidates = named | {entry.name for entry in os.scandir(package_dir) if publishable(entry.name, named)}
    found = {name: _regular_file(package_dir, name) for name in sorted(candidates)}
    return {name: content for name, content in found.items() if content is not None}


def package_at_version(package_dir: Path, version: str) -> dict[str, bytes] | None:
    """The package's files (paths relative to its folder) as committed at ``version``, or None."""
    top = _git(package_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.decode().strip()).resolve()
    relative = package_dir.resolve().relative_to(root).as_posix()
    commits = _git(root, "log", "--format=%H", "--", f"{relative}/")  # every commit that changed the package, not only its descriptor
    for commit in (commits or b"").decode().split():
        descriptor = _git(root, "show", f"{commit}:{relative}/datapackage.json")
        try:
            parsed = json.loads(descriptor or b"")
            found = parsed.get("version")
        except (ValueError, AttributeError, RecursionError):
            continue
        if found == version:
            return _files_at(root, commit, relative, named_files(parsed))
    return None


def _files_at(root: Path, commit: str, relative: str, named: set[str]) -> dict[str, bytes] | None:
    """The publishable regular blobs of the package folder ``relative`` at ``commit``."""
    listing = _git(root, "ls-tree", "-r", "-z", commit, "--", f"{relative}/")
    if listing is None:
        return None
    files = {}
    for line in listing.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = line.partition("\t")
        mode, _, rest = meta.partition(" ")
        kind, _, blob = rest.partition(" ")
        name = path.removeprefix(f"{relative}/")
        if not path.startswith(f"{relative}/") or mode not in REGULAR_BLOBS or kind != "blob" or not publishable(name, named):
            continue
        content = _git(root, "cat-file", "blob", blob)
        if content is None:
            return None
        files[name] = content
    return files or None


def package_at_ref(package_dir: Path, ref: str) -> dict[str, bytes] | None:
    """The package's files (paths relative to its folder) as committed at the git ``ref`` (a
    commit, branch or tag), as a release keeps them; None when git, the ref or the package
    there cannot be found."""
    found = _root_and_relative(package_dir)
    return None if found is None else _package_at(found[0], found[1], ref)


def _package_at(root: Path, relative: str, ref: str) -> dict[str, bytes] | None:
    """The publishable files of the package folder ``relative`` (to the work tree's ``root``) at ``ref``."""
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    descriptor = _git(root, "show", f"{ref}:{relative}/{DESCRIPTOR}") if commit else None
    try:
        parsed = json.loads(descriptor or b"")
    except (ValueError, RecursionError):
        return None
    return _files_at(root, commit.decode().strip(), relative, named_files(parsed)) if commit and isinstance(parsed, Mapping) else None


def packages_at_ref(datasets_dir: Path, ref: str) -> dict[str, dict[str, bytes]] | None:
    """Every package folder directly under ``datasets_dir`` as committed at ``ref`` (those
    since deleted too), by folder name; None when git or the ref cannot be found."""
    found = _root_and_relative(datasets_dir)
    if found is None or _git(found[0], "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is None:
        return None
    root, relative = found
    prefix = "" if relative == "." else f"{relative}/"
    listing = _git(root, "ls-tree", "-z", "--name-only", ref, "--", prefix or ".")
    folders = [PurePosixPath(name).name for name in (listing or b"").decode("utf-8", "surrogateescape").split("\0") if name]
    packages = {name: _package_at(root, f"{prefix}{name}", ref) for name in folders}
    return {name: files for name, files in packages.items() if files}


def previous_release_ref(package_dir: Path) -> str | None:
    """The commit of the package's last release before the changes now in hand: the newest
    commit in which its descriptor has a version other than the one it has now (in the work
    tree), that is the previous release as it was last committed; for a package that has only
    ever had this version, the commit that first added it. None when it is not in git."""
    found = _root_and_relative(package_dir)
    try:
        current = json.loads((package_dir / DESCRIPTOR).read_bytes()).get("version")
    except (OSError, ValueError, AttributeError, RecursionError):
        return None
    if found is None:
        return None
    root, relative = found
    commits = (_git(root, "log", "--format=%H", "--", f"{relative}/") or b"").decode().split()
    for commit in commits:
        try:
            version = json.loads(_git(root, "show", f"{commit}:{relative}/{DESCRIPTOR}") or b"").get("version")
        except (ValueError, AttributeError, RecursionError):
            continue
        if version != current:
            return commit
    return commits[-1] if commits else None


def _root_and_relative(folder: Path) -> tuple[Path, str] | None:
    """The top of the git work tree holding ``folder`` and the folder's path inside it."""
    top = _git(folder, "rev-parse", "--show-toplevel") if folder.is_dir() else None
    if top is None:
        return None
    root = Path(top.decode().strip()).resolve()
    return root, folder.resolve().relative_to(root).as_posix()
