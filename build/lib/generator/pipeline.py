"""The whole pipeline, readable in one screen: ``assemble(config)`` then ``publish``.

inputs -> checks -> model -> render and outputs (pure): ``assemble`` makes every file of the site
in memory, in one registry that refuses a path made twice; then ``site.publish`` (the only
writer) puts them in a staging folder, runs MkDocs and swaps the site into place atomically.
Everything is gathered and checked before anything is written; ``check_site`` (the
``validate`` command) does all of it but the swap, so an input that validates also builds.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import tempfile
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError

from generator.checks.contact import contact_problems
from generator.checks.currency import currency_problems
from generator.checks.earlier import release_changes
from generator.checks.validate import ValidationResult, validate_all
from generator.config import Config, last_changed, source_date_epoch
from generator.inputs import embargo, history
from generator.inputs.load import discover_packages
from generator.model import urls
from generator.model.dataset import INDICATOR_PROFILE, RELEASES, Dataset, IndicatorSet, build_indicator_set
from generator.outputs import calendar, catalogue, downloads, figures, releases, revisions
from generator.outputs.archive import zip_bytes
from generator.outputs.registry import Outputs
from generator.problems import progress
from generator.problems.errors import InvalidInput
from generator.problems.records import Problem, Severity, is_fatal
from generator.render import glossary, share
from generator.render.pages import SiteData, render_pages, render_source_page
from generator.site import fingerprint, publish, write

log = logging.getLogger(__name__)

LAST_BUILD = "last-build.json"
TEMPLATE_NAME = "<template>"  # the file name Jinja gives frames of a template made from a string


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced."""

    site_dir: Path
    pages: int
    files: int
    problems: tuple[Problem, ...]
    seconds: float
    stages: Mapping[str, float]  # seconds per stage: validate, generate, site (or check, when unchanged)
    unchanged: bool = False  # nothing the site depends on changed: the published site was kept

    def timing(self) -> str:
        """``12.3 s (validate 4.1 s, generate 3.2 s, site 5.0 s)``."""
        return f"{self.seconds:.1f} s ({', '.join(f'{name} {seconds:.1f} s' for name, seconds in self.stages.items())})"


@dataclass(frozen=True)
class Assembly:
    """Every file the site will have, in memory (``files``: the output registry, each path made
    once), and every problem found on the way."""

    validation: ValidationResult
    files: Outputs[str | bytes]  # docs path -> content: generated pages, downloads, catalogues, feeds
    problems: tuple[Problem, ...]

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".md"))


def validate_with_files(config: Config) -> ValidationResult:
    """Every package validated, and the downloads of each valid one made in the same worker."""
    return validate_all(config, functools.partial(downloads.dataset_files, updated=config.updated))


