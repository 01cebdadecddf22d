"""Emerging substances by a stated statistic: a one-sided conditional binomial (Poisson rate) test.

For each substance, x1 = distinct listings mentioning it that were live in the period (last_seen >= start,
first_seen < end), and x0 = the sum of the same count over BASELINE_PERIODS equal periods just before it.
E1 and E0 are the crawl-coverage exposures of the period and of the baseline (reports/coverage.py). If the
listing rate per crawled market-day did not change, x1 given n = x1 + x0 is Binomial(n, E1 / (E1 + E0)); the
one-sided p-value is P(X >= x1), exact. Only substances with x1 >= MIN_COUNT are tested; the p-values are
adjusted across the tested substances with the Benjamini-Hochberg procedure, and a substance is flagged
"emerging" when its adjusted q <= ALPHA and its rate ratio (x1/E1) / (x0/E0) >= MIN_RATIO.
Substances first seen in the period are listed apart as "new, no baseline". When the store's history
(its first crawl, or first listing without crawl records) starts after the baseline's first day, nothing
is tested and the report says "no baseline yet".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from onionwatch.i18n import gettext as _
from onionwatch.indexer.query import FACET_SIZE
from onionwatch.indexer.store import SearchQuery, Store
from onionwatch.reports.coverage import Coverage, per_day
from onionwatch.reports.period import Period

BASELINE_PERIODS = 4
MIN_COUNT = 5
ALPHA = 0.05
MIN_RATIO = 1.5


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), exact (log-space terms; 1.0 for k <= 0)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    lp, lq = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k, n + 1):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq)
    return min(1.0, total)


def benjamini_hochberg(pvalues: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    out = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, pvalues[i] * m / rank)
        out[i] = min(1.0, running)
    return out


def live_counts(store: Store, period: Period) -> tuple[dict[str, int], bool]:
    """Distinct listings live in ``period`` per known substance mentioned; and whether the facet was cut."""
    result = store.search(SearchQuery(since=period.start.isoformat(), until=period.last_day.isoformat(), limit=0,
                                      facets=("substance",)))
    counts = dict(result.facets.get("substance") or {})
    return counts, len(counts) >= FACET_SIZE


def baseline_periods(period: Period, n: int = BASELINE_PERIODS) -> list[Period]:
    out, p = [], period
    for _i in range(n):
        p = p.previous()
        out.append(p)
    return out


def history_start(store: Store, coverage: Coverage) -> str | None:
    """The first day the store knows anything: its first crawl, else its first listing."""
    if coverage.known:
        return coverage.first_day()
    rows = store.substances_first_seen("1970-01-01")
    return min((str(r["first_seen"])[:10] for r in rows), default=None)


def method_text(
    min_count: int = MIN_COUNT, alpha: float = ALPHA, baseline: int = BASELINE_PERIODS, ratio: float = MIN_RATIO
) -> str:
    """The Method section printed in the report and on the page."""
    return _(
        "For each substance we count the distinct listings mentioning it that were live in the period, and the"
        " same count in each of the {baseline} equal periods before it (the baseline). Counts are normalised by"
        " crawl coverage: weighted crawled market-days (a complete crawl of a market on a day counts 1, a partial"
        " one 0.5, a failed one 0). If a substance's listing rate per crawled market-day had not changed, the"
        " period's count given the total would follow a binomial distribution with the period's share of the"
        " exposure; the one-sided exact p-value is the chance of at least the observed count. Only substances"
        " with at least {min_count} listings in the period are tested; p-values are corrected for testing many"
        " substances with the Benjamini-Hochberg procedure. A substance is flagged emerging when its corrected"
        " q-value is at most {alpha} and its rate is at least {ratio} times the baseline rate. Substances first"
        " seen in the period have no baseline and are listed separately. Listings live across several periods"
        " count in each, so the test is approximate: read a flag as a lead to check, not as proof."
    ).format(baseline=baseline, min_count=min_count, alpha=alpha, ratio=ratio)


def detect(store: Store, period: Period, *, baseline: int = BASELINE_PERIODS, min_count: int = MIN_COUNT,
           alpha: float = ALPHA, min_ratio: float = MIN_RATIO) -> dict[str, Any]:  # fmt: skip
    """The emerging-substances test for ``period`` (JSON-ready): status, exposures, one row per substance."""
    coverage = Coverage.from_crawls(store.crawls())
    base = baseline_periods(period, baseline)
    current, cut = live_counts(store, period)
    e1 = coverage.exposure(period.start, period.end)
    new = {r["substance"]: r for r in store.substances_first_seen(period.start.isoformat(), period.end.isoformat())}
    start = history_start(store, coverage)
    out: dict[str, Any] = {
        "method": method_text(min_count, alpha, baseline, min_ratio),
        "params": {"baseline_periods": baseline, "min_count": min_count, "alpha": alpha, "min_ratio": min_ratio},
        "baseline": {"start": base[-1].start.isoformat(), "end": period.start.isoformat()},
        "history_start": start,
        "coverage_known": coverage.known,
        "exposure": e1,
        "exposure_baseline": 0.0,
        "facet_truncated": cut,
        "status": "ok",
        "rows": [],
        "emerging": [],
        "new": _new_rows(new),
    }
    out["series"] = {"periods": [period.start.isoformat()], "counts": {k: [v] for k, v in current.items()}}
    if start is None or start > base[-1].start.isoformat():
        out["status"] = "no_baseline"
        out["rows"] = [_row(s, n, 0, e1, 0.0) | {"status": "new" if s in new else "no baseline"}
                       for s, n in sorted(current.items(), key=lambda kv: (-kv[1], kv[0]))]  # fmt: skip
        return out
    before: dict[str, int] = {}
    per_period = []
    for p in base:
        counts, more_cut = live_counts(store, p)
        per_period.append(counts)
        out["facet_truncated"] = out["facet_truncated"] or more_cut
        for s, n in counts.items():
            before[s] = before.get(s, 0) + n
    per_period = [*reversed(per_period), current]
    names = sorted(set(current) | set(before))
    out["series"] = {"periods": [p.start.isoformat() for p in reversed(base)] + [period.start.isoformat()],
                     "counts": {s: [c.get(s, 0) for c in per_period] for s in names}}  # fmt: skip
    e0 = sum(coverage.exposure(p.start, p.end) for p in base)
    out["exposure_baseline"] = round(e0, 3)
    rows = [_row(s, current.get(s, 0), before.get(s, 0), e1, e0) for s in sorted(set(current) | set(before))]
    tested = [r for r in rows if r["listings"] >= min_count and e1 > 0 and e0 > 0 and r["substance"] not in new]
    for r in tested:
        r["p_value"] = binom_sf(r["listings"], r["listings"] + r["listings_baseline"], e1 / (e1 + e0))
    for r, q in zip(tested, benjamini_hochberg([r["p_value"] for r in tested]), strict=True):
        r["q_value"] = q
        ratio = r["rate_ratio"]
        r["status"] = "emerging" if q <= alpha and (ratio is None or ratio >= min_ratio) else "tested"
    for r in rows:
        r.setdefault("status", "new" if r["substance"] in new else "too few")
        for key in ("p_value", "q_value"):
            if r.get(key) is not None:
                r[key] = float(f"{r[key]:.3g}")
    rows.sort(key=lambda r: (r["status"] != "emerging", r.get("q_value") if r.get("q_value") is not None else 2.0,
                             -r["listings"], r["substance"]))  # fmt: skip
    out["rows"] = rows
    out["emerging"] = [r["substance"] for r in rows if r["status"] == "emerging"]
    return out


def _new_rows(new: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [{"substance": s, "listings": r["listings"], "first_seen": r["first_seen"], "known": bool(r["known"])}
            for s, r in new.items()]  # fmt: skip
    return sorted(rows, key=lambda r: (-r["listings"], r["substance"]))


def _row(substance: str, x1: int, x0: int, e1: float, e0: float) -> dict[str, Any]:
    r1, r0 = per_day(x1, e1), per_day(x0, e0)
    expected = round(x0 * e1 / e0, 2) if e0 > 0 else None
    ratio = round(r1 / r0, 2) if r1 is not None and r0 else None
    return {"substance": substance, "listings": x1, "listings_baseline": x0, "expected": expected,
            "per_market_day": r1, "per_market_day_baseline": r0, "rate_ratio": ratio,
            "p_value": None, "q_value": None}  # fmt: skip
