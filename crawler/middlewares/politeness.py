"""Politeness: a market that answers 429, or 503 with a Retry-After, gets no request until that time has
passed (its Retry-After, seconds or HTTP date, capped; at least the exponential backoff with jitter). The
page itself is retried by the block middleware (crawler/middlewares/block.py: a new circuit over Tor, its own
backoff), and that retry waits here for the pause. Timeouts back the market off the same way (the retry itself is
RetryMiddleware's or the mirror middleware's); a page cut at the download deadline is asked again only
`politeness.timeout_retries` times (default 0: issue 10's rule, a page that trickled past it once will again),
and only the last cut counts as a `deadline` shortfall. A page refused more than the definition's
`politeness.max_retries` times is given up: IgnoreRequest, so the spider counts it a failed page (the block
middleware's own budget, ONIONWATCH_BLOCK_MAX_RETRIES, may end it sooner).

The pause holds that market's requests in `process_request` (an asyncio sleep per request, the reactor
keeps running other markets); requests already on the wire are not recalled. A retry of a page cut at the
deadline comes from Scrapy's ``get_retry_request()`` on its own budget (meta["onionwatch_deadline_retries"]).
Stats: onionwatch/polite/paused, onionwatch/polite/paused_seconds, onionwatch/polite/gave_up,
onionwatch/polite_retry/{count,reason_count/deadline,max_reached}.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep

from onionwatch.crawler.middlewares.handler import DEADLINE_RETRY_META, DownloadDeadlineExceeded
from onionwatch.crawler.politeness import Politeness, retry_after

logger = logging.getLogger(__name__)

SLOW_DOWN = (429, 503)
TIMEOUTS = (DownloadTimeoutError, TimeoutError)
BUDGET_META = "onionwatch_polite_retries"
DEADLINE_BUDGET = "onionwatch_deadline_retries"


class PolitenessMiddleware:
    def __init__(self, crawler: Any, rng: random.Random | None = None) -> None:
        self.crawler = crawler
        self.rng = rng or random.Random()
        self.not_before = 0.0  # time.monotonic() before which this market gets no request
        self.timeouts = 0  # timeouts in a row

    @classmethod
    def from_crawler(cls, crawler: Any) -> PolitenessMiddleware:
        return cls(crawler)

    def _policy(self) -> Politeness:
        definition = getattr(self.crawler.spider, "definition", None)
        return definition.politeness if definition is not None else Politeness()

    def _inc(self, key: str, n: float = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"onionwatch/polite/{key}", n)

    def pause(self, seconds: float) -> None:
        """No request to this market for `seconds` from now (an earlier pause is never shortened)."""
        until = time.monotonic() + seconds
        if until > self.not_before:
            self.not_before = until

    async def process_request(self, request: Request) -> None:
        if int(request.meta.get(DEADLINE_BUDGET, 0)) < self._policy().timeout_retries:
            request.meta[DEADLINE_RETRY_META] = True  # a cut at the deadline is ours to retry, not yet a shortfall
        else:
            request.meta.pop(DEADLINE_RETRY_META, None)
        wait = self.not_before - time.monotonic()
        while wait > 0:  # a pause may be extended while this request waits
            await sleep(wait)
            wait = self.not_before - time.monotonic()

    async def process_response(self, request: Request, response: Response) -> Response:
        """Pause the market for a 429 / a 503 with Retry-After, then hand the answer on: the block middleware
        retries it (a new circuit over Tor, its own backoff) and the retry waits here for the pause."""
        if response.status not in SLOW_DOWN:
            self.timeouts = 0
            return response
        asked = retry_after(response.headers.get(b"Retry-After"))
        if response.status == 503 and asked is None:
            return response  # a 503 without Retry-After: the mirror/block middlewares judge it
        policy = self._policy()
        attempt = int(request.meta.get(BUDGET_META, 0))
        market = request.meta.get("market", "?")
        reason = f"HTTP {response.status}" + (f", Retry-After {asked:g}s" if asked is not None else "")
        if attempt >= policy.max_retries:
            self._inc("gave_up")
            raise IgnoreRequest(f"{market}: {request.url}: {reason}; gave up after {attempt} retries "
                                "(politeness.max_retries)")
        request.meta[BUDGET_META] = attempt + 1  # the retry is a copy of this request: it carries the count
        wait = policy.wait_for(attempt, asked, self.rng)
        self.pause(wait)
        self._inc("paused")
        self._inc("paused_seconds", round(wait, 3))
        logger.info("%s: %s at %s: pausing the market %.1fs", market, reason, request.url, wait)
        return response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        """Back the market off after a timeout; retry a page cut at the deadline while timeout_retries allow
        (other timeouts are retried by RetryMiddleware)."""
        if not isinstance(exception, (*TIMEOUTS, DownloadDeadlineExceeded)):
            return None
        policy = self._policy()
        self.timeouts += 1
        wait = policy.backoff(self.timeouts - 1, self.rng)
        self.pause(wait)
        self._inc("paused")
        self._inc("paused_seconds", round(wait, 3))
        if not isinstance(exception, DownloadDeadlineExceeded) or not request.meta.get(DEADLINE_RETRY_META):
            return None
        attempt = int(request.meta.get(DEADLINE_BUDGET, 0))
        return self._retry_request(request, attempt, policy.timeout_retries, "deadline", DEADLINE_BUDGET)

    def _retry_request(self, request: Request, attempt: int, budget: int, reason: str,
                       key: str) -> Request | None:  # fmt: skip
        theirs = request.meta.get("retry_times")
        counted = request.replace(meta={**request.meta, "retry_times": attempt})
        retry = get_retry_request(counted, spider=self.crawler.spider, reason=reason, max_retry_times=budget,
                                  logger=logger, stats_base_key="onionwatch/polite_retry")  # fmt: skip
        if retry is None:
            return None
        retry.meta[key] = retry.meta.pop("retry_times")
        if theirs is not None:
            retry.meta["retry_times"] = theirs
        return retry
