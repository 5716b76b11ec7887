"""Page speed and weight, measured: Lighthouse (mobile, its default) on the built site.

Builds the site, serves it on 127.0.0.1 with gzip, runs Lighthouse three times on each page
type and prints the median of each score and of the bytes transferred, against the targets.
Exits 1 when a target is missed. Run with ``scripts/benchmark lighthouse``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "",
    "indicator (chart)": "indicators/knife-crimes/",
    "dataset": "data/community-safety-performance/",
    "embed (chart)": "embed/indicators/knife-crimes/",
}
CHART_PAGES = {"indicator (chart)"}
EMBED_PAGES = {"embed (chart)"}  # what an <iframe> on another site loads
MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# An embed page asks search engines not to index it (its indicator page is the one to find), so Lighthouse's SEO score is not its target.
EMBED_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100}
MAX_KB = {"page": 150, "chart page": 500, "embed page": 50}
PLOTLY = "assets/vendor/plotly/plotly-basic.min.js"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped for clients that accept it, as any production web server does."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix.lower() not in COMPRESSIBLE or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(site: Path, url: str) -> None:
    env = {**os.environ, "SITE_URL": url}
    subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(ROOT), "--site", str(site)], check=True, env=env, cwd=ROOT)


def lighthouse(url: str, report: Path) -> dict[str, float]:
    """One Lighthouse run: the four scores (0-100) and the kilobytes transferred."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        check=True,
        env=env,
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    scores["kb"] = result["audits"]["total-byte-weight"]["numericValue"] / 1024
    failing = [a["id"] for a in result["audits"].values() if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
    if failing:
        print(f"    audits not passed on {url}: {', '.join(sorted(failing))}")
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run scripts/benchmark, which installs it.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        server, url = serve(site)
        build(site, url)
        missed = []
        print(f"Lighthouse {args.runs}x per page, mobile, served with gzip from {url}")
        plotly_kb = len(gzip.compress((site / PLOTLY).read_bytes())) / 1024
        print(f"{'page':<20}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'KB':>9}")
        for name, path in PAGES.items():
            runs = [lighthouse(url + path, Path(tmp) / f"report-{n}.json") for n in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in (*CATEGORIES, "kb")}
            print(f"{name:<20}" + "".join(f"{median[c]:>6.0f}" for c in CATEGORIES) + f"{median['kb']:>9.1f}")
            wanted = EMBED_SCORES if name in EMBED_PAGES else MIN_SCORES
            missed += [f"{name}: {c} {median[c]:.0f} < {wanted[c]}" for c in wanted if median[c] < wanted[c]]
            limit = MAX_KB["chart page" if name in CHART_PAGES else "embed page" if name in EMBED_PAGES else "page"]
            if name in CHART_PAGES:  # Lighthouse does not touch the chart: add what touching it fetches
                median["kb"] += plotly_kb
                print(f"{'  + interactive chart':<44}{median['kb']:>9.1f}  (Plotly bundle, {plotly_kb:.1f} KB gzipped, fetched on demand)")
            if median["kb"] > limit:
                missed.append(f"{name}: {median['kb']:.0f} KB > {limit} KB")
        server.shutdown()
    targets = ", ".join(f"{c} >= {v}" for c, v in MIN_SCORES.items())
    print(f"Targets: {targets}; pages <= {MAX_KB['page']} KB, chart pages <= {MAX_KB['chart page']} KB transferred.")
    embed = ", ".join(f"{c} >= {v}" for c, v in EMBED_SCORES.items())
    print(f"Embed pages: {embed}, <= {MAX_KB['embed page']} KB transferred (not indexed, so no SEO target).")
    print("Every target met." if not missed else "Missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
