"""One crawl's life around Scrapy: its id and state in the store, its persisted frontier, its index stage, and
the truthful end (complete / partial / failed / interrupted) made from the ledger, the frontier and the stage.

    open()      lock the market, resume the last unfinished crawl (or begin a new one), start the index stage
    checkpoint  the counters of a running crawl go to the store (every few seconds, from the spider)
    finish()    drain (or stop) the stage, judge the crawl, record it in the store, drop a finished frontier
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onionwatch.crawler.frontier import FrontierCounts, SQLiteFrontier, StageProgress
from onionwatch.crawler.markets import MarketDefinition
from onionwatch.crawler.outcome import CrawlLedger, CrawlStatus, Shortfall
from onionwatch.crawler.policy import CrawlRefused
from onionwatch.private import private_dir

logger = logging.getLogger(__name__)

GONE_MIN, GONE_SHARE = 10, 0.5  # this many gone pages, over this share of detail pages: suspect, not removals

RESUMABLE = {CrawlStatus.RUNNING.value, CrawlStatus.INTERRUPTED.value, CrawlStatus.FAILED.value,
             CrawlStatus.PARTIAL.value}  # a partial crawl keeps its frontier only when it can go on (gate_timeout)


def store_key(store_url: str) -> str:
    return hashlib.sha256(store_url.encode()).hexdigest()[:10]


def fill_rates(progress: StageProgress, fields: list[str]) -> dict[str, float]:
    n = progress.listings
    return {f: round(progress.fills.get(f, 0) / n, 4) for f in fields} if n else {}


def drift(now: dict[str, float], before: dict[str, float], points: float) -> list[tuple[str, float, float]]:
    """Fields whose fill rate dropped by more than `points` percentage points: (field, before, now)."""
    return [(f, before[f], now[f]) for f in sorted(now) if f in before and (before[f] - now[f]) * 100 > points]


@dataclass
class CrawlSession:
    definition: MarketDefinition
    store: Any  # indexer.store.Store (the parent's handle: crawl state only)
    store_url: str
    crawl_id: str
    frontier: Any  # SQLiteFrontier, or RedisFrontier (crawler/frontier_redis.py) shared by several workers
    resumed: bool
    lock_fd: int
    stage: Any = None  # indexer.stage.StageProcess, or None with ONIONWATCH_INDEX off
    resumed_from: FrontierCounts | None = None
    counters: dict[str, Any] = field(default_factory=dict)

    @property
    def market(self) -> str:
        return self.definition.name

    # --- opening

    @classmethod
    def open(cls, definition: MarketDefinition, store_url: str, data_dir: Path, *, fresh: bool, index: bool,
             depth_limit: int, frontier_url: str | None = None) -> CrawlSession:
        """`frontier_url` (redis://…): the frontier lives on that Redis server, for several worker processes;
        otherwise in a SQLite file under `data_dir`."""
        from onionwatch.indexer.store import open_store
        from onionwatch.private import redact_url

        market = definition.name
        folder = data_dir / "crawls" / market
        private_dir(folder)
        lock_fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock_fd)
            raise CrawlRefused(f"{market}: another onionwatch crawl of this market is running (lock {folder}/.lock)"
                               ) from None
        store = open_store(store_url)
        key = store_key(store_url)
        try:
            previous = store.crawls(market)
            last = previous[0] if previous else None
            if last is not None and last["status"] in RESUMABLE:
                path = folder / f"{last['crawl_id']}-{key}.sqlite"
                if not fresh and _frontier_exists(frontier_url, path, key, market, last["crawl_id"]):
                    frontier = _open_frontier(frontier_url, path, key, definition, last["crawl_id"], depth_limit)
                    counts = frontier.counts()
                    # anything recorded: resume it, even when nothing is left to fetch or index (killed after the
                    # last batch was indexed, before the crawl's status was written): it just ends with its status
                    if counts.done + counts.mismatch + counts.queued + counts.failed + counts.items_waiting > 0:
                        frontier.requeue_failed()
                        frontier.set_meta("fetch_ended", "0")
                        frontier.set_meta("stop", "0")
                        session = cls(definition, store, store_url, last["crawl_id"], frontier, True, lock_fd,
                                      resumed_from=counts)
                        session._start_stage(index)
                        return session
                    frontier.close()
                if last["status"] != CrawlStatus.FAILED.value:  # a crawl left running/interrupted, superseded
                    store.update_crawl(last["crawl_id"], CrawlStatus.INTERRUPTED.value, last["counters"],
                                       [*last["reasons"], "not resumed: a new crawl started"
                                        + (" (--fresh)" if fresh else "")])
                if path.exists():
                    path.unlink()
                if frontier_url:  # superseded: its keys go
                    _open_frontier(frontier_url, path, key, definition, last["crawl_id"], depth_limit).drop()
            crawl_id = store.begin_crawl(market)
            path = folder / f"{crawl_id}-{key}.sqlite"
            meta = {"market": market, "crawl_id": crawl_id, "store": redact_url(store_url)}
            if frontier_url:
                from onionwatch.crawler.frontier_redis import RedisFrontier

                frontier = RedisFrontier.create(frontier_url, redis_prefix(key, market, crawl_id), depth_limit, meta,
                                                pagination_limit=definition.limits.pagination)
            else:
                frontier = SQLiteFrontier.create(path, depth_limit, meta,
                                                 pagination_limit=definition.limits.pagination)
            session = cls(definition, store, store_url, crawl_id, frontier, False, lock_fd)
            session._start_stage(index)
            return session
        except BaseException:
            store.close()
            os.close(lock_fd)
            raise

    def _start_stage(self, index: bool) -> None:
        if not index:
            return
        from onionwatch.indexer.stage import StageProcess

        self.stage = StageProcess(self.frontier, self.store_url)
        try:
            self.stage.start()
        except BaseException:
            self.stage.kill()
            self.stage = None
            self.store.update_crawl(self.crawl_id, CrawlStatus.FAILED.value, {}, ["the index stage did not start"])
            raise

    def banner(self) -> str | None:
        if not self.resumed or self.resumed_from is None:
            return None
        c = self.resumed_from
        waiting = f", {c.items_waiting} items waiting for the index" if c.items_waiting else ""
        return (f"{self.market}: resuming crawl {self.crawl_id} ({c.done + c.mismatch} pages done, "
                f"{c.queued + c.failed} queued{waiting})")

    # --- while running

    def checkpoint(self) -> None:
        """The running crawl's counters, to the store (a dashboard shows coverage while it runs)."""
        try:
            self.store.update_crawl(self.crawl_id, CrawlStatus.RUNNING.value, self._counters(), [])
        except Exception as exc:  # noqa: BLE001 - a checkpoint must never stop the crawl; the end reports errors
            logger.warning("%s: crawl state not saved: %s", self.market, exc)

    def _counters(self) -> dict[str, Any]:
        c = self.frontier.counts()
        p = self.frontier.progress()
        return {"pages": c.done + c.mismatch, "queued": c.queued, "failed_pages": c.failed,
                "mismatched_pages": c.mismatch, "beyond_depth": c.beyond_depth,
                "beyond_pagination": c.beyond_pagination, "refused_requests": c.refused, "gone_pages": c.gone,
                "listings_collected": c.listings, "vendors_collected": c.vendors, "listings_indexed": p.listings,
                "vendors_indexed": p.vendors, "observations": p.observations, "items_waiting": c.items_waiting,
                "extract_seconds": round(p.extract_seconds, 3), "index_seconds": round(p.index_seconds, 3)}

    # --- the end

    def finish(self, ledger: CrawlLedger, drift_points: float = 20.0) -> CrawlStatus:
        """Judge the crawl from its ledger, frontier and stage; record it; returns its status."""
        stage_error = None
        if self.stage is not None:
            stage_error = self.stage.stop() if ledger.interrupted else self.stage.finish()
        c = self.frontier.counts()
        p = self.frontier.progress()
        share = self.definition.limits.max_mismatch_share
        ledger.crawl_id = self.crawl_id
        ledger.pages = c.done + c.mismatch
        ledger.listings = c.listings
        ledger.vendors = c.vendors
        if c.failed:
            ledger.note(Shortfall.FAILED_PAGES, "pages failed after retries", self.frontier.note("failed"), c.failed)
        if c.beyond_depth:
            ledger.note(Shortfall.DEPTH_LIMIT, f"links deeper than {self.frontier.depth_limit} not followed "
                        "(limits.depth)", n=c.beyond_depth)
        if c.beyond_pagination:
            ledger.note(Shortfall.PAGINATION_LIMIT, f"next-page links past {self.frontier.pagination_limit} pages of "
                        "one pagination not followed (limits.pagination)", n=c.beyond_pagination)
        if c.gone >= GONE_MIN and c.gone > GONE_SHARE * (c.detail_pages + c.gone):
            ledger.note(Shortfall.GONE_PAGES, f"{c.gone} of {c.detail_pages + c.gone} listing/vendor pages answered "
                        "404/410: more than removed listings would explain; check the definition's url_pattern "
                        "and mirrors", self.frontier.note("gone"), c.gone)
        if c.refused:
            ledger.note(Shortfall.EGRESS_REFUSED, "requests refused by the egress guard", self.frontier.note("refused"),
                        c.refused)
        if c.mismatch:
            from onionwatch.crawler.spiders.market import mismatch_message

            message = mismatch_message(c.mismatch, c.detail_pages, share, self.frontier.note("mismatch"))
            if c.mismatch > share * c.detail_pages:
                ledger.fail(f"{self.market}: {message}")
            else:
                ledger.note(Shortfall.PAGE_MISMATCH, "pages skipped: they did not match the definition",
                            self.frontier.note("mismatch"), c.mismatch)
        capped = any(k.value.startswith("cap_") for k in ledger.shortfalls)
        if c.queued and not ledger.interrupted and ledger.fatal is None and not capped:
            ledger.note(Shortfall.UNREACHED, "pages found but not fetched", n=c.queued)
        if self.stage is not None:
            if stage_error and c.listings and not p.listings:
                ledger.fail(f"{self.market}: nothing indexed: {stage_error}")
            elif stage_error and not ledger.interrupted:
                ledger.note(Shortfall.INDEX_ERROR, f"items not indexed ({stage_error}); `onionwatch crawl "
                            f"{self.market}` again indexes them", n=max(c.items_waiting, 1))
            if p.extract_errors:
                ledger.note(Shortfall.INDEX_ERROR, "records whose extraction failed (skipped)", n=p.extract_errors)
        specs = [spec.fields for spec in (self.definition.listing, self.definition.listing_rows) if spec is not None]
        fields = list(dict.fromkeys(f for names in specs for f in names if f in _fill_fields()))
        rates = fill_rates(p, fields) if self.stage is not None else {}
        if rates and ledger.fatal is None:
            self._judge_drift(ledger, rates, drift_points)
        status = ledger.status()
        self.counters = self._counters()
        self.counters["paused_seconds"] = round(ledger.paused_seconds, 2)  # waiting for the analyst, this run
        try:
            self.store.update_crawl(self.crawl_id, status.value, self.counters, ledger.reasons(), rates or None)
        except Exception as exc:  # noqa: BLE001 - the outcome is still printed; the store's error with it
            logger.error("%s: crawl state not saved: %s", self.market, exc)
        if status is CrawlStatus.COMPLETE and self.stage is not None:
            self._mark_gone(ledger)
        left = c.queued + c.failed + c.items_waiting
        resumable = Shortfall.GATE_TIMEOUT in ledger.shortfalls
        if (status in (CrawlStatus.COMPLETE, CrawlStatus.PARTIAL) and not resumable) or left == 0:
            self.frontier.drop()
        return status

    def _mark_gone(self, ledger: CrawlLedger) -> None:
        """A complete, indexed crawl looked everywhere: listings it did not see are gone (indexer/changes.py)."""
        try:
            self.counters["listings_gone"] = self.store.mark_gone(self.crawl_id)
            self.store.update_crawl(self.crawl_id, CrawlStatus.COMPLETE.value, self.counters, ledger.reasons())
        except Exception as exc:  # noqa: BLE001 - the crawl itself is complete; say what was not recorded
            logger.error("%s: listings no longer found were not marked gone: %s", self.market, exc)

    def _judge_drift(self, ledger: CrawlLedger, rates: dict[str, float], points: float) -> None:
        before = next((c for c in self.store.crawls(self.market)
                       if c["status"] == CrawlStatus.COMPLETE.value and c["crawl_id"] != self.crawl_id
                       and c.get("fill_rates")), None)
        if before is None:
            return
        for name, was, now in drift(rates, before["fill_rates"], points):
            specs = [s.fields for s in (self.definition.listing, self.definition.listing_rows) if s is not None]
            css = next(fields[name].css for fields in specs if name in fields)
            selectors = " | ".join(css)  # the fallbacks, in order
            ledger.note(Shortfall.SELECTOR_DRIFT,
                        f"field {name!r} filled in {now:.0%} of listings, {was:.0%} in complete crawl "
                        f"{before['crawl_id']}: likely selector drift ({selectors!r})")

    def close(self) -> None:
        if self.stage is not None:
            self.stage.kill()
        self.store.close()
        os.close(self.lock_fd)

    def to_dict(self) -> dict[str, Any]:
        return {"crawl_id": self.crawl_id, "resumed": self.resumed, "counters": json.loads(json.dumps(self.counters))}


def redis_prefix(key: str, market: str, crawl_id: str) -> str:
    return f"onionwatch:{key}:{market}:{crawl_id}"


def _frontier_exists(frontier_url: str | None, path: Path, key: str, market: str, crawl_id: str) -> bool:
    if not frontier_url:
        return path.exists()
    from onionwatch.crawler.frontier_redis import RedisFrontier

    f = RedisFrontier(frontier_url, redis_prefix(key, market, crawl_id))
    try:
        return f.exists()
    finally:
        f.close()


def _open_frontier(frontier_url: str | None, path: Path, key: str, definition: MarketDefinition, crawl_id: str,
                   depth_limit: int) -> Any:
    if not frontier_url:
        return SQLiteFrontier(path, depth_limit, pagination_limit=definition.limits.pagination)
    from onionwatch.crawler.frontier_redis import RedisFrontier

    return RedisFrontier(frontier_url, redis_prefix(key, definition.name, crawl_id), depth_limit,
                         pagination_limit=definition.limits.pagination)


def _fill_fields() -> tuple[str, ...]:
    from onionwatch.indexer.stage import FILL_FIELDS

    return FILL_FIELDS
