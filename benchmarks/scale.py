"""The generator at scale, measured on synthetic data made here (nothing is committed).

1,000 indicators x 40 quarterly periods in one indicator package, plus 20 packages of 100,000
rows each. Prints validation rows per second with the fast path and with Frictionless alone on
the same tables, the generator and site-build seconds, the total, peak memory (the build and its
worker processes together), and a rebuild with nothing changed; then one record-level table of
10,000,000 rows (spending over £500) validated and published. Figures are printed against the
targets (the load of the machine first: it is shared); exits 1 on a miss.
Run with ``scripts/benchmark scale`` (``--indicators``/``--datasets``/``--rows`` to resize).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = ROOT / "datasets" / "community-safety-performance"
TARGETS = {  # (how a figure meets its target, the target)
    "validation rows/s, fast path": (">=", 1_000_000.0),
    "total seconds": ("<=", 25.0),
    "peak memory MB": ("<=", 1024.0),
    "rebuild generator seconds": ("<=", 5.0),
    "transparency: validate and publish seconds": ("<=", 45.0),
    "transparency: peak memory MB": ("<=", 2048.0),
}
STAGES = re.compile(r"in (?P<total>[\d.]+) s \(validate (?P<validate>[\d.]+) s, generate (?P<generate>[\d.]+) s, site (?P<site>[\d.]+) s\)")
UNCHANGED = re.compile(r"up to date \(checked in (?P<check>[\d.]+) s\)")


def write_csv(path: Path, header: str, rows: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        out.writelines(rows)  # type: ignore[arg-type]


def indicator_package(folder: Path, indicators: int, periods: int) -> int:
    """An indicator-profile package with the real schemas and synthetic rows; returns its row count."""
    descriptor = json.loads((PERFORMANCE / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(name=folder.name, title="Synthetic indicators", version="1.0.0")
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] not in ("published-assessments", "releases")]
    (folder / "data").mkdir(parents=True)
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for name in ("statuses", "status-rules"):
        shutil.copy(PERFORMANCE / "data" / f"{name}.csv", folder / "data" / f"{name}.csv")
    priorities = 10
    write_csv(folder / "data/priorities.csv", "priority_id,title,sequence", (f"priority-{p},Priority {p},{p + 1}\n" for p in range(priorities)))
    write_csv(
        folder / "data/indicators.csv",
        "indicator_id,priority_id,sequence,title,display_title,definition,unit,polarity,source,notes",
        (f"indicator-{i},priority-{i % priorities},{i + 1},Indicator {i},,,count,lower-is-better,Synthetic,\n" for i in range(indicators)),
    )
    quarters = [(2016 + q // 4, q % 4 + 1) for q in range(periods)]
    write_csv(
        folder / "data/periods.csv",
        "period_id,sequence,label,start_date,end_date,dates_stated,compared_with,notes",
        (
            f"q{n},{n + 1},{year} Q{quarter},{year}-{3 * quarter - 2:02d}-01,{year}-{3 * quarter:02d}-28,true,{f'q{n - 4}' if n >= 4 else ''},\n"
            for n, (year, quarter) in enumerate(quarters)
        ),
    )
    write_csv(
        folder / "data/observations.csv",
        "indicator_id,period_id,value",
        (f"indicator-{i},q{n},{(i * 7 + n * 13) % 500 + 50}\n" for i in range(indicators) for n in range(periods)),
    )
    return priorities + indicators + periods + indicators * periods + 6


def plain_package(folder: Path, rows: int) -> int:
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "ward", "type": "string"},
            {"name": "day", "type": "date"},
            {"name": "count", "type": "integer"},
            {"name": "rate", "type": "number"},
        ],
        "primaryKey": ["id"],
    }
    (folder / "data").mkdir(parents=True)
    descriptor = {
        "name": folder.name,
        "title": f"Synthetic {folder.name}",
        "version": "1.0.0",
        "resources": [{"name": "records", "path": "data/records.csv", "schema": schema}],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    write_csv(
        folder / "data/records.csv",
        "id,ward,day,count,rate",
        (f"{i},ward-{i % 20},2024-{i % 12 + 1:02d}-{i % 28 + 1:02d},{i % 997},{i % 1000 / 10}\n" for i in range(rows)),
    )
    return rows


def make_project(root: Path, indicators: int, periods: int, datasets: int, rows: int) -> int:
    """A project of synthetic data with the real theme and a home page using it; returns its rows."""
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copytree(ROOT / "site_src", root / "site_src", ignore=shutil.ignore_patterns("*.md"))
    docs = root / "site_src" / "docs"
    (docs / "index.md").write_text(
        '# Synthetic\n\n{{ dashboard("synthetic-indicators") }}\n\n{{ indicator_table("synthetic-indicators") }}\n', encoding="utf-8"
    )
    settings = yaml_load((ROOT / "mkdocs.yml").open(encoding="utf-8"))
    settings["nav"] = [{"Home": "index.md"}, {"Indicators": "indicators/index.md"}, {"Open data": "data/index.md"}, {"Releases": "releases/index.md"}]
    settings["nav"].append({"Glossary": "glossary.md"})  # the site's glossary page is always made
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    total = indicator_package(root / "datasets" / "synthetic-indicators", indicators, periods)
    for n in range(datasets):
        total += plain_package(root / "datasets" / f"synthetic-{n:02d}", rows)
    return total


def tree_memory_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (from /proc). Pages shared
    between them are counted in each, so this is an upper bound."""
    total, waiting, seen = 0, [pid], set()
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            status = Path(f"/proc/{current}/status").read_text(encoding="ascii")
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            for task in Path(f"/proc/{current}/task").iterdir():
                waiting.extend(int(child) for child in (task / "children").read_text(encoding="ascii").split())
        except (FileNotFoundError, ProcessLookupError):
            continue  # the process ended while being read
    return total


