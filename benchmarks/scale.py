"""The generator at scale, measured on synthetic data made here (nothing is committed).

1,000 indicators x 40 quarterly periods in one indicator package, plus 20 packages of 100,000
rows each. Prints validation rows per second, the generator and site-build seconds, the total,
peak memory (the build and its worker processes together), and a rebuild with nothing changed,
against the targets; exits 1 on a miss.
Run with ``scripts/benchmark scale`` (``--indicators``/``--datasets``/``--rows`` to resize).
"""

from __future__ import annotations

import argparse
import json
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
TARGETS = {"total seconds": 60.0, "rebuild generator seconds": 5.0, "peak memory MB": 2048.0}
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=40)
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        started = time.perf_counter()
        rows = make_project(project, args.indicators, args.periods, args.datasets, args.rows)
        print(
            f"Made {rows:,} rows of synthetic data in {time.perf_counter() - started:.1f} s: {args.indicators:,} indicators x {args.periods} periods, "
            f"{args.datasets} packages of {args.rows:,} rows."
        )
        generator = [sys.executable, "-m", "generator"]
        build_seconds, first, peak_mb = timed([*generator, "build", "--project", str(project)])
        rebuild_seconds, again, _ = timed([*generator, "build", "--project", str(project)])
    stages, rebuilt = STAGES.search(first), UNCHANGED.search(again)
    assert stages and rebuilt, first + again
    figures = {
        "validation rows/s": rows / float(stages["validate"]),  # the build's validate stage, downloads made in the same workers
        "generator seconds": float(stages["validate"]) + float(stages["generate"]),
        "site-build seconds": float(stages["site"]),
        "total seconds": build_seconds,
        "peak memory MB": peak_mb,
        "rebuild generator seconds": float(rebuilt["check"]),
        "rebuild total seconds": rebuild_seconds,
    }
    for name, value in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"  target < {target:,.0f}: {'met' if value < target else 'MISSED'}"
        print(f"{name:<28}{value:>14,.1f}{verdict}")
    missed = [name for name, target in TARGETS.items() if figures[name] >= target]
    print("Every target met." if not missed else f"Missed: {', '.join(missed)}.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
