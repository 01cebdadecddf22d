"""Report periods: buckets, previous period, last complete 7d/1w/1m period."""

from __future__ import annotations

from datetime import date

import pytest

from onionwatch.reports.period import Period, PeriodError, last_complete

D = date.fromisoformat


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        ("1w", "2024-03-27", "2024-03-18", "2024-03-25"),
        ("1w", "2024-03-25", "2024-03-18", "2024-03-25"),  # Monday: the week just ended
        ("7d", "2024-03-27", "2024-03-20", "2024-03-27"),
        ("1m", "2024-03-27", "2024-02-01", "2024-03-01"),
        ("1m", "2024-01-01", "2023-12-01", "2024-01-01"),
    ],
)
def test_last_complete(kind: str, today: str, start: str, end: str) -> None:
    assert last_complete(kind, D(today)) == Period(D(start), D(end))


def test_intervals_buckets_and_previous() -> None:
    month = Period(D("2024-02-01"), D("2024-03-01"))
    assert month.interval == "month" and month.buckets() == ["2024-02-01"]
    assert month.previous() == Period(D("2024-01-01"), D("2024-02-01"))
    two_weeks = Period(D("2024-03-04"), D("2024-03-18"))
    assert two_weeks.interval == "week" and two_weeks.buckets() == ["2024-03-04", "2024-03-11"]
    odd = Period(D("2024-03-06"), D("2024-03-09"))
    assert odd.interval == "day" and len(odd.buckets()) == 3
    assert odd.previous() == Period(D("2024-03-03"), D("2024-03-06"))


def test_bad_periods() -> None:
    with pytest.raises(PeriodError, match="until"):
        Period(D("2024-03-06"), D("2024-03-06"))
    with pytest.raises(PeriodError, match="period"):
        last_complete("2w", D("2024-03-06"))
