"""An indicator's chart for other websites: the embed page an ``<iframe>`` shows, and the "Use
and share this chart" section of the indicator page that gives the code to copy. Pure.

The embed page is a finished HTML file (``urls.embed_page``), not a Markdown page: MkDocs copies
it as it is, so it carries none of the theme (no Material bundle, no Plotly, no web font), is in
no navigation, search index or sitemap, and asks search engines not to index it (its indicator
page is the one to find). It is the chart as the page draws it (``svg.preview``, inline), the
headline sentence, the figures in a table that opens on request (``<details>``, so without
JavaScript too), the source and licence, and a link back, in a few kilobytes of its own CSS.
Every link in it is relative, so it works under any address the site is published at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from generator.model import urls
from generator.render import fragments, svg

# Own tiny stylesheet: system fonts, GOV.UK-like focus, tables that scroll inside their box.
CSS = (
    "html{-webkit-text-size-adjust:100%}"
    "main{max-width:720px}"
    "body{margin:0;padding:12px 16px;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f1f1f;background:#fff}"
    "h1{font-size:1.25rem;line-height:1.3;margin:0 0 .5em}"
    "p{margin:0 0 .75em;max-width:40em}"
    "a{color:#1d5a86;text-decoration:underline;text-underline-offset:.15em}"
    "a:focus,summary:focus,.table-wrap:focus{outline:3px solid transparent;background:#ffdd00;color:#0b0c0c;box-shadow:0 -2px #ffdd00,0 4px #0b0c0c}"
    "figure{margin:0 0 1em}"
    "figcaption{margin:0 0 .5em;color:#484f53}"
    ".chart__plot{max-width:100%}"
    ".chart__svg{display:block;overflow:visible}"
    ".chart__svg text{fill:#1f1f1f;font-family:inherit}"
    "details{margin:0 0 1em}"
    "summary{cursor:pointer;color:#1d5a86;text-decoration:underline}"
    ".table-wrap{overflow-x:auto;margin:.5em 0}"
    "table{border-collapse:collapse;font-size:.9375rem}"
    "caption{text-align:left;font-weight:700;padding:0 0 .25em}"
    "th,td{text-align:left;padding:.3em 1em .3em 0;border-bottom:1px solid #b1b4b6;vertical-align:top}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}"
    ".credit{font-size:.875rem;color:#484f53}"
)
EXTRA_HEIGHT = 400  # pixels an embed needs beyond its chart: heading, sentence, caption, disclosure, credits, on a phone


@dataclass(frozen=True)
class EmbedPage:
    """What an indicator's embed page shows."""

    indicator_id: str
    title: str
    sentence: str
    figure: dict[str, Any]
    caption: str
    table: Markup
    source: str
    licence_title: str
    licence_path: str  # a web address, or empty
    site_name: str
    site_url: str


def embed_address(site_url: str, indicator_id: str) -> str:
    """The public address of an indicator's embed page, for the ``<iframe>`` code."""
    return site_url + urls.embed_page(indicator_id).removesuffix("index.html")


def iframe_height(figure: dict[str, Any]) -> int:
    """A height for the ``<iframe>`` that shows the chart and its words without scrolling."""
    return int(figure["layout"].get("height", 320)) + EXTRA_HEIGHT


def iframe_code(site_url: str, indicator_id: str, title: str, figure: dict[str, Any]) -> str:
    """The HTML another site pastes to show an indicator's chart."""
    label = escape(f"{title}: chart")
    return (
        f'<iframe src="{embed_address(site_url, indicator_id)}" title="{label}" width="100%" height="{iframe_height(figure)}" '
        'style="border: 0; max-width: 720px" loading="lazy"></iframe>'
    )


def page(embed: EmbedPage) -> str:
    """The embed page's HTML: a whole document, with nothing fetched from anywhere."""
    doc = urls.embed_page(embed.indicator_id)
    back = urls.relative(doc, urls.indicator_page(embed.indicator_id))
    title, site = fragments.text(embed.title), fragments.text(embed.site_name)
    linked = embed.licence_path.startswith(("https://", "http://"))
    licence = fragments.link(embed.licence_path, embed.licence_title) if linked else fragments.text(embed.licence_title)
    height = int(embed.figure["layout"].get("height", 320))
    canonical = embed.site_url + urls.url_of(urls.indicator_page(embed.indicator_id))
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}: chart - {site}</title>\n"
        f'<meta name="description" content="{fragments.text(embed.sentence)}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{fragments.text(canonical)}">\n'
        '<link rel="icon" href="data:,">\n'  # no favicon request
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n<article>\n"
        f"<h1>{title}</h1>\n"
        f"<p>{fragments.text(embed.sentence)}</p>\n"
        f'<figure class="chart"><figcaption>{fragments.text(embed.caption)}</figcaption>'
        f'<div class="chart__plot" role="img" aria-label="{fragments.text(embed.caption)}" style="height: {height}px">'
        f"{svg.preview(embed.figure)}</div></figure>\n"
        f"<details><summary>Show the figures as a table</summary>{embed.table}</details>\n"
        f'<p class="credit">Source: {fragments.text(embed.source)}. Licence: {licence}.</p>\n'
        f'<p class="credit"><a href="{back}" target="_blank" rel="noopener">{title}: read more on {site} (opens in a new tab)</a></p>\n'
        "</article>\n</main>\n</body>\n</html>\n"
    )


def share_section(doc: str, indicator_id: str, title: str, site_url: str, figure: dict[str, Any]) -> Markup:
    """The "Use and share this chart" section's content on an indicator page (at ``doc``): the
    chart as SVG and PNG, and the ``<iframe>`` code to copy, in a read-only text box that needs
    no JavaScript, with a link to see the embed."""
    code = iframe_code(site_url, indicator_id, title, figure)
    box = f"embed-code-{indicator_id}"
    preview = Markup(urls.relative(doc, urls.embed_page(indicator_id)).removesuffix("index.html"))
    return Markup(
        '<div class="share">'
        "<p>Download the chart as an image, with its title, source, licence and the address of this page in it: "
        '<a href="{svg}" download>the chart as a drawing (SVG)</a>, which stays sharp at any size, '
        'or <a href="{png}" download>the chart as a picture (PNG)</a>.</p>'
        '<p><label for="{box}"><strong>Embed this chart</strong>: to show it on your own website, copy this code into your page.</label></p>'
        '<textarea id="{box}" class="share__code" readonly rows="6" spellcheck="false">{code}</textarea>'
        '<p><a href="{preview}">See the chart as it will look on your page</a></p>'
        "</div>"
    ).format(
        svg=urls.relative(doc, urls.chart_svg(indicator_id)),
        png=urls.relative(doc, urls.chart_png(indicator_id)),
        box=box,
        code=code,
        preview=preview,
    )
