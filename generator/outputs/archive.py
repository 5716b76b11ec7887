"""Reproducible zip archives: the same entries give the same bytes, whenever they are made."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import datetime


def zip_bytes(entries: Mapping[str, bytes], when: datetime) -> bytes:
    """A zip of ``entries`` that is byte-identical for the same input: sorted, every entry dated ``when``."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()
