"""``python -m generator validate | build | serve``: arguments in, problems printed, exit codes out.

Exit codes: 0 success; 1 the input has problems (or the site did not build); 2 usage error;
3 an unexpected internal error (run with --debug for the traceback); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.config import Config
from generator.model.dataset import Dataset
from generator.pipeline import build_site, check_output, check_site
from generator.problems import progress
from generator.problems.errors import GeneratorError, InvalidInput, UsageError
from generator.problems.records import FORMATTERS, Problem, is_fatal

log = logging.getLogger("generator")

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
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser("validate", parents=[common], help="check every datapackage and the whole site build, print every problem; publish nothing")
    build = commands.add_parser("build", parents=[common], help="validate, then build the site into --site")
    build.add_argument("--site", type=Path, help="output folder (default: <project>/site)")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing the site depends on has changed")
    serve = commands.add_parser("serve", parents=[common], help="build, serve on 127.0.0.1 and rebuild on every change")
    serve.add_argument("--site", type=Path, help="output folder (default: <project>/site)")
    serve.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
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
    config = Config.for_project(args.project, datasets_dir=args.datasets, site_dir=site, strict=args.strict, fast_path=not args.frictionless_only)
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
    from generator.serve import serve  # imported late: only serve needs the HTTP server

    check_output(config)
    return serve(config, args.port)


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
