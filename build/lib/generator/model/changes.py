"""What changed between two versions of a set of packages: the one diff engine behind the
``diff`` command, the revisions on indicator pages, the release page and the indicator feeds.
Pure: datasets in, frozen records out.

Any package is compared table by table: fields added, removed or retyped; rows added, removed
or changed, matched by the table's primary key (by the whole row when it has none). A package
that follows the indicator profile is also compared figure by figure: each indicator's value
for each period, with the status the site computes for it from the status rules before and
after, and the periods that are new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model import compute
from generator.model.dataset import INDICATOR_PROFILE, Dataset, IndicatorSet, Row, Table, build_indicator_set

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class FieldChange:
    """A field of a table's schema added, removed or given another type (``kind``)."""

    table: str
    field: str
    kind: str
    old_type: str | None
    new_type: str | None


@dataclass(frozen=True)
class RowChange:
    """A row added, removed or changed (``kind``), named by its key; ``cells`` holds each
    changed field with its old and new value (empty for rows added or removed)."""

    table: str
    key: tuple[tuple[str, object], ...]  # (field, value) of each key field
    kind: str
    cells: tuple[tuple[str, object, object], ...] = ()


@dataclass(frozen=True)
class FigureChange:
    """One indicator's figure for one period, new, revised, removed or with a new status.

    ``old`` is None for a new figure, ``new`` None for one taken out; the statuses are those
    the site computes (None where no comparison can be made)."""

    indicator_id: str
    indicator_title: str
    unit: str
    period_id: str
    period_label: str
    old: float | None
    new: float | None
    old_status: str | None
    new_status: str | None

    @property
    def kind(self) -> str:
        """``added``, ``removed`` or ``changed`` (the figure itself, or only its status)."""
        return ADDED if self.old is None else REMOVED if self.new is None else CHANGED

    @property
    def revised(self) -> bool:
        """Whether a published figure now has another value."""
        return self.old is not None and self.new is not None and self.old != self.new

    @property
    def status_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old_status != self.new_status