def assemble(config: Config, result: ValidationResult | None = None) -> Assembly:
    """Every file of the site, in memory, from the validated packages (validated here unless
    ``result`` is given). Pure: writes nothing.

    Raises:
        InvalidInput: with every problem found, when they stop the build (any error; warnings too
            when strict). Two files at one path are an error naming both sources.
    """
    result = validate_with_files(config) if result is None else result
    contact = contact_problems(config.publisher, config.display(config.mkdocs_file))
    if is_fatal(result.problems, config.strict):
        raise InvalidInput((*result.problems, *contact))
    files: Outputs[str | bytes] = Outputs()
    for made in result.made:
        files.merge(made)
    everything = config.datasets_dir
    indicator_sets = tuple(build_indicator_set(d) for d in result.datasets if d.profile == INDICATOR_PROFILE)
    datasets, derived = with_figures(result.datasets, indicator_sets, config)
    files.merge(derived)
    packaged = {**result.files, **{path: content for path, content in derived.items()}}
    files.add(downloads.ALL_DATA, downloads.all_data_zip(datasets, packaged, config.updated), "the zip of every package", everything)
    archives, missing = release_archives(result.datasets, config, {e.package: e for e in result.embargoes})
    changed, not_comparable = release_changes(result.datasets, config)
    for dataset, path, content in archives:
        files.add(path, content, f"a release zip of the package {dataset.name!r}", dataset.folder / "datapackage.json")
    site = SiteData(
        datasets=datasets,
        indicator_sets=indicator_sets,
        updated=config.updated,
        files={path: downloads.facts(path, content) for path, content in files.items() if isinstance(content, bytes)},
        file_dates=file_dates(result),
        site_url=config.site_url,
        site_name=config.site_name,
        publisher=config.publisher,
        currency=config.currency,
        announced=result.announced,
        now=config.now,
        release_changes=changed,
    )
    for path, text in catalogue_files(site).items():
        files.add(path, text, "the site's catalogue", everything)
    feed = releases.atom_feed(releases.releases_of(site.datasets), site.site_url, site.site_name, site.updated, site.files)
    files.add(urls.RELEASES_FEED, feed, "the site's release feed", everything)
    files.add(urls.RELEASE_CALENDAR, calendar.icalendar(result.announced, site.site_url, site.site_name, site.updated), "the release calendar", everything)
    files.add(urls.DISCOVERED_FEED, feed, "the site's release feed, as feed readers find it from the releases page", everything)
    currency = currency_problems(config.currency, site.indicator_sets, config.display(config.mkdocs_file))
    for path, text in indicator_feeds(site).items():
        files.add(path, text, "the feeds of the indicators' figures", everything)
    problems = (*result.problems, *missing, *not_comparable, *contact, *currency)
    try:
        files.merge(generated_files(site, config))
    except InvalidInput as err:
        raise InvalidInput((*problems, *err.problems)) from None
    files.merge(share.indicator_files(site))
    problems = (*problems, *(conflict.problem(config.display) for conflict in files.conflicts))
    if is_fatal(problems, config.strict):
        raise InvalidInput(problems)
    return Assembly(result, files, problems)


def with_figures(datasets: tuple[Dataset, ...], indicator_sets: Sequence[IndicatorSet], config: Config) -> tuple[tuple[Dataset, ...], Outputs[bytes]]:
    """The packages with the table of every indicator figure added as a package of its own (when
    there is an indicator package), and that package's files."""
    derived = figures.figures_dataset(indicator_sets, config.datasets_dir, config.site_url, config.currency)
    if derived is None:
        return datasets, Outputs()
    return (*datasets, derived), figures.figures_files(derived, config.updated)


@dataclass(frozen=True)
class CheckResult:
    """What ``check_site`` found: the validation of every package and every problem of the build."""

    validation: ValidationResult
    problems: tuple[Problem, ...]


def check_site(config: Config) -> CheckResult:
    """Everything a build does except publishing: the site is assembled and built by MkDocs in a
    temporary folder, then thrown away, so an input that passes this also builds. Writes
    nothing in the project.

    Raises:
        SiteBuildFailed: MkDocs failed.
    """
    config = with_published_date(config)
    result = validate_with_files(config)
    try:
        assembly = assemble(config, result)
    except InvalidInput as err:
        return CheckResult(result, err.problems)
    with tempfile.TemporaryDirectory(prefix="generator-check-") as scratch:
        publish.render_html(config, assembly.files, Path(scratch))
    return CheckResult(result, assembly.problems)


