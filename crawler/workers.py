"""Several crawler processes on one shared frontier (`onionwatch crawl MARKET --frontier redis://… --workers N`).

The parent keeps what a crawl has once: its session (crawl id and status in the store, the market lock), its
index stage and its outcome. It starts N worker processes (`python -m onionwatch.crawler.workers JOB`), each a
Scrapy process running the market spider on the same Redis frontier (crawler/frontier_redis.py); each writes
its ledger and stats to a result file when it ends. A worker killed mid-crawl writes nothing: its pages
come back to the others when its lease lapses, and the frontier's counts still tell the truth at the end.

    parent: session ─ stage ─┬─ worker 0 ─┐
                             ├─ worker 1 ─┼─▶ Redis frontier (pages, seen-set, raw items) ─▶ stage ─▶ store
                             └─ worker 2 ─┘
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onionwatch.crawler.outcome import CrawlLedger, Shortfall, ShortfallNote

CHECKPOINT_SECONDS = 10.0
LEASE_SETTING = "ONIONWATCH_FRONTIER_LEASE"  # seconds a dead worker's pages stay leased (default 30)


@dataclass
class Worker:
    index: int
    process: subprocess.Popen[bytes]
    result: Path

    def outcome(self) -> dict[str, Any] | None:
        try:
            return dict(json.loads(self.result.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None


def _job(spec: Any, session: Any, settings: Any, index: int, result: Path) -> dict[str, Any]:
    overrides = {key: value for key, value in settings.items()
                 if settings.getpriority(key) >= 40 and _jsonable(value)}  # cmdline priority: what the user set
    return {"market": spec.market, "mirror": spec.mirror, "locator": session.frontier.locator,
            "depth_limit": session.frontier.depth_limit, "pagination_limit": session.frontier.pagination_limit,
            "lease": settings.getfloat(LEASE_SETTING, 30.0), "worker": f"{session.crawl_id}-{index}",
            "store_url": settings.get("ONIONWATCH_STORE") or None,
            "transport": settings.get("ONIONWATCH_TRANSPORT"), "log_level": settings.get("LOG_LEVEL"),
            "overrides": overrides, "result": str(result)}


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def start_worker(spec: Any, session: Any, settings: Any, index: int, folder: Path) -> Worker:
    result = folder / f"{spec.market}-{index}.json"
    job = folder / f"{spec.market}-{index}.job.json"
    job.write_text(json.dumps(_job(spec, session, settings, index, result)), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "onionwatch.crawler.workers", str(job), str(os.getpid())],
                               stdin=subprocess.DEVNULL)
    return Worker(index, process, result)


def merge(market: str, results: Sequence[dict[str, Any] | None], say: Callable[[str], None]) -> CrawlLedger:
    """One ledger from the workers' ledgers; a worker that died without one is said, not hidden."""
    ledger = CrawlLedger(market=market)
    died = [i for i, r in enumerate(results) if r is None]
    for i in died:
        say(f"{market}: crawl worker {i} ended without a result (killed?); its pages went back to the others")
    if len(died) == len(results):
        ledger.fail(f"{market}: every crawl worker ({len(results)}) died; the same command resumes the crawl")
    for r in results:
        if r is None:
            continue
        if r.get("fatal"):
            ledger.fail(str(r["fatal"]))
        ledger.interrupted = ledger.interrupted or bool(r.get("interrupted"))
        ledger.paused_seconds = max(ledger.paused_seconds, float(r.get("paused_seconds", 0.0)))
        for kind, note in r.get("shortfalls", {}).items():
            if kind in (Shortfall.UNREACHED.value, Shortfall.EGRESS_REFUSED.value):
                continue  # judged once, by the parent, from the shared frontier and the summed refusals
            entry = ledger.shortfalls.setdefault(Shortfall(kind), ShortfallNote(detail=note["detail"],
                                                                                example=note["example"]))
            entry.count += int(note["count"])
    return ledger