@dataclass(frozen=True)
class PackageChanges:
    """Everything that differs between two versions of one package (``old`` None: the package
    is new; ``new`` None: it was taken out)."""

    name: str
    title: str
    old_version: str | None
    new_version: str | None
    tables_added: tuple[str, ...] = ()
    tables_removed: tuple[str, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    rows: tuple[RowChange, ...] = ()
    figures: tuple[FigureChange, ...] = ()
    periods_added: tuple[tuple[str, str], ...] = ()  # (period id, label), in the package's order
    indicators: bool = False  # the package follows the indicator profile: its figures are compared
    package_added: bool = False
    package_removed: bool = False

    @property
    def empty(self) -> bool:
        """Whether nothing differs."""
        return not (self.package_added or self.package_removed or self.tables_added or self.tables_removed or self.fields or self.rows or self.figures)

    def figures_of(self, indicator_id: str) -> tuple[FigureChange, ...]:
        return tuple(f for f in self.figures if f.indicator_id == indicator_id)


def compare(old: Sequence[Dataset], new: Sequence[Dataset]) -> tuple[PackageChanges, ...]:
    """The changes of every package in either set, by package name, leaving out those with none."""
    before = {d.name: d for d in old}
    after = {d.name: d for d in new}
    names = sorted(before.keys() | after.keys())
    found = (compare_package(before.get(name), after.get(name)) for name in names)
    return tuple(c for c in found if not c.empty)


def compare_package(old: Dataset | None, new: Dataset | None) -> PackageChanges:
    """What differs between two versions of one package; either may be None (not there)."""
    either = new or old
    if either is None:
        raise ValueError("compare_package needs at least one version of the package")
    old_tables = {t.name: t for t in old.tables} if old else {}
    new_tables = {t.name: t for t in new.tables} if new else {}
    fields: list[FieldChange] = []
    rows: list[RowChange] = []
    for name in [t.name for t in (new.tables if new else ())] + [n for n in old_tables if n not in new_tables]:
        fields.extend(field_changes(old_tables.get(name), new_tables.get(name)))
        rows.extend(row_changes(old_tables.get(name), new_tables.get(name)))
    indicators = either.profile == INDICATOR_PROFILE
    old_set = _indicator_set(old)
    new_set = _indicator_set(new)
    return PackageChanges(
        name=either.name,
        title=either.title,
        old_version=_version(old),
        new_version=_version(new),
        tables_added=tuple(n for n in new_tables if n not in old_tables) if old else (),
        tables_removed=tuple(n for n in old_tables if n not in new_tables) if new else (),
        fields=tuple(fields) if old and new else (),
        rows=tuple(rows),
        figures=figure_changes(old_set, new_set) if indicators and new_set else (),
        periods_added=_periods_added(old_set, new_set) if indicators and new_set else (),
        indicators=indicators,
        package_added=old is None,
        package_removed=new is None,
    )


def _version(dataset: Dataset | None) -> str | None:
    version = dataset.descriptor.get("version") if dataset else None
    return None if version is None else str(version)


def _indicator_set(dataset: Dataset | None) -> IndicatorSet | None:
    return build_indicator_set(dataset) if dataset is not None and dataset.profile == INDICATOR_PROFILE else None


def field_changes(old: Table | None, new: Table | None) -> list[FieldChange]:
    """Fields added, removed or retyped between two versions of a table (none when the table
    itself is new or gone: that is said once, for the table)."""
    if old is None or new is None:
        return []
    before = {f.name: f.type for f in old.fields}
    after = {f.name: f.type for f in new.fields}
    changes = [FieldChange(new.name, name, ADDED, None, kind) for name, kind in after.items() if name not in before]
    changes += [FieldChange(new.name, name, REMOVED, kind, None) for name, kind in before.items() if name not in after]
    changes += [FieldChange(new.name, name, CHANGED, before[name], kind) for name, kind in after.items() if name in before and before[name] != kind]
    return changes


def _key_fields(old: Table | None, new: Table | None) -> tuple[str, ...]:
    """The fields rows are matched by: the primary key both versions share, else every field."""
    keys = [t.primary_key for t in (old, new) if t is not None]
    if keys and all(k == keys[0] for k in keys) and keys[0]:
        return keys[0]
    return ()


def row_changes(old: Table | None, new: Table | None) -> list[RowChange]:
    """Rows added, removed and changed, in the new table's order (removed ones in the old's).

    Rows are matched by the primary key; a table without one (or whose key changed) is matched
    by whole rows, so a changed row shows as one removed and one added."""
    table = (new or old).name  # type: ignore[union-attr]
    key_fields = _key_fields(old, new)
    old_rows = old.rows if old else ()
    new_rows = new.rows if new else ()
    if not key_fields:
        return _whole_row_changes(table, old_rows, new_rows)
    before = {tuple(_hashable(row.get(k)) for k in key_fields): row for row in old_rows}
    after = {tuple(_hashable(row.get(k)) for k in key_fields): row for row in new_rows}
    changes = []
    for key, row in after.items():
        named = tuple((k, row.get(k)) for k in key_fields)
        if key not in before:
            changes.append(RowChange(table, named, ADDED))
        elif cells := _cell_changes(before[key], row):
            changes.append(RowChange(table, named, CHANGED, cells))
    changes += [RowChange(table, tuple((k, row.get(k)) for k in key_fields), REMOVED) for key, row in before.items() if key not in after]
    return changes


def _cell_changes(old: Row, new: Row) -> tuple[tuple[str, object, object], ...]:
    names = list(new) + [n for n in old if n not in new]
    return tuple((name, old.get(name), new.get(name)) for name in names if old.get(name) != new.get(name))


def _hashable(value: object) -> object:
    """A value that can key a dictionary: arrays and objects (``array`` and ``object`` fields)
    as tuples, compared by content."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _whole_row_changes(table: str, old_rows: Sequence[Row], new_rows: Sequence[Row]) -> list[RowChange]:
    def frozen(row: Row) -> tuple[tuple[str, object], ...]:
        return tuple((name, _hashable(value)) for name, value in row.items())

    left = Counter(frozen(r) for r in old_rows)
    right = Counter(frozen(r) for r in new_rows)
    added, removed = right - left, left - right
    changes = []
    for row in new_rows:
        if added[frozen(row)] > 0:
            added[frozen(row)] -= 1
            changes.append(RowChange(table, tuple(row.items()), ADDED))
    for row in old_rows:
        if removed[frozen(row)] > 0:
            removed[frozen(row)] -= 1
            changes.append(RowChange(table, tuple(row.items()), REMOVED))
    return changes


def _assessed(data: IndicatorSet | None) -> Mapping[tuple[str, str], tuple[float, str | None]]:
    """Every figure of a set, by (indicator, period), with the label of the status the site computes."""
    if data is None:
        return {}
    found = {}
    for indicator in data.indicators:
        for period in data.periods:
            a = compute.assess(data, indicator, period)
            if a is not None:
                found[indicator.id, period.id] = (a.value, a.status.label if a.status else None)
    return found


def figure_changes(old: IndicatorSet | None, new: IndicatorSet) -> tuple[FigureChange, ...]:
    """Every figure that is new, revised, taken out or whose computed status changed, in the
    published order of indicators and periods (the new version's titles and labels)."""
    before, after = _assessed(old), _assessed(new)
    indicators = {i.id: i for i in (*(old.indicators if old else ()), *new.indicators)}
    periods = {p.id: p for p in (*(old.periods if old else ()), *new.periods)}
    order = [i.id for i in new.indicators] + [i for i in indicators if i not in {n.id for n in new.indicators}]
    period_order = [p.id for p in new.periods] + [p for p in periods if p not in {n.id for n in new.periods}]
    changes = []
    for indicator_id in order:
        indicator = indicators[indicator_id]
        for period_id in period_order:
            was, now = before.get((indicator_id, period_id)), after.get((indicator_id, period_id))
            if was == now:
                continue
            changes.append(
                FigureChange(
                    indicator_id,
                    indicator.title,
                    indicator.unit,
                    period_id,
                    periods[period_id].label,
                    was[0] if was else None,
                    now[0] if now else None,
                    was[1] if was else None,
                    now[1] if now else None,
                )
            )
    return tuple(changes)


def _periods_added(old: IndicatorSet | None, new: IndicatorSet) -> tuple[tuple[str, str], ...]:
    known = {p.id for p in old.periods} if old else set()
    return tuple((p.id, p.label) for p in new.periods if p.id not in known)
