"""Keep every fetched page in a WARC file, so extraction can be re-run without re-crawling a market.

One gzipped WARC per market and crawl: ``<data dir>/archive/<market>/<UTC start>.warc.gz`` (written as
``.part`` and renamed when the crawl closes; ``<UTC start>.partial.warc.gz`` when the crawl was interrupted
or failed, so that re-extracting an incomplete crawl is a visible choice). Session cookies are dropped from
the stored headers, and the response to a login submission (a GET form puts the password in its URL) is not
kept.
ONIONWATCH_ARCHIVE=0 switches it off; ONIONWATCH_ARCHIVE_DIR moves it.
"""

from __future__ import annotations

import io
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onionwatch.paths import data_dir

logger = logging.getLogger(__name__)
MARKET_HEADER = "Onionwatch-Market"
SECRET_META = "onionwatch_secret"  # request meta flag: its response (e.g. a login submission) is not archived
_DROP_HEADERS = {b"set-cookie", b"cookie"}


def archive_dir(setting: str | None) -> Path:
    return Path(setting) if setting else data_dir() / "archive"


def check_archive_dir(root: Path) -> None:
    """CrawlRefused (one line) unless the archive directory exists or can be made, and is writable."""
    from onionwatch.crawler.policy import CrawlRefused

    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise CrawlRefused(f"archive directory {root}: cannot create it ({exc.strerror or exc}); set "
                           "ONIONWATCH_ARCHIVE_DIR, or ONIONWATCH_ARCHIVE=0 to keep no pages") from None
    if not root.is_dir() or not os.access(root, os.W_OK | os.X_OK):
        raise CrawlRefused(f"archive directory {root}: not a writable directory; set ONIONWATCH_ARCHIVE_DIR, "
                           "or ONIONWATCH_ARCHIVE=0 to keep no pages")


class WarcArchive:
    def __init__(self, crawler: Crawler, root: Path) -> None:
        self.crawler = crawler
        self.root = root
        self.path: Path | None = None
        self.stream: BinaryIO | None = None
        self.writer: WARCWriter | None = None
        self.records = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        if not crawler.settings.getbool("ONIONWATCH_ARCHIVE", True):
            raise NotConfigured("ONIONWATCH_ARCHIVE is off")
        ext = cls(crawler, archive_dir(crawler.settings.get("ONIONWATCH_ARCHIVE_DIR")))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.received, signal=signals.response_received)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        market = getattr(spider, "market", spider.name)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        directory = self.root / market
        path = directory / f"{stamp}.warc.gz"
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(f"{path}.part", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:  # the pages could not be kept: the crawl must not count as done
            spider.fatal = f"{market}: archive {path}: cannot write ({exc.strerror or exc})"
            logger.error(spider.fatal)
            return
        self.path = path
        self.stream = os.fdopen(fd, "wb")
        self.writer = WARCWriter(self.stream, gzip=True)

    def received(self, response: Response, request: Request, spider: Any) -> None:
        if self.writer is None or request.meta.get(SECRET_META):
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items()
                   for v in vs if k.lower() not in _DROP_HEADERS]
        http = StatusAndHeaders(f"{response.status} {'OK' if response.status == 200 else 'X'}", headers,
                                protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), http_headers=http,
            warc_headers_dict={MARKET_HEADER: getattr(spider, "market", spider.name)},
        )
        self.writer.write_record(record)
        self.records += 1

    def closed(self, spider: Any, reason: str = "finished") -> None:
        if self.stream is None or self.path is None:
            return
        self.stream.close()
        part = f"{self.path}.part"
        if reason != "finished" or getattr(spider, "fatal", None):  # interrupted or failed: say so in the name
            self.path = self.path.with_name(self.path.name.replace(".warc.gz", ".partial.warc.gz"))
        os.replace(part, self.path)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("onionwatch/archive", str(self.path))
            self.crawler.stats.set_value("onionwatch/archived_pages", self.records)
