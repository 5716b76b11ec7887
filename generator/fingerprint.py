"""What a build's output depends on, as one digest, so that an unchanged input is not rebuilt.

The digest covers every file of the data, the hand-written pages and theme, the schemas,
mkdocs.yml and the generator itself, and the settings that reach the output (site address,
data date, strictness, output folder). Anything else changing cannot change the site.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.config import Config

GENERATOR_DIR = Path(__file__).parent


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if folder.is_dir() else []


def of_inputs(config: Config) -> str:
    """The SHA-256 of everything the built site depends on."""
    digest = hashlib.sha256()
    settings = (config.site_url, config.site_name, config.updated.isoformat(), str(config.strict), str(config.site_dir))
    digest.update("\0".join(settings).encode())
    for root in (config.datasets_dir, config.site_src_dir, config.schemas_dir, GENERATOR_DIR):
        for path in _files(root):
            digest.update(f"\0{root.name}/{path.relative_to(root).as_posix()}\0".encode())
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    if config.mkdocs_file.is_file():
        digest.update(config.mkdocs_file.read_bytes())
    return digest.hexdigest()
