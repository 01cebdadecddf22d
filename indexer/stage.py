"""The index stage: raw items (crawler/frontier.py RawQueue) → extraction (spaCy) → the store, in batches.

It runs beside the crawl in its own process (spawn; spaCy is CPU-bound and must not hold the reactor), reads
the raw items the spider appended to the crawl's frontier file, extracts them, writes each batch with
`Store.write_batch`, and then records its cursor (and counters) in the same file. Writes are idempotent
(an observation is unique on market, listing id and scraped_at), so a stage killed between a write and its
cursor update writes that batch again on resume and adds nothing. `crawl` feeds it from the spider;
`reextract` from WARC records; any later source only has to append raw items.

    parent (crawl)                          stage process
    spider.parse → frontier.page_done ──▶  pending(cursor) → Extractor → store.write_batch → indexed(cursor)
    run.py: start() … wait ready ◀──────── "ready" (extractor built, store opened) or the error
            finish() → meta fetch_ended=1   drains what is left, exits
            stop()   → meta stop=1          exits after the batch in hand (interrupted: items wait on disk)
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onionwatch.crawler.frontier import RawItem, RawQueue, StageProgress, open_frontier
from onionwatch.errors import OnionwatchError, StoreError

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# The stage process runs at a lower CPU priority than the crawl: fetching is the part that cannot wait (sessions
# expire, markets rotate mirrors), while raw items wait safely on disk until the stage drains them. On a 2-core
# machine with the crawl, the stage and a local market this lifts the crawl's pages/s (bench/bench_overhead.py).
STAGE_NICE = 10
# raw listing fields whose fill rate is kept per crawl (selector drift is judged on these)
FILL_FIELDS = ("title", "description", "price_text", "vendor_name", "vendor_url", "category", "ships_from",
               "ships_to", "location", "city", "district", "quantity", "escrow", "tiers")
WRITE_RETRIES = 3


class StageError(OnionwatchError):
    """The index stage could not start (its extractor or store refused) or died."""


@dataclass
class StageControl:
    """How the loop learns that the source has ended or that it must stop (read between batches)."""

    ended: Callable[[], bool]
    stop: Callable[[], bool]
    idle_sleep: float = 0.2


def _records(extractor: Any, items: list[RawItem]) -> tuple[list[Any], list[Any], int, dict[str, int]]:
    from onionwatch.crawler.items import RawListing, RawVendor

    raw_l = [RawListing(**d) for i in items for d in (i.data["listings"] if i.kind == "rows" else [i.data])
             if i.kind in ("listing", "rows")]
    raw_v = [RawVendor(**i.data) for i in items if i.kind == "vendor"]
    fills: dict[str, int] = {}
    for r in raw_l:
        for name in FILL_FIELDS:
            if getattr(r, name, None):
                fills[name] = fills.get(name, 0) + 1
    errors = 0
    try:
        listings = extractor.listings(raw_l)
    except Exception:  # noqa: BLE001 - hostile text must not end the stage: extract one by one, skip the bad
        listings = []
        for r in raw_l:
            try:
                listings.extend(extractor.listings([r]))
            except Exception:  # noqa: BLE001
                errors += 1
                logger.warning("%s: listing %s: extraction failed; skipped", r.market, r.listing_id, exc_info=True)
    vendors = []
    for v in raw_v:
        try:
            vendors.append(extractor.vendor(v))
        except Exception:  # noqa: BLE001
            errors += 1
            logger.warning("%s: vendor %s: extraction failed; skipped", v.market, v.vendor_id, exc_info=True)
    return listings, vendors, errors, fills


def index_items(queue: RawQueue, store: Any, extractor: Any, control: StageControl,
                batch_size: int = BATCH_SIZE, after_write: Callable[[], None] | None = None) -> StageProgress:
    """Drain `queue` into `store` until the source has ended and nothing is left (or `control.stop()`).
    `after_write`: called after each written batch (immediate alert delivery, onionwatch/notify)."""
    progress = queue.progress()
    if progress.error:  # a resumed stage tries the store again
        progress.error = None
    while not control.stop():
        ended = control.ended()  # read before the batch: items appended before "ended" are in the next read
        items = queue.pending(progress.cursor, batch_size)
        if not items:
            if ended:
                break
            time.sleep(control.idle_sleep)
            continue
        t0 = time.perf_counter()
        listings, vendors, errors, fills = _records(extractor, items)
        t1 = time.perf_counter()
        for attempt in range(WRITE_RETRIES + 1):
            try:
                stats = store.write_batch(listings, vendors)
                break
            except StoreError as exc:
                if attempt == WRITE_RETRIES or control.stop():
                    progress.error = str(exc)
                    queue.indexed(progress)  # keeps the cursor: these items wait on disk for a resume
                    logger.error("index stage stopped: %s", exc)
                    return progress
                time.sleep(0.5 * 2**attempt)
        progress.cursor = items[-1].seq
        progress.listings += len(listings)
        progress.vendors += len(vendors)
        progress.observations += stats.observations
        progress.extract_errors += errors
        for name, n in fills.items():
            progress.fills[name] = progress.fills.get(name, 0) + n
        progress.extract_seconds += t1 - t0
        progress.index_seconds += time.perf_counter() - t1
        queue.indexed(progress)
        if after_write is not None:
            after_write()
    return progress


# --- the worker process --------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (a kill -9 of the crawl must not leave it indexing)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stage_main(frontier_path: str, store_url: str | None, batch_size: int, conn: Any) -> None:
    """Entry point of the stage process (multiprocessing, spawn)."""
    _die_with_parent()
    with contextlib.suppress(OSError):
        os.nice(STAGE_NICE)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    parent = os.getppid()
    from onionwatch.crawler.frontier_redis import frontier_endpoint
    from onionwatch.netguard import install_for_command

    redis = frontier_endpoint(frontier_path)  # a shared frontier's Redis server, and nothing else
    install_for_command("index stage", store_url, extra=[redis] if redis else [])
    queue = open_frontier(frontier_path)
    try:
        from onionwatch.crawler.pipelines import shared_extractor
        from onionwatch.indexer.store import open_store

        extractor = shared_extractor()
        store = open_store(store_url)
        notifier = _notifier(store)
    except OnionwatchError as exc:
        conn.send(("error", type(exc).__name__, str(exc)))
        return
    conn.send(("ready",))

    def stop() -> bool:
        return os.getppid() != parent or queue.get_meta("stop") == "1"

    try:
        progress = index_items(queue, store, extractor,
                               StageControl(ended=lambda: queue.get_meta("fetch_ended") == "1", stop=stop),
                               batch_size, notifier)
    finally:
        store.close()
        queue.close()
    conn.send(("done", progress.error))


def _notifier(store: Any) -> Callable[[], None] | None:
    """Immediate alert delivery after each batch when notify.yaml asks for it (a bad file fails the start).
    A failed delivery is logged and tried again after the next batch; the alerts stay in the store."""
    from onionwatch import notify
    from onionwatch.errors import DeliveryError
    from onionwatch.notify.config import load
    from onionwatch.notify.digest import send_immediate

    cfg = load()
    if cfg is None or not cfg.immediate:
        return None
    notify.allow_egress(cfg)

    def send() -> None:
        try:
            sent = send_immediate(store, cfg)
        except DeliveryError as exc:
            logger.error("alert delivery failed (tried again after the next batch): %s", exc)
            return
        except StoreError as exc:
            logger.error("alert delivery: the store could not answer: %s", exc)
            return
        if sent.alerts:
            logger.info("alerts delivered: %d (%d mail(s), %d webhook post(s))", sent.alerts, sent.mails,
                        sent.webhooks)

    return send


class StageProcess:
    """The parent's handle on one crawl's stage process."""

    def __init__(self, frontier: Any, store_url: str | None, batch_size: int = BATCH_SIZE) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.frontier = frontier
        self._conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=stage_main, args=(frontier.locator, store_url, batch_size, child),
                                   name="onionwatch-stage", daemon=True)
        self._child = child

    def start(self, timeout: float = 120.0) -> None:
        """Start the process and wait until its extractor and store are ready (their errors raised here)."""
        self.process.start()
        self._child.close()
        if not self._conn.poll(timeout):
            self.kill()
            raise StageError(f"index stage did not start within {timeout:.0f} s")
        try:
            msg = self._conn.recv()
        except EOFError:
            raise StageError(f"index stage died while starting (exit {self.process.exitcode})") from None
        if msg[0] == "error":
            from onionwatch import errors

            cls = getattr(errors, msg[1], None)
            raise (cls if isinstance(cls, type) and issubclass(cls, OnionwatchError) else StageError)(msg[2])

    def finish(self) -> str | None:
        """The source has ended: let the stage drain what is left and wait for it. Returns its error."""
        self.frontier.set_meta("fetch_ended", "1")
        return self._wait(None)

    def stop(self, timeout: float = 8.0) -> str | None:
        """Stop after the batch in hand (interrupted crawls); what is left waits on disk for a resume."""
        self.frontier.set_meta("stop", "1")
        err = self._wait(timeout)
        if self.process.is_alive():
            self.kill()
        return err

    def _wait(self, timeout: float | None) -> str | None:
        error = None
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.process.is_alive() or self._conn.poll():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            if self._conn.poll(min(left, 0.5) if left is not None else 0.5):
                try:
                    msg = self._conn.recv()
                except EOFError:
                    break
                if msg[0] == "done":
                    error = msg[1]
        self.process.join(1)
        if self.process.exitcode not in (0, None) and error is None:
            error = f"index stage died (exit {self.process.exitcode})"
        return error

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


def frontier_path_for(data_dir: Path, market: str, crawl_id: str, store_key: str) -> Path:
    return data_dir / "crawls" / market / f"{crawl_id}-{store_key}.sqlite"
