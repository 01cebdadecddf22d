"""Run market crawls in-process (one Scrapy CrawlerProcess per call) and report their outcomes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from onionwatch import netguard
from onionwatch.crawler.archive import archive_dir, check_archive_dir
from onionwatch.crawler.credentials import get_credentials
from onionwatch.crawler.markets import MarketDefinition, get_market, with_mirror
from onionwatch.crawler.pipelines import shared_extractor
from onionwatch.crawler.policy import check_transport, direct_endpoints
from onionwatch.crawler.spiders.market import MarketSpider


@dataclass
class CrawlSpec:
    market: str
    mirror: str | None = None  # overrides the definition's mirrors (e.g. a testbed on 127.0.0.1)
    expect: int = 0  # listings expected, for the progress bar only


@dataclass
class CrawlOutcome:
    market: str
    ok: bool
    error: str | None
    pages: int
    listings: int
    vendors: int
    failed_pages: int
    refused_requests: int
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)
    egress_refusals: int = 0  # socket calls the process egress guard refused during the crawl (OPSEC events)
    egress_refused: list[dict[str, Any]] = field(default_factory=list)  # the first of them: event, where, who

    @property
    def extract_seconds(self) -> float:
        return float(self.stats.get("onionwatch/extract_seconds", 0.0))

    @property
    def index_seconds(self) -> float:
        return float(self.stats.get("onionwatch/index_seconds", 0.0))

    @property
    def fetch_seconds(self) -> float:
        """Time spent crawling, without the extraction and indexing done when the crawl closes."""
        return max(self.seconds - self.extract_seconds - self.index_seconds, 1e-9)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.fetch_seconds if self.seconds else 0.0


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
        if definition.login is not None:
            get_credentials(definition.login.credentials)
    grant_egress(settings, definitions)
    if settings.getbool("ONIONWATCH_ARCHIVE", True):  # every crawl keeps its pages: the directory must work
        check_archive_dir(archive_dir(settings.get("ONIONWATCH_ARCHIVE_DIR")))
    if settings.getbool("ONIONWATCH_INDEX", True):  # a bad store URL or FX table must not cost a whole crawl
        open_store(settings.get("ONIONWATCH_STORE") or None).close()
        shared_extractor()  # built now (FxConfigError / LexiconError), reused when the crawl closes
    if transport == "tor":
        transport_preflight(settings)


def grant_egress(settings: Settings, definitions: Sequence[MarketDefinition]) -> None:
    """Widen the process egress guard by what this crawl needs: Tor's endpoints, the store, direct clearnet
    mirrors. Everything else stays refused (a no-op for the policy when no guard is installed)."""
    from onionwatch.crawler.transport import TorEndpoint

    tor = TorEndpoint.from_settings(settings)
    granted = {(tor.socks_host, tor.socks_port), (tor.socks_host, tor.control_port)}
    store = netguard.store_endpoint(settings.get("ONIONWATCH_STORE") or None)
    if store is not None:
        granted.add(store)
    netguard.allow(granted | direct_endpoints(definitions, settings.get("ONIONWATCH_TRANSPORT")))


def egress_error(market: str, refusals: list[netguard.Refusal], count: int) -> str:
    first = refusals[0] if refusals else None
    where = f" (first: {first.event} {first.destination} by {first.module})" if first else ""
    return (f"{market}: OPSEC: the egress guard refused {count} socket call(s) off the allowed routes{where}; "
            "nothing left the machine, but find out who tried (see the log)")


def crawl(specs: Sequence[CrawlSpec], *, store_url: str | None = None, transport: str = "tor",
          progress: bool = False, log_level: str = "WARNING",
          overrides: dict[str, Any] | None = None) -> list[CrawlOutcome]:
    """Crawl the markets concurrently; each market is indexed in one transaction when it finishes.

    Raises CrawlRefused / MarketDefinitionError / CredentialsError / StoreError / TorUnavailable before any
    request.
    Can be called once per process (Twisted's reactor cannot restart).
    """
    settings = build_settings(store_url, transport, progress, log_level, overrides)
    mark = netguard.refusal_count()
    preflight(specs, settings)
    process = CrawlerProcess(settings)
    crawlers = []
    for spec in specs:
        crawler = process.create_crawler(MarketSpider)
        process.crawl(crawler, market=spec.market, mirror=spec.mirror, expect=spec.expect)
        crawlers.append((spec, crawler))
    t0 = time.perf_counter()
    process.start()
    from onionwatch.crawler.extensions import end_progress

    end_progress()
    refused_count = netguard.refusal_count() - mark
    refused = [r.to_dict() for r in netguard.refusals(mark)][:20]
    outcomes = []
    for spec, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        spider = crawler.spider
        error = getattr(spider, "fatal", None) if spider is not None else f"{spec.market}: spider did not start"
        start, end = stats.get("start_time"), stats.get("finish_time")
        seconds = (end - start).total_seconds() if start and end else time.perf_counter() - t0
        if error is None and stats.get("onionwatch/index_error"):
            error = f"{spec.market}: nothing indexed: {stats['onionwatch/index_error']}"
        if error is None and stats.get("onionwatch/interrupted"):
            error = f"{spec.market}: crawl interrupted ({stats.get('finish_reason', 'shutdown')}): nothing indexed"
        if error is None and not stats.get("onionwatch/pages"):
            error = f"{spec.market}: no page fetched ({stats.get('finish_reason', 'unknown')}); nothing indexed"
        if error is None and not stats.get("onionwatch/indexed"):
            error = f"{spec.market}: crawl ended ({stats.get('finish_reason', 'unknown')}) without indexing"
        if refused_count:  # an OPSEC event is never a silent "ok", and it comes first
            opsec = egress_error(spec.market, netguard.refusals(mark), refused_count)
            error = opsec if error is None else f"{opsec}; also: {error}"
        outcomes.append(
            CrawlOutcome(
                market=spec.market,
                ok=error is None,
                error=error,
                pages=int(stats.get("onionwatch/pages", 0)),
                listings=int(stats.get("onionwatch/listings", 0)),
                vendors=int(stats.get("onionwatch/vendors", 0)),
                failed_pages=int(stats.get("onionwatch/failed_pages", 0)),
                refused_requests=int(stats.get("onionwatch/egress_refused", 0)),
                seconds=seconds,
                stats={k: v for k, v in stats.items() if isinstance(v, (int, float, str, bool))},
                egress_refusals=refused_count,
                egress_refused=refused,
            )
        )
    return outcomes
