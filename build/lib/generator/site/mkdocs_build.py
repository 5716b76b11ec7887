"""Run MkDocs (Material) on the generated docs folder, strictly, into a given site folder."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.model import urls
from generator.problems.errors import SiteBuildFailed
from generator.render.prerendered import NotSearched, PreRendered


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _source_date(when: datetime) -> Iterator[None]:
    """MkDocs dates the sitemap and its gzip header from ``SOURCE_DATE_EPOCH``: make it the data's date."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def build_html(mkdocs_file: Path, mkdocs_text: str | None, docs_dir: Path, site_dir: Path, updated: datetime) -> None:
    """Build HTML from ``docs_dir`` into ``site_dir`` with ``--strict``: any warning fails.
    The configuration is ``mkdocs_text``, the text of ``mkdocs_file`` as the build read it once
    (relative paths in it are relative to that file); ``None``: MkDocs reports the file missing.
    Every date MkDocs prints is ``updated``, so the same input gives the same bytes.

    Raises:
        SiteBuildFailed: with every warning MkDocs gave.
    """
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        source = io.StringIO(mkdocs_text) if mkdocs_text is not None else str(mkdocs_file)
        config = load_config(source, config_file_path=str(mkdocs_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True, not_in_nav=urls.NOT_IN_NAV)
        config.markdown_extensions.append(PreRendered())  # type: ignore[arg-type]
        config.plugins["generator/not-searched"] = NotSearched()
        with _source_date(updated):
            build(config)
    except (MkDocsException, SystemExit) as err:
        detail = "\n".join(collector.messages) or str(err)
        raise SiteBuildFailed(f"MkDocs could not build the site:\n{detail}") from err
    finally:
        logger.removeHandler(collector)
