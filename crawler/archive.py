"""Keep every fetched page in a WARC file, so extraction can be re-run without re-crawling a market.

One gzipped WARC per market and crawl: ``<data dir>/archive/<market>/<UTC start>.warc.gz``. It is written as
``<UTC start>.partial.warc.gz`` and renamed only when the crawl finished with every page archived, so a file
is either complete or named ``.partial`` (an interrupted, failed or capped crawl, an archive write error, even
a kill -9): re-extracting an incomplete crawl is a visible choice (``reextract --allow-partial``). Every record
is one gzip member flushed to disk as it is written; after a write error (ENOSPC...) the file is cut back to
the last whole record, archiving stops, and the crawl's ledger notes ``Shortfall.ARCHIVE_ERROR`` (one line,
one count per page not archived): the crawl ends ``partial``, never ``complete``.
Session cookies are dropped from the stored headers, and the response to a login submission (a GET form puts
the password in its URL) is not kept.
ONIONWATCH_ARCHIVE=0 switches it off; ONIONWATCH_ARCHIVE_DIR moves it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import _schedule_coro
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onionwatch.crawler.outcome import Shortfall, ledger_for
from onionwatch.paths import data_dir
from onionwatch.private import private_dir

logger = logging.getLogger(__name__)
MARKET_HEADER = "Onionwatch-Market"
TRANSPORT_HEADER = "Onionwatch-Transport"  # tor / direct: evidence bundles state how a page was fetched
PARTIAL_SUFFIX = ".partial.warc.gz"
SECRET_META = "onionwatch_secret"  # request meta flag: its response (e.g. a login submission) is not archived
_DROP_HEADERS = {b"set-cookie", b"cookie"}


def archive_dir(setting: str | None) -> Path:
    return Path(setting) if setting else data_dir() / "archive"


def check_archive_dir(root: Path) -> None:
    """CrawlRefused (one line) unless the archive directory exists or can be made, and is writable."""
    from onionwatch.crawler.policy import CrawlRefused

    try:
        private_dir(root)
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
        self.market = "?"
        self.path: Path | None = None  # the name the archive gets when it is complete
        self.fd: int | None = None
        self.buffer = io.BytesIO()  # one record, gzipped, then written with os.write: no half-buffered tail
        self.writer = WARCWriter(self.buffer, gzip=True)
        self.records = 0
        self.good = 0  # bytes of whole records on disk
        self.error: str | None = None  # the first write error: archiving stopped there

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        if not crawler.settings.getbool("ONIONWATCH_ARCHIVE", True):
            raise NotConfigured("ONIONWATCH_ARCHIVE is off")
        ext = cls(crawler, archive_dir(crawler.settings.get("ONIONWATCH_ARCHIVE_DIR")))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.received, signal=signals.response_received)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    @property
    def partial_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name.removesuffix(".warc.gz") + PARTIAL_SUFFIX)

    def opened(self, spider: Any) -> None:
        self.market = getattr(spider, "market", spider.name)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        directory = self.root / self.market
        self.path = directory / f"{stamp}.warc.gz"
        try:
            private_dir(directory)
            self.fd = os.open(self.partial_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:  # before any page: the crawl fails now, nothing is lost (fix it and re-run)
            self.error = f"{self.market}: archive {self.partial_path}: cannot write ({exc.strerror or exc})"
            ledger_for(self.crawler, self.market).fail(self.error)
            logger.error(self.error)
            self.path = None  # no file was made
            engine = self.crawler.engine
            if engine is not None:
                _schedule_coro(engine.close_spider_async(reason="archive_error"))

    def received(self, response: Response, request: Request, spider: Any) -> None:
        if request.meta.get(SECRET_META):
            return
        if self.fd is None:
            ledger = ledger_for(self.crawler, self.market)
            if self.error is not None and ledger.fatal is None:  # one more page not archived
                ledger.note(Shortfall.ARCHIVE_ERROR, self.error)
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items()
                   for v in vs if k.lower() not in _DROP_HEADERS]
        http = StatusAndHeaders(f"{response.status} {'OK' if response.status == 200 else 'X'}", headers,
                                protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body), http_headers=http,
            warc_headers_dict={MARKET_HEADER: self.market,
                               TRANSPORT_HEADER: str(self.crawler.settings.get("ONIONWATCH_TRANSPORT") or "tor")},
        )
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.write_record(record)
        data = memoryview(self.buffer.getvalue())
        try:
            while data:  # a full disk shows here, at this record, not at some later one
                data = data[os.write(self.fd, data):]
            self.good = os.lseek(self.fd, 0, os.SEEK_CUR)
        except OSError as exc:
            self._failed(exc, self.partial_path)
            self._abandon()
            return
        self.records += 1

    def _failed(self, exc: OSError, path: Path) -> None:
        """Note the archive error once (one clear line); later pages count as not archived."""
        self.error = (f"archive {path}: cannot write ({exc.strerror or exc}); pages from here on are not "
                      "archived (reextract cannot rebuild them)")
        ledger_for(self.crawler, self.market).note(Shortfall.ARCHIVE_ERROR, self.error)
        logger.error("%s: %s", self.market, self.error)

    def _abandon(self) -> None:
        """Cut the file back to its last whole record and close it; it keeps its .partial name."""
        fd, self.fd = self.fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, self.good)  # frees space; the archive reads cleanly up to here
        with contextlib.suppress(OSError):
            os.close(fd)

    def closed(self, spider: Any, reason: str = "finished") -> None:
        if self.path is None:
            return
        if self.fd is not None:
            fd, self.fd = self.fd, None
            try:
                os.close(fd)
            except OSError as exc:
                self._failed(exc, self.partial_path)
        ledger = ledger_for(self.crawler, self.market)
        complete = (reason == "finished" and self.error is None and ledger.fatal is None
                    and not ledger.interrupted)
        final = self.path if complete else self.partial_path
        if complete:
            try:
                os.replace(self.partial_path, self.path)
            except OSError as exc:
                final = self.partial_path
                self._failed(exc, self.path)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("onionwatch/archive", str(final))
            self.crawler.stats.set_value("onionwatch/archived_pages", self.records)
