"""The publisher's identity, from mkdocs.yml (``extra: publisher``): header, breadcrumbs, footer,
contact routes that are only ever the configured ones (and a warning when none is direct), the
privacy notice, and the keyboard at 390 px and 1280 px: no hidden focus target, focus always seen.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import Browser, Page

from generator.checks.contact import contact_problems
from generator.cli import main
from generator.config import Config, Contact, publisher
from generator.render.identity import contact_routes
from tests.conftest import ROOT, Served, copy_project, page_paths

WIDTHS = [390, 1280]
PUBLISHER = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["publisher"]


def with_contact(project: Path, **contact: str) -> None:
    """Set the project's ``extra: publisher: contact`` values (the rest of mkdocs.yml kept)."""
    mkdocs = project / "mkdocs.yml"
    text = mkdocs.read_text(encoding="utf-8")
    for key, value in contact.items():
        text, count = re.subn(rf"^(      {key}:).*$", rf"\g<1> {json.dumps(value)}", text, flags=re.M)
        assert count == 1, key
    mkdocs.write_text(text, encoding="utf-8")


def test_a_publisher_without_email_or_phone_is_warned_about_naming_the_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project")
    assert main(["validate", "--project", str(project), "--format", "json"]) == 0, "a warning alone does not stop the build"
    problems = json.loads(capsys.readouterr().out)["problems"]
    (warning,) = [p for p in problems if p["code"] == "no-direct-contact"]
    assert (warning["file"], warning["field"], warning["severity"]) == ("mkdocs.yml", "extra.publisher.contact", "warning")
    assert PUBLISHER["contact"]["page"] in warning["message"] and "email" in warning["fix"]
    assert main(["validate", "--project", str(project), "--strict"]) == 1
    printed = capsys.readouterr()
    assert "mkdocs.yml::extra.publisher.contact [no-direct-contact] warning:" in printed.out + printed.err

    with_contact(project, email="safety@example.org")
    assert main(["validate", "--project", str(project), "--format", "json"]) == 0
    assert "no-direct-contact" not in capsys.readouterr().out


def test_no_warning_without_a_publisher_section_and_with_a_phone_number() -> None:
    assert contact_problems(publisher({}), "mkdocs.yml") == []
    assert contact_problems(publisher({"extra": {"publisher": {"name": "P", "contact": {"phone": "020 0000 0000"}}}}), "mkdocs.yml") == []
    assert [p.code for p in contact_problems(publisher({"extra": {"publisher": {"name": "P"}}}), "mkdocs.yml")] == ["no-direct-contact"]


def test_contact_routes_are_only_the_configured_ones_and_escaped() -> None:
    assert str(contact_routes(Contact())) == "No contact details are published yet."
    page_only = str(contact_routes(Contact(page="https://example.org/contact", page_title="The <b>council</b>'s page")))
    assert page_only == '- use the contact details on <a href="https://example.org/contact">The &lt;b&gt;council&lt;/b&gt;&#39;s page</a>'
    every = str(contact_routes(Contact(email="a@example.org", phone="020 7946 0000", address="1 High Street, London")))
    assert '<a href="mailto:a@example.org">' in every and '<a href="tel:02079460000">020 7946 0000</a>' in every and "1 High Street, London" in every


def test_a_contact_page_that_is_not_a_web_address_is_refused_and_a_bad_colour_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Exception, match="not a web address"):
        publisher({"extra": {"publisher": {"contact": {"page": "javascript:alert(1)"}}}})
    with caplog.at_level(logging.WARNING):
        publisher({"extra": {"publisher": {"colours": {"header": "red;}body{display:none"}}}})
    assert "not a colour written #rrggbb" in caplog.text


def test_the_project_configures_a_publisher_with_a_logo_and_no_invented_contact() -> None:
    config = Config.for_project(ROOT)
    assert config.publisher.name == PUBLISHER["name"] and config.publisher.configured
    assert (ROOT / "site_src/docs" / PUBLISHER["logo"]).is_file()
    assert not (config.publisher.contact.email or config.publisher.contact.phone or config.publisher.contact.address), "never invent a contact"
    assert "TO BE CONFIRMED" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_statements_say_partially_compliant_and_give_the_configured_contact_routes(served: Served) -> None:
    statement = (served.site / "accessibility/index.html").read_text(encoding="utf-8")
    assert "partially compliant" in statement and "fully compliant" not in statement
    privacy = (served.site / "privacy/index.html").read_text(encoding="utf-8")
    assert "sets no cookies" in privacy and "no analytics" in privacy
    for page in (statement, privacy):
        article = page.split("<article", 1)[1].split("</article>", 1)[0]
        assert f'href="{PUBLISHER["contact"]["page"]}"' in article
        assert "mailto:" not in article and "tel:" not in article, "no contact that is not configured"


# In a browser, at a phone's width and a desktop's.


