"""The release calendar: every release the packages' logs announce, to come and past, with the
date and time each is (or was) published. Pure: announcements in, Markdown and HTML out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup

from generator.inputs.embargo import LONDON, Announced
from generator.model import compute, urls
from generator.outputs.releases import TYPE_WORDS
from generator.render import fragments
from generator.render.prerendered import block

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def release_time(moment: datetime) -> str:
    """A release moment as readers write it, in London time: ``9:30am on Thursday 26 November 2026``."""
    local = moment.astimezone(LONDON)
    hour = local.hour % 12 or 12
    clock = f"{hour}{local.strftime(':%M') if local.minute else ''}{'am' if local.hour < 12 else 'pm'}"
    clock = "midday" if (local.hour, local.minute) == (12, 0) else clock
    return f"{clock} on {WEEKDAYS[local.weekday()]} {compute.long_date(local.date())}"


def upcoming(announced: Sequence[Announced], now: datetime) -> list[Announced]:
    """The releases still to come at ``now``, soonest first."""
    return [a for a in announced if a.moment > now]


def calendar_table(caption: str, announced: Sequence[Announced], doc: str, published: frozenset[str]) -> Markup:
    """A table of releases: when (with the anchor the calendar file links to), dataset (linked
    when the site publishes it: a package announced only has no page yet), version, type, what."""
    rows = [
        (
            Markup('<span id="{}">{}</span>').format(a.anchor, release_time(a.moment)),
            fragments.link(urls.relative(doc, urls.dataset_page(a.package)), a.package_title) if a.package in published else a.package_title,
            a.version,
            TYPE_WORDS.get(a.type, a.type),
            a.summary,
        )
        for a in announced
    ]
    headers = ["Published at (London time)", "Dataset", "Version", "Type", "What it holds"]
    return fragments.table(caption, headers, rows, css_class=f"releases {fragments.CARDS}")


def calendar_page(announced: Sequence[Announced], now: datetime, published: frozenset[str]) -> str:
    """``releases/calendar.md``: the releases to come, then those published, and the file to subscribe to.
    ``published`` names the packages the site publishes; a link to another's page would lead nowhere."""
    doc = urls.RELEASE_CALENDAR_PAGE
    coming = upcoming(announced, now)
    past = sorted((a for a in announced if a.moment <= now), key=lambda a: a.moment, reverse=True)
    parts = [
        "---",
        "title: Release calendar",
        "description: When each release of the data on this site is published, announced in advance, with the date and time (London time).",
        "---",
        "",
        "# Release calendar",
        "",
        "Each release of the data on this site is announced here before it is published. Its figures are published at the time",
        "given, London time (09:30 unless it says otherwise), and not before: until then the site shows the previous release.",
        "",
        f"Add these dates to your calendar: [subscribe to the release calendar]({urls.markdown_link(doc, urls.RELEASE_CALENDAR)})",
        "(an iCalendar file that Outlook, Google Calendar and Apple Calendar can follow). What each release changed is on",
        f"the [releases page]({urls.markdown_link(doc, urls.RELEASES_PAGE)}).",
        "",
        "## Releases to come",
        "",
        block(calendar_table("Releases to come, soonest first", coming, doc, published)) if coming else "No coming release has been announced yet.",
        "",
    ]
    if past:
        parts += ["## Releases published", "", block(calendar_table("Releases published, newest first", past, doc, published)), ""]
    return "\n".join(parts)
