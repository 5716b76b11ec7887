"""Machine-readable catalogues of the site's datasets. Pure: datasets and facts in, text out.

- DCAT (DCAT-AP style) as JSON-LD (``catalog.jsonld``) and as Turtle (``catalog.ttl``, the same
  graph serialised by rdflib);
- Project Open Data v1.1 (``data.json``);
- schema.org ``Dataset`` JSON-LD for the head of each dataset page.

Every node has an IRI (no blank nodes), so the Turtle is the same bytes for the same input.
Identifiers are the datasets' stable page URLs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from rdflib import Graph

from generator.config import Publisher
from generator.model import urls
from generator.model.dataset import LICENCE_NOT_STATED, Dataset, FileFacts, Licence, is_web_address

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
SPATIAL = "x-spatial"  # the descriptor property that states the area a package covers: a name, or {name, path}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def absolute(site_url: str, doc_path: str) -> str:
    """The public URL of a docs file."""
    return site_url + urls.url_of(doc_path)


def publisher(dataset: Dataset) -> str:
    """The dataset's publisher, as catalogues and citations name it; empty when the descriptor
    names none (catalogues then leave it out: never "Not stated" as if it were a name)."""
    return dataset.publisher


def licence_id(dataset: Dataset) -> str:
    """The licence as a catalogue names it: its web address, else its title; empty when not stated."""
    if dataset.licence is None:
        return ""
    return dataset.licence.path if is_web_address(dataset.licence.path) else dataset.licence.title


def _dcat_licence(licence: Licence, page: str) -> dict[str, Any]:
    """``dct:license``: the licence's own address, else a licence document on the page naming it."""
    if is_web_address(licence.path):
        return {"@id": licence.path}
    return {"@id": f"{page}#licence", "@type": "dct:LicenseDocument", "dct:title": licence.title}


def keywords(dataset: Dataset) -> list[str]:
    return [str(k) for k in dataset.descriptor.get("keywords") or []]


def catalogue_keywords(dataset: Dataset) -> list[str]:
    """The keywords a catalogue gives: the descriptor's, else the titles of its tables (never none)."""
    return keywords(dataset) or [t.title for t in dataset.tables] or [dataset.name]


def temporal(dataset: Dataset) -> tuple[date, date] | None:
    """The period the data covers: from the first start date to the last end date of its
    periods (a table's ``start_date``/``end_date`` or ``period_start``/``period_end``), counting
    only dates the data states (``dates_stated`` not false); ``None`` when it states none."""
    starts: list[date] = []
    ends: list[date] = []
    for table in dataset.tables:
        names = {f.name for f in table.fields}
        for start_name, end_name in (("start_date", "end_date"), ("period_start", "period_end")):
            if not {start_name, end_name} <= names:
                continue
            for row in table.rows:
                if row.get("dates_stated") is False:
                    continue
                start, end = row.get(start_name), row.get(end_name)
                if isinstance(start, date) and isinstance(end, date):
                    starts.append(start)
                    ends.append(end)
    return (min(starts), max(ends)) if starts else None


def spatial(dataset: Dataset) -> tuple[str, str] | None:
    """The area the package covers, as its descriptor states it (``x-spatial``: a name, or an
    object with ``name`` and ``path``, a web address such as a statistical geography's URI)."""
    value = dataset.descriptor.get(SPATIAL)
    if isinstance(value, str) and value.strip():
        return value.strip(), ""
    if isinstance(value, Mapping):
        name, path = str(value.get("name") or value.get("title") or "").strip(), str(value.get("path") or "").strip()
        path = path if is_web_address(path) else ""
        return (name or path, path) if name or path else None
    return None


def contact_name(dataset: Dataset, site_publisher: Publisher | None) -> str:
    """Who to contact about a dataset: the site's publisher (``extra: publisher``), else the package's."""
    return (site_publisher.name if site_publisher else "") or publisher(dataset)


def pod_contact_point(dataset: Dataset, site_publisher: Publisher | None) -> dict[str, str] | None:
    """``contactPoint`` of Project Open Data v1.1: a ``vcard:Contact`` with ``fn`` and, when the
    publisher has confirmed an email address, ``hasEmail`` (``mailto:``). The schema requires
    both; an address is never invented, so without one ``hasEmail`` is left out (and the build
    warns: ``no-direct-contact``). ``None`` when no one is named."""
    name = contact_name(dataset, site_publisher)
    if not name:
        return None
    found = {"@type": "vcard:Contact", "fn": name}
    email = site_publisher.contact.email if site_publisher else ""
    if email:
        found["hasEmail"] = f"mailto:{email}"
    return found