def build_site(config: Config, *, force: bool = False) -> BuildResult:
    """Validate every package and, if nothing stops it, publish the site to ``config.site_dir``.

    When nothing the site depends on has changed since the last build published it (see
    ``fingerprint``), the site is kept as it is, unless ``force``.

    Raises:
        InvalidInput: the input has problems; nothing was written.
        SiteBuildFailed: MkDocs failed; the previous site is untouched.
    """
    check_output(config)
    started = time.perf_counter()
    key = fingerprint.of_inputs(config)
    last = _last_build(config)
    if not force and last.get("key") == key and (config.site_dir / "index.html").is_file():
        seconds = time.perf_counter() - started
        problems = tuple(Problem(**{**p, "severity": Severity(p["severity"])}) for p in last["problems"])
        return BuildResult(config.site_dir, last["pages"], last["files"], problems, seconds, {"check": seconds}, unchanged=True)
    config = with_published_date(config)
    result = validate_with_files(config)
    validated = time.perf_counter()
    progress.report("Making the pages")
    assembly = assemble(config, result)
    generated = time.perf_counter()
    progress.report("Building and publishing the site (%s files)", f"{len(assembly.files):,}")
    publish.publish(config, assembly.files)
    finished = time.perf_counter()
    seconds = finished - started
    stages = {"validate": validated - started, "generate": generated - validated, "site": finished - generated}
    log.info("built %d pages and %d files in %.1f s", assembly.pages, len(assembly.files), seconds)
    built = BuildResult(config.site_dir, assembly.pages, len(assembly.files), assembly.problems, seconds, stages)
    record = {"key": key, "pages": built.pages, "files": built.files, "problems": [{**asdict(p), "severity": p.severity.value} for p in built.problems]}
    write.record(config.work_dir / LAST_BUILD, json.dumps(record))
    return built


def with_published_date(config: Config) -> Config:
    """``config`` with ``updated`` (when the site's data last changed, from git) counting, for a
    package whose coming release is not yet published, when the release it shows was committed
    rather than its newer commits: the site does not say its data changed before it did.
    Unchanged when ``SOURCE_DATE_EPOCH`` sets the date or no package is embargoed."""
    if source_date_epoch() is not None:
        return config
    held = {folder: embargo.embargo_of(folder, config.now) for folder in discover_packages(config.datasets_dir)}
    if not any(held.values()):
        return config
    dates = [e.shown_since if e is not None else last_changed(folder) for folder, e in held.items()]
    known = [d for d in dates if d is not None]
    return dataclasses.replace(config, updated=max(known)) if known else config


def check_output(config: Config) -> None:
    """Refuse, before anything is read or written, a ``--site`` that is not safe to replace
    (see ``write.check_site_folder``): the project, its inputs, the home folder, ``/``, a folder
    of other files, a file.

    Raises:
        UnsafeSiteFolder: a usage error saying what was refused and what to do.
    """
    home = [Path.home().resolve()] if "HOME" in os.environ else []
    inputs = [config.datasets_dir, config.site_src_dir, config.schemas_dir]
    write.check_site_folder(
        config.site_dir,
        protected=[config.root, *inputs, config.mkdocs_file, *home, Path(config.site_dir.anchor)],
        inputs=inputs,
        default_site=config.root / "site",
    )


