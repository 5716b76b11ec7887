"""What a build's output depends on, as one digest, so that an unchanged input is not rebuilt.

The digest covers every file of the data, the hand-written pages and theme, the schemas,
mkdocs.yml and the generator itself, the installed versions of the generator's dependencies
(MkDocs, Material, Frictionless... shape every page), the git commit the releases' history is
read from, and the settings that reach the output (site address, data date, strictness,
output folder), and which announced releases' moments have passed at the build's "now" (a
release dated later is published when its moment comes, with no file changing). Anything else
changing cannot change the site.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

from generator.config import Config
from generator.inputs import embargo
from generator.inputs.load import discover_packages

log = logging.getLogger(__name__)

GENERATOR_DIR = Path(__file__).parents[1]
DISTRIBUTION = "opendata-site-generator"
REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def dependency_names() -> list[str]:
    """The generator's dependencies as pyproject.toml declares them (installed metadata first)."""
    try:
        requirements = metadata.requires(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        requirements = None
    if requirements is None:
        try:
            project = tomllib.loads((GENERATOR_DIR.parent / "pyproject.toml").read_text(encoding="utf-8"))
            requirements = list(project.get("project", {}).get("dependencies", []))
        except (OSError, ValueError) as err:
            log.debug("no dependency list: %s", err)
            requirements = []
    names = {match.group(0).lower() for text in requirements if "extra ==" not in text and (match := REQUIREMENT_NAME.match(text))}
    return sorted(names)


def dependency_versions() -> list[str]:
    """``name==version`` of each dependency as installed now (``name==missing`` when it is not)."""
    found = []
    for name in dependency_names():
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==missing")
    return found


def history_commit(folder: Path) -> str:
    """The last commit that touched ``folder`` in the git repository holding it (empty when
    there is none): earlier releases' zips are read from that history."""
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%H", "--", "."], cwd=folder, capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        log.debug("git not usable for the fingerprint: %s", err)
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _files(folder: Path) -> list[Path]:
    """Regular files and links under ``folder``; a link is read as where it points, never followed
    (it may lead to a device, a pipe or something huge)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if (p.is_symlink() or p.is_file()) and "__pycache__" not in p.parts)


def of_inputs(config: Config) -> str:
    """The SHA-256 of everything the built site depends on."""
    digest = hashlib.sha256()
    settings = (config.site_url, config.site_name, config.updated.isoformat(), str(config.strict), str(config.site_dir))
    digest.update("\0".join(settings).encode())
    digest.update("\0".join(["", *dependency_versions(), history_commit(config.datasets_dir) if config.datasets_dir.is_dir() else ""]).encode())
    for root in (config.datasets_dir, config.site_src_dir, config.schemas_dir, GENERATOR_DIR):
        for path in _files(root):
            digest.update(f"\0{root.name}/{path.relative_to(root).as_posix()}\0".encode())
            if path.is_symlink():
                digest.update(f"link to {os.readlink(path)}".encode())
                continue
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    digest.update(f"\0mkdocs.yml\0{config.mkdocs_text}".encode())
    announced = [a for folder in discover_packages(config.datasets_dir) for a in embargo.announced(folder)]
    digest.update("\0".join(["releases passed", *sorted(embargo.passed(announced, config.now))]).encode())
    return digest.hexdigest()
