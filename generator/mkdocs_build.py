"""Run MkDocs (Material) on the generated docs folder, strictly, into a given site folder."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from generator.errors import SiteBuildFailed


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_html(mkdocs_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """Build HTML from ``docs_dir`` into ``site_dir`` with ``--strict``: any warning fails.

    Raises:
        SiteBuildFailed: with every warning MkDocs gave.
    """
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        config = load_config(str(mkdocs_file), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
        build(config)
    except (MkDocsException, SystemExit) as err:
        detail = "\n".join(collector.messages) or str(err)
        raise SiteBuildFailed(f"MkDocs could not build the site:\n{detail}") from err
    finally:
        logger.removeHandler(collector)
