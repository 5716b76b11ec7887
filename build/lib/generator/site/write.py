"""The only module that writes files: a staging folder, then an atomic swap into place.

A failed or killed build leaves the published site exactly as it was: everything is written
under a fresh staging folder, and the finished site is exchanged with the old one in one
``renameat2(RENAME_EXCHANGE)`` call (two renames where the kernel cannot exchange).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import json
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from generator import __version__
from generator.problems.errors import GeneratorError, UsageError

log = logging.getLogger(__name__)

RENAME_EXCHANGE = 2
AT_FDCWD = -100


WORK_FOLDER = ".build"  # beside the site: Config.work_dir
SITE_MARKER = ".opendata-site.json"  # written into every built site: only such a folder is ever replaced
GENERATOR_NAME = "opendata-site-generator"
WORK_FILES = ("build.lock", "last-build.json", ".last-build.json.tmp", "docs")  # what the work folder may hold, besides stage-*
LEGACY_SITE_FILES = ("index.html", "sitemap.xml", "search/search_index.json", "data/all-data.zip")  # a site built before the marker


class UnsafeOutputPath(GeneratorError):
    """A generated path would land outside the output folder."""


class UnsafeSiteFolder(UsageError):
    """The output folder (or the work folder beside it) holds something this generator did not build."""


def mark_site(folder: Path) -> None:
    """Write the marker that says ``folder`` is a site this generator built (and may replace)."""
    marker = {"generator": GENERATOR_NAME, "version": __version__}
    (folder / SITE_MARKER).write_text(json.dumps(marker, sort_keys=True) + "\n", encoding="utf-8")


def is_built_site(folder: Path) -> bool:
    """Whether ``folder`` holds this generator's marker (a small regular file naming it)."""
    marker = folder / SITE_MARKER
    try:
        info = marker.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > 4096:
            return False
        found = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and found.get("generator") == GENERATOR_NAME


def _is_legacy_site(folder: Path) -> bool:
    """A site built by the generator before it wrote its marker: every file such a build always makes."""
    try:
        return all(stat.S_ISREG((folder / name).lstat().st_mode) for name in LEGACY_SITE_FILES)
    except OSError:
        return False


def _refuse(what: Path, why: str, fix: str) -> UnsafeSiteFolder:
    return UnsafeSiteFolder(f"refusing to publish into {what}: {why}. Nothing was touched. {fix}")


def check_site_folder(site: Path, *, protected: Sequence[Path], inputs: Sequence[Path], default_site: Path) -> None:
    """Refuse, before anything is touched, an output folder that is not safe to replace.

    ``site`` (resolved) must be absent, an empty folder, or a site this generator built (its
    marker; or, at ``default_site`` only, the files a build made before there was a marker). It
    must not be, or hold, any of ``protected`` (the project, its inputs, the home folder, ``/``)
    and must not lie inside any of ``inputs``. The work folder beside it (``.build``) and the
    previous-site folder (``.<name>-previous``) may hold only what a build leaves there.

    Raises:
        UnsafeSiteFolder: with what was refused, why, and what to do.
    """
    use_instead = "Give --site a new or empty folder, or one this generator built (for example <project>/site)."
    if site.parent == site or site.parent == Path(site.anchor):
        raise _refuse(site, "it is the root of the file system or a folder directly in it", use_instead)
    if site.name == WORK_FOLDER:
        raise _refuse(site, f"{WORK_FOLDER} is the name of the work folder a build keeps beside the site", use_instead)
    for folder in protected:
        if site == folder or folder.is_relative_to(site):
            raise _refuse(site, f"publishing replaces the whole folder, and it holds {folder}", use_instead)
    for folder in inputs:
        if site.is_relative_to(folder):
            raise _refuse(site, f"it is inside {folder}, which holds the site's inputs", use_instead)
    _check_site_itself(site, default_site, use_instead)
    previous = site.with_name(f".{site.name}-previous")
    if previous.is_symlink() or (previous.exists() and not (previous.is_dir() and (is_built_site(previous) or _is_legacy_site(previous)))):
        raise _refuse(site, f"{previous} is in the way (a build puts the previous site there, then removes it)", "Move or remove it.")
    _check_work_folder(site.parent / WORK_FOLDER, site)


