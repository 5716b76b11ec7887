"""Finished HTML blocks go through Markdown untouched, and figures stay out of the search index.

The generator's fragments (tables, charts, lists of facts) are finished, escaped HTML on one
line each. Python-Markdown parses every tag of raw HTML in a page to find where its blocks
end, and MkDocs parses them all again to find anchors: on a site of a thousand pages of
tables that is a third of the site build. ``block()`` marks a fragment at the start of its
line; the ``PreRendered`` Markdown extension puts each marked line in Markdown's store of raw
HTML, which is what Markdown itself does with a raw HTML block, but without parsing it.

A block of figures (a chart, a table of numbers, a list of files and checksums) can also be
marked not searched. Search finds pages by their words; run together as text, figures are
noise ("2016 Q11122016 Q2...") that made most of the search index readers download. The
``NotSearched`` MkDocs plugin hides such blocks from the search plugin, which also spares it
from parsing them, and puts them back before the page is written.

A mark anywhere else (mid-line, indented) is an HTML comment and changes nothing. Without
the extension and plugin, a marked block is still raw HTML that Markdown parses as usual.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markupsafe import Markup
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

MARK = "<!--pre-rendered-->"
PRIORITY = 25  # after Markdown's whitespace normalising (30), before MkDocs' anchor scan (21) and raw HTML blocks (20)
NOT_SEARCHED_START, NOT_SEARCHED_END = "<!--not-searched-->", "<!--/not-searched-->"
NOT_SEARCHED = re.compile(f"{NOT_SEARCHED_START}(.*?){NOT_SEARCHED_END}", re.DOTALL)
HIDDEN = re.compile(r"<!--not-searched:(\d+)-->")


def block(html: Markup, *, searched: bool = True) -> Markup:
    """Finished block-level HTML, one element per line, marked to pass through Markdown as it
    is; with ``searched=False``, also kept out of the search index."""
    start, end = (Markup(MARK), Markup("")) if searched else (Markup(MARK + NOT_SEARCHED_START), Markup(NOT_SEARCHED_END))
    return Markup("\n").join(start + line + end if line.strip() else line for line in html.split("\n"))


class _Store(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        kept: list[str] = []
        for line in lines:
            if line.startswith(MARK):
                kept.extend(("", self.md.htmlStash.store(line[len(MARK) :] + "\n"), ""))  # stored as Markdown stores a raw block
            else:
                kept.append(line)
        return kept


class PreRendered(Extension):
    """Markdown extension: lines that begin with ``MARK`` are stored as raw HTML, unparsed."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Store(md), "pre_rendered", PRIORITY)


class NotSearched(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """MkDocs plugin: blocks marked not searched are out of a page's content while the search
    plugin indexes it (each replaced by a numbered comment), and back in place afterwards."""

    def __init__(self) -> None:
        self._hidden: dict[str, list[str]] = {}

    @event_priority(100)  # before the search plugin
    def _hide(self, context: dict[str, Any], /, *, page: Page, **_: Any) -> dict[str, Any]:
        hidden: list[str] = []

        def hide(match: re.Match[str]) -> str:
            hidden.append(match.group(1))
            return f"<!--not-searched:{len(hidden) - 1}-->"

        page.content = NOT_SEARCHED.sub(hide, page.content or "")
        self._hidden[page.file.src_uri] = hidden
        return context

    @event_priority(-100)  # after the search plugin
    def _restore(self, context: dict[str, Any], /, *, page: Page, **_: Any) -> dict[str, Any]:
        hidden = self._hidden.pop(page.file.src_uri, [])
        page.content = HIDDEN.sub(lambda match: hidden[int(match.group(1))], page.content or "")
        return context

    on_page_context = CombinedEvent(_hide, _restore)
