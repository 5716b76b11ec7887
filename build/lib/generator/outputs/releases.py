"""The release log of every package, as a page and an Atom feed. Pure: datasets in, text out.

A package keeps its log in a resource named ``releases`` (schema in
``schemas/release-log/``): version, date, type (release, revision or correction), summary,
reason and, where known, the date of the next release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from generator.model import urls
from generator.model.dataset import RELEASES, Dataset

TYPE_WORDS = {"release": "Release", "revision": "Revision", "correction": "Correction"}


@dataclass(frozen=True)
class Release:
    """One release of one package."""

    package: str
    package_title: str
    version: str
    date: dt.date
    type: str
    summary: str
    reason: str
    next_release: dt.date | None

    @property
    def archive(self) -> str:
        """The docs path of this release's data, kept at this address after later releases."""
        return urls.release_zip(self.package, self.version)

    @property
    def anchor(self) -> str:
        return f"{self.package}-{self.version}"


def releases_of(datasets: Sequence[Dataset]) -> list[Release]:
    """Every release of every package, newest first."""
    found = [
        Release(
            dataset.name,
            dataset.title,
            str(row["version"]),
            row["date"],
            str(row["type"]),
            str(row["summary"]),
            str(row.get("reason") or ""),
            row.get("next_release"),
        )
        for dataset in datasets
        if dataset.has_table(RELEASES)
        for row in dataset.table(RELEASES).rows
    ]
    return sorted(found, key=lambda r: (r.date, r.package, r.version), reverse=True)


def next_releases(releases: Sequence[Release]) -> dict[str, dt.date]:
    """Per package title, the next release date its latest release announced, if any."""
    latest: dict[str, Release] = {}
    for release in releases:  # newest first
        latest.setdefault(release.package, release)
    return {r.package_title: r.next_release for r in latest.values() if r.next_release}


def atom_feed(releases: Sequence[Release], site_url: str, site_name: str, updated: dt.datetime, archives: Mapping[str, object]) -> str:
    """The releases as an Atom 1.0 feed: each entry links to its row on the releases page (whose
    anchor is the entry's id) and, as an enclosure, to the release's data when it is kept."""
    page = site_url + urls.url_of(urls.RELEASES_PAGE)
    newest = max((r.date for r in releases), default=updated.date())
    entries = []
    for r in releases:
        # the entry's page is the release's row on the releases page; its data, when kept, is the enclosure
        data = f'    <link rel="enclosure" type="application/zip" href={quoteattr(site_url + r.archive)}/>\n' if r.archive in archives else ""
        reason = f" Why: {r.reason}" if r.reason else ""
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(page)}#{escape(r.anchor)}</id>\n"
            f"    <title>{escape(f'{TYPE_WORDS.get(r.type, r.type)}: {r.package_title} {r.version}')}</title>\n"
            f"    <updated>{r.date.isoformat()}T00:00:00Z</updated>\n"
            f"    <category term={quoteattr(r.type)}/>\n"
            f'    <link rel="alternate" type="text/html" href={quoteattr(f"{page}#{r.anchor}")}/>\n'
            + data
            + f"    <summary>{escape(r.summary + reason)}</summary>\n"
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{escape(page)}</id>\n"
        f"  <title>{escape(f'{site_name}: data releases'.strip(': '))}</title>\n"
        f"  <updated>{newest.isoformat()}T00:00:00Z</updated>\n"
        f'  <link rel="self" href={quoteattr(site_url + urls.RELEASES_FEED)}/>\n'
        f'  <link rel="alternate" href={quoteattr(page)}/>\n'
        f"  <author><name>{escape(site_name or 'Publisher')}</name></author>\n" + "".join(entries) + "</feed>\n"
    )