def _check_site_itself(site: Path, default_site: Path, use_instead: str) -> None:
    try:
        info = site.lstat()
    except FileNotFoundError:
        existing = next(parent for parent in site.parents if os.path.lexists(parent))
        if not existing.is_dir():
            raise _refuse(site, f"{existing} is a file, not a folder", use_instead) from None
        return
    except OSError as err:
        raise _refuse(site, f"it cannot be read ({err.strerror})", use_instead) from err
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise _refuse(site, "it is a file, not a folder", use_instead)
    try:
        entries = sorted(os.listdir(site))
    except OSError as err:
        raise _refuse(site, f"it cannot be read ({err.strerror})", use_instead) from err
    if not entries or is_built_site(site) or (site == default_site and _is_legacy_site(site)):
        return
    shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
    raise _refuse(site, f"it holds files this generator did not build ({shown}) and no {SITE_MARKER} marker", use_instead)


def _check_work_folder(work: Path, site: Path) -> None:
    if not os.path.lexists(work):
        return
    if work.is_symlink() or not work.is_dir():
        raise _refuse(site, f"the work folder {work} beside it is not a folder", "Move or remove it, or publish somewhere else.")
    try:
        foreign = sorted(name for name in os.listdir(work) if name not in WORK_FILES and not name.startswith("stage-"))
    except OSError as err:
        raise _refuse(site, f"the work folder {work} cannot be read ({err.strerror})", "Publish somewhere else.") from err
    if foreign:
        raise _refuse(
            site, f"the work folder {work} beside it holds files a build did not leave ({', '.join(foreign[:3])})", "Move them, or publish somewhere else."
        )


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write each file under ``root``; refuse any path that resolves outside it."""
    base = root.resolve()
    for relative, content in sorted(files.items()):
        target = (base / relative).resolve()
        if not target.is_relative_to(base) or target == base:
            raise UnsafeOutputPath(f"refusing to write {relative!r}: it is outside {base}")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)


def record(path: Path, text: str) -> None:
    """Replace a small bookkeeping file atomically (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def copy_tree(source: Path, destination: Path, *, skip_suffix: str = "") -> None:
    """Copy the files of ``source`` into ``destination``, except those ending in ``skip_suffix``."""
    for path in sorted(source.rglob("*")):
        if path.is_file() and not (skip_suffix and path.name.endswith(skip_suffix)):
            target = destination / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@contextmanager
def staging(work_dir: Path) -> Iterator[Path]:
    """A fresh, empty staging folder, removed afterwards whatever happens.

    One build at a time holds the work folder (a lock the kernel releases if the process is
    killed), so the leftovers of a killed build can be removed safely here.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    with (work_dir / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for leftover in work_dir.glob("stage-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        stage = Path(tempfile.mkdtemp(prefix="stage-", dir=work_dir))
        try:
            yield stage
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    result = libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result != 0:
        log.debug("renameat2 failed: %s", os.strerror(ctypes.get_errno()))
    return bool(result == 0)


def publish(built: Path, site_dir: Path) -> None:
    """Put the finished site ``built`` in place of ``site_dir`` atomically; ``built`` is consumed."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = site_dir.with_name(f".{site_dir.name}-previous")
    if not site_dir.exists() and previous.is_dir():  # a build was killed between the two renames below
        os.replace(previous, site_dir)
    if not site_dir.exists():
        os.replace(built, site_dir)
        return
    if _exchange(built, site_dir):
        shutil.rmtree(built)  # now holds the previous site
        return
    shutil.rmtree(previous, ignore_errors=True)
    os.replace(site_dir, previous)
    os.replace(built, site_dir)
    shutil.rmtree(previous, ignore_errors=True)
