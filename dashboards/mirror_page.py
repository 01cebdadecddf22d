"""The Mirrors page: each market mirror's uptime % and p50 latency over a window (probes and crawls)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from onionwatch.crawler.mirror_health import summarize
from onionwatch.dashboards.params import Params
from onionwatch.indexer.store import Store


def mirrors_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    days = params.integer("days", 7, 1, 3650)
    market = params.text("market", max_len=100) or None
    since = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    samples = store.mirror_health(market, since)
    rows = summarize(samples)
    recent = samples[-50:]
    recent.reverse()  # newest first
    return "mirrors.html", {"rows": rows, "recent": recent, "days": days, "market": market or ""}
