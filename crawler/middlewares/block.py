"""Block detection: on 429/403/503, a captcha or a market's block pattern (and on repeated circuit
failures over Tor) move the market to a new circuit (NEWNYM + fresh SOCKS credentials) and retry with
exponential backoff (at least a numeric Retry-After, capped); give up with a clear message after
ONIONWATCH_BLOCK_MAX_RETRIES. Never falls back to a direct connection.

Settings: ONIONWATCH_BLOCK_STATUSES (403, 429, 503), ONIONWATCH_BLOCK_PATTERNS (captcha markers),
ONIONWATCH_BLOCK_MAX_RETRIES (4), ONIONWATCH_BACKOFF_BASE (1 s), ONIONWATCH_BACKOFF_MAX (60 s),
TOR_CIRCUIT_FAILURES (2 consecutive failures of a market before NEWNYM).
The retry request itself comes from Scrapy's ``get_retry_request()`` (its own budget, see ``_retry_request``);
this middleware adds only the backoff and the new circuit.
Stats: onionwatch/blocked[/<kind>], onionwatch/newnym, onionwatch/newnym_failed, onionwatch/circuit_errors,
onionwatch/block_gave_up, and Scrapy's onionwatch/block_retry/{count,reason_count/<reason>,max_reached}.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.asyncio import run_in_thread, sleep

from onionwatch.crawler.middlewares.control import TorControl
from onionwatch.crawler.middlewares.tor import isolation
from onionwatch.crawler.transport import TorEndpoint, TorUnavailable, check_socks

logger = logging.getLogger(__name__)

DEFAULT_STATUSES = (403, 429, 503)
DEFAULT_PATTERNS = (
    r"<input[^>]{0,200}name=[\"']?captcha",
    r"<img[^>]{0,200}(?:src|alt|id|class)=[\"'][^\"']{0,100}captcha",
    r"<title>[^<]{0,100}captcha",
    r"(?i)ddos[ -]protection|are you a robot|prove you are human",
)
CIRCUIT_ERRORS = (
    DownloadConnectionRefusedError, DownloadTimeoutError, DownloadFailedError, CannotResolveHostError,
    TimeoutError, ConnectionError,
)
_SCAN_BYTES = 64 * 1024  # block pages are small; never regex a whole hostile body


@dataclass
class BlockPolicy:
    statuses: frozenset[int] = frozenset(DEFAULT_STATUSES)
    patterns: list[re.Pattern[str]] = field(default_factory=lambda: [re.compile(p, re.I) for p in DEFAULT_PATTERNS])
    max_retries: int = 4
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    circuit_failures: int = 2

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (0-based): base * 2**attempt, capped."""
        return min(self.backoff_max, self.backoff_base * (2 ** min(attempt, 30)))


def detect_block(
    status: int, text: str, policy: BlockPolicy, market_patterns: Sequence[str] = ()
) -> str | None:
    """The kind of block this response shows ("http-429", "captcha", "pattern"), or None."""
    if status in policy.statuses:
        return f"http-{status}"
    head = text[:_SCAN_BYTES]
    if any(p.search(head) for p in policy.patterns):
        return "captcha"
    for pattern in market_patterns:
        try:
            if re.search(pattern, head):
                return "pattern"
        except re.error:
            continue
    return None


def _retry_after(response: Response) -> float:
    """Seconds from a numeric Retry-After header (0 when absent or not a number)."""
    value = (response.headers.get(b"Retry-After") or b"").decode("latin-1").strip()
    return float(value) if value.isdigit() else 0.0


def _policy(settings: Any) -> BlockPolicy:
    patterns = settings.getlist("ONIONWATCH_BLOCK_PATTERNS") or list(DEFAULT_PATTERNS)
    return BlockPolicy(
        statuses=frozenset(int(s) for s in (settings.getlist("ONIONWATCH_BLOCK_STATUSES") or DEFAULT_STATUSES)),
        patterns=[re.compile(p, re.I) for p in patterns],
        max_retries=settings.getint("ONIONWATCH_BLOCK_MAX_RETRIES", 4),
        backoff_base=settings.getfloat("ONIONWATCH_BACKOFF_BASE", 1.0),
        backoff_max=settings.getfloat("ONIONWATCH_BACKOFF_MAX", 60.0),
        circuit_failures=settings.getint("TOR_CIRCUIT_FAILURES", 2),
    )


