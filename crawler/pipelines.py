"""Item pipeline: collect a crawl's raw records, extract them, and index them in ONE store transaction.

Nothing is written when the crawl stopped on a fatal error (unreachable market, failed login, a page that
does not match its definition) or was interrupted (SIGINT/SIGTERM, `crawler.stop()`): the store never holds
half a crawl.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from onionwatch.crawler.items import RawListing, RawVendor

logger = logging.getLogger(__name__)

_EXTRACTOR: Any = None


def shared_extractor() -> Any:
    """One Extractor per process (several crawlers share it; building it loads the lexicon)."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from onionwatch.extractors.pipeline import Extractor

        _EXTRACTOR = Extractor()
    return _EXTRACTOR


class IndexPipeline:
    def __init__(self, crawler: Crawler, store_url: str | None) -> None:
        self.crawler = crawler
        self.store_url = store_url
        self.listings: dict[str, RawListing] = {}
        self.vendors: dict[str, RawVendor] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        if not crawler.settings.getbool("ONIONWATCH_INDEX", True):
            raise NotConfigured("ONIONWATCH_INDEX is off")
        return cls(crawler, crawler.settings.get("ONIONWATCH_STORE") or None)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, RawListing):
            self.listings[item.listing_id] = item  # the last copy of a page wins
        elif isinstance(item, RawVendor):
            self.vendors[item.vendor_id] = item
        return item

    def close_spider(self) -> None:
        spider = self.crawler.spider
        stats = self.crawler.stats
        assert stats is not None
        if getattr(spider, "fatal", None):
            logger.error("nothing indexed: %s", spider.fatal)  # type: ignore[union-attr]
            stats.set_value("onionwatch/indexed", False)
            return
        engine = self.crawler.engine
        if engine is not None and not engine.running:  # Scrapy's graceful stop: a shutdown, not an end
            logger.error("%s: crawl interrupted, nothing indexed", getattr(spider, "market", "?"))
            stats.set_value("onionwatch/indexed", False)
            stats.set_value("onionwatch/interrupted", True)
            return
        from onionwatch.indexer.store import StoreError, open_store

        t0 = time.perf_counter()
        extractor = shared_extractor()
        listings = extractor.listings(list(self.listings.values()))
        vendors = [extractor.vendor(v) for v in self.vendors.values()]
        t1 = time.perf_counter()
        try:
            store = open_store(self.store_url)
            try:
                result = store.write_batch(listings, vendors)
            finally:
                store.close()
        except StoreError as exc:  # one transaction: nothing was written; reported as the crawl's error
            logger.error("%s: nothing indexed: %s", getattr(spider, "market", "?"), exc)
            stats.set_value("onionwatch/indexed", False)
            stats.set_value("onionwatch/index_error", str(exc))
            return
        t2 = time.perf_counter()
        stats.set_value("onionwatch/indexed", True)
        stats.set_value("onionwatch/extract_seconds", round(t1 - t0, 3))
        stats.set_value("onionwatch/index_seconds", round(t2 - t1, 3))
        for key, value in vars(result).items():
            stats.set_value(f"onionwatch/store/{key}", value)
        logger.info("%s: indexed %d listings, %d vendors into %s", getattr(spider, "market", "?"),
                    len(listings), len(vendors), store.url)
