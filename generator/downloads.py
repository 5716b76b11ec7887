"""The download files of every dataset. Returns bytes keyed by docs path; never writes.

Per table: the CSV exactly as its authors published it (never altered), the typed rows as
JSON, and an XLSX workbook that is safe to open (see ``spreadsheet``). Per package: the
descriptor as published beside them, with sizes and hashes.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from generator import spreadsheet, urls
from generator.model import DEFAULT_LICENCE_NAME, DEFAULT_LICENCE_PATH, DEFAULT_LICENCE_TITLE, Dataset, Table


def dataset_files(dataset: Dataset, updated: datetime) -> dict[str, bytes]:
    """Every download of one dataset: CSV, JSON and XLSX per table, and the package descriptor."""
    files: dict[str, bytes] = {}
    for table in dataset.tables:
        files[urls.resource_csv(dataset.name, table.name)] = table.file.read_bytes()
        files[urls.resource_download(dataset.name, table.name, "json")] = table_json(table)
        files[urls.resource_download(dataset.name, table.name, "xlsx")] = spreadsheet.workbook(dataset, table, updated)
    files[urls.package_descriptor(dataset.name)] = published_descriptor(dataset.descriptor, files, dataset.name)
    return files


def table_json(table: Table) -> bytes:
    """The typed rows as a JSON array of objects, keys in the schema's field order."""
    records = [{f.name: spreadsheet.json_value(row.get(f.name)) for f in table.fields} for row in table.rows]
    return (json.dumps(records, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


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
