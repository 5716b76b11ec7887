"""Abbreviations explained: a package's ``glossary`` table, expanded at first use on every page.

Any package may hold a resource named ``glossary`` (schema in ``schemas/glossary/``): a
``term`` as the site writes it (``ASB``, ``THEOs``, ``Op Continuum``), its ``expansion`` (the
words it stands for), a ``definition`` and an optional ``link``. A row whose expansion is the
term itself is a name rather than an abbreviation (a service called RESET): it is listed on
the glossary page and never expanded.

``expand`` rewrites a page's Markdown (generated or hand-written) so that the first use of each
term reads "anti-social behaviour (<abbr title="anti-social behaviour">ASB</abbr>)": the words
a phone shows, and the ``<abbr>`` markup. It is a pure text pass that leaves alone everything a
reader does not see as running text or that has meaning of its own: front matter, headings
(their anchors come from their words), fenced and inline code, Markdown links, raw HTML tags
(and so every attribute value), comments, web addresses, and the contents of ``a``, ``abbr``,
``code``, ``pre``, headings, ``svg``, ``script``, ``style`` and ``button`` elements, and of any
element marked ``data-glossary="off"`` (a preview of data as published). A term the page
already explains ("YTD (year to date)") is marked up without repeating its expansion.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.model.dataset import GLOSSARY, Dataset
from generator.render import fragments

OFF = 'data-glossary="off"'  # an element whose text is shown as published, never expanded

_ACTIVE = set("\\`*_{}[]()#+-.!|~:<>&\"'=^$@%")  # the characters fragments.text writes as entities
_BLOCKS = {"p", "li", "td", "th", "caption", "figcaption", "dt", "dd", "div", "blockquote", "summary"}  # text after their opening tag starts a sentence
# Before a term that starts a sentence: nothing (or a list, quote or table marker) at the start of a block, or a full stop.
_AT_BLOCK_START = re.compile(r"^\s*(?:[-*+>|]\s*|\d+\.\s+)?$")
_AFTER_FULL_STOP = re.compile(r"[.!?]\s+$")
_SKIPPED_ELEMENTS = {"a", "abbr", "code", "pre", "script", "style", "svg", "button", "textarea", "title", "h1", "h2", "h3", "h4", "h5", "h6"}
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_LINK = r"\[(?:[^\[\]]|\[[^\]]*\])*\](?:\([^)]*\)|\[[^\]]*\])?"
_PROTECTED = re.compile(  # every branch starts with a literal, so the scan skips ahead to one of them
    r"(?P<code>`(?P<ticks>`*).*?`(?P=ticks))"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9]*)\b[^>]*>)"
    rf"|(?P<link>{_LINK})"
    rf"|(?P<image>!{_LINK})"
    r"|(?P<url>https?://[^\s<>)\]]+)",
    re.DOTALL,
)
_EMPHASIS = r"(?:\*{1,2}|_{1,2})?"


@dataclass(frozen=True)
class Term:
    """One row of a glossary."""

    term: str
    expansion: str
    definition: str
    link: str

    @property
    def is_abbreviation(self) -> bool:
        """Whether the term stands for other words (and so is expanded in the text)."""
        return self.expansion.strip() != self.term.strip()


def terms_of(datasets: Iterable[Dataset]) -> tuple[Term, ...]:
    """Every glossary row of every package, by term (the first package's row wins a duplicate)."""
    found: dict[str, Term] = {}
    for dataset in datasets:
        if not dataset.has_table(GLOSSARY):
            continue
        for row in dataset.table(GLOSSARY).rows:
            term = Term(str(row["term"]), str(row["expansion"]), str(row.get("definition") or ""), str(row.get("link") or ""))
            found.setdefault(term.term, term)
    return tuple(sorted(found.values(), key=lambda t: (t.term.casefold(), t.term)))


def _as_written(text: str, flags: int = 0) -> str:
    """A pattern for ``text`` as it may appear in a page: each character either itself or as
    the numeric entity ``fragments.text`` writes for it; any run of spaces as any white space."""
    parts = []
    for char in text:
        if char.isspace():
            parts.append(r"\s+")
        elif char in _ACTIVE:
            parts.append(f"(?:{re.escape(char)}|&#{ord(char)};)")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    by_text: dict[str, Term]
    explained: dict[str, tuple[re.Pattern[str], re.Pattern[str]]]


@functools.cache
def _matcher(terms: tuple[Term, ...]) -> _Matcher | None:
    expanded = sorted((t for t in terms if t.is_abbreviation), key=lambda t: -len(t.term))
    if not expanded:
        return None
    alternatives = "|".join(f"(?P<t{i}>{_as_written(t.term)})" for i, t in enumerate(expanded))
    pattern = re.compile(rf"(?<![\w&#])(?:{alternatives})(?!\w)")
    explained = {
        t.term: (
            re.compile(rf"{_EMPHASIS}\s*(?:\(|&#40;)\s*{_as_written(t.expansion)}\s*(?:\)|&#41;)", re.IGNORECASE),
            re.compile(rf"{_as_written(t.expansion)}\s*(?:\(|&#40;)\s*{_EMPHASIS}$", re.IGNORECASE),
        )
        for t in expanded
    }
    return _Matcher(pattern, {f"t{i}": t for i, t in enumerate(expanded)}, explained)


def abbr(term: Term, shown: object = None) -> Markup:
    """``<abbr>`` for the term, titled with its expansion, showing ``shown`` (the term) as written."""
    return Markup('<abbr title="{}">{}</abbr>').format(fragments.text(term.expansion), fragments.text(term.term) if shown is None else shown)


def _expand_text(text: str, matcher: _Matcher, seen: set[str], block_start: bool = False) -> str:
    """``text`` (running text, no markup) with the first use of each unseen term expanded; an
    expansion that starts a sentence starts with a capital (``block_start``: ``text`` begins a
    block, a line or a table cell)."""
    out: list[str] = []
    at = 0
    for match in matcher.pattern.finditer(text):
        name = match.lastgroup or ""
        term = matcher.by_text[name]
        if term.term in seen:
            continue
        seen.add(term.term)
        after, before = matcher.explained[term.term]
        shown = Markup(match.group(0))  # as the page wrote it: already inert
        out.append(text[at : match.start()])
        near = max(0, match.start() - 8 * len(term.expansion) - 40)  # the expansion, entities and all, fits in this
        if after.match(text, match.end()) or before.search(text, near, match.start()):
            out.append(abbr(term, shown))  # the page explains it already
        else:
            before_term = text[: match.start()]
            starts = (block_start and _AT_BLOCK_START.match(before_term)) or _AFTER_FULL_STOP.search(before_term)
            words = term.expansion[:1].upper() + term.expansion[1:] if starts else term.expansion
            out.append(Markup("{} ({})").format(fragments.text(words), abbr(term, shown)))
        at = match.end()
    out.append(text[at:])
    return "".join(out)


def expand(markdown: str, terms: Sequence[Term]) -> str:
    """The page with each abbreviation of ``terms`` expanded at its first use in running text."""
    matcher = _matcher(tuple(terms))
    if matcher is None:
        return markdown
    seen: set[str] = set()
    lines = markdown.split("\n")
    out: list[str] = []
    index = 0
    if lines and lines[0].strip() == "---":  # front matter: the page's title and description
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        out.extend(lines[: end + 1])
        index = end + 1
    fence = ""
    depth: dict[str, int] = {}
    for line in lines[index:]:
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            out.append(line)
        elif opened:
            fence = opened.group(1)
            out.append(line)
        elif _HEADING.match(line):
            out.append(line)
        else:
            out.append(_expand_line(line, matcher, seen, depth))
    return "\n".join(out)


def _expand_line(line: str, matcher: _Matcher, seen: set[str], depth: dict[str, int]) -> str:
    """One line: protected spans kept, raw HTML elements that are not running text tracked in
    ``depth`` (they may span lines), the text between them expanded."""
    out: list[str] = []
    at = 0
    block_start = True  # the start of a line
    for token in _PROTECTED.finditer(line):
        before = line[at : token.start()]
        out.append(_text_part(before, matcher, seen, depth, block_start))
        out.append(token.group(0))
        name = (token.group("name") or "").lower()
        tag = token.group(0)
        closing = tag.startswith("</")
        if name and not tag.endswith("/>"):
            if name in _SKIPPED_ELEMENTS:
                depth[name] = max(0, depth.get(name, 0) + (-1 if closing else 1))
            off = f"off:{name}"
            if OFF in tag or depth.get(off):  # inside an element marked off, count its own kind to find its end
                depth[off] = max(0, depth.get(off, 0) + (-1 if closing else 1))
        at = token.end()
        # text after a block's opening tag starts a sentence; so does text after an inline opening tag that itself starts one
        block_start = not closing and (name in _BLOCKS or (block_start and not before.strip()))
    out.append(_text_part(line[at:], matcher, seen, depth, block_start))
    return "".join(out)


def _text_part(text: str, matcher: _Matcher, seen: set[str], depth: dict[str, int], block_start: bool = False) -> str:
    if not text or any(depth.values()):
        return text
    return _expand_text(text, matcher, seen, block_start)
