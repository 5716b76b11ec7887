"""The download files of every dataset. Returns bytes keyed by docs path; never writes.

Per table: the CSV exactly as its authors published it (never altered), the typed rows as
JSON, and an XLSX workbook that is safe to open (see ``spreadsheet``). Per package: the
descriptor as published beside them, with sizes and hashes, and the package as a zip. For
the site: every package in one zip. Zips are reproducible: fixed dates, sorted entries.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from generator.checks import raw_csv
from generator.model import urls
from generator.model.columns import ColumnRows, json_array
from generator.model.dataset import Dataset, FileFacts, Licence, Table
from generator.outputs import spreadsheet
from generator.outputs.archive import zip_bytes
from generator.outputs.registry import Outputs
from generator.problems import progress

ALL_DATA = "data/all-data.zip"


def facts(path: str, content: bytes) -> FileFacts:
    """Size and SHA-256 of one file."""
    return FileFacts(path, len(content), hashlib.sha256(content).hexdigest())


def dataset_files(dataset: Dataset, updated: datetime) -> Outputs[bytes]:
    """Every download of one dataset: CSV, JSON and XLSX per table, the descriptor and the zip.
    A path made twice (a resource named ``datapackage``) is a conflict of the registry."""
    files: Outputs[bytes] = Outputs()
    where = dataset.folder / "datapackage.json"
    for table in dataset.tables:
        progress.report("Writing the downloads of %s: %s (%s rows)", dataset.name, table.name, f"{len(table.rows):,}")
        made_by = f"the {{}} of the resource {table.name!r} of the package {dataset.name!r}"
        files.add(urls.resource_csv(dataset.name, table.name), table_csv(table, dataset.descriptor), made_by.format("CSV file"), where)
        files.add(urls.resource_download(dataset.name, table.name, "json"), table_json(table), made_by.format("JSON file"), where)
        files.add(urls.resource_download(dataset.name, table.name, "xlsx"), spreadsheet.workbook(dataset, table, updated), made_by.format("workbook"), where)
    site_default = dataset.licence if dataset.licence is not None and dataset.licence.site_default else None
    csvs = dict(files)
    descriptor = published_descriptor(dataset.descriptor, csvs, dataset.name, updated, site_default)
    files.add(urls.package_descriptor(dataset.name), descriptor, f"the descriptor of the package {dataset.name!r}", where)
    entries = package_entries(dataset, {**csvs, urls.package_descriptor(dataset.name): descriptor})
    files.add(urls.package_zip(dataset.name), zip_bytes(entries, updated), f"the zip of the package {dataset.name!r}", where)
    return files


def all_data_zip(datasets: Sequence[Dataset], files: Mapping[str, bytes], updated: datetime) -> bytes:
    """Every package, each in its own folder, in one zip."""
    entries = {f"{dataset.name}/{name}": content for dataset in datasets for name, content in package_entries(dataset, files).items()}
    return zip_bytes(entries, updated)


def package_entries(dataset: Dataset, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """A package as published: its descriptor beside its CSV files, as ``frictionless`` reads it."""
    entries = {"datapackage.json": files[urls.package_descriptor(dataset.name)]}
    entries.update({f"{t.name}.csv": files[urls.resource_csv(dataset.name, t.name)] for t in dataset.tables})
    return entries


def table_csv(table: Table, descriptor: Mapping[str, Any]) -> bytes:
    """The table's CSV file as published: its bytes, unaltered. A table kept in several files
    is published as the one file they make (``raw_csv.joined``), as it was validated."""
    if not table.parts:
        return table.file.read_bytes()
    resource: Mapping[str, Any] = next((r for r in descriptor.get("resources", []) if r.get("name") == table.name), {})
    return raw_csv.joined([part.read_bytes() for part in table.parts], raw_csv.dialect_of(resource), raw_csv.encoding_of(resource))


def table_json(table: Table) -> bytes:
    """The typed rows as a JSON array of objects, one per line, keys in the schema's field order."""
    names = [f.name for f in table.fields]
    encode = json.JSONEncoder(ensure_ascii=False, default=spreadsheet.json_value).encode
    if isinstance(table.rows, ColumnRows) and names == list(table.rows.names):
        return json_array(table.rows, encode)
    body = ",\n".join(encode({name: row.get(name) for name in names}) for row in table.rows)
    return (f"[\n{body}\n]\n" if body else "[]\n").encode("utf-8")


def published_descriptor(
    descriptor: Mapping[str, Any], files: Mapping[str, bytes], package: str, updated: datetime, site_default: Licence | None = None
) -> bytes:
    """The descriptor as published beside its CSVs: flat paths, ``bytes`` and ``hash`` per
    resource, and when it was modified. Its licences are the package's own; when it names none,
    ``site_default`` (the licence the publisher set for the site in mkdocs.yml), if given, else none."""
    published = copy.deepcopy(dict(descriptor))
    if site_default is not None:
        published["licenses"] = [{k: v for k, v in (("name", site_default.name), ("path", site_default.path), ("title", site_default.title)) if v}]
    published["modified"] = updated.strftime("%Y-%m-%d")
    for resource in published["resources"]:
        content = files[urls.resource_csv(package, resource["name"])]
        if "format" not in resource and raw_csv.table_format(resource) not in ("csv", ""):
            resource["format"] = raw_csv.table_format(resource)  # the file keeps its format under its published name
        resource["path"] = f"{resource['name']}.csv"
        resource["bytes"] = len(content)
        resource["hash"] = f"sha256:{hashlib.sha256(content).hexdigest()}"
    return (json.dumps(published, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
