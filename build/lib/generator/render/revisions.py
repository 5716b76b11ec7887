"""Revisions a reader can see: on an indicator page, every release that added or changed its
figures (previous values, when and why); on the releases page, every figure each release
changed. Pure HTML fragments; every value from data goes through ``fragments.text``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup

from generator.model import compute, urls
from generator.model.changes import ADDED, REMOVED, FigureChange, PackageChanges, RowChange
from generator.model.dataset import RELEASES, Indicator
from generator.outputs.changes import FIGURES_TABLE
from generator.outputs.releases import TYPE_WORDS, Release
from generator.outputs.revisions import IndicatorRelease, ReleaseChanges
from generator.render import fragments


def indicator_summary(history: Sequence[IndicatorRelease]) -> str:
    """One sentence: how many of the indicator's figures were revised after first publication."""
    revised = {(f.period_id, f.indicator_id) for item in history for f in item.revised}
    if not history:
        return "No release of these figures has been recorded yet, so no revision can be shown."
    if not revised:
        return "No figure has been revised since it was first published."
    count = len(revised)
    figures = f"{count} figure{'s have' if count != 1 else ' has'}"
    return f"{figures} been revised since first published; the previous values, and when and why they changed, are below."


def marked_revised(texts: Sequence[str], period_ids: Sequence[str], history: Sequence[IndicatorRelease]) -> list[str]:
    """The figures of a table by period, each one revised since first published marked
    ``(revised)``, as statistical tables mark a revised figure."""
    revised = {f.period_id for item in history for f in item.revised}
    return [f"{text} (revised)" if period in revised else text for text, period in zip(texts, period_ids, strict=True)]


def indicator_history(history: Sequence[IndicatorRelease], currency: compute.Currency) -> Markup:
    """Each release that added or changed the indicator's figures, newest first, as a list whose
    entries have the ids the indicator's feed links to."""
    items = [
        Markup('<li id="{}"><strong>{}</strong>: {}</li>').format(item.anchor, fragments.text(item.heading), fragments.text(" ".join(item.sentences(currency))))
        for item in history
    ]
    return Markup('<ul class="revisions">{}</ul>').format(Markup(" ").join(items)) if items else Markup("")


def _figure_words(change: FigureChange, currency: compute.Currency) -> str:
    """A figure's change in words a screen reader reads as well as it shows: ``Year to date:
    revised from 741 to 760; status still Red``."""

    def value(number: float) -> str:
        return compute.format_value(number, change.unit, currency)

    if change.kind == ADDED and change.new is not None:
        return f"{change.period_label}: {value(change.new)} (a new figure)"
    if change.kind == REMOVED and change.old is not None:
        return f"{change.period_label}: taken out (it was {value(change.old)})"
    said = "figure unchanged"
    if change.revised and change.old is not None and change.new is not None:
        said = f"revised from {value(change.old)} to {value(change.new)}"
    if change.status_changed:
        status = f"status changed from {change.old_status or 'none'} to {change.new_status or 'none'}"
    else:
        status = f"status still {change.new_status}" if change.new_status else "no status"
    return f"{change.period_label}: {said}; {status}"


def _rows_words(rows: Sequence[RowChange], titles: Mapping[str, str]) -> list[str]:
    """``Figures: 2 rows added, 1 row changed`` per table, named by its title."""
    said = []
    for table in dict.fromkeys(r.table for r in rows):
        counts = [(kind, sum(1 for r in rows if r.table == table and r.kind == kind)) for kind in ("added", "changed", "removed")]
        parts = [f"{n} row{'s' if n != 1 else ''} {kind}" for kind, n in counts if n]
        said.append(f"{titles.get(table, table)}: {', '.join(parts)}")
    return said


def release_changes_list(
    doc: str, release: Release, changes: PackageChanges, indicators: Mapping[str, Indicator], titles: Mapping[str, str], currency: compute.Currency
) -> Markup:
    """What one release (after the first) changed: each figure, linked to its indicator's page
    (to the release's entry there); for other packages, the rows added, changed and removed."""
    items = []
    for change in changes.figures:
        target = urls.relative(doc, urls.indicator_page(change.indicator_id)) + Markup("#release-{}").format(release.version)
        label = fragments.link(target, change.indicator_title) if change.indicator_id in indicators else fragments.text(change.indicator_title)
        items.append(Markup("<li>{}, {}</li>").format(label, fragments.text(_figure_words(change, currency))))
    rows = [r for r in changes.rows if r.table != RELEASES and not (changes.indicators and r.table == FIGURES_TABLE)]
    items += [Markup("<li>{}</li>").format(fragments.text(words)) for words in _rows_words(rows, titles)]
    if not items:
        return Markup("")
    heading = f"{release.package_title}: {TYPE_WORDS.get(release.type, release.type)} {release.version}, {compute.long_date(release.date)}"
    return Markup('<h3 id="changes-{}">{}</h3> <ul class="release-changes">{}</ul>').format(release.anchor, fragments.text(heading), Markup(" ").join(items))


def releases_changes(
    doc: str, found: Sequence[Release], changes: ReleaseChanges, indicators: Mapping[str, Indicator], titles: Mapping[str, str], currency: compute.Currency
) -> Markup:
    """Every release after a package's first, newest first, with what it changed; ``titles``
    names each table (by package and resource name ``package/resource``) as readers know it."""
    blocks = [
        release_changes_list(
            doc, release, changed, indicators, {k.partition("/")[2]: v for k, v in titles.items() if k.partition("/")[0] == release.package}, currency
        )
        for release in found
        if (changed := changes.get((release.package, release.version))) is not None and not changed.package_added
    ]
    return Markup(" ").join(b for b in blocks if b)
