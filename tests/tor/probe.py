"""Run a small crawl in a subprocess with the project's real settings/middlewares; print its stats as JSON.

    python -m tests.tor.probe '{"market": "abyss", "mirrors": [...], "paths": [...], "transport": "tor",
                                 "settings": {...}}'

The ProbeSpider carries a real MarketDefinition (so the egress guard uses its mirrors) and requests the
given URLs or paths (absolute URLs may point off the mirror list, to exercise the guard).
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Request, Response

from onionwatch.crawler.markets import MarketDefinition


def definition(market: str, mirrors: list[str]) -> MarketDefinition:
    """A valid onion definition whose mirrors are then replaced, like `--mirror` does (loopback servers)."""
    checked = MarketDefinition.model_validate({
        "name": market, "title": market, "language": "en", "currency": "USD", "network": "onion",
        "mirrors": ["http://probeplaceholderxyz.onion"],
        "navigation": {"listing_links": "a::attr(href)"},
        "listing": {"url_pattern": "^/item/(?P<id>\\d+)$", "require": "h1", "fields": {"title": "h1::text"}},
    })
    return checked.model_copy(update={"mirrors": mirrors})


class ProbeSpider(scrapy.Spider):
    name = "probe"

    def __init__(self, market: str, mirrors: list[str], targets: list[str], **kw: Any) -> None:
        super().__init__(**kw)
        self.definition = definition(market, mirrors)
        self.targets = [urljoin(mirrors[0] + "/", t.lstrip("/")) if "://" not in t else t for t in targets]

    async def start(self) -> AsyncIterator[Request]:
        for url in self.targets:
            yield Request(url, meta={"market": self.definition.name}, dont_filter=True,
                          errback=self.failed)

    def parse(self, response: Response, **kwargs: Any) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("probe/ok")
        self.crawler.stats.inc_value(f"probe/status/{response.status}")

    def failed(self, failure: Any) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("probe/failed")
        errors = self.crawler.stats.get_value("probe/errors") or []
        self.crawler.stats.set_value("probe/errors", [*errors, failure.getErrorMessage()])


def main(spec: dict[str, Any]) -> dict[str, Any]:
    from onionwatch.crawler.run import build_settings

    overrides = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "RETRY_TIMES": 1, **spec.get("settings", {})}
    settings = build_settings(None, spec["transport"], False, spec.get("log_level", "WARNING"), overrides)
    for key, value in spec.get("disable", {}).items():  # e.g. {"DOWNLOADER_MIDDLEWARES": ["...TorProxy..."]}
        merged = dict(settings.getdict(key))
        merged.update({name: None for name in value})
        settings.set(key, merged, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    crawlers = []
    for market in spec["markets"]:
        crawler = process.create_crawler(ProbeSpider)
        process.crawl(crawler, market=market["name"], mirrors=market["mirrors"], targets=market["targets"])
        crawlers.append((market["name"], crawler))
    process.start()
    out = {}
    for name, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        out[name] = {k: v for k, v in stats.items() if isinstance(v, (int, float, str, bool, list))}
    return out


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
