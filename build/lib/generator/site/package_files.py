"""Writing files of the project that a command made: an imported workbook's CSV files, a
workbook. Each file is written beside its target first and then renamed over it, so no file is
ever left half written; the renames come only after every file is written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path


def replace_files(files: Mapping[Path, bytes]) -> None:
    """Write every file, each replaced in one step (a temporary file beside it, then a rename).

    Raises:
        OSError: a file could not be written; then none of them has been replaced.
    """
    temporary: list[tuple[Path, Path]] = []
    try:
        for target, content in sorted(files.items()):
            scratch = target.with_name(f".{target.name}.import-tmp")
            with scratch.open("wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.append((scratch, target))
    except OSError:
        for scratch, _ in temporary:
            with contextlib.suppress(OSError):
                scratch.unlink()
        raise
    for scratch, target in temporary:
        os.replace(scratch, target)
