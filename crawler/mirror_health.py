"""Health of a market's mirrors: the failover state a crawl keeps (`MirrorPool`), the samples it and
`onionwatch markets health` write to the store, and the summary (uptime %, p50 latency) read back.

A sample is one row of the store's mirror-health time series::

    {"market", "mirror", "checked_at", "source": "probe"|"crawl", "up": bool, "status": int|None,
     "latency_ms": float|None, "requests": int, "failures": int, "error": str|None}

Pure logic: no Scrapy, no network.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from onionwatch.indexer.query import now_ts

MAX_LATENCIES = 1000  # latency samples kept per mirror during a crawl (enough for a median)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class MirrorState:
    url: str
    requests: int = 0
    failures: int = 0
    streak: int = 0  # failures in a row
    down: bool = False
    last_error: str | None = None
    failed_at: float = 0.0  # time.monotonic() of the last failure
    latencies: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float | None:
        return round(statistics.median(self.latencies), 1) if self.latencies else None


class MirrorPool:
    """The mirrors of one market in failover order; requests go to the first one up. A mirror is down after
    a refused connection or `failures_to_down` failures in a row, up again after an answer. With every mirror
    down, requests go to the one that failed longest ago (a mirror may come back); the market is dead once
    every mirror has been down for `dead_after` seconds with no answer from any."""

    def __init__(self, market: str, mirrors: list[str], failures_to_down: int = 3, dead_after: float = 60.0,
                 clock: Any = time.monotonic) -> None:  # fmt: skip
        self.market = market
        self.mirrors = [MirrorState(m.rstrip("/")) for m in mirrors]
        self.origins = {origin(m.url) for m in self.mirrors}
        self.failures_to_down = max(1, failures_to_down)
        self.dead_after = dead_after
        self.clock = clock
        self.all_down_since: float | None = None

    def _state(self, mirror: str) -> MirrorState | None:
        key = origin(mirror)
        return next((m for m in self.mirrors if origin(m.url) == key), None)

    def current(self) -> str:
        """The origin (scheme://host[:port]) requests go to now."""
        up = next((m for m in self.mirrors if not m.down), None)
        if up is None:
            up = min(self.mirrors, key=lambda m: m.failed_at)
        return origin(up.url)

    def all_down(self) -> bool:
        return all(m.down for m in self.mirrors)

    def dead(self) -> bool:
        """Every mirror down, and none has answered for `dead_after` seconds."""
        return self.all_down_since is not None and self.clock() - self.all_down_since >= self.dead_after

    def success(self, mirror: str, latency_ms: float, sent_at: float | None = None) -> None:
        """Count an answer; it brings a down mirror back only when sent after its last failure (an answer
        that was on the way when the mirror failed says nothing about it now)."""
        state = self._state(mirror)
        if state is None:
            return
        state.requests += 1
        if sent_at is None or sent_at > state.failed_at:
            state.streak = 0
            state.down = False
            self.all_down_since = None
        if len(state.latencies) < MAX_LATENCIES:
            state.latencies.append(latency_ms)

    def failure(self, mirror: str, reason: str, refused: bool = False) -> bool:
        """Count a failure; True when it took the market off this mirror (it was current and is now down).
        A refused connection downs a mirror at once; other failures after `failures_to_down` in a row."""
        state = self._state(mirror)
        if state is None:
            return False
        was_up = not state.down
        state.requests += 1
        state.failures += 1
        state.streak += 1
        state.last_error = reason
        state.failed_at = self.clock()
        if refused or state.streak >= self.failures_to_down:
            state.down = True
        if self.all_down() and self.all_down_since is None:
            self.all_down_since = self.clock()
        return was_up and state.down

    def all_down_line(self) -> str:
        """One line: every mirror and its last error."""
        parts = [f"{m.url} ({m.last_error or 'down'})" for m in self.mirrors]
        return f"every mirror is down: {', '.join(parts)}"

    def samples(self, source: str, checked_at: str | None = None) -> list[dict[str, Any]]:
        """One store sample per mirror that saw a request (a mirror never tried says nothing)."""
        when = checked_at or now_ts()
        return [{"market": self.market, "mirror": m.url, "checked_at": when, "source": source,
                 "up": not m.down and m.requests > m.failures, "status": None, "latency_ms": m.p50,
                 "requests": m.requests, "failures": m.failures, "error": m.last_error}
                for m in self.mirrors if m.requests]  # fmt: skip


def probe_sample(market: str, status: Any, checked_at: str | None = None) -> dict[str, Any]:
    """A store sample from one `crawler.mirrors.MirrorStatus`."""
    return {"market": market, "mirror": status.mirror, "checked_at": checked_at or now_ts(), "source": "probe",
            "up": bool(status.up), "status": status.status, "latency_ms": status.latency_ms, "requests": 1,
            "failures": 0 if status.up else 1, "error": status.error}


def summarize(samples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per market and mirror: samples, uptime % (share of samples up), p50 latency of the samples that
    answered, the last check and its error. Sorted by market, then mirror."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for s in samples:
        groups.setdefault((s["market"], s["mirror"]), []).append(s)
    rows = []
    for (market, mirror), group in sorted(groups.items()):
        group.sort(key=lambda s: s["checked_at"])
        latencies = [float(s["latency_ms"]) for s in group if s.get("latency_ms") is not None]
        up = sum(1 for s in group if s["up"])
        last = group[-1]
        rows.append({"market": market, "mirror": mirror, "samples": len(group),
                     "uptime_pct": round(100.0 * up / len(group), 1),
                     "p50_latency_ms": round(statistics.median(latencies), 1) if latencies else None,
                     "last_checked": last["checked_at"], "last_up": bool(last["up"]), "last_error": last.get("error")})
    return rows