def _last_build(config: Config) -> dict[str, Any]:
    """What the last successful build recorded; empty when there is none or it is unreadable."""
    try:
        found = json.loads((config.work_dir / LAST_BUILD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def file_dates(result: ValidationResult) -> dict[Path, datetime]:
    """When each table's file last changed: its last commit, or for a package whose current
    version is embargoed, when the release it shows was committed."""
    since = {e.package: e.shown_since for e in result.embargoes}
    return {t.file: since.get(d.name) or last_changed(t.file) for d in result.datasets for t in d.tables}


def release_archives(
    datasets: Sequence[Dataset], config: Config, embargoes: Mapping[str, embargo.Embargo] | None = None
) -> tuple[list[tuple[Dataset, str, bytes]], list[Problem]]:
    """Each release's data as a zip at its own address: the package folder as it is for the
    current version, as it was committed for earlier ones (so a release's zip keeps its bytes
    after later releases); a warning for each that cannot be found. A package in ``embargoes``
    shows an earlier release: its files as committed, never the folder's newer ones."""
    embargoes = embargoes or {}
    archives: list[tuple[Dataset, str, bytes]] = []
    missing: list[Problem] = []
    for dataset in datasets:
        current = str(dataset.descriptor.get("version") or "")
        for release in releases.releases_of([dataset]):
            when = datetime.combine(release.date, datetime.min.time(), tzinfo=UTC)
            held = embargoes.get(dataset.name)
            entries: dict[str, bytes] | None
            if release.version == current:
                entries = dict(held.shown_files or {}) if held is not None else history.package_files(dataset.folder)
            else:
                entries = history.package_at_version(dataset.folder, release.version)
            if entries is None:
                missing.append(
                    Problem(
                        "release-not-in-history",
                        f"The data of release {release.version} is not in the git history, so it cannot stay downloadable.",
                        config.display(dataset.table(RELEASES).file),
                        field="version",
                        fix="Build from a full clone (git fetch --unshallow); check that the descriptor had this version when it was committed.",
                        severity=Severity.WARNING,
                    )
                )
                continue
            archives.append((dataset, release.archive, zip_bytes(entries, when)))
    return archives, missing


def indicator_feeds(site: SiteData) -> dict[str, str]:
    """Each indicator's Atom feed of new figures and revisions, by docs path."""
    logged = releases.releases_of(site.datasets)
    feeds = {}
    for data in site.indicator_sets:
        for indicator in data.indicators:
            history = revisions.indicator_releases(logged, site.release_changes, data.dataset.name, indicator.id)
            feeds[revisions.feed_path(indicator.id)] = revisions.indicator_feed(indicator, history, site.site_url, site.site_name, site.updated, site.currency)
    return feeds


def catalogue_files(site: SiteData) -> dict[str, str]:
    """The DCAT catalogue (JSON-LD and Turtle) and the Project Open Data ``data.json``."""
    dcat = catalogue.dcat_jsonld(site.datasets, site.files, site.site_url, site.site_name, site.updated, site.publisher)
    return {
        "catalog.jsonld": _json(dcat),
        "catalog.ttl": catalogue.dcat_turtle(dcat),
        "data.json": _json(catalogue.project_open_data(site.datasets, site.files, site.site_url, site.updated, site.publisher)),
    }


def _json(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def generated_files(site: SiteData, config: Config) -> Outputs[str]:
    """Every generated page, and the hand-written pages rendered with their data."""
    files = render_pages(site)
    problems = []
    source_root = config.site_src_dir / publish.SOURCE_DOCS
    for source in sorted(source_root.rglob("*.md")):
        doc = source.relative_to(source_root).as_posix()
        where = config.display(source)
        if doc in files:
            problems.append(Problem("page-conflict", f"{doc} is also a generated page.", where, fix="Rename or move the hand-written page."))
            continue
        try:
            files.add(doc, render_source_page(source.read_text(encoding="utf-8"), doc, site), f"the hand-written page {where}", source)
        except TemplateSyntaxError as err:
            problems.append(Problem("page-template", err.message or "syntax error", where, row=err.lineno, fix="Correct the {{ }} or {% %} tag on that line."))
        except (TemplateError, KeyError, AttributeError, TypeError, ValueError) as err:
            problems.append(
                Problem(
                    "page-template",
                    f"The page could not be rendered: {err}",
                    where,
                    row=_template_line(err),
                    fix="Check the names of datasets, resources and fields used in the page's {{ }} tags.",
                )
            )
        except Exception as err:  # the page's own template code can raise anything (1/0; a macro calling itself: RecursionError): the page's problem, not ours
            problems.append(
                Problem(
                    "page-template",
                    f"The page could not be rendered: {type(err).__name__}: {err}",
                    where,
                    row=_template_line(err),
                    fix="Correct the {{ }} or {% %} tag on that line (a division by zero, or a macro that calls itself without end).",
                )
            )
    if problems:
        raise InvalidInput(problems)
    terms = glossary.terms_of(site.datasets)
    return files.transformed(lambda name, content: glossary.expand(content, terms) if name.endswith(".md") and name != urls.GLOSSARY_PAGE else content)


def _template_line(err: BaseException) -> int | None:
    """The line of the page's template where ``err`` was raised, when Jinja's traceback gives it."""
    lines = [frame.lineno for frame in traceback.extract_tb(err.__traceback__) if frame.filename == TEMPLATE_NAME]
    return lines[-1] if lines else getattr(err, "lineno", None)
