"""What a crawl achieved, as typed values: its status, why it fell short, and the exit code that says so.

Every part of a crawl that can make it fall short (failed pages, a cap or the depth limit reached, an archive
write error, refused requests, pages that did not match their definition, an index error) notes it on the
crawl's `CrawlLedger`; the runner turns the ledger into the crawl's final `CrawlStatus` once the crawl and its
extraction stage have ended. Nothing is passed as stat strings or read from spider attributes.

Statuses and exit codes (documented in the README)::

    complete     0  every page found was reached, >= 1 listing collected, nothing fell short
    failed       1  the crawl could not do its job (market unreachable, login refused, too many mismatching
                    pages, no listing collected, nothing could be indexed); also every user error
    partial      3  listings were collected and indexed, but something fell short (the reasons say what)
    interrupted  130  Ctrl-C / SIGTERM: the crawl stopped early and can be resumed
    running      -  in the store only, while the crawl runs (or after a kill -9: resumable)

(Exit status 2 stays click's usage error.)
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class CrawlStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    PARTIAL = "partial"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


EXIT_CODES: dict[CrawlStatus, int] = {
    CrawlStatus.COMPLETE: 0,
    CrawlStatus.FAILED: 1,
    CrawlStatus.PARTIAL: 3,
    CrawlStatus.INTERRUPTED: 130,
}


class Shortfall(StrEnum):
    """Why a crawl that collected listings is `partial` rather than `complete`."""

    FAILED_PAGES = "failed_pages"  # downloads that failed after retries
    DEPTH_LIMIT = "depth_limit"  # links not followed because DEPTH_LIMIT was reached
    PAGINATION_LIMIT = "pagination_limit"  # next-page links not followed past limits.pagination
    CAP_PAGES = "cap_pages"  # the definition's (or default) page cap ended the crawl
    CAP_BYTES = "cap_bytes"
    CAP_DURATION = "cap_duration"
    DEADLINE = "deadline"  # downloads cut by the whole-download deadline (counted also as failed pages)
    ARCHIVE_ERROR = "archive_error"  # the WARC archive could not be written (e.g. ENOSPC)
    EGRESS_REFUSED = "egress_refused"  # requests or sockets refused by the egress guards
    PAGE_MISMATCH = "page_mismatch"  # pages skipped because they did not match their definition
    INDEX_ERROR = "index_error"  # some extracted records could not be written to the store
    SELECTOR_DRIFT = "selector_drift"  # a field's fill rate dropped against the previous complete crawl
    GATE_TIMEOUT = "gate_timeout"  # a captcha was not answered in time: the crawl stopped, resumable
    GONE_PAGES = "gone_pages"  # most listing/vendor pages answered 404/410: a broken pattern, not removed listings
    UNREACHED = "unreached"  # pages found but not fetched when the crawl closed (not a cap, not interrupted)


@dataclass
class ShortfallNote:
    count: int = 0
    detail: str = ""  # one line: what happened (first occurrence)
    example: str | None = None  # e.g. a URL


@dataclass
class CrawlLedger:
    """One per crawl, filled while it runs; `status()` is read once it has ended."""

    market: str
    crawl_id: str | None = None
    shortfalls: dict[Shortfall, ShortfallNote] = field(default_factory=dict)
    fatal: str | None = None  # the crawl must stop: it is `failed` with this one-line reason
    interrupted: bool = False
    listings: int = 0
    vendors: int = 0
    pages: int = 0
    paused_seconds: float = 0.0  # waiting for the analyst to answer a captcha (this run)

    def note(self, kind: Shortfall, detail: str = "", example: str | None = None, n: int = 1) -> None:
        entry = self.shortfalls.setdefault(kind, ShortfallNote(detail=detail, example=example))
        entry.count += n

    def fail(self, reason: str) -> None:
        if self.fatal is None:  # the first cause is the one worth reading
            self.fatal = reason

    def status(self) -> CrawlStatus:
        if self.fatal is not None:
            return CrawlStatus.FAILED
        if self.interrupted:
            return CrawlStatus.INTERRUPTED
        if self.listings == 0:
            return CrawlStatus.FAILED
        if self.shortfalls:
            return CrawlStatus.PARTIAL
        return CrawlStatus.COMPLETE

    def reasons(self) -> list[str]:
        """One line per reason, most important first."""
        lines = [self.fatal] if self.fatal else []
        if self.fatal is None and self.interrupted:
            lines.append(f"{self.market}: crawl interrupted (Ctrl-C / SIGTERM); the same command resumes it")
        if self.fatal is None and not self.interrupted and self.listings == 0:
            lines.append(f"{self.market}: no listing collected")
        for kind, note in self.shortfalls.items():
            where = f" (e.g. {note.example})" if note.example else ""
            lines.append(f"{kind.value} x{note.count}: {note.detail}{where}".rstrip(": "))
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "market": self.market, "crawl_id": self.crawl_id, "status": self.status().value,
            "reasons": self.reasons(), "listings": self.listings, "vendors": self.vendors, "pages": self.pages,
            "paused_seconds": round(self.paused_seconds, 2),
            "shortfalls": {k.value: {"count": v.count, "detail": v.detail, "example": v.example}
                           for k, v in self.shortfalls.items()},
        }


_LEDGERS: weakref.WeakKeyDictionary[Any, CrawlLedger] = weakref.WeakKeyDictionary()


def ledger_for(crawler: Any, market: str | None = None) -> CrawlLedger:
    """The ledger of a Scrapy crawler (created on first use; `market` is required then)."""
    ledger = _LEDGERS.get(crawler)
    if ledger is None:
        if market is None:
            raise LookupError("no ledger for this crawler yet (the spider creates it with its market name)")
        ledger = _LEDGERS[crawler] = CrawlLedger(market=market)
    return ledger
