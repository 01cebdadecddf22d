"""Truncated pages: an HTML document that opens with ``<!doctype html>``/``<html`` but whose end has no
``</html>`` was cut short on the way (a mirror or a Tor circuit dropping mid-body while the Content-Length
matched what arrived). Parsing it would lose fields or links silently, so it is fetched again, at most
`politeness.max_retries` times; then the page is given up (IgnoreRequest: the spider counts it failed).
A connection cut before the announced Content-Length is Scrapy's own data-loss error, retried by
RetryMiddleware. Stats: onionwatch/truncated, onionwatch/truncated_retry/{count,max_reached}.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse

from onionwatch.crawler.politeness import Politeness

logger = logging.getLogger(__name__)

_OPENS = re.compile(rb"^\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!doctype\s+html|<html)", re.I)
_CLOSES = re.compile(rb"</html\s*>", re.I)
_TAIL = 4096  # bytes of the end searched for </html>
BUDGET_META = "onionwatch_truncated_retries"


def is_truncated(body: bytes) -> bool:
    """True for an HTML document that starts as one but does not end with </html> (in its last 4 KiB)."""
    return bool(_OPENS.match(body[:1024])) and not _CLOSES.search(body[-_TAIL:])


class TruncatedPageMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> TruncatedPageMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status != 200 or not isinstance(response, TextResponse) or not is_truncated(response.body):
            return response
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("onionwatch/truncated")
        definition = getattr(self.crawler.spider, "definition", None)
        budget = (definition.politeness if definition is not None else Politeness()).max_retries
        attempt = int(request.meta.get(BUDGET_META, 0))
        theirs = request.meta.get("retry_times")
        retry = get_retry_request(request.replace(meta={**request.meta, "retry_times": attempt}),
                                  spider=self.crawler.spider, reason="truncated html", max_retry_times=budget,
                                  logger=logger, stats_base_key="onionwatch/truncated_retry")  # fmt: skip
        if retry is None:
            raise IgnoreRequest(f"{request.meta.get('market', '?')}: {request.url}: the page arrived truncated "
                                f"(no </html>) {attempt + 1} times; gave up")
        retry.meta[BUDGET_META] = retry.meta.pop("retry_times")
        if theirs is not None:
            retry.meta["retry_times"] = theirs
        return retry