def dcat_contact_point(dataset: Dataset, site_publisher: Publisher | None, site_url: str) -> dict[str, Any] | None:
    """``dcat:contactPoint``: a ``vcard:Organization`` with its name and whichever of an email
    address, a telephone number and a contact page the publisher has configured."""
    name = contact_name(dataset, site_publisher)
    if not name:
        return None
    contact = site_publisher.contact if site_publisher else None
    found: dict[str, Any] = {"@id": f"{site_url}#contact", "@type": "vcard:Organization", "vcard:fn": name}
    if contact and contact.email:
        found["vcard:hasEmail"] = {"@id": f"mailto:{contact.email}"}
    if contact and contact.phone:
        found["vcard:hasTelephone"] = {"@id": "tel:" + "".join(c for c in contact.phone if c.isdigit() or c == "+")}
    if contact and is_web_address(contact.page):
        found["vcard:hasURL"] = {"@id": contact.page}
    return found


def _dcat_coverage(dataset: Dataset, page: str) -> dict[str, Any]:
    """``dct:temporal`` and ``dct:spatial``, where the package states them."""
    found: dict[str, Any] = {}
    period = temporal(dataset)
    if period:
        found["dct:temporal"] = {
            "@id": f"{page}#temporal",
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": period[0].isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": period[1].isoformat(), "@type": "xsd:date"},
        }
    area = spatial(dataset)
    if area:
        name, path = area
        found["dct:spatial"] = {"@id": path or f"{page}#spatial", "@type": "dct:Location", "rdfs:label": name}
    return found


def _pod_coverage(dataset: Dataset) -> dict[str, str]:
    """``temporal`` (an ISO 8601 interval) and ``spatial`` (the place's name), where stated."""
    found: dict[str, str] = {}
    period = temporal(dataset)
    if period:
        found["temporal"] = f"{period[0].isoformat()}/{period[1].isoformat()}"
    area = spatial(dataset)
    if area:
        found["spatial"] = area[0]
    return found


def _distributions(dataset: Dataset, files: Mapping[str, FileFacts]) -> list[tuple[str, str, FileFacts]]:
    """``(title, format, facts)`` of every download of a dataset, the package zip first."""
    found = [(f"{dataset.title} (all tables, zip)", "zip", files[urls.package_zip(dataset.name)])]
    for table in dataset.tables:
        for extension in urls.DOWNLOAD_FORMATS:
            found.append((f"{table.title} ({extension.upper()})", extension, files[urls.resource_download(dataset.name, table.name, extension)]))
    return found


def dcat_jsonld(
    datasets: Sequence[Dataset], files: Mapping[str, FileFacts], site_url: str, site_name: str, updated: datetime, site_publisher: Publisher | None = None
) -> dict[str, Any]:
    """The DCAT catalogue as a JSON-LD document."""
    entries = []
    for dataset in datasets:
        page = absolute(site_url, urls.dataset_page(dataset.name))
        named: dict[str, Any] = _dcat_coverage(dataset, page)
        contact = dcat_contact_point(dataset, site_publisher, site_url)
        if contact:
            named["dcat:contactPoint"] = contact
        if publisher(dataset):
            named["dct:publisher"] = {"@id": f"{page}#publisher", "@type": "foaf:Agent", "foaf:name": publisher(dataset)}
        if dataset.licence is not None:
            named["dct:license"] = _dcat_licence(dataset.licence, page)
        entries.append(
            {
                "@id": page,
                "@type": "dcat:Dataset",
                "dct:identifier": page,
                "dct:title": dataset.title,
                "dct:description": dataset.description or dataset.title,
                **named,
                "dct:modified": {"@value": f"{updated:%Y-%m-%d}", "@type": "xsd:date"},
                "dcat:landingPage": {"@id": page},
                "dcat:keyword": catalogue_keywords(dataset),
                "dcat:distribution": [
                    {
                        "@id": site_url + fact.path,
                        "@type": "dcat:Distribution",
                        "dct:title": title,
                        "dcat:downloadURL": {"@id": site_url + fact.path},
                        "dcat:accessURL": {"@id": page},
                        "dcat:mediaType": MEDIA_TYPES[extension],
                        "dct:format": extension.upper(),
                        "dcat:byteSize": {"@value": str(fact.bytes), "@type": "xsd:nonNegativeInteger"},
                        "spdx:checksum": {
                            "@id": f"{site_url}{fact.path}#sha256",
                            "@type": "spdx:Checksum",
                            "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                            "spdx:checksumValue": fact.sha256,
                        },
                    }
                    for title, extension, fact in _distributions(dataset, files)
                ],
            }
        )
    return {
        "@context": DCAT_CONTEXT,
        "@id": site_url + "catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": site_name,
        "dct:modified": {"@value": f"{updated:%Y-%m-%d}", "@type": "xsd:date"},
        "foaf:homepage": {"@id": site_url},
        "dcat:dataset": entries,
    }


