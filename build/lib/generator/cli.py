"""``python -m generator validate | build | diff | serve | workbook | import``: arguments in, problems printed, exit codes out.

Exit codes: 0 success; 1 the input has problems (or the site did not build); 2 usage error;
3 an unexpected internal error (run with --debug for the traceback); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from generator import __version__
from generator.config import Config
from generator.inputs.load import discover_packages
from generator.model.dataset import Dataset
from generator.pipeline import build_site, check_output, check_site
from generator.problems import progress
from generator.problems.errors import GeneratorError, InvalidInput, UsageError
from generator.problems.records import FORMATTERS, Problem, Severity, is_fatal, sort_key

log = logging.getLogger("generator")
ALL_RELEASES_OUT = datetime.max.replace(tzinfo=UTC)  # a "now" after every announced release

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def make_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m generator", description="Build an open-data site from Frictionless datapackages.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", type=Path, default=Path.cwd(), help="project folder holding mkdocs.yml, site_src/ and schemas/ (default: here)")
    common.add_argument("--datasets", type=Path, help="folder of datapackages (default: <project>/datasets)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--frictionless-only", action="store_true", help="validate every table with Frictionless alone (slower)")
    common.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="how to print problems (default: text)")
    common.add_argument("--debug", action="store_true", help="show debug logging and tracebacks")
    common.add_argument("--now", help="publish as at this moment, such as 2026-11-26T09:30 (London time; default: the real clock, or BUILD_NOW)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser("validate", parents=[common], help="check every datapackage and the whole site build, print every problem; publish nothing")
    build = commands.add_parser("build", parents=[common], help="validate, then build the site into --site")
    build.add_argument("--site", type=Path, help="output folder (default: <project>/site)")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing the site depends on has changed")
    diff = commands.add_parser("diff", parents=[common], help="print in Markdown what the data change does: figures, rows, statuses, periods and schemas")
    diff.add_argument("ref", nargs="?", help="git commit, branch or tag to compare with (default: each package's last release)")
    serve = commands.add_parser("serve", parents=[common], help="build, serve on 127.0.0.1 and rebuild on every change")
    serve.add_argument("--site", type=Path, help="output folder (default: <project>/site)")
    serve.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    workbook = commands.add_parser("workbook", parents=[common], help="write a package as one editable .xlsx workbook")
    workbook.add_argument("package", help="the package's name (its folder in the datasets folder)")
    workbook.add_argument("-o", "--output", type=Path, help="the workbook to write (default: <package>.xlsx here)")
    imported = commands.add_parser("import", parents=[common], help="check an edited workbook as a build would and, if nothing is wrong, write its CSV files")
    imported.add_argument("file", type=Path, help="the .xlsx workbook")
    imported.add_argument("--package", help="the package it is for (default: the one its notes sheet names)")
    imported.add_argument("--accept-warnings", action="store_true", help="write the files even when there are warnings (never when there are errors)")
    return parser


def report(problems: Sequence[Problem], fmt: str) -> None:
    """Print problems in the chosen format (nothing when there are none, except JSON).

    Text goes to stderr, for people; JSON and GitHub annotations go to stdout, for machines
    (the Actions runner reads workflow commands from standard output)."""
    if problems or fmt == "json":
        print(FORMATTERS[fmt](problems), file=sys.stderr if fmt == "text" else sys.stdout)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def summary(datasets: Sequence[Dataset]) -> str:
    """``2 valid, with 21 tables and 389 rows``: how much valid data there is."""
    tables = [t for d in datasets for t in d.tables]
    return f"{len(datasets)} valid, with {_count(len(tables), 'table')} and {_count(sum(len(t.rows) for t in tables), 'row')}"


def run(args: argparse.Namespace) -> int:
    """Carry out one parsed command; returns the exit code."""
    site = getattr(args, "site", None)
    config = Config.for_project(args.project, datasets_dir=args.datasets, site_dir=site, strict=args.strict, now=args.now, fast_path=not args.frictionless_only)
    if args.command == "validate":
        started = time.perf_counter()
        checked = check_site(config)
        progress.done()
        report(checked.problems, args.format)
        if args.format == "text":
            seconds = time.perf_counter() - started
            print(f"Checked {_count(checked.validation.packages, 'package')} in {seconds:.1f} s: {summary(checked.validation.datasets)}.", file=sys.stderr)
        return EXIT_PROBLEMS if is_fatal(checked.problems, config.strict) else EXIT_OK
    if args.command == "build":
        built = build_site(config, force=args.force)
        progress.done()
        report(built.problems, args.format)
        if built.unchanged:
            print(f"Nothing has changed since the last build: {built.site_dir} is up to date (checked in {built.seconds:.1f} s).", file=sys.stderr)
        else:
            print(f"Built {built.pages} pages into {built.site_dir} in {built.timing()}.", file=sys.stderr)
        return EXIT_OK
    if args.command == "workbook":
        return write_workbook(config, args.package, args.output)
    if args.command == "import":
        return import_workbook(config, args.file, args.package, args.format, accept_warnings=args.accept_warnings)
    if args.command == "diff":
        return run_diff(config, args.ref)
    from generator.serve import serve  # imported late: only serve needs the HTTP server

    check_output(config)
    return serve(config, args.port)


def write_workbook(config: Config, package: str, output: Path | None) -> int:
    """``workbook PACKAGE``: the package as an editable workbook."""
    from generator.checks.workbook import editable_package  # imported late: only these commands need openpyxl
    from generator.outputs.workbook import package_workbook
    from generator.site.package_files import replace_files

    folder = next((f for f in discover_packages(config.datasets_dir) if f.name == package), None)
    if folder is None:
        known = ", ".join(f.name for f in discover_packages(config.datasets_dir)) or "none"
        raise UsageError(f"there is no package {package!r} in {config.display(config.datasets_dir)} (the packages are: {known})")
    target = (output or Path.cwd() / f"{package}.xlsx").resolve()
    try:
        replace_files({target: package_workbook(editable_package(folder))})
    except (OSError, ValueError) as err:
        raise GeneratorError(f"the workbook of {package!r} could not be written: {err}") from err
    print(f"Wrote {config.display(target)}: one sheet per table of {package}, and a notes sheet.", file=sys.stderr)
    return EXIT_OK


def import_workbook(config: Config, file: Path, package: str | None, fmt: str, *, accept_warnings: bool) -> int:
    """``import FILE.xlsx``: the workbook checked as a build checks the data; its CSV files
    written only when nothing is wrong."""
    from generator.checks import workbook  # imported late: only these commands need openpyxl
    from generator.site.package_files import replace_files

    result = workbook.import_workbook(file.resolve(), config, package)
    problems = list(result.problems)
    if fmt == "github":  # annotations on the workbook, each naming its cell
        where = config.display(file.resolve())
        problems = [dataclasses.replace(p, file=where, field=p.file) if "!" in p.file or p.file in result.sheet_names else p for p in problems]
        report(problems, fmt)
    elif fmt == "json":
        report(problems, fmt)
    elif problems:
        print("\n".join(p.line() for p in sorted(problems, key=sort_key)), file=sys.stderr)
        errors = sum(p.severity is Severity.ERROR for p in problems)
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    if workbook.blocks(problems, accept_warnings):
        print("Nothing was written: correct the workbook and import it again.", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        replace_files(result.changed)
    except OSError as err:
        raise GeneratorError(f"the CSV files could not be written ({err}); none of them was replaced") from err
    names = ", ".join(config.display(path) for path in sorted(result.changed)) or "none (the workbook matches the files)"
    print(f"Imported {config.display(file.resolve())} into {result.package}: files changed: {names}.", file=sys.stderr)
    return EXIT_OK


def run_diff(config: Config, ref: str | None) -> int:
    """Print the Markdown summary of what the data change does (``outputs.changes``): the
    packages as they are now, validated, against those at ``ref`` or at their last release."""
    from generator.checks.earlier import baseline
    from generator.checks.validate import validate_all
    from generator.model.changes import compare
    from generator.outputs.changes import code, md
    from generator.outputs.changes import summary as changes_summary

    config = dataclasses.replace(config, now=ALL_RELEASES_OUT)  # the change under review, even when announced for later
    result = validate_all(config)
    if is_fatal(result.problems, config.strict):
        raise InvalidInput(result.problems)
    found = baseline(config, result.datasets, ref)
    if found is None:
        raise UsageError(f"{ref!r} is not a commit, branch or tag of the project's git history; give one that is (the full history: git fetch --unshallow).")
    compared = [d for d in result.datasets if d.folder.name not in found.not_compared]
    words = f"the data at {code(ref)}" if ref else md(found.words)
    print(changes_summary(compare(found.datasets, compared), words, config.currency, [md(name) for name in found.not_compared]))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: never shows a traceback unless ``--debug`` is given."""
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if sys.stderr.isatty() and not os.environ.get("CI") and args.command != "serve":
        progress.show()  # a person is watching: say which package and table, and the rows done
    try:
        return run(args)
    except InvalidInput as err:
        progress.done()
        report(err.problems, args.format)
        print("Nothing was published; the previous site is unchanged.", file=sys.stderr)
        return EXIT_PROBLEMS
    except UsageError as err:
        progress.done()
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except GeneratorError as err:
        progress.done()
        print(f"error: {err}", file=sys.stderr)
        print("Nothing was published; the previous site is unchanged.", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        progress.done()
        print("Interrupted: nothing was published; the previous site is unchanged.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:  # the one place that catches everything, so users never see a traceback
        progress.done()
        if args.debug:
            raise
        log.error("internal error; run again with --debug for the traceback and report it")
        return EXIT_INTERNAL
