"""Crawl progress on stderr: one line per market, redrawn in place on a terminal."""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

_LINES: dict[str, str] = {}
_LAST_DRAW = 0.0


def _draw(force: bool = False) -> None:
    global _LAST_DRAW
    now = time.monotonic()
    if not force and now - _LAST_DRAW < 0.25:
        return
    _LAST_DRAW = now
    line = " | ".join(_LINES[k] for k in sorted(_LINES))
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K" + line[:200])
    elif force:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()


class Progress:
    """Enabled by ONIONWATCH_PROGRESS; the spider argument `expect` (listings) turns counts into a bar."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.t0 = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("ONIONWATCH_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.update, signal=signals.response_received)
        crawler.signals.connect(ext.finish, signal=signals.spider_closed)
        return ext

    def _line(self) -> str:
        spider: Any = self.crawler.spider
        stats = self.crawler.stats
        assert stats is not None
        pages = stats.get_value("onionwatch/pages", 0)
        listings = stats.get_value("onionwatch/listings", 0)
        vendors = stats.get_value("onionwatch/vendors", 0)
        rate = pages / max(time.monotonic() - self.t0, 1e-6)
        expect = int(getattr(spider, "expect", 0) or 0)
        if expect:
            done = min(listings / expect, 1.0)
            bar = "#" * int(done * 20) + "-" * (20 - int(done * 20))
            head = f"{spider.market} [{bar}] {done:4.0%}"
        else:
            head = f"{spider.market}"
        return f"{head} {pages} pages {listings} listings {vendors} vendors {rate:.0f} p/s"

    def update(self, **_: Any) -> None:
        _LINES[self.crawler.spider.market] = self._line()  # type: ignore[union-attr]
        _draw()

    def finish(self, **_: Any) -> None:
        _LINES[self.crawler.spider.market] = self._line()  # type: ignore[union-attr]
        _draw(force=True)


def end_progress() -> None:
    """Finish the progress line (call once after all crawls)."""
    if _LINES and sys.stderr.isatty():
        sys.stderr.write("\n")
        sys.stderr.flush()
    _LINES.clear()
