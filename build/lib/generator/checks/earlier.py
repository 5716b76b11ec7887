"""Earlier versions of packages, read from git history and checked exactly as a build checks
them, as datasets to compare with the packages as they are now (``model.changes``).

The files of a version are put in a scratch folder (a temporary directory, removed at once)
so that the same validation reads them; a version that no longer validates (or is not in the
history) is None, and the caller says so.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.checks.validate import validate_package
from generator.config import Config
from generator.inputs import history
from generator.model.changes import PackageChanges, compare_package
from generator.model.dataset import RELEASES, Dataset
from generator.problems.records import Problem, Severity

log = logging.getLogger(__name__)


def dataset_from_files(name: str, files: Mapping[str, bytes], config: Config) -> tuple[Dataset | None, list[Problem]]:
    """The package ``name`` made of ``files`` (paths relative to its folder), validated; None
    with the problems when it has errors."""
    with tempfile.TemporaryDirectory(prefix="generator-earlier-") as scratch:
        folder = Path(scratch) / name
        for path, content in files.items():
            relative = PurePosixPath(path)
            if relative.is_absolute() or ".." in relative.parts:
                continue
            target = folder.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        problems, dataset = validate_package(folder, config)
    if dataset is None:
        log.debug("the earlier version of %s does not validate: %s", name, [p.code for p in problems])
    return dataset, problems


@dataclass(frozen=True)
class Baseline:
    """The packages a change is compared with, how to say what they are, and the folders of
    packages whose earlier data is there but no longer validates (not compared at all)."""

    datasets: tuple[Dataset, ...]
    words: str
    not_compared: tuple[str, ...] = ()


def _validated(found: Mapping[str, Mapping[str, bytes] | None], config: Config) -> tuple[tuple[Dataset, ...], tuple[str, ...]]:
    """The packages (by folder name, with their files) that validate, and the folders of those that do not."""
    datasets, failed = [], []
    for name, files in sorted(found.items()):
        if not files:
            continue
        dataset = dataset_from_files(name, files, config)[0]
        if dataset is None:
            failed.append(name)
        else:
            datasets.append(dataset)
    return tuple(datasets), tuple(failed)


def datasets_at_ref(config: Config, ref: str) -> tuple[tuple[Dataset, ...], tuple[str, ...]] | None:
    """Every package of the datasets folder as committed at the git ``ref`` that validates,
    and the folders of those that do not; None when git or the ref cannot be found."""
    found = history.packages_at_ref(config.datasets_dir, ref)
    return None if found is None else _validated(found, config)


def previous_releases(config: Config, names: Sequence[str]) -> tuple[tuple[Dataset, ...], tuple[str, ...]]:
    """Each named package (a folder of the datasets folder) as at its last release before the
    changes in hand (``history.previous_release_ref``): the previous version as last committed,
    or, for a package that has only had one version, as first committed; and the folders of
    those whose data there does not validate. A package not in git has no earlier version."""
    found: dict[str, Mapping[str, bytes] | None] = {}
    for name in names:
        folder = config.datasets_dir / name
        ref = history.previous_release_ref(folder)
        found[name] = history.package_at_ref(folder, ref) if ref else None
    return _validated(found, config)


def dataset_at_version(dataset: Dataset, version: str, config: Config) -> Dataset | None:
    """The package as it was released at ``version`` (the newest commit in which its descriptor
    had that version), validated; None when that is not in the history or does not validate."""
    files = history.package_at_version(dataset.folder, version)
    return dataset_from_files(dataset.folder.name, files, config)[0] if files else None


def baseline(config: Config, current: Sequence[Dataset], ref: str | None) -> Baseline | None:
    """The packages to compare ``current`` with: every package as committed at ``ref``;
    without a ref, each package as at its last release (see ``previous_releases``). None when
    ``ref`` is not a commit of the project's git history."""
    if ref is not None:
        at_ref = datasets_at_ref(config, ref)
        return None if at_ref is None else Baseline(at_ref[0], f"the data at {ref}", at_ref[1])
    here = {p.name for p in config.datasets_dir.iterdir() if p.is_dir() and not p.name.startswith(".")} if config.datasets_dir.is_dir() else set()
    datasets, failed = previous_releases(config, sorted({d.folder.name for d in current} | here))
    if not datasets and not failed:
        return Baseline((), "nothing: no package has an earlier version in the project's git history")
    return Baseline(datasets, "each package's last release (its previous version; for a package with one version, as first committed)", failed)


def release_changes(datasets: Sequence[Dataset], config: Config) -> tuple[dict[tuple[str, str], PackageChanges], list[Problem]]:
    """What each release of each package changed, by (package, version): each release's data
    (the package as it is now for its current version, from git history for earlier ones)
    compared with the release before it in the package's release log (the first with nothing:
    every figure is new). A release whose data is not in the history is skipped (its zip's
    warning says so); one whose data no longer validates is skipped with a warning. The next
    is compared with the last one found."""
    found: dict[tuple[str, str], PackageChanges] = {}
    problems: list[Problem] = []
    for dataset in datasets:
        if not dataset.has_table(RELEASES):
            continue
        current = str(dataset.descriptor.get("version") or "")
        table = dataset.table(RELEASES)
        logged = sorted(enumerate(table.rows), key=lambda item: (item[1]["date"], item[0]))
        previous: Dataset | None = None
        for index, row in logged:
            version = str(row["version"])
            files = None if version == current else history.package_at_version(dataset.folder, version)
            released, errors = (dataset, []) if version == current else dataset_from_files(dataset.folder.name, files, config) if files else (None, [])
            if released is None:
                if errors:
                    problems.append(_not_comparable(version, errors, config.display(table.file), index + 2))
                continue
            found[dataset.name, version] = compare_package(previous, released)
            previous = released
    return found, problems


def _not_comparable(version: str, errors: Sequence[Problem], where: str, row: int) -> Problem:
    """The warning that an earlier release's data no longer validates, at its row of the log."""
    codes = ", ".join(sorted({p.code for p in errors if p.severity is Severity.ERROR}))
    return Problem(
        "release-not-comparable",
        f"The data of release {version}, as committed, no longer validates ({codes}), so what it changed is not shown.",
        where,
        row=row,
        field="version",
        fix=f"Check out the last commit of release {version} and run python -m generator validate there to see why; correct this row if its version is wrong.",
        severity=Severity.WARNING,
    )