def dcat_turtle(document: Mapping[str, Any]) -> str:
    """The same catalogue as Turtle."""
    graph = Graph()
    graph.parse(data=json.dumps(document), format="json-ld")
    for prefix, namespace in DCAT_CONTEXT.items():
        graph.bind(prefix, namespace)
    return graph.serialize(format="turtle")


def project_open_data(
    datasets: Sequence[Dataset], files: Mapping[str, FileFacts], site_url: str, updated: datetime, site_publisher: Publisher | None = None
) -> dict[str, Any]:
    """The catalogue in Project Open Data metadata schema v1.1 (``data.json``)."""
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "identifier": absolute(site_url, urls.dataset_page(dataset.name)),
                "title": dataset.title,
                "description": dataset.description or dataset.title,
                "keyword": catalogue_keywords(dataset),
                "modified": f"{updated:%Y-%m-%d}",
                **({"publisher": {"@type": "org:Organization", "name": publisher(dataset)}} if publisher(dataset) else {}),
                **({"contactPoint": contact} if (contact := pod_contact_point(dataset, site_publisher)) else {}),
                **_pod_coverage(dataset),
                "accessLevel": "public",
                **({"license": licence_id(dataset)} if dataset.licence is not None else {}),
                "landingPage": absolute(site_url, urls.dataset_page(dataset.name)),
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": title,
                        "downloadURL": site_url + fact.path,
                        "mediaType": MEDIA_TYPES[extension],
                        "format": extension.upper(),
                    }
                    for title, extension, fact in _distributions(dataset, files)
                ],
            }
            for dataset in datasets
        ],
    }


def schema_org(dataset: Dataset, files: Mapping[str, FileFacts], site_url: str, updated: datetime) -> dict[str, Any]:
    """A schema.org ``Dataset`` for the head of the dataset's page."""
    page = absolute(site_url, urls.dataset_page(dataset.name))
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": page,
        "url": page,
        "identifier": page,
        "name": dataset.title,
        "description": dataset.description or dataset.title,
        **({"license": licence_id(dataset)} if dataset.licence is not None else {}),
        "version": str(dataset.descriptor.get("version") or ""),
        "dateModified": f"{updated:%Y-%m-%d}",
        "keywords": keywords(dataset),
        "isAccessibleForFree": True,
        **({"creator": {"@type": "Organization", "name": publisher(dataset)}} if publisher(dataset) else {}),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": title,
                "encodingFormat": MEDIA_TYPES[extension],
                "contentUrl": site_url + fact.path,
                "contentSize": f"{fact.bytes} B",
            }
            for title, extension, fact in _distributions(dataset, files)
        ],
    }


def citation(dataset: Dataset, site_url: str, site_name: str, updated: datetime) -> str:
    """'Cite this dataset': publisher (year). Title, version [Data set]. Site. URL; with no
    publisher named, the title comes first: Title, version (year) [Data set]. Site. URL."""
    version = dataset.descriptor.get("version")
    edition = f", version {version}" if version else ""
    where = f" {site_name}." if site_name else ""
    page = absolute(site_url, urls.dataset_page(dataset.name))
    if not publisher(dataset):
        return f"{dataset.title}{edition} ({updated:%Y}) [Data set].{where} {page}"
    return f"{publisher(dataset)} ({updated:%Y}). {dataset.title}{edition} [Data set].{where} {page}"


def attribution(dataset: Dataset) -> str:
    """The statement a reuser must include, as the licence asks; with no licence stated, says so
    (and claims none)."""
    if dataset.licence is None:
        return f"{LICENCE_NOT_STATED}: the publisher has not said under which licence this data may be reused, so this site names none."
    if dataset.licence.name.upper().startswith("OGL"):
        return f"Contains public sector information licensed under the {dataset.licence.title}."
    by = f" by {publisher(dataset)}" if publisher(dataset) else ""
    return f"Published{by} under the {dataset.licence.title}."
