"""The yardstick of the crawl benchmark: a bare Scrapy spider over the same testbed pages as `onionwatch crawl`.

Plain `scrapy.Spider` with Scrapy's default settings and middlewares (its own dupefilter, no frontier, no
archive, no egress guard, no politeness, no index stage). It follows the same links as the market definition
(navigation selectors), logs in with a plain FormRequest when the market has a login, and reads every field
of listing and vendor pages with `.css(...).getall()` (items are dropped: no pipeline). Through Tor it uses
Scrapy's own httpx download handler with a `socks5h://` proxy in `request.meta` (one SOCKS identity).

    python -m bench.bare_spider MARKET MIRROR [--concurrency 16] [--socks HOST:PORT]

Prints one JSON line: {"pages", "items", "seconds", "pages_per_second"}; `seconds` is the whole
`CrawlerProcess.start()`, measured like `onionwatch crawl`'s fetch_seconds (crawler/run.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import FormRequest, Request, Response

from onionwatch.crawler.credentials import get_credentials
from onionwatch.crawler.markets import MarketDefinition, get_market, with_mirror

HTTPX = "scrapy.core.downloader.handlers._httpx.HttpxDownloadHandler"


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, market: str, mirror: str, proxy: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.definition: MarketDefinition = with_mirror(get_market(market), mirror)
        self.base = mirror.rstrip("/")
        self.proxy = proxy
        self.allowed_domains = [urlsplit(mirror).hostname or ""]
        d = self.definition
        self.link_css = [*d.navigation.follow, d.navigation.listing_links, d.navigation.vendor_links,
                         d.navigation.next_page]
        self.pages_parsed = 0
        self.items = 0
        self.specs = [(re.compile(spec.url_pattern), spec) for spec in (d.listing, d.vendor) if spec is not None]

    def _meta(self) -> dict[str, Any]:
        return {"proxy": self.proxy} if self.proxy else {}

    async def start(self) -> AsyncIterator[Request]:
        login = self.definition.login
        if login is not None:
            yield Request(self.base + login.url, callback=self.login, meta=self._meta(), dont_filter=True)
            return
        for path in self.definition.navigation.start:
            yield Request(urljoin(self.base + "/", path.lstrip("/")), meta=self._meta())

    def login(self, response: Response) -> Iterator[Request]:
        login = self.definition.login
        assert login is not None
        creds = get_credentials(login.credentials)
        yield FormRequest.from_response(response, formcss=login.form, meta=self._meta(), callback=self.logged_in,
                                        formdata={login.username_field: creds.username,
                                                  login.password_field: creds.password})

    def logged_in(self, response: Response) -> Iterator[Request]:
        for path in self.definition.navigation.start:
            yield Request(urljoin(self.base + "/", path.lstrip("/")), meta=self._meta(), dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        self.pages_parsed += 1
        path = urlsplit(response.url).path + (f"?{urlsplit(response.url).query}" if urlsplit(response.url).query
                                              else "")
        for pattern, spec in self.specs:
            if pattern.search(path):
                self.items += 1
                yield {name: [v for css in field.css for v in response.css(css).getall()]
                       for name, field in spec.fields.items()}
                break
        for css in self.link_css:
            if css:
                for href in response.css(css).getall():
                    yield response.follow(href, meta=self._meta())


def run(market: str, mirror: str, concurrency: int = 16, socks: str | None = None) -> dict[str, float]:
    settings: dict[str, Any] = {
        "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0, "DEPTH_LIMIT": 50, "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    if socks:
        settings["DOWNLOAD_HANDLERS"] = {"http": HTTPX, "https": HTTPX}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    proxy = f"socks5h://bare:x@{socks}" if socks else None
    process.crawl(crawler, market=market, mirror=mirror, proxy=proxy)
    t0 = time.perf_counter()
    process.start()
    seconds = time.perf_counter() - t0
    spider = crawler.spider
    assert isinstance(spider, BareSpider)
    return {"pages": spider.pages_parsed, "items": spider.items, "seconds": round(seconds, 3),
            "pages_per_second": round(spider.pages_parsed / seconds, 1) if seconds else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("market")
    ap.add_argument("mirror")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--socks", help="HOST:PORT of a Tor SOCKS port (default: direct HTTP)")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.market, args.mirror, args.concurrency, args.socks)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
