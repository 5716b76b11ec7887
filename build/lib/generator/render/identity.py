"""The publisher's identity on the pages: how to contact them. Pure: returns Markdown, writes
nothing. (The warning when readers cannot write or call directly is a check: ``checks/contact.py``.)"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.config import Contact


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
