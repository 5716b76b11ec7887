"""The publisher's contact details, checked: a warning when readers cannot write or call the
publisher directly. Returns problems; never raises."""

from __future__ import annotations

from generator.config import Publisher
from generator.problems.records import Problem, Severity

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
