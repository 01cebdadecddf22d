"""Scrapy settings for onionwatch: the one module that reads the environment for the crawler.

ONIONWATCH_TRANSPORT  "tor" (default) or "direct" (only for clearnet markets or loopback testbed mirrors)
ONIONWATCH_STORE      store URL (default: SQLite in the user data dir)
ONIONWATCH_ARCHIVE, ONIONWATCH_ARCHIVE_DIR  keep raw pages as WARC (default on, <data dir>/archive)
ONIONWATCH_FRONTIER_LEASE  seconds before a dead worker's pages go back to the others (shared frontier, default 30)
ONIONWATCH_TOR_CLIENTS  a pool of tor clients, SOCKS:CONTROL[:COOKIE],... (markets spread over them)
TOR_SOCKS_HOST/PORT, TOR_CONTROL_PORT, TOR_CONTROL_PASSWORD, TOR_CONTROL_COOKIE  Tor endpoints
"""

from __future__ import annotations

import os

from onionwatch import offline
from onionwatch.crawler.policy import CrawlRefused

# Before Scrapy builds its cookie middleware (and its module-level TLDExtract): the Public Suffix List comes
# from tldextract's bundled snapshot, never from publicsuffix.org (see onionwatch/offline.py for the audit).
offline.pin_tldextract()


def _env_number(name: str, default: str, kind: type[int] | type[float], low: float, high: float) -> float:
    """A numeric environment setting in [low, high], else one error line naming the variable."""
    raw = os.environ.get(name, default).strip() or default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise CrawlRefused(f"{name}={raw!r}: must be {'an integer' if kind is int else 'a number'} from "
                           f"{low:g} to {high:g}")
    return value


BOT_NAME = "onionwatch"
SPIDER_MODULES = ["onionwatch.crawler.spiders"]
NEWSPIDER_MODULE = "onionwatch.crawler.spiders"

# Blend in with Tor Browser; never announce the tool.
USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.5",
}
ROBOTSTXT_OBEY = False
TELNETCONSOLE_ENABLED = False  # no listening debug port on an investigator's machine
COOKIES_ENABLED = True  # session cookies stay in memory for the crawl only
CONCURRENT_REQUESTS = int(_env_number("ONIONWATCH_CONCURRENCY", "16", int, 1, 1024))
CONCURRENT_REQUESTS_PER_DOMAIN = CONCURRENT_REQUESTS
DOWNLOAD_DELAY = _env_number("ONIONWATCH_DOWNLOAD_DELAY", "0", float, 0, 3600)
DOWNLOAD_TIMEOUT = 90
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # hostile markets: refuse giant responses
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
REDIRECT_MAX_TIMES = 10
METAREFRESH_ENABLED = False  # a meta refresh is a queue: a wait-queue gate (crawler/gates.py) waits it out
DEPTH_LIMIT = 50
LOG_LEVEL = os.environ.get("ONIONWATCH_LOG_LEVEL", "INFO")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES: dict[str, int] = {}  # indexing is the index stage's (indexer/stage.py), fed from the frontier
# A page yields at most one item and no pipeline runs: Scrapy's default of 100 starts 100 worker tasks per
# response for nothing (bench/bench_overhead.py: ~10 % of the crawl's CPU on the testbed).
CONCURRENT_ITEMS = 1
ONIONWATCH_INDEX = True  # off: `onionwatch crawl` collects into the frontier only (no index stage)
ONIONWATCH_DRIFT_POINTS = 20.0  # a field's fill rate this many points below the last complete crawl: drift
EXTENSIONS = {
    "onionwatch.crawler.extensions.Progress": 500,
    "onionwatch.crawler.archive.WarcArchive": 510,
    "onionwatch.crawler.extensions.CrawlLimits": 520,  # the definition's limits: (caps, depth)
    "onionwatch.crawler.extensions.Shutdown": 530,  # Ctrl-C / SIGTERM: in-flight downloads cancelled after 5 s
}

ONIONWATCH_TRANSPORT = os.environ.get("ONIONWATCH_TRANSPORT", "tor")
ONIONWATCH_STORE = os.environ.get("ONIONWATCH_STORE", "")
ONIONWATCH_PROGRESS = False
# several tor clients (crawler/tor_pool.py): SOCKS:CONTROL[:COOKIE],... ; empty: the one TOR_SOCKS_PORT client
ONIONWATCH_TOR_CLIENTS = os.environ.get("ONIONWATCH_TOR_CLIENTS", "").strip()
# a shared (Redis) frontier: seconds until a dead worker's pages go back to the others (crawler/frontier_redis.py)
ONIONWATCH_FRONTIER_LEASE = _env_number("ONIONWATCH_FRONTIER_LEASE", "30", float, 1, 3600)
ONIONWATCH_ARCHIVE = os.environ.get("ONIONWATCH_ARCHIVE", "1") != "0"  # keep raw pages (WARC)
ONIONWATCH_ARCHIVE_DIR = os.environ.get("ONIONWATCH_ARCHIVE_DIR", "")  # default: <data dir>/archive

TOR_SOCKS_HOST = os.environ.get("TOR_SOCKS_HOST", "127.0.0.1")
TOR_SOCKS_PORT = int(_env_number("TOR_SOCKS_PORT", "9050", int, 1, 65535))
TOR_CONTROL_PORT = int(_env_number("TOR_CONTROL_PORT", "9051", int, 1, 65535))
TOR_CONTROL_PASSWORD = os.environ.get("TOR_CONTROL_PASSWORD", "")
TOR_CONTROL_COOKIE = os.environ.get("TOR_CONTROL_COOKIE", "")

# The transport's download handler and middlewares (egress guard, block detector, Tor proxy): one place.
# `onionwatch crawl` replaces them with those of the transport it was given (crawler.run.build_settings).
from onionwatch.crawler.transport import scrapy_settings as _transport_settings  # noqa: E402

_transport = _transport_settings(ONIONWATCH_TRANSPORT)
DOWNLOAD_HANDLERS = _transport["DOWNLOAD_HANDLERS"]
DOWNLOADER_MIDDLEWARES = _transport["DOWNLOADER_MIDDLEWARES"]
