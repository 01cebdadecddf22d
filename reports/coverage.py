"""Crawl coverage: how much of each period the crawls saw, as weighted crawled market-days.

A market-day (market, UTC date of a crawl's start) counts 1.0 when a crawl of that market that day ended
``complete``, 0.5 when the best one ended ``partial``, and 0 otherwise (failed, interrupted, running).
A period's exposure is the sum over its market-days. Counts divided by exposure ("listings per crawled
market-day") stay comparable when crawls were missed or cut short. A store without any crawl record
(data imported from elsewhere) has unknown coverage: every day then counts 1.0 per market seen, and the
report says that the counts are not normalised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

WEIGHTS = {"complete": 1.0, "partial": 0.5}


@dataclass(frozen=True)
class Coverage:
    market_days: dict[tuple[str, str], float]  # (market, ISO date) -> weight
    known: bool  # False: no crawl records, every day is assumed covered

    @classmethod
    def from_crawls(cls, crawls: Iterable[dict[str, Any]]) -> Coverage:
        days: dict[tuple[str, str], float] = {}
        seen = False
        for crawl in crawls:
            seen = True
            started = str(crawl.get("started_at") or "")[:10]
            if len(started) != 10:
                continue
            key = (str(crawl.get("market")), started)
            days[key] = max(days.get(key, 0.0), WEIGHTS.get(str(crawl.get("status")), 0.0))
        return cls(days, seen)

    def exposure(self, start: date, end: date) -> float:
        """Weighted crawled market-days in [start, end); the number of days when coverage is unknown."""
        if not self.known:
            return float((end - start).days)
        lo, hi = start.isoformat(), end.isoformat()
        return round(sum(w for (_, day), w in self.market_days.items() if lo <= day < hi), 3)

    def first_day(self) -> str | None:
        """The first day any crawl started, or None."""
        return min((day for _, day in self.market_days), default=None)


def per_day(count: int, exposure: float) -> float | None:
    """``count`` per unit of exposure, 3 decimals; None without exposure."""
    return round(count / exposure, 3) if exposure > 0 else None
