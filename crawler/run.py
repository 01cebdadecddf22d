"""Run market crawls in-process (one Scrapy CrawlerProcess per call) and report their outcomes.

Each market's crawl is a `CrawlSession` (crawler/session.py): an id and state in the store, a persisted
frontier, an index stage process fed while the crawl runs. The outcome is judged from the crawl's ledger
(crawler/outcome.py), its frontier and its stage: complete, partial (with reasons), failed or interrupted.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from onionwatch import netguard
from onionwatch.crawler.archive import archive_dir, check_archive_dir
from onionwatch.crawler.credentials import get_credentials, get_pgp_secret
from onionwatch.crawler.frontier_redis import frontier_endpoint
from onionwatch.crawler.imported_session import imported_cookies
from onionwatch.crawler.markets import MarketDefinition, get_market, with_mirror
from onionwatch.crawler.outcome import EXIT_CODES, CrawlStatus, Shortfall, ledger_for
from onionwatch.crawler.pipelines import shared_extractor
from onionwatch.crawler.policy import check_transport, direct_endpoints
from onionwatch.crawler.spiders.market import MarketSpider
from onionwatch.crawler.tor_pool import market_settings
from onionwatch.errors import InputError


@dataclass
class CrawlSpec:
    market: str
    mirror: str | Sequence[str] | None = None  # overrides the definition's mirrors (e.g. testbeds on 127.0.0.1)
    expect: int = 0  # listings expected, for the progress bar only


@dataclass
class CrawlOutcome:
    market: str
    ok: bool  # status is complete
    error: str | None  # the reasons, one line, when not complete
    pages: int
    listings: int
    vendors: int
    failed_pages: int
    refused_requests: int
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)
    egress_refusals: int = 0  # socket calls the process egress guard refused during the crawl (OPSEC events)
    egress_refused: list[dict[str, Any]] = field(default_factory=list)  # the first of them: event, where, who
    status: CrawlStatus = CrawlStatus.FAILED
    crawl_id: str | None = None
    resumed: bool = False
    reasons: list[str] = field(default_factory=list)
    shortfalls: dict[str, Any] = field(default_factory=dict)
    counters: dict[str, Any] = field(default_factory=dict)  # as stored with the crawl (whole crawl, resumes too)
    fetch_seconds: float = 0.0  # until the last page was parsed (the index stage runs meanwhile)
    pages_this_run: int = 0
    paused_seconds: float = 0.0  # this run waited for the analyst (captchas), included in `seconds`

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    @property
    def extract_seconds(self) -> float:
        return float(self.counters.get("extract_seconds", 0.0))

    @property
    def index_seconds(self) -> float:
        return float(self.counters.get("index_seconds", 0.0))

    @property
    def pages_per_second(self) -> float:
        return self.pages_this_run / self.fetch_seconds if self.fetch_seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"market": self.market, "status": self.status.value, "exit_code": self.exit_code, "ok": self.ok,
                "crawl_id": self.crawl_id, "resumed": self.resumed, "reasons": self.reasons, "error": self.error,
                "shortfalls": self.shortfalls, "pages": self.pages, "listings": self.listings, "vendors": self.vendors,
                "failed_pages": self.failed_pages, "refused_requests": self.refused_requests,
                "seconds": round(self.seconds, 2), "fetch_seconds": round(self.fetch_seconds, 2),
                "extract_seconds": round(self.extract_seconds, 2), "index_seconds": round(self.index_seconds, 2),
                "pages_per_second": round(self.pages_per_second, 1),
                "paused_seconds": round(self.paused_seconds, 2), "counters": self.counters,
                "egress_refusals": self.egress_refusals, "egress_refused": self.egress_refused}


def exit_code(outcomes: Sequence[CrawlOutcome]) -> int:
    """One exit status for several crawls: interrupted, else failed, else partial, else complete."""
    for status in (CrawlStatus.INTERRUPTED, CrawlStatus.FAILED, CrawlStatus.PARTIAL):
        if any(o.status == status for o in outcomes):
            return EXIT_CODES[status]
    return 0


def effective_definition(spec: CrawlSpec) -> MarketDefinition:
    definition = get_market(spec.market)
    return with_mirror(definition, spec.mirror) if spec.mirror else definition


def build_settings(store_url: str | None, transport: str, progress: bool, log_level: str,
                   overrides: dict[str, Any] | None = None) -> Settings:
    from onionwatch.crawler.transport import scrapy_settings

    settings = Settings()
    settings.setmodule("onionwatch.crawler.settings", priority="project")
    settings.set("ONIONWATCH_TRANSPORT", transport, priority="cmdline")
    if store_url:
        settings.set("ONIONWATCH_STORE", store_url, priority="cmdline")
    settings.set("ONIONWATCH_PROGRESS", progress, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    # the transport's handlers and middlewares replace the ones crawler.settings chose from the environment
    for key, value in {**scrapy_settings(transport), **(overrides or {})}.items():
        settings.set(key, value, priority="cmdline")
    return settings


def preflight(specs: Sequence[CrawlSpec], settings: Settings) -> None:
    """Everything that can be known before a request leaves: definitions, credentials, store, transport."""
    from onionwatch.crawler.transport import preflight as transport_preflight
    from onionwatch.indexer.store import open_store

    transport = settings.get("ONIONWATCH_TRANSPORT")
    definitions = [effective_definition(spec) for spec in specs]
    for definition in definitions:
        check_transport(definition, transport)
        if definition.login is not None and not imported_cookies(definition.name):
            get_credentials(definition.login.credentials)
        if definition.gates.pgp_2fa is not None:
            get_pgp_secret(definition.gates.pgp_2fa.key)
    grant_egress(settings, definitions)
    if settings.getbool("ONIONWATCH_ARCHIVE", True):  # every crawl keeps its pages: the directory must work
        check_archive_dir(archive_dir(settings.get("ONIONWATCH_ARCHIVE_DIR")))
    if settings.getbool("ONIONWATCH_INDEX", True):  # a bad store URL or FX table must not cost a whole crawl
        open_store(settings.get("ONIONWATCH_STORE") or None).close()
        shared_extractor()  # built now (FxConfigError / LexiconError), reused when the crawl closes
    if transport == "tor" and not settings.get("ONIONWATCH_TOR_ROUTES"):  # a pool's clients were checked by route()
        transport_preflight(settings)


def grant_egress(settings: Settings, definitions: Sequence[MarketDefinition]) -> None:
    """Widen the process egress guard by what this crawl needs: Tor's endpoints, the store, the frontier's
    Redis server, direct clearnet mirrors. Everything else stays refused (a no-op for the policy when no guard
    is installed)."""
    from onionwatch.crawler.transport import TorEndpoint

    tor = TorEndpoint.from_settings(settings)
    granted = {(tor.socks_host, tor.socks_port), (tor.socks_host, tor.control_port)}
    granted.update(netguard.store_endpoints(settings.get("ONIONWATCH_STORE") or None))  # every listed node
    for tor_route in (settings.get("ONIONWATCH_TOR_ROUTES") or {}).values():  # a pool of tor clients
        granted |= {(tor_route["TOR_SOCKS_HOST"], tor_route["TOR_SOCKS_PORT"]),
                    (tor_route["TOR_SOCKS_HOST"], tor_route["TOR_CONTROL_PORT"])}
    redis = frontier_endpoint(settings.get("ONIONWATCH_FRONTIER") or None)
    if redis is not None:  # the shared frontier's Redis server (crawl --frontier)
        granted.add(redis)
    netguard.allow(granted | direct_endpoints(definitions, settings.get("ONIONWATCH_TRANSPORT")))


def egress_error(market: str, refusals: list[netguard.Refusal], count: int) -> str:
    first = refusals[0] if refusals else None
    where = f" (first: {first.event} {first.destination} by {first.module})" if first else ""
    return (f"{market}: OPSEC: the egress guard refused {count} socket call(s) off the allowed routes{where}; "
            "nothing left the machine, but find out who tried (see the log)")


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def crawl(specs: Sequence[CrawlSpec], *, store_url: str | None = None, transport: str = "tor",
          progress: bool = False, log_level: str = "WARNING", overrides: dict[str, Any] | None = None,
          fresh: bool = False, say: Callable[[str], None] = _say, frontier_url: str | None = None,
          workers: int = 1) -> list[CrawlOutcome]:
    """Crawl the markets concurrently, each indexed by its own stage while it runs; resume unfinished crawls
    (`fresh` starts over).

    Raises CrawlRefused / MarketDefinitionError / CredentialsError / StoreError / TorUnavailable before any
    request.
    Can be called once per process (Twisted's reactor cannot restart). With `frontier_url` (redis://…) each
    market's frontier lives on that Redis server and `workers` crawler processes share it
    (crawler/workers.py); this process keeps the session, the index stage and the outcome.
    """
    from onionwatch.crawler.session import CrawlSession
    from onionwatch.paths import data_dir, default_store_url

    settings = build_settings(store_url, transport, progress, log_level, overrides)
    if frontier_url:
        from onionwatch.crawler.frontier_redis import check_url, connect

        settings.set("ONIONWATCH_FRONTIER", check_url(frontier_url), priority="cmdline")
        if workers < 1:
            raise InputError(f"--workers: {workers}: must be at least 1")
    if transport == "tor" and settings.get("ONIONWATCH_TOR_CLIENTS"):
        from onionwatch.crawler.tor_pool import ROUTES, parse_clients, route, route_settings

        routes = route([s.market for s in specs], parse_clients(settings.get("ONIONWATCH_TOR_CLIENTS")), say)
        settings.set(ROUTES, route_settings(routes), priority="cmdline")
    mark = netguard.refusal_count()
    preflight(specs, settings)
    if frontier_url:
        connect(frontier_url).close()  # the Redis server answers (CrawlRefused otherwise), before any request
    store_url = settings.get("ONIONWATCH_STORE") or default_store_url()
    index = settings.getbool("ONIONWATCH_INDEX", True)
    sessions: list[CrawlSession] = []
    try:
        for spec in specs:
            definition = effective_definition(spec)
            # DEPTH_LIMIT given on the command line (`-s`, overrides) wins over the definition's limits.depth
            cmdline = (settings.getpriority("DEPTH_LIMIT") or 0) >= SETTINGS_PRIORITIES["cmdline"]
            depth = settings.getint("DEPTH_LIMIT", 0) if cmdline else 0
            session = CrawlSession.open(definition, store_url, data_dir(), fresh=fresh, index=index,
                                        depth_limit=depth or definition.limits.depth, frontier_url=frontier_url)
            sessions.append(session)
            banner = session.banner()
            if banner:
                say(banner)
        if frontier_url:
            from onionwatch.crawler.workers import run_workers

            return run_workers(specs, sessions, settings, mark, workers, say)
        return _run(specs, sessions, settings, mark)
    finally:
        for session in sessions:
            session.close()


def _run(specs: Sequence[CrawlSpec], sessions: Sequence[Any], settings: Settings, mark: int) -> list[CrawlOutcome]:
    process = CrawlerProcess(settings)
    crawlers = []
    for spec, session in zip(specs, sessions, strict=True):
        crawler = process.create_crawler(MarketSpider)
        for key, value in effective_definition(spec).politeness.scrapy_settings().items():
            crawler.settings.set(key, value, priority="spider")  # the definition's politeness, per market
        for key, value in market_settings(settings, spec.market).items():
            crawler.settings.set(key, value, priority="cmdline")  # the market's tor client (a pool)
        process.crawl(crawler, market=spec.market, mirror=spec.mirror, expect=spec.expect,
                      frontier=session.frontier, session=session)
        crawlers.append((spec, session, crawler))
    t0 = time.perf_counter()
    process.start()
    fetch_seconds = time.perf_counter() - t0
    from onionwatch.crawler.extensions import end_progress

    end_progress()
    outcomes = []
    for spec, session, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        ledger = ledger_for(crawler, session.market)
        if crawler.spider is None:
            ledger.fail(f"{spec.market}: spider did not start")
        outcomes.append(judge(spec, session, ledger, stats, settings, mark, t0, fetch_seconds))
    return outcomes


def judge(spec: CrawlSpec, session: Any, ledger: Any, stats: dict[str, Any], settings: Settings, mark: int,
          t0: float, fetch_seconds: float, worker_refusals: int = 0) -> CrawlOutcome:
    """The crawl's end: its session judges ledger, frontier and stage; one outcome comes back."""
    refused_count = netguard.refusal_count() - mark + worker_refusals
    refused = [r.to_dict() for r in netguard.refusals(mark)][:20]
    if refused_count:  # an OPSEC event is never a silent "complete"
        ledger.note(Shortfall.EGRESS_REFUSED, egress_error(spec.market, netguard.refusals(mark), refused_count),
                    n=refused_count)
    status = session.finish(ledger, settings.getfloat("ONIONWATCH_DRIFT_POINTS", 20.0))
    counters = session.counters
    reasons = ledger.reasons()
    error = "; ".join(reasons) if status != CrawlStatus.COMPLETE else None
    if refused_count:  # the OPSEC line comes first, as it is (an event to investigate, not a shortfall)
        rest = [r for r in reasons if not r.startswith(Shortfall.EGRESS_REFUSED.value)]
        opsec = egress_error(spec.market, netguard.refusals(mark), refused_count)
        error = opsec + (f"; also: {'; '.join(rest)}" if rest else "")
    return CrawlOutcome(
        market=spec.market,
        ok=status == CrawlStatus.COMPLETE,
        error=error,
        pages=int(counters.get("pages", 0)),
        listings=int(counters.get("listings_collected", 0)),
        vendors=int(counters.get("vendors_collected", 0)),
        failed_pages=int(counters.get("failed_pages", 0)),
        refused_requests=int(counters.get("refused_requests", 0)),
        seconds=time.perf_counter() - t0,
        stats={k: v for k, v in stats.items() if isinstance(v, (int, float, str, bool))},
        egress_refusals=refused_count,
        egress_refused=refused,
        status=status,
        crawl_id=session.crawl_id,
        resumed=session.resumed,
        reasons=reasons,
        shortfalls=ledger.to_dict()["shortfalls"],
        counters=counters,
        fetch_seconds=fetch_seconds,
        pages_this_run=int(stats.get("onionwatch/pages", 0)),
        paused_seconds=ledger.paused_seconds,
    )
