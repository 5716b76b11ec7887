"""The one frozen configuration object of a build, and how it is resolved.

Every setting is declared once in ``SETTINGS`` (its source, default and meaning) and held in one
field of ``Config``; nothing below the pipeline reads flags, the environment or mkdocs.yml."""

from __future__ import annotations

import logging
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from mkdocs.utils.yaml import yaml_load

from generator.model.compute import Currency
from generator.model.dataset import Licence
from generator.problems.errors import UsageError

log = logging.getLogger(__name__)

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
LATEST_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z: the last moment a four-digit year can show
UNSAFE_URL_CHARACTERS = frozenset(" \"'<>\\`{}|^")


@dataclass(frozen=True)
class Setting:
    """One setting of a build, declared once: the ``Config`` field that holds it, where it is
    read from, its default and what it means. The README documents each (a test checks)."""

    name: str
    source: str
    default: str
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("root", "`--project`", "the current folder", "the project folder; paths in messages are relative to it"),
    Setting("datasets_dir", "`--datasets`", "`<project>/datasets`", "the folder of datapackages, one per sub-folder"),
    Setting("site_src_dir", "the project", "`<project>/site_src`", "hand-written pages, theme overrides and assets"),
    Setting("schemas_dir", "the project", "`<project>/schemas`", "the Table Schemas of the site profiles"),
    Setting("mkdocs_file", "the project", "`<project>/mkdocs.yml`", "the MkDocs configuration the site is built with"),
    Setting(
        "mkdocs_text",
        "the project",
        "the text of `mkdocs_file`",
        "mkdocs.yml as read once, at the start: the generator's settings, the build's fingerprint and MkDocs all use this text",
    ),
    Setting("site_dir", "`--site`", "`<project>/site`", "where the public site is published"),
    Setting("work_dir", "`--site`", "`.build` beside the site folder", "scratch space for staging builds, on the site's file system"),
    Setting("strict", "`--strict`", "off", "treat warnings as errors"),
    Setting("fast_path", "`--frictionless-only` turns it off", "on", "check tables as columns first; Frictionless reads only the tables that path cannot pass"),
    Setting("updated", "`SOURCE_DATE_EPOCH`, else git", "the last commit that changed the data", "when the data last changed, shown on the site"),
    Setting("site_url", "`SITE_URL`, else `site_url` in mkdocs.yml", f"`{DEFAULT_SITE_URL}`", "the public address of the site"),
    Setting("site_name", "`site_name` in mkdocs.yml", "empty", "the site's name"),
    Setting("default_licence", "`extra: default_licence` in mkdocs.yml", "none", "the licence for packages that name none"),
    Setting("publisher", "`extra: publisher` in mkdocs.yml", "none", "who publishes the site and how readers reach them (see the publisher's identity)"),
    Setting(
        "currency",
        "`extra: currency: {symbol, name}` in mkdocs.yml",
        "none: amounts say their currency is not stated",
        "the money that values in the unit `currency` are in: `symbol` before the amount (`£`), `name` for tables and axes (`Pounds sterling`)",
    ),
    Setting(
        "now",
        "`--now`, else `BUILD_NOW`",
        "the real clock",
        "the moment the build publishes for: a release dated later is announced but its data is not published (for tests and reruns)",
    ),
)


