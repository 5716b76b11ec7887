"""Each indicator's figures release by release: new figures and revisions (previous value, when
and why), for its page and its own Atom feed. Pure: releases and their changes in, text out.

The changes come from the one diff engine (``model.changes``), each release compared with the
one before it; when and why come from the package's release log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from generator.model import compute, urls
from generator.model.changes import ADDED, REMOVED, FigureChange, PackageChanges
from generator.model.dataset import Indicator
from generator.outputs.releases import TYPE_WORDS, Release

ReleaseChanges = Mapping[tuple[str, str], PackageChanges]  # by (package, version)


@dataclass(frozen=True)
class IndicatorRelease:
    """One release that added or changed figures of one indicator."""

    release: Release
    figures: tuple[FigureChange, ...]
    first: bool  # the package's first release: every figure is new

    @property
    def anchor(self) -> str:
        """The id of this release's entry on the indicator page."""
        return f"release-{self.release.version}"

    @property
    def revised(self) -> tuple[FigureChange, ...]:
        return tuple(f for f in self.figures if f.revised)

    @property
    def heading(self) -> str:
        """``Correction 1.0.1, 1 December 2026``."""
        return f"{TYPE_WORDS.get(self.release.type, self.release.type)} {self.release.version}, {compute.long_date(self.release.date)}"

    def sentences(self, currency: compute.Currency) -> list[str]:
        """What the release did to the indicator's figures, one sentence a kind, then why."""

        def value(number: float, unit: str) -> str:
            return compute.format_value(number, unit, currency)

        new = [f for f in self.figures if f.kind == ADDED and f.new is not None]
        said = []
        if new:
            listed = "; ".join(f"{f.period_label} {value(f.new, f.unit)}" for f in new if f.new is not None)
            said.append(f"{'First published' if self.first else 'New figures'}: {listed}.")
        for f in self.revised:
            assert f.old is not None and f.new is not None
            said.append(f"{f.period_label} revised from {value(f.old, f.unit)} to {value(f.new, f.unit)}.")
        for f in self.figures:
            if f.status_changed and not f.revised:
                said.append(f"{f.period_label}: the status is now {f.new_status or 'none'} (it was {f.old_status or 'none'}).")
            if f.kind == REMOVED and f.old is not None:
                said.append(f"{f.period_label} taken out (it was {value(f.old, f.unit)}).")
        if self.release.reason and not self.first:
            said.append(f"Why: {self.release.reason}")
        return said


def indicator_releases(releases: Sequence[Release], changes: ReleaseChanges, package: str, indicator_id: str) -> list[IndicatorRelease]:
    """Every release of ``package`` that added or changed the indicator's figures, newest first."""
    found = []
    for release in releases:  # newest first
        change = changes.get((package, release.version)) if release.package == package else None
        figures = change.figures_of(indicator_id) if change else ()
        if change and figures:
            found.append(IndicatorRelease(release, figures, change.package_added))
    return found


def feed_path(indicator_id: str) -> str:
    """The docs path of the indicator's feed, beside its page's address (``indicators/<id>/``)."""
    return f"{urls.url_of(urls.indicator_page(indicator_id))}feed.xml"


def indicator_feed(
    indicator: Indicator, history: Sequence[IndicatorRelease], site_url: str, site_name: str, updated: dt.datetime, currency: compute.Currency
) -> str:
    """The indicator's new figures and revisions as an Atom 1.0 feed, one entry a release,
    each linking to that release's entry on the indicator page."""
    page = site_url + urls.url_of(urls.indicator_page(indicator.id))
    newest = max((h.release.date for h in history), default=None)
    entries = []
    for item in history:
        kind = "revision" if item.revised else "new-figures"
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(page)}#{escape(item.anchor)}</id>\n"
            f"    <title>{escape(f'{indicator.title}: {item.heading}')}</title>\n"
            f"    <updated>{item.release.date.isoformat()}T00:00:00Z</updated>\n"
            f"    <category term={quoteattr(kind)}/>\n"
            f'    <link rel="alternate" href={quoteattr(f"{page}#{item.anchor}")}/>\n'
            f"    <summary>{escape(' '.join(item.sentences(currency)))}</summary>\n"
            "  </entry>\n"
        )
    stamp = f"{newest.isoformat()}T00:00:00Z" if newest else updated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <id>{escape(page)}</id>\n"
        f"  <title>{escape(f'{indicator.title}: new figures and revisions')}</title>\n"
        f"  <updated>{stamp}</updated>\n"
        f'  <link rel="self" href={quoteattr(site_url + feed_path(indicator.id))}/>\n'
        f'  <link rel="alternate" href={quoteattr(page)}/>\n'
        f"  <author><name>{escape(site_name or 'Publisher')}</name></author>\n" + "".join(entries) + "</feed>\n"
    )
