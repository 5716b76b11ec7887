"""Everything ``assemble()`` makes from the project's data, compared with committed golden files:
every page, and every machine-readable file (catalogues, the feed, descriptors with their sizes
and hashes, the JSON and CSV downloads) as text; workbooks and zips by size and SHA-256.

Regenerate them after an intended change with:  UPDATE_GOLDEN=1 scripts/test tests/test_golden.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.config import Config
from generator.pipeline import assemble
from tests.conftest import FIXED_EPOCH, ROOT

GOLDEN = Path(__file__).parent / "golden"
BINARY = "binary-files.sha256"  # path, size and SHA-256 of each file that is not text
TEXT_SUFFIXES = (".md", ".json", ".jsonld", ".ttl", ".xml", ".csv")


def published() -> tuple[dict[str, str], str]:
    """The text of every text file the site will have, and the manifest of the others."""
    with pytest.MonkeyPatch.context() as patch:  # also at collection, before the session's fixtures: file dates as in every test
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        config = dataclasses.replace(Config.for_project(ROOT), updated=datetime(2023, 11, 14, tzinfo=UTC))
        files = assemble(config).files
    text = {path: content if isinstance(content, str) else content.decode("utf-8") for path, content in files.items() if path.endswith(TEXT_SUFFIXES)}
    binary = sorted((path, content) for path, content in files.items() if not path.endswith(TEXT_SUFFIXES))
    manifest = "".join(f"{path} {len(content)} {hashlib.sha256(_bytes(content)).hexdigest()}\n" for path, content in binary)
    return text, manifest


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


TEXT, MANIFEST = published()


def _golden_files() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file() and p.name != BINARY)


def test_golden_files_match_every_published_file() -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        for name in _golden_files():
            (GOLDEN / name).unlink()
        for name, content in TEXT.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(content, encoding="utf-8")
        (GOLDEN / BINARY).write_text(MANIFEST, encoding="utf-8")
    assert any(name.endswith(".md") for name in TEXT) and any(name.endswith("datapackage.json") for name in TEXT)
    assert _golden_files() == sorted(TEXT), "files added or removed: regenerate the golden files"
    assert (GOLDEN / BINARY).read_text(encoding="utf-8") == MANIFEST


@pytest.mark.parametrize("name", sorted(TEXT))
def test_file_matches_golden(name: str) -> None:
    assert TEXT[name] == (GOLDEN / name).read_text(encoding="utf-8")


def test_assembling_twice_gives_identical_files() -> None:
    assert published() == (TEXT, MANIFEST)