@dataclass(frozen=True)
class Config:
    """Where the inputs are, where the site goes, and how strict to be.

    Attributes:
        root: the project folder; relative paths in messages are relative to it.
        datasets_dir: folder of datapackages, one per sub-folder (``<name>/datapackage.json``).
        site_src_dir: hand-written pages, theme overrides and assets.
        schemas_dir: the Table Schemas of the site profiles (``indicator-profile/``).
        mkdocs_file: the MkDocs configuration to build with.
        mkdocs_text: its text, read once (``None`` when there is no such file): every setting
            from it, the fingerprint and MkDocs itself use this, so they cannot disagree.
        site_dir: where the public site is published.
        work_dir: scratch space for staging builds; must be on the same file system as site_dir.
        strict: treat warnings as errors.
        fast_path: check each table as columns first (``checks/fast.py``); off, Frictionless reads every table.
        updated: when the data was last updated, shown on the site.
        site_url: the public address of the site (``site_url`` in mkdocs.yml), ending in ``/``.
        site_name: the site's name (``site_name`` in mkdocs.yml).
        default_licence: the licence the publisher chose for packages that name none
            (``extra: default_licence: {name, title, path}`` in mkdocs.yml); ``None``: no default.
        publisher: who publishes the site and how to reach them (``extra: publisher`` in mkdocs.yml).
        currency: the money that values in the unit ``currency`` are in (``extra: currency``).
        now: the moment the build publishes for (UTC): releases dated later are announced, not published.
    """

    root: Path
    datasets_dir: Path
    site_src_dir: Path
    schemas_dir: Path
    mkdocs_file: Path
    mkdocs_text: str | None
    site_dir: Path
    work_dir: Path
    strict: bool
    updated: datetime
    fast_path: bool = True
    site_url: str = DEFAULT_SITE_URL
    site_name: str = ""
    default_licence: Licence | None = None
    publisher: Publisher = field(default_factory=lambda: Publisher())
    currency: Currency = field(default_factory=Currency)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def for_project(
        cls,
        root: Path,
        *,
        datasets_dir: Path | None = None,
        site_dir: Path | None = None,
        strict: bool = False,
        now: str | None = None,
        fast_path: bool = True,
    ) -> Config:
        """The configuration for a project folder laid out as the README describes."""
        root = root.resolve()
        datasets = (datasets_dir or root / "datasets").resolve()
        site = (site_dir or root / "site").resolve()
        check_environment()
        mkdocs_file = root / "mkdocs.yml"
        mkdocs_text = mkdocs_file.read_text(encoding="utf-8") if mkdocs_file.is_file() else None
        mkdocs = _mkdocs_settings(mkdocs_text)
        return cls(
            root=root,
            datasets_dir=datasets,
            site_src_dir=root / "site_src",
            schemas_dir=root / "schemas",
            mkdocs_file=mkdocs_file,
            mkdocs_text=mkdocs_text,
            site_dir=site,
            work_dir=site.parent / ".build",
            strict=strict,
            fast_path=fast_path,
            updated=last_changed(datasets),
            site_url=checked_site_url(str(mkdocs.get("site_url") or DEFAULT_SITE_URL), "site_url in mkdocs.yml").rstrip("/") + "/",
            site_name=str(mkdocs.get("site_name") or ""),
            default_licence=default_licence(mkdocs),
            publisher=publisher(mkdocs),
            currency=currency(mkdocs),
            now=build_now(now),
        )

    def display(self, path: Path) -> str:
        """A path as shown in messages: relative to the project when it is inside it."""
        try:  # the folder resolved, not the file: a link is shown where it is, not where it leads
            return (path.parent.resolve() / path.name).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _mkdocs_settings(text: str | None) -> dict[str, Any]:
    """mkdocs.yml's settings as MkDocs reads them (``!ENV`` resolved); empty when there is none."""
    settings = yaml_load(text) if text is not None else None
    return settings if isinstance(settings, dict) else {}


def default_licence(mkdocs: dict[str, Any]) -> Licence | None:
    """The site's default licence, ``extra: default_licence: {name, title, path}`` in mkdocs.yml;
    ``None`` when it is not set, or is set without a title or name (logged)."""
    extra = mkdocs.get("extra")
    setting = extra.get("default_licence") if isinstance(extra, dict) else None
    if setting is None:
        return None
    if isinstance(setting, dict):
        name, title, path = (str(setting.get(key) or "").strip() for key in ("name", "title", "path"))
        if title or name:
            return Licence(name=name, title=title or name, path=path)
    log.warning("mkdocs.yml: extra: default_licence needs a title or a name (and a path); it is ignored")
    return None


def currency(mkdocs: dict[str, Any]) -> Currency:
    """``extra: currency: {symbol, name}`` of mkdocs.yml; unset (or of the wrong shape, logged):
    no currency, so amounts say that theirs is not stated rather than assume one."""
    extra = mkdocs.get("extra")
    setting = extra.get("currency") if isinstance(extra, dict) else None
    if setting is None:
        return Currency()
    if isinstance(setting, dict) and str(setting.get("symbol") or "").strip():
        return Currency(symbol=str(setting["symbol"]).strip(), name=str(setting.get("name") or "").strip())
    log.warning('mkdocs.yml: extra: currency needs a symbol (and a name), such as {symbol: "£", name: Pounds sterling}; it is ignored')
    return Currency()


HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
CONTACT_KEYS = ("page", "page_title", "email", "phone", "address")


@dataclass(frozen=True)
class Contact:
    """How readers reach the publisher (``extra: publisher: contact`` in mkdocs.yml); empty
    strings where nothing is configured. Nothing here is ever made up by the generator."""

    page: str = ""  # a web page with the publisher's contact details (an http(s) address)
    page_title: str = ""  # what that page is, as a link's words ("Tower Hamlets Council: contact us")
    email: str = ""
    phone: str = ""
    address: str = ""  # a postal address, lines separated by commas

    @property
    def direct(self) -> bool:
        """True when a reader can write or call directly (an email address or a phone number)."""
        return bool(self.email or self.phone)


