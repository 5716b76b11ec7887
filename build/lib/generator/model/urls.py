"""Stable public URLs, and the Markdown files that produce them. One place for both."""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
from urllib.parse import quote

from markupsafe import Markup


def indicator_page(indicator_id: str) -> str:
    return f"indicators/{indicator_id}.md"


def priority_page(priority_id: str) -> str:
    return f"priorities/{priority_id}.md"


def dataset_page(package: str) -> str:
    return f"data/{package}/index.md"


DOWNLOAD_FORMATS = ("csv", "json", "xlsx")
# Pages reached from their index, not listed in the navigation (MkDocs' ``not_in_nav``).
RELEASE_CALENDAR_PAGE = "releases/calendar.md"  # reached from the releases page
NOT_IN_NAV = "\n".join(("/" + indicator_page("*"), "/" + priority_page("*"), "/" + dataset_page("*"), "/" + RELEASE_CALENDAR_PAGE)) + "\n"


def chart_svg(indicator_id: str) -> str:
    """An indicator's chart as a standalone SVG drawing, beside its page: ``/indicators/<id>/chart.svg``."""
    return f"indicators/{indicator_id}/chart.svg"


def chart_png(indicator_id: str) -> str:
    """The same drawing as a PNG image."""
    return f"indicators/{indicator_id}/chart.png"


def social_card(indicator_id: str) -> str:
    """The 1200 x 630 PNG a shared link to the indicator page shows (Open Graph, Twitter Card)."""
    return f"indicators/{indicator_id}/card.png"


def embed_page(indicator_id: str) -> str:
    """The minimal page of an indicator's chart for an ``<iframe>``: a finished HTML file, not a
    Markdown page (MkDocs copies it as it is, outside the navigation, search and sitemap)."""
    return f"embed/indicators/{indicator_id}/index.html"


def resource_download(package: str, resource: str, extension: str) -> str:
    return f"data/{package}/{resource}.{extension}"


def resource_csv(package: str, resource: str) -> str:
    return resource_download(package, resource, "csv")


def package_descriptor(package: str) -> str:
    return f"data/{package}/datapackage.json"


def package_zip(package: str) -> str:
    return f"data/{package}.zip"


def release_zip(package: str, version: str) -> str:
    """Where a release's data stays, whatever is released after it."""
    return f"data/{package}/releases/{package}-{version}.zip"


RELEASES_PAGE = "releases/index.md"
GLOSSARY_PAGE = "glossary.md"
RELEASES_FEED = "releases/feed.xml"
RELEASE_CALENDAR = "releases/calendar.ics"  # the announced releases, to subscribe to (iCalendar)
# The same feed at the site's root, for the releases page's <link rel="alternate"> in its head: the
# theme's script takes every such link for another language's copy of the site and fetches the
# sitemap.xml beside it, which exists only at the root (beside releases/feed.xml it would be a 404).
DISCOVERED_FEED = "feed.xml"


def url_of(doc_path: str) -> str:
    """The site-relative URL MkDocs gives a docs file (directory URLs): ``a/b.md`` -> ``a/b/``."""
    path = PurePosixPath(doc_path)
    if path.suffix != ".md":
        return doc_path
    if path.name == "index.md":
        parent = path.parent.as_posix()
        return "" if parent == "." else f"{parent}/"
    return f"{path.with_suffix('').as_posix()}/"


def relative(from_doc: str, to_doc: str) -> Markup:
    """A link for raw HTML on the page of ``from_doc`` to the URL of ``to_doc``."""
    depth = url_of(from_doc).count("/")
    target = "../" * depth + url_of(to_doc)
    return Markup(quote(target or "./", safe="/#"))


def markdown_link(from_doc: str, to_doc: str) -> Markup:
    """A Markdown link target from ``from_doc`` to ``to_doc``; MkDocs checks and rewrites it."""
    start = posixpath.dirname(from_doc) or "."
    return Markup(quote(posixpath.relpath(to_doc, start), safe="/#"))
