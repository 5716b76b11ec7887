"""The publisher's identity on the pages: how to contact them, and the warning when readers
cannot write or call directly. Pure: returns problems and Markdown, writes nothing."""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.config import Contact, Publisher
from generator.problems import Problem, Severity

CONTACT_SETTING = "extra.publisher.contact"


def contact_problems(publisher: Publisher, mkdocs_file: str) -> list[Problem]:
    """A warning when the publisher is configured but gives no email address or phone number,
    so the accessibility statement can only send readers to a web page."""
    if not publisher.configured or publisher.contact.direct:
        return []
    return [
        Problem(
            "no-direct-contact",
            "The publisher's contact details have no email address or phone number: the accessibility statement and the footer "
            "can only send readers to " + (f"the web page {publisher.contact.page}." if publisher.contact.page else "nowhere."),
            mkdocs_file,
            field=CONTACT_SETTING,
            fix="Ask the publisher for the email address or phone number that handles accessibility requests, and set "
            "extra: publisher: contact: email (or phone) in mkdocs.yml. Never write one that the publisher has not confirmed.",
            severity=Severity.WARNING,
        )
    ]


def contact_routes(contact: Contact) -> Markup:
    """The configured ways to reach the publisher as a Markdown list of escaped HTML items; a
    sentence saying none is configured when there are none. Only configured values appear."""
    items = []
    if contact.email:
        items.append(f'email <a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a>')
    if contact.phone:
        items.append(f'call <a href="tel:{escape(contact.phone.replace(" ", ""))}">{escape(contact.phone)}</a>')
    if contact.address:
        items.append(f"write to {escape(contact.address)}")
    if contact.page:
        items.append(f'use the contact details on <a href="{escape(contact.page)}">{escape(contact.page_title or "the contact page")}</a>')
    if not items:
        return Markup("No contact details are published yet.")
    return Markup("\n".join(f"- {item}" for item in items))