@dataclass(frozen=True)
class Publisher:
    """The publisher's identity (``extra: publisher`` in mkdocs.yml), for pages and problems.

    The theme reads the same settings (``config.extra.publisher``) for the header, the colours
    and the footer; this is what the generator needs of them.
    """

    name: str = ""
    contact: Contact = field(default_factory=Contact)
    configured: bool = False  # mkdocs.yml has an ``extra: publisher`` section


def publisher(mkdocs: dict[str, Any]) -> Publisher:
    """``extra: publisher`` of mkdocs.yml; a setting of the wrong shape is logged and left out.

    A colour that is not ``#rrggbb`` or a contact page that is not a web address is logged: the
    theme writes colours into a style sheet and the page into links, so they must be exact.
    """
    extra = mkdocs.get("extra")
    setting = extra.get("publisher") if isinstance(extra, dict) else None
    if not isinstance(setting, dict):
        if setting is not None:
            log.warning("mkdocs.yml: extra: publisher must be a mapping (name, logo, colours, contact); it is ignored")
        return Publisher()
    colours = setting.get("colours") or {}
    for key, value in colours.items() if isinstance(colours, dict) else ():
        if not HEX_COLOUR.fullmatch(str(value)):
            log.warning("mkdocs.yml: extra: publisher: colours: %s is %r, not a colour written #rrggbb", key, value)
    found = setting.get("contact") or {}
    found = found if isinstance(found, dict) else {}
    contact = Contact(**{key: str(found.get(key) or "").strip() for key in CONTACT_KEYS})
    if contact.page:
        checked_site_url(contact.page, "extra: publisher: contact: page in mkdocs.yml")
    return Publisher(name=str(setting.get("name") or "").strip(), contact=contact, configured=True)


def check_environment() -> None:
    """Check the settings read from the environment before anything uses them.

    Raises:
        UsageError: ``SITE_URL`` or ``SOURCE_DATE_EPOCH`` is malformed; the message names the
            variable, its value and what to write instead.
    """
    if "SITE_URL" in os.environ:
        checked_site_url(os.environ["SITE_URL"], "the environment variable SITE_URL")
    source_date_epoch()
    build_now()


NOW_EXAMPLE = "2026-11-26T09:30 (London time) or 2026-11-26T09:30:00Z"


def build_now(option: str | None = None) -> datetime:
    """The moment the build publishes for, in UTC: ``option`` (``--now``), else ``BUILD_NOW``,
    else the real clock. A time without an offset is London time.

    Raises:
        UsageError: the setting is not a date and time; the message names it and shows one.
    """
    where, text = ("--now", option) if option is not None else ("the environment variable BUILD_NOW", os.environ.get("BUILD_NOW", ""))
    if not text.strip():
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{where} is {text!r}, which is not a date and time. Write it as {NOW_EXAMPLE}, or leave it out for the real clock.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/London"))
    return moment.astimezone(UTC)


def checked_site_url(url: str, where: str) -> str:
    """``url`` when it is a plain http(s) address of a host.

    Raises:
        UsageError: naming ``where`` the address came from, the value, and the fix.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(ord(character) < 33 or ord(character) == 127 or character in UNSAFE_URL_CHARACTERS for character in url)
    ):
        raise UsageError(
            f"{where} is {url!r}, which is not a web address. "
            "Set it to the site's public address, starting http:// or https:// and without spaces or quotes, such as https://data.example.org/."
        )
    return url


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as whole seconds since 1970, or None when it is not set (or empty).

    Raises:
        UsageError: it is not a whole number from 0 to the end of the year 9999.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > LATEST_EPOCH:
        raise UsageError(
            f"the environment variable SOURCE_DATE_EPOCH is {epoch!r}, which is not a date: it must be a whole number of seconds "
            f"since 1970-01-01 from 0 to {LATEST_EPOCH:,} (the end of 9999). Set it to one, such as $(git log -1 --format=%ct), or unset it."
        )
    return int(epoch)


def last_changed(path: Path) -> datetime:
    """When a file or folder of data last changed, reproducibly.

    ``SOURCE_DATE_EPOCH`` wins; otherwise the date of the last git commit that touched it;
    otherwise the newest modification time of a file in it.

    Raises:
        UsageError: ``SOURCE_DATE_EPOCH`` is malformed.
    """
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC)
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", path.name if path.is_file() else "."],
            cwd=path if path.is_dir() else path.parent,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as err:
        log.debug("git not usable for the data date: %s", err)
        out = ""
    if out.isdigit():
        return datetime.fromtimestamp(int(out), tz=UTC)
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    mtimes = [p.stat().st_mtime for p in files] or [0.0]
    return datetime.fromtimestamp(int(max(mtimes)), tz=UTC)
