"""A market's politeness and mirror failover (the definition's `politeness:` section), and the pure rules the
crawl middlewares apply: Retry-After parsing, capped exponential backoff with jitter, Scrapy settings.

    politeness:
      concurrency: 4            # requests in flight to this market at most (all mirrors together)
      download_delay: 500ms     # between two requests to the market (Scrapy randomises it 0.5x..1.5x)
      autothrottle: true        # Scrapy's AutoThrottle adapts the delay to the market's latency
      target_concurrency: 2.0   # AutoThrottle's goal: requests in flight on average
      max_retries: 5            # a page answered 429/503 (or timing out) this many times more counts as failed
      timeout_retries: 0        # a page cut at limits.download_deadline is asked again this many times
      backoff_base: 1s          # first backoff; doubles each retry of the same page ...
      backoff_max: 60s          # ... up to this, +/- jitter
      jitter: 0.2               # share of a backoff drawn at random (spreads retries out)
      retry_after_max: 10m      # a longer Retry-After is capped to this (a hostile market cannot park a crawl)
      mirror_failures: 3        # failures in a row (timeouts, 5xx) before a mirror is left for the next one
      mirrors_dead_after: 60s   # every mirror down and none answering this long: the crawl fails (resumable)

Every key is optional; a definition without the section keeps the crawl's defaults (settings/environment).
Pydantic only (no Scrapy), so `onionwatch markets validate` can use it.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from onionwatch.crawler.limits import Duration, parse_duration


def _delay(value: Any) -> float:
    """A duration that may be zero ("0s") or given in milliseconds ("250ms")."""
    if isinstance(value, str) and value.strip().lower().endswith("ms"):
        number = value.strip()[:-2].strip()
        try:
            ms = float(number)
        except ValueError:
            raise ValueError(f"{value!r}: not a duration (e.g. '250ms', '2s')") from None
        if not 0 <= ms <= 3_600_000:
            raise ValueError(f"{value!r}: must be from 0 to 3600s")
        return ms / 1000
    if isinstance(value, str) and value.strip() in ("0", "0s"):
        return 0.0
    return parse_duration(value)


Delay = Annotated[float, BeforeValidator(_delay)]


class Politeness(BaseModel):
    """How hard a crawl may press a market, and when it leaves a mirror."""

    model_config = ConfigDict(extra="forbid")
    concurrency: int | None = Field(default=None, ge=1, le=256)
    download_delay: Delay | None = Field(default=None, le=3600)
    autothrottle: bool = False
    target_concurrency: float = Field(default=2.0, gt=0, le=256)
    max_retries: int = Field(default=5, ge=0, le=100)
    timeout_retries: int = Field(default=0, ge=0, le=100)  # 0: issue 10's rule, a cut page is not retried
    backoff_base: Duration = Field(default=1.0, le=3600)
    backoff_max: Duration = Field(default=60.0, le=86400)
    jitter: float = Field(default=0.2, ge=0, le=1)
    retry_after_max: Duration = Field(default=600.0, le=86400)
    mirror_failures: int = Field(default=3, ge=1, le=1000)
    mirrors_dead_after: Duration = Field(default=60.0, le=86400)

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds before retry number `attempt` (0-based): base * 2**attempt capped at backoff_max, then
        +/- `jitter` of it at random (never below 0, never above backoff_max)."""
        wait = min(self.backoff_max, self.backoff_base * (2 ** min(attempt, 30)))
        spread = wait * self.jitter * (2 * (rng or random).random() - 1)
        return max(0.0, min(self.backoff_max, wait + spread))

    def wait_for(self, attempt: int, retry_after: float | None, rng: random.Random | None = None) -> float:
        """The pause before retrying an answer that asked to slow down: at least its Retry-After (capped at
        retry_after_max), at least the backoff."""
        asked = min(retry_after, self.retry_after_max) if retry_after is not None else 0.0
        return max(asked, self.backoff(attempt, rng))

    def scrapy_settings(self) -> dict[str, Any]:
        """The Scrapy settings this section sets for the market's crawler (only the keys it gives)."""
        out: dict[str, Any] = {}
        if "max_retries" in self.model_fields_set:  # else RetryMiddleware keeps the crawl's RETRY_TIMES (3)
            out["RETRY_TIMES"] = self.max_retries
        if self.concurrency is not None:
            out |= {"CONCURRENT_REQUESTS": self.concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": self.concurrency}
        if self.download_delay is not None:
            out["DOWNLOAD_DELAY"] = self.download_delay
        if self.autothrottle:
            out |= {"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_TARGET_CONCURRENCY": self.target_concurrency,
                    "AUTOTHROTTLE_START_DELAY": max(self.download_delay or 0.0, 1.0),
                    "AUTOTHROTTLE_MAX_DELAY": self.backoff_max}
        return out


def retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for: delta-seconds ("120") or an HTTP date; None when absent or
    unreadable (a hostile header is ignored, never trusted past the cap the caller applies)."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()[:64]
    if not text:
        return None
    if text.isdigit():
        return float(min(int(text), 10**7))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
