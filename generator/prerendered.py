"""Finished HTML blocks go through Markdown untouched, without being parsed again.

The generator's fragments (tables, charts, lists of facts) are finished, escaped HTML on one
line each. Python-Markdown parses every tag of raw HTML in a page to find where its blocks
end, and MkDocs parses them all again to find anchors: on a site of a thousand pages of
tables that is a third of the site build. ``block()`` marks a fragment at the start of its
line; the ``PreRendered`` Markdown extension puts each marked line in Markdown's store of raw
HTML, which is what Markdown itself does with a raw HTML block, but without parsing it.

A mark anywhere else (mid-line, indented) is an HTML comment and changes nothing. Without
the extension, a marked block is still raw HTML that Markdown parses as usual.
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

MARK = "<!--pre-rendered-->"
PRIORITY = 25  # after Markdown's whitespace normalising (30), before MkDocs' anchor scan (21) and raw HTML blocks (20)


def block(html: Markup) -> Markup:
    """Finished block-level HTML, one element per line, marked to pass through Markdown as it is."""
    return Markup("\n").join(Markup(MARK) + line if line.strip() else line for line in html.split("\n"))


class _Store(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        kept: list[str] = []
        for line in lines:
            if line.startswith(MARK):
                kept.extend(("", self.md.htmlStash.store(line[len(MARK) :]), ""))
            else:
                kept.append(line)
        return kept


class PreRendered(Extension):
    """Markdown extension: lines that begin with ``MARK`` are stored as raw HTML, unparsed."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Store(md), "pre_rendered", PRIORITY)
