"""Live preview: build, serve the site on 127.0.0.1, and rebuild whenever an input changes."""

from __future__ import annotations

import functools
import logging
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.config import Config
from generator.pipeline import build_site
from generator.problems.errors import GeneratorError, InvalidInput
from generator.problems.records import format_text

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


def snapshot(paths: list[Path]) -> dict[Path, tuple[float, int]]:
    """Modification time and size of every file under ``paths``."""
    found: dict[Path, tuple[float, int]] = {}
    for root in paths:
        files = [root] if root.is_file() else root.rglob("*") if root.is_dir() else []
        for path in files:
            if path.is_file():
                stat = path.stat()
                found[path] = (stat.st_mtime, stat.st_size)
    return found


def rebuild(config: Config) -> None:
    """Build once, printing problems instead of stopping; the last good site stays served."""
    try:
        result = build_site(config)
        if not result.unchanged:
            print(f"Rebuilt {result.pages} pages in {result.timing()}.", file=sys.stderr)
    except InvalidInput as err:
        print(format_text(err.problems), file=sys.stderr)
        print("Still serving the last good site.", file=sys.stderr)
    except GeneratorError as err:
        print(f"error: {err}\nStill serving the last good site.", file=sys.stderr)


def serve(config: Config, port: int) -> int:
    """Serve until interrupted. Returns an exit code."""
    rebuild(config)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(config.site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving http://127.0.0.1:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    watched = [config.datasets_dir, config.site_src_dir, config.schemas_dir, config.mkdocs_file]
    seen = snapshot(watched)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(watched)
            if now != seen:
                seen = now
                rebuild(config)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