def new_page(browser: Browser, width: int) -> Page:
    return browser.new_page(viewport={"width": width, "height": 900})


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_header_names_the_publisher_and_every_footer_link_works(browser: Browser, served: Served, width: int) -> None:
    page = new_page(browser, width)
    page.goto(served.url + "plan/investments/", wait_until="load")
    header = page.locator("header.md-header")
    assert header.locator(".publisher-title__name").is_visible() and PUBLISHER["name"] in header.inner_text()
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 12, 12)", "the header bar takes the configured colour"
    footer = page.locator("footer .publisher-footer")
    links = {link.inner_text(): link.get_attribute("href") for link in footer.locator("a").all()}
    assert {"Accessibility statement", "Privacy", "Contact", "Open data", PUBLISHER["licence"]["title"]} <= set(links), links
    assert links["Contact"] == PUBLISHER["contact"]["page"] and links[PUBLISHER["licence"]["title"]] == PUBLISHER["licence"]["path"]
    for name in ("Accessibility statement", "Privacy", "Open data"):
        assert footer.get_by_role("link", name=name).is_visible()
        response = page.request.get(str(links[name]))
        assert response.status == 200 and "<h1" in response.text(), name
    assert "Material for MkDocs" not in page.content()
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_an_indicator_page_has_breadcrumbs_that_lead_back(browser: Browser, served: Served, width: int) -> None:
    page = new_page(browser, width)
    page.goto(served.url + "indicators/knife-crimes/", wait_until="load")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.is_visible()
    assert [item.inner_text().strip() for item in crumbs.locator("li").all()] == ["Home", "Indicators", "Number of knife crimes"]
    assert crumbs.locator("[aria-current='page']").inner_text().strip() == "Number of knife crimes"
    assert crumbs.locator("li").nth(2).evaluate("e => e.getBoundingClientRect().top - e.parentElement.getBoundingClientRect().top") < 5, "one line"
    crumbs.get_by_role("link", name="Indicators").click()
    page.wait_for_function("location.pathname.endsWith('/indicators/')")
    page.goto(served.url, wait_until="load")
    assert page.get_by_role("navigation", name="Breadcrumb").count() == 0, "none on the home page"
    page.close()


FOCUS = """async () => {
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));  // the skip link slides in
  const e = document.activeElement, style = getComputedStyle(e), box = e.getBoundingClientRect();
  const shown = e !== document.body && e.checkVisibility({visibilityProperty: true, opacityProperty: true}) && box.width > 0 && box.height > 0
    && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
  const marked = (parseFloat(style.outlineWidth) >= 2 && style.outlineStyle !== 'none' && style.outlineColor !== 'rgba(0, 0, 0, 0)')
    || style.boxShadow !== 'none';
  return {text: (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 40), shown, marked,
          inContent: !!e.closest('article'), inDrawer: !!e.closest('.md-sidebar--primary'), inFooter: !!e.closest('footer'), body: e === document.body};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_tab_never_reaches_a_hidden_control_and_every_focus_is_seen(browser: Browser, served: Served, width: int) -> None:
    page = new_page(browser, width)
    for path in ("indicators/knife-crimes/", "publishing/", ""):
        page.goto(served.url + path, wait_until="networkidle")
        focused, first_in_content = [], None
        for press in range(1, 80):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS)
            if state["body"] and focused and focused[-1]["inFooter"]:
                break  # past the last control of the page
            if state["body"]:
                continue  # focus passed through the page itself for a moment (seen under load); the next Tab goes on
            focused.append(state)
            if first_in_content is None and state["inContent"]:
                first_in_content = press
        assert len(focused) > 5, path
        hidden = [f["text"] for f in focused if not f["shown"]]
        unmarked = [f["text"] for f in focused if not f["marked"]]
        assert not hidden, f"{path} at {width} px: Tab reached controls that cannot be seen: {hidden}"
        assert not unmarked, f"{path} at {width} px: no visible focus on {unmarked}"
        if width < 1220:  # the navigation is a closed drawer: the content comes after skip, menu, search and the breadcrumbs
            assert not [f for f in focused if f["inDrawer"]]
            assert first_in_content is not None and first_in_content <= 6, (path, first_in_content, [f["text"] for f in focused[:6]])
    if width < 1220:  # the menu opens from the keyboard, and then (and only then) its links, and its section's, are reached
        for open_section in (False, True):
            page.goto(served.url + "indicators/knife-crimes/", wait_until="networkidle")
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            assert page.evaluate(FOCUS)["text"] == "Menu"
            page.keyboard.press("Enter")
            page.wait_for_timeout(300)  # the menu slides in
            seen: list[str] = []
            for _ in range(30):
                page.keyboard.press("Tab")
                state = page.evaluate(FOCUS)
                if seen and not state["inDrawer"]:
                    break
                assert state["shown"] and state["marked"], (open_section, seen, state)
                seen.append(state["text"])
                if open_section and seen.count("Plans and work") == 1 and state["text"] == "Plans and work":  # the section, not its "back" title
                    page.keyboard.press("Enter")
                    page.wait_for_timeout(300)  # the section slides in
                if state["text"] == "Investments":
                    break
            assert "Indicators" in seen and "Privacy" in seen if not open_section else seen[-1] == "Investments", seen
        page.keyboard.press("Enter")
        page.wait_for_function("location.pathname.endsWith('/plan/investments/')")
    page.close()


SCROLL_REGIONS_OUT_OF_REACH = """() => Array.from(document.querySelectorAll('main *')).filter(e => {
  const style = getComputedStyle(e);
  const scrolls = (e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(style.overflowX))
    || (e.scrollHeight > e.clientHeight + 1 && /auto|scroll/.test(style.overflowY));
  return scrolls && e.tabIndex < 0 && !e.querySelector('a[href], button, input, select, textarea, [tabindex]');
}).map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 40))"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_no_part_of_a_page_scrolls_out_of_the_keyboards_reach_even_before_javascript(browser: Browser, served: Served, width: int) -> None:
    """Material makes an overflowing code block focusable with JavaScript, after the page loads;
    axe run before that (or a reader without JavaScript) meets a scroll region the keyboard
    cannot reach. Code blocks wrap instead, so there is none, with or without JavaScript."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    for path in page_paths(served):
        page.goto(served.url + path, wait_until="load")
        if regions := page.evaluate(SCROLL_REGIONS_OUT_OF_REACH):
            found[path] = regions
    page.goto(served.url + "publishing/", wait_until="load")
    assert page.locator("article pre").count() >= 1
    context.close()
    assert not found, found
