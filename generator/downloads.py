"""The download files of every dataset: raw CSVs, unaltered, and a published descriptor.

Returns bytes keyed by docs path; never writes.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from generator import urls
from generator.model import DEFAULT_LICENCE_NAME, DEFAULT_LICENCE_PATH, DEFAULT_LICENCE_TITLE, Dataset


def dataset_files(dataset: Dataset) -> dict[str, bytes]:
    """Each resource's CSV exactly as published by its authors, and the package descriptor."""
    files = {urls.resource_csv(dataset.name, t.name): t.file.read_bytes() for t in dataset.tables}
    files[urls.package_descriptor(dataset.name)] = published_descriptor(dataset.descriptor, files, dataset.name)
    return files


def published_descriptor(descriptor: Mapping[str, Any], files: Mapping[str, bytes], package: str) -> bytes:
    """The descriptor as published beside its CSVs: flat paths, ``bytes`` and ``hash`` per
    resource, and a licence (OGL v3.0 unless the package says otherwise)."""
    published = copy.deepcopy(dict(descriptor))
    published.setdefault("licenses", [{"name": DEFAULT_LICENCE_NAME, "path": DEFAULT_LICENCE_PATH, "title": DEFAULT_LICENCE_TITLE}])
    for resource in published["resources"]:
        content = files[urls.resource_csv(package, resource["name"])]
        resource["path"] = f"{resource['name']}.csv"
        resource["bytes"] = len(content)
        resource["hash"] = f"sha256:{hashlib.sha256(content).hexdigest()}"
    return (json.dumps(published, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
