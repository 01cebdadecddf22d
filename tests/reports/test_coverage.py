"""Crawl coverage: weighted crawled market-days per period."""

from __future__ import annotations

from datetime import date

from onionwatch.reports.coverage import Coverage, per_day


def crawl(market: str, day: str, status: str) -> dict:
    return {"market": market, "started_at": f"{day}T09:00:00Z", "status": status}


def test_complete_counts_one_partial_half_failed_nothing_best_crawl_of_the_day_wins() -> None:
    cov = Coverage.from_crawls([
        crawl("alpha", "2026-03-02", "complete"), crawl("alpha", "2026-03-02", "failed"),
        crawl("alpha", "2026-03-03", "partial"), crawl("bravo", "2026-03-03", "interrupted"),
        crawl("bravo", "2026-03-04", "partial"), crawl("bravo", "2026-03-04", "complete"),
        crawl("alpha", "2026-03-09", "complete"), {"market": "x", "started_at": None, "status": "complete"},
    ])  # fmt: skip
    assert cov.known and cov.first_day() == "2026-03-02"
    assert cov.exposure(date(2026, 3, 2), date(2026, 3, 9)) == 2.5  # the end day is excluded
    assert cov.exposure(date(2026, 3, 9), date(2026, 3, 16)) == 1.0


def test_without_crawl_records_every_day_counts() -> None:
    cov = Coverage.from_crawls([])
    assert not cov.known and cov.exposure(date(2026, 3, 2), date(2026, 3, 9)) == 7.0
    assert per_day(7, 2.0) == 3.5 and per_day(3, 0.0) is None
