"""The only module that writes files: a staging folder, then an atomic swap into place.

A failed or killed build leaves the published site exactly as it was: everything is written
under a fresh staging folder, and the finished site is exchanged with the old one in one
``renameat2(RENAME_EXCHANGE)`` call (two renames where the kernel cannot exchange).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from generator.errors import GeneratorError

log = logging.getLogger(__name__)

RENAME_EXCHANGE = 2
AT_FDCWD = -100


class UnsafeOutputPath(GeneratorError):
    """A generated path would land outside the output folder."""


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
