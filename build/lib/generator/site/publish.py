"""``publish(config, files)``: the assembled files become the site. The only stage that writes:
the files and the hand-written assets go to a staging folder, MkDocs builds the HTML there, and
the finished site is swapped into ``config.site_dir`` atomically (see ``write``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.config import Config
from generator.site import mkdocs_build, write

SOURCE_DOCS = "docs"  # the hand-written pages and assets, under site_src/


def render_html(config: Config, files: Mapping[str, str | bytes], stage: Path) -> Path:
    """The site's HTML, built by MkDocs under ``stage`` from the assembled files and the
    hand-written assets; returns the folder holding it.

    Raises:
        SiteBuildFailed: MkDocs failed.
    """
    docs, html = stage / "docs", stage / "site"
    write.copy_tree(config.site_src_dir / SOURCE_DOCS, docs, skip_suffix=".md")
    write.write_files(docs, files)
    mkdocs_build.build_html(config.mkdocs_file, config.mkdocs_text, docs, html, config.updated)
    return html


def publish(config: Config, files: Mapping[str, str | bytes]) -> None:
    """Build the site from ``files`` in a staging folder and swap it into ``config.site_dir``.

    Raises:
        SiteBuildFailed: MkDocs failed; the previous site is untouched.
    """
    with write.staging(config.work_dir) as stage:
        html = render_html(config, files, stage)
        write.mark_site(html)
        write.publish(html, config.site_dir)
