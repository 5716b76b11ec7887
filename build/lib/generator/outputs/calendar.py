"""The release calendar as iCalendar (RFC 5545), for people to subscribe to: every release the
packages' logs announce, past and to come, each an event at its moment. Pure: text out.

Times are written in UTC (``DTSTART:20261126T093000Z``), which every calendar program shows in
its reader's own time zone, so no time zone definition is needed; lines end CRLF and are folded
at 75 octets, as the standard requires.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from generator.inputs.embargo import Announced
from generator.model import urls
from generator.outputs.releases import TYPE_WORDS

LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    pieces, current, size, limit = [], "", 0, LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # a continuation line starts with a space
        current += character
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def icalendar(announced: Sequence[Announced], site_url: str, site_name: str, updated: datetime) -> str:
    """``/releases/calendar.ics``: a VCALENDAR with a VEVENT for each announced release (UID,
    DTSTAMP, DTSTART in UTC, SUMMARY, DESCRIPTION, URL to the release calendar page)."""
    page = site_url + urls.url_of(urls.RELEASE_CALENDAR_PAGE)
    host = urlsplit(site_url).hostname or "localhost"
    name = f"{site_name}: release calendar".strip(": ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_text(site_name or host)}//Release calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    for release in announced:
        kind = TYPE_WORDS.get(release.type, "Release")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_text(release.anchor)}@{host}",
            f"DTSTAMP:{_stamp(updated)}",
            f"DTSTART:{_stamp(release.moment)}",
            f"SUMMARY:{_text(f'{kind}: {release.package_title} {release.version}')}",
            f"DESCRIPTION:{_text(release.summary)}",
            f"URL:{page}#{quote(release.anchor)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