def timed(command: list[str]) -> tuple[float, str, float]:
    """Run a command; its seconds, its standard error, and the peak memory in MB of it and its
    worker processes together, sampled every 50 ms."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr, text=True)
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, tree_memory_kb(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        stderr.seek(0)
        output = stderr.read()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output[-3000:]}")
    return seconds, output, peak_kb / 1024


def transparency_package(folder: Path, rows: int) -> int:
    """One record-level table of the Local Government Transparency Code kind (spending over
    £500): date, supplier, amount, category, department; returns its row count."""
    schema = {
        "fields": [
            {"name": "date", "type": "date", "constraints": {"required": True}},
            {"name": "supplier", "type": "string", "constraints": {"required": True}},
            {"name": "amount", "type": "number", "constraints": {"required": True}},
            {"name": "category", "type": "string"},
            {"name": "department", "type": "string"},
        ]
    }
    (folder / "data").mkdir(parents=True)
    descriptor = {
        "name": folder.name,
        "title": "Synthetic spending over £500",
        "version": "1.0.0",
        "licenses": [
            {
                "name": "OGL-UK-3.0",
                "title": "Open Government Licence v3.0",
                "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            }
        ],
        "resources": [{"name": "spending", "path": "data/spending.csv", "schema": schema}],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    categories = ["Consultancy", "Agency staff", "Building repairs", "Transport", "IT services", "Social care placements", "Grants", "Legal fees"]
    departments = ["Adults", "Children", "Place", "Resources", "Public Health", "Housing"]
    with (folder / "data/spending.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("date,supplier,amount,category,department\n")
        for start in range(0, rows, 100_000):
            out.write(
                "".join(
                    f"{2021 + i % 3}-{i % 12 + 1:02d}-{i % 28 + 1:02d},Supplier {i % 4999} Ltd,{500 + (i * 7919) % 250_000}.{i % 100:02d},"
                    f"{categories[i % 8]},{departments[i % 6]}\n"
                    for i in range(start, min(start + 100_000, rows))
                )
            )
    return rows


VALIDATE = """
import sys, time
from pathlib import Path
from generator.checks.validate import validate_all
from generator.config import Config
config = Config.for_project(Path(sys.argv[1]), fast_path=sys.argv[2] == "fast")
started = time.perf_counter()
result = validate_all(config)
errors = sum(p.severity.value == "error" for p in result.problems)
print(time.perf_counter() - started, sum(len(t.rows) for d in result.datasets for t in d.tables), errors)
"""


def validation_seconds(project: Path, mode: str) -> tuple[float, int]:
    """Seconds to validate every package of a project (``fast`` path or ``frictionless`` alone), and the rows found valid."""
    done = subprocess.run([sys.executable, "-c", VALIDATE, str(project), mode], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, rows, errors = done.stdout.split()
    assert errors == "0", done.stdout
    return float(seconds), int(rows)


def report(figures: dict[str, float], targets: dict[str, tuple[str, float]]) -> list[str]:
    """Print each figure, against its target when it has one; the names of the targets missed."""
    missed = []
    for name, value in figures.items():
        verdict = ""
        if name in targets:
            way, target = targets[name]
            met = value >= target if way == ">=" else value <= target
            verdict = f"  target {way} {target:,.0f}: {'met' if met else 'MISSED'}"
            missed += [] if met else [name]
        print(f"{name:<40}{value:>14,.1f}{verdict}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=40)
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--transparency-rows", type=int, default=10_000_000, help="rows of the one record-level table (0: skip that case)")
    parser.add_argument("--skip-frictionless", action="store_true", help="do not time Frictionless alone on the same tables (it is slow)")
    args = parser.parse_args()
    print(f"Load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} on {os.cpu_count()} cores (uptime's load averages)")
    generator = [sys.executable, "-m", "generator"]
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        started = time.perf_counter()
        rows = make_project(project, args.indicators, args.periods, args.datasets, args.rows)
        print(
            f"Made {rows:,} rows of synthetic data in {time.perf_counter() - started:.1f} s: {args.indicators:,} indicators x {args.periods} periods, "
            f"{args.datasets} packages of {args.rows:,} rows."
        )
        fast_seconds, fast_rows = validation_seconds(project, "fast")
        figures["validation rows/s, fast path"] = fast_rows / fast_seconds
        if not args.skip_frictionless:
            slow_seconds, slow_rows = validation_seconds(project, "frictionless")
            assert slow_rows == fast_rows, (slow_rows, fast_rows)
            figures["validation rows/s, Frictionless alone"] = slow_rows / slow_seconds
        build_seconds, first, peak_mb = timed([*generator, "build", "--project", str(project)])
        rebuild_seconds, again, _ = timed([*generator, "build", "--project", str(project)])
        stages, rebuilt = STAGES.search(first), UNCHANGED.search(again)
        assert stages, first
        figures |= {
            "build: validate and downloads seconds": float(stages["validate"]),
            "build: generator seconds": float(stages["validate"]) + float(stages["generate"]),
            "build: site-build seconds": float(stages["site"]),
            "total seconds": build_seconds,
            "peak memory MB": peak_mb,
            "rebuild total seconds": rebuild_seconds,
        }
        if rebuilt:
            figures["rebuild generator seconds"] = float(rebuilt["check"])
        else:
            print("The second build was not recognised as unchanged: it built again.")
        if args.transparency_rows:
            shutil.rmtree(project)
            made = time.perf_counter()
            big = Path(tmp) / "transparency"
            make_project(big, 10, 4, 0, 0)
            shutil.rmtree(big / "datasets" / "synthetic-indicators")
            (big / "site_src" / "docs" / "index.md").write_text("# Spending over £500\n", encoding="utf-8")
            settings = yaml_load((big / "mkdocs.yml").open(encoding="utf-8"))
            settings["nav"] = [item for item in settings["nav"] if "Indicators" not in item]  # no indicator package here
            (big / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
            transparency_package(big / "datasets" / "spending", args.transparency_rows)
            print(f"Made one table of {args.transparency_rows:,} rows (date, supplier, amount, category, department) in {time.perf_counter() - made:.1f} s.")
            seconds, rows_checked = validation_seconds(big, "fast")
            figures["transparency: validation seconds"] = seconds
            figures["transparency: validation rows/s"] = rows_checked / seconds
            seconds, output, peak = timed([*generator, "build", "--project", str(big)])
            if parts := STAGES.search(output):
                figures |= {f"transparency: build {stage} seconds": float(parts[stage]) for stage in ("validate", "generate", "site")}
            figures["transparency: validate and publish seconds"] = seconds
            figures["transparency: peak memory MB"] = peak
    missed = report(figures, TARGETS)
    print("Every target met." if not missed else f"Missed: {', '.join(missed)}.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