def _sum_stats(results: Sequence[dict[str, Any] | None]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for r in results:
        for key, value in (r or {}).get("stats", {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
    return total


def run_workers(specs: Sequence[Any], sessions: Sequence[Any], settings: Any, mark: int, n: int,
                say: Callable[[str], None]) -> list[Any]:
    """Crawl every market with n worker processes each; the parent checkpoints, then judges each crawl."""
    from onionwatch.crawler.run import judge
    from onionwatch.private import private_dir

    folder = private_dir(Path(tempfile.mkdtemp(prefix="onionwatch-workers-")))
    t0 = time.perf_counter()
    groups = [[start_worker(spec, session, settings, i, folder) for i in range(n)]
              for spec, session in zip(specs, sessions, strict=True)]
    _wait(groups, sessions, say)
    fetch_seconds = time.perf_counter() - t0
    outcomes = []
    for spec, session, group in zip(specs, sessions, groups, strict=True):
        results = [w.outcome() for w in group]
        ledger = merge(spec.market, results, say)
        refusals = sum(int((r or {}).get("egress_refusals", 0)) for r in results)
        outcomes.append(judge(spec, session, ledger, _sum_stats(results), settings, mark, t0, fetch_seconds,
                              worker_refusals=refusals))
    for path in folder.iterdir():
        path.unlink(missing_ok=True)
    folder.rmdir()
    return outcomes


def _wait(groups: list[list[Worker]], sessions: Sequence[Any], say: Callable[[str], None]) -> None:
    """Until every worker has ended; Ctrl-C / SIGTERM go on to the workers (they stop, resumable)."""
    workers = [w for group in groups for w in group]

    def forward(signum: int, _frame: Any) -> None:
        for w in workers:
            if w.process.poll() is None:
                w.process.send_signal(signum)

    old = signal.signal(signal.SIGTERM, forward)
    last = time.monotonic()
    try:
        while any(w.process.poll() is None for w in workers):
            try:
                time.sleep(0.5)
            except KeyboardInterrupt:
                forward(signal.SIGINT, None)  # a terminal's Ctrl-C reached them too; a second one is harmless
            if time.monotonic() - last > CHECKPOINT_SECONDS:
                last = time.monotonic()
                for session in sessions:
                    session.checkpoint()
    finally:
        signal.signal(signal.SIGTERM, old)
    for group in groups:
        for w in group:
            code = w.process.returncode
            if code not in (0, None) and w.outcome() is None:
                how = f"signal {-code}" if code < 0 else f"exit {code}"
                say(f"crawl worker {w.index} (pid {w.process.pid}) died ({how})")


# --- the worker process


def worker_main(job_path: str, parent: int) -> int:
    from onionwatch.indexer.stage import _die_with_parent

    _die_with_parent()  # a kill -9 of the crawl ends its workers too; the same command resumes it
    if os.getppid() != parent:
        return 1
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    from onionwatch.crawler.frontier_redis import frontier_endpoint
    from onionwatch.netguard import install_for_command

    redis = frontier_endpoint(job["locator"])
    install_for_command("crawl worker", job["store_url"], extra=[redis] if redis else [])
    from scrapy.crawler import CrawlerProcess

    from onionwatch import netguard
    from onionwatch.crawler.frontier_redis import RedisFrontier
    from onionwatch.crawler.outcome import ledger_for
    from onionwatch.crawler.run import CrawlSpec, build_settings, effective_definition, grant_egress
    from onionwatch.crawler.spiders.market import MarketSpider
    from onionwatch.crawler.tor_pool import market_settings

    spec = CrawlSpec(job["market"], job["mirror"])
    overrides = {**job["overrides"], "ONIONWATCH_PROGRESS": False}
    settings = build_settings(job["store_url"], job["transport"], False, job["log_level"], overrides)
    definition = effective_definition(spec)
    grant_egress(settings, [definition])
    frontier = RedisFrontier.from_locator(job["locator"], depth_limit=job["depth_limit"],
                                          pagination_limit=job["pagination_limit"], lease_seconds=job["lease"],
                                          worker=f"{job['worker']}-{os.getpid()}")
    mark = netguard.refusal_count()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(MarketSpider)
    for key, value in definition.politeness.scrapy_settings().items():
        crawler.settings.set(key, value, priority="spider")
    for key, value in market_settings(settings, spec.market).items():
        crawler.settings.set(key, value, priority="cmdline")  # the market's tor client (a pool)
    process.crawl(crawler, market=spec.market, mirror=spec.mirror, frontier=frontier, session=None)
    try:
        process.start()
    finally:
        frontier.close()
    ledger = ledger_for(crawler, spec.market)
    if crawler.spider is None:
        ledger.fail(f"{spec.market}: spider did not start")
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    result = {"fatal": ledger.fatal, "interrupted": ledger.interrupted, "paused_seconds": ledger.paused_seconds,
              "shortfalls": ledger.to_dict()["shortfalls"], "egress_refusals": netguard.refusal_count() - mark,
              "stats": {k: v for k, v in stats.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}}
    path = Path(job["result"])
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    tmp.rename(path)  # the parent reads a whole result or none
    return 0


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1], int(sys.argv[2])))
