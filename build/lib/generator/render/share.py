"""Every indicator's chart, ready to reuse: files beside its page, made in memory.

For each indicator of each indicator-profile package:

- ``indicators/<id>/chart.svg``: the chart as an SVG document of its own, with its title, what
  it shows, the source, the licence and the address of its page in the drawing
  (``images.chart_svg``);
- ``indicators/<id>/chart.png``: the same drawing as a PNG, rasterised at build time in the
  bundled font (``outputs.raster``);
- ``embed/indicators/<id>/index.html``: the page an ``<iframe>`` shows (``embed.page``);
- ``indicators/<id>/card.png``: the 1200 x 630 card a shared link to the page shows (the page's
  front matter names it; the theme writes the Open Graph and Twitter Card tags).

An indicator without figures has no chart, so no chart files and no embed page; its card
still gives its title and sentence. The indicator page links to all of them (see
``pages._use_and_share``).
"""

from __future__ import annotations

from pathlib import Path

from generator.model import urls
from generator.model.dataset import LICENCE_NOT_STATED, Dataset
from generator.outputs import catalogue, raster
from generator.outputs.registry import Outputs
from generator.render import embed, glossary, images, pages


def indicator_files(site: pages.SiteData) -> Outputs[str | bytes]:
    """The chart's SVG and PNG, the embed page and the social card of every indicator. The
    images are rasterised together at the end, on every core when there are many."""
    files: Outputs[str | bytes] = Outputs()
    drawings: list[tuple[str, str, str, Path]] = []  # PNG path, its SVG document, what made it, where to act
    terms = glossary.terms_of(site.datasets)
    for data in site.indicator_sets:
        source = f"the chart images and embed pages of the package {data.dataset.name!r}"
        descriptor = data.dataset.folder / "datapackage.json"
        licence = _licence(data.dataset)
        for indicator in data.indicators:
            drawn = pages.indicator_chart(data, indicator, site.currency)
            sentence = pages.headline(data, indicator, site.currency)
            address = catalogue.absolute(site.site_url, urls.indicator_page(indicator.id))
            caption = drawn.caption if drawn else sentence
            credit = images.Credit(indicator.title, caption, indicator.source, licence[0], address)
            card = images.card_svg(drawn.figure if drawn else None, credit, sentence, site.site_name)
            drawings.append((urls.social_card(indicator.id), card, source, descriptor))
            if drawn is None:
                continue
            drawing = images.chart_svg(drawn.figure, credit)
            files.add(urls.chart_svg(indicator.id), drawing, source, descriptor)
            drawings.append((urls.chart_png(indicator.id), drawing, source, descriptor))
            page = embed.EmbedPage(
                indicator.id, indicator.title, sentence, drawn.figure, drawn.caption, drawn.table, indicator.source, *licence, site.site_name, site.site_url
            )
            files.add(urls.embed_page(indicator.id), glossary.expand(embed.page(page), terms), source, descriptor)
    for (path, _, source, descriptor), image in zip(drawings, raster.pngs([d[1] for d in drawings]), strict=True):
        files.add(path, image, source, descriptor)
    return files


def _licence(dataset: Dataset) -> tuple[str, str]:
    """The licence's title and address (empty when it has none) as the images and embeds state it."""
    if dataset.licence is None:
        return LICENCE_NOT_STATED, ""
    return dataset.licence.title, dataset.licence.path