class BlockMiddleware:
    def __init__(self, crawler: Any, policy: BlockPolicy, control: TorControl | None) -> None:
        self.crawler = crawler
        self.policy = policy
        self.control = control
        self.tor = TorEndpoint.from_settings(crawler.settings)
        self.failures: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlockMiddleware:
        tor = crawler.settings.get("ONIONWATCH_TRANSPORT", "tor") == "tor"
        control = TorControl(TorEndpoint.from_settings(crawler.settings)) if tor else None
        return cls(crawler, _policy(crawler.settings), control)

    def _market(self, request: Request) -> tuple[str, list[str]]:
        definition = getattr(self.crawler.spider, "definition", None)
        if definition is None:
            return str(request.meta.get("market", "?")), []
        return definition.name, list(definition.blocked)

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"onionwatch/{key}")

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        market, patterns = self._market(request)
        text = response.text if isinstance(response, TextResponse) else ""
        kind = detect_block(response.status, text, self.policy, patterns)
        if kind is None:
            self.failures[market] = 0
            return response
        self._inc("blocked")
        self._inc(f"blocked/{kind}")
        logger.warning("%s: blocked (%s) at %s", market, kind, request.url)
        hint = _retry_after(response)
        return await self._retry(request, market, f"blocked ({kind})", new_circuit=True, hint=hint)

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if self.control is None or not isinstance(exception, CIRCUIT_ERRORS):
            return None  # direct transport: RetryMiddleware handles network errors
        market, _ = self._market(request)
        self._inc("circuit_errors")
        self.failures[market] = self.failures.get(market, 0) + 1
        new_circuit = self.failures[market] >= self.policy.circuit_failures
        reason = f"Tor SOCKS/circuit error via {self.tor.socks}: {exception}"
        return await self._retry(request, market, reason, new_circuit=new_circuit, network=True)

    async def _retry(
        self, request: Request, market: str, reason: str, new_circuit: bool, network: bool = False,
        hint: float = 0.0,
    ) -> Request:
        attempt = int(request.meta.get("onionwatch_retries", 0))
        retry = self._retry_request(request, attempt, "circuit error" if network else reason)
        if retry is None:
            self._inc("block_gave_up")
            why = reason
            if network and self.control is not None:  # say so when Tor itself went away
                socks = check_socks(self.tor, timeout=2)
                if socks:
                    why = f"{reason}; {socks}"
            raise IgnoreRequest(f"{market}: {request.url}: {why}; gave up after {attempt} retries")
        wait = max(self.policy.backoff(attempt), min(hint, self.policy.backoff_max))
        if new_circuit and self.control is not None:
            wait = max(wait, await self._new_circuit(market))
        logger.info("%s: retry %d of %s in %.1fs (%s)", market, attempt + 1, request.url, wait, reason)
        await sleep(wait)
        retry.meta.pop("proxy", None)  # TorProxyMiddleware sets the new identity
        return retry

    def _retry_request(self, request: Request, attempt: int, reason: str) -> Request | None:
        """Scrapy's get_retry_request (copy, dont_filter, priority, retry stats, give-up log) on our own
        budget: block retries count in meta["onionwatch_retries"], not in RetryMiddleware's "retry_times"."""
        theirs = request.meta.get("retry_times")
        counted = request.replace(meta={**request.meta, "retry_times": attempt})
        retry = get_retry_request(
            counted, spider=self.crawler.spider, reason=reason,
            max_retry_times=self.policy.max_retries, logger=logger, stats_base_key="onionwatch/block_retry",
        )  # fmt: skip
        if retry is None:
            return None
        retry.meta["onionwatch_retries"] = retry.meta.pop("retry_times")
        if theirs is not None:
            retry.meta["retry_times"] = theirs
        return retry

    async def _new_circuit(self, market: str) -> float:
        """Fresh SOCKS credentials for the market (a new circuit at once) and NEWNYM; seconds to wait."""
        isolation(self.crawler).rotate(market)
        self.failures[market] = 0
        assert self.control is not None
        try:
            wait = await run_in_thread(self.control.newnym)
        except TorUnavailable as exc:
            self._inc("newnym_failed")
            logger.error("%s: %s (continuing with a fresh SOCKS identity)", market, exc)
            return 0.0
        self._inc("newnym")
        logger.info("%s: NEWNYM sent; new circuit for the next request", market)
        return wait
