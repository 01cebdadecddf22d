"""The trends and emerging pages: matplotlib SVG charts, the same periods in chart and table, coverage.

Trends: the last ``weeks`` Monday weeks (and ``months`` calendar months for prices) up to the week of
``end`` (default today, UTC), contiguous, empty periods included. The period holding today is marked
incomplete in chart and table. Listing counts are distinct listings live in the week (store
``listings_per_substance``), shown raw and per crawled market-day (reports/coverage.py). Every cell links
to the search listing the listings behind it (substance/market + since/until = the period's first and
last day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from onionwatch.dashboards.pages import url
from onionwatch.dashboards.params import BadRequest, Params
from onionwatch.dashboards.plot import Series, line_chart
from onionwatch.i18n import gettext as _
from onionwatch.indexer.store import Store
from onionwatch.reports.coverage import Coverage, per_day
from onionwatch.reports.period import Period, _add_months
from onionwatch.reports.signals import detect

TOP_ROWS = 15
TOP_LINES = 8


def today() -> date:
    return datetime.now(UTC).date()


def week_periods(end: date, n: int) -> list[Period]:
    monday = end - timedelta(days=end.weekday())
    return [Period(monday - timedelta(weeks=i), monday - timedelta(weeks=i - 1)) for i in range(n - 1, -1, -1)]


def month_periods(end: date, n: int) -> list[Period]:
    first = end.replace(day=1)
    return [Period(_add_months(first, -i), _add_months(first, 1 - i)) for i in range(n - 1, -1, -1)]


def _drill(period: Period, **filters: str | None) -> str:
    return url("/", {**filters, "since": period.start.isoformat(), "until": period.last_day.isoformat()})


def _end(params: Params) -> date:
    raw = params.date("end")
    try:
        return date.fromisoformat(raw[:10]) if raw else today()
    except ValueError:
        raise BadRequest(f"end: expected a date YYYY-MM-DD, got {raw!r:.40}") from None


def _pivot(rows: list[dict[str, Any]], key: str, value: str) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for r in rows:
        table.setdefault(str(r[key]), {})[str(r["period"])] = r[value]
    return table


def _cells(periods: list[Period], series: dict[str, Any], exposure: list[float] | None, **filters: str | None
           ) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for i, p in enumerate(periods):
        n = series.get(p.start.isoformat())
        cell = {"value": n, "url": _drill(p, **filters)}
        if exposure is not None:
            cell["per_day"] = per_day(int(n or 0), exposure[i])
        out.append(cell)
    return out


def _columns(periods: list[Period], now: date) -> list[dict[str, Any]]:
    return [{"start": p.start.isoformat(), "last": p.last_day.isoformat(), "incomplete": p.end > now}
            for p in periods]  # fmt: skip


def trends_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    market = params.text("market")
    weeks = params.integer("weeks", 12, 2, 104)
    months = params.integer("months", 12, 2, 60)
    substance = params.text("substance")
    end, now = _end(params), today()
    wp, mp = week_periods(end, weeks), month_periods(end, months)
    w_incomplete, m_incomplete = wp[-1].end > now, mp[-1].end > now
    coverage = Coverage.from_crawls(store.crawls(market))
    exposure = [coverage.exposure(p.start, p.end) for p in wp]
    w_keys = [p.start.isoformat() for p in wp]

    table = _pivot(store.listings_per_substance("week", market), "substance", "listings")
    rows: list[dict[str, Any]] = []
    for name, series in table.items():
        total = sum(int(series.get(k) or 0) for k in w_keys)
        if total:
            rows.append({"name": name, "total": total, "url": url("/", {"substance": name, "market": market}),
                         "cells": _cells(wp, series, exposure, substance=name, market=market)})  # fmt: skip
    rows.sort(key=lambda r: (-r["total"], r["name"]))
    lines = [Series(r["name"], [c["value"] or 0 for c in r["cells"]]) for r in rows[:TOP_LINES]]
    listings_chart = (
        line_chart(
            w_keys,
            lines,
            interval="week",
            y_label=_("listings live in the week"),
            title=_("Listings per substance per week"),
            incomplete=w_incomplete,
        )
        if rows
        else None
    )

    m_keys = [p.start.isoformat() for p in mp]
    m_table = _pivot(store.price_per_gram(substance, "month"), "substance", "median_usd_per_gram")
    prices: list[dict[str, Any]] = []
    for name, series in sorted(m_table.items()):
        if any(series.get(k) is not None for k in m_keys):
            prices.append({"name": name, "url": url("/", {"substance": name}),
                           "cells": _cells(mp, series, None, substance=name)})  # fmt: skip
    price_lines = [Series(r["name"], [c["value"] for c in r["cells"]]) for r in prices[:TOP_LINES]]
    prices_chart = (
        line_chart(
            m_keys,
            price_lines,
            interval="month",
            y_label=_("USD per gram (median)"),
            title=_("Median price per gram per month"),
            incomplete=m_incomplete,
            integer=False,
        )
        if prices
        else None
    )

    v_table = _pivot(store.active_vendors("week", market), "market", "vendors")
    vendors: list[dict[str, Any]] = []
    for m, series in sorted(v_table.items()):
        if any(series.get(k) for k in w_keys):
            vendors.append({"market": m, "cells": _cells(wp, series, None, market=m)})
    vendor_lines = [Series(v["market"], [c["value"] or 0 for c in v["cells"]]) for v in vendors[:TOP_LINES]]
    vendors_chart = line_chart(w_keys, vendor_lines, interval="week", y_label=_("active vendors"),
                               title=_("Active vendors per market per week"), incomplete=w_incomplete) if vendors \
        else None  # fmt: skip
    return (
        "trends.html",
        {
            "form": {
                "market": market or "",
                "weeks": weeks,
                "months": months,
                "substance": substance or "",
                "end": params.text("end") or "",
            },  # fmt: skip
            "weeks": _columns(wp, now),
            "months": _columns(mp, now),
            "exposure": exposure,
            "coverage_known": coverage.known,
            "per_substance": rows[:TOP_ROWS],
            "more_substances": max(0, len(rows) - TOP_ROWS),
            "listings_chart": listings_chart,
            "prices": prices,
            "prices_chart": prices_chart,
            "vendors": vendors,
            "vendors_chart": vendors_chart,
        },
    )


def emerging_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    days = params.integer("days", 30, 1, 3650)
    ref_text = params.date("ref")
    ref = date.fromisoformat(ref_text[:10]) if ref_text else today()
    try:
        since, until = ref - timedelta(days=days - 1), ref + timedelta(days=1)
        period = Period(since, until)
        period.previous().previous().previous().previous()  # the baseline must fit the calendar too
    except OverflowError:  # ref=9999-12-31, or ref=0001-01-01 with days > 1
        raise BadRequest(f"ref: {ref.isoformat()} with days={days} is outside the calendar") from None
    rows = store.substances_first_seen(since.isoformat(), until.isoformat())
    for r in rows:
        r["url"] = url("/", {"substance": r["substance"]})
    test = detect(store, period)
    for r in test["rows"]:
        r["url"] = _drill(period, substance=r["substance"])
    return "emerging.html", {
        "rows": rows,
        "days": days,
        "since": since.isoformat(),
        "ref": ref.isoformat(),
        "candidates": sum(1 for r in rows if not r["known"]),
        "test": test,
        "incomplete": until > today(),
    }
