"""Report periods: half-open date ranges [start, end), the previous period, and the last complete one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from onionwatch.errors import PeriodError

PERIOD_KINDS = ("7d", "1w", "1m")


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def _months_between(start: date, end: date) -> int | None:
    """Whole calendar months from start to end when both are first days of a month, else None."""
    if start.day != 1 or end.day != 1:
        return None
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise PeriodError(f"until: must be after since ({self.start.isoformat()}), got {self.end.isoformat()}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def label(self) -> str:
        """File-name safe label with the inclusive last day, as titles say it: ``2024-01-08_2024-01-14``."""
        return f"{self.start.isoformat()}_{self.last_day.isoformat()}"

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def interval(self) -> str:
        """The coarsest store trend interval whose buckets tile the period exactly."""
        if _months_between(self.start, self.end):
            return "month"
        if self.start.weekday() == 0 and self.days % 7 == 0:
            return "week"
        return "day"

    def buckets(self) -> list[str]:
        """ISO dates of the trend buckets (of ``interval``) that make up the period."""
        out: list[str] = []
        d = self.start
        while d < self.end:
            out.append(d.isoformat())
            if self.interval == "month":
                d = _add_months(d, 1)
            else:
                d += timedelta(days=7 if self.interval == "week" else 1)
        return out

    def previous(self) -> Period:
        """The period of equal length just before this one (equal calendar months for monthly periods)."""
        months = _months_between(self.start, self.end)
        if months:
            return Period(_add_months(self.start, -months), self.start)
        return Period(self.start - timedelta(days=self.days), self.start)


def last_complete(kind: str, today: date) -> Period:
    """The last complete period of ``kind`` before ``today``: 7d = the 7 days ending yesterday,
    1w = the last Monday–Sunday week, 1m = the last calendar month."""
    if kind == "7d":
        return Period(today - timedelta(days=7), today)
    if kind == "1w":
        monday = today - timedelta(days=today.weekday())
        return Period(monday - timedelta(days=7), monday)
    if kind == "1m":
        first = today.replace(day=1)
        return Period(_add_months(first, -1), first)
    raise PeriodError(f"period: expected one of {', '.join(PERIOD_KINDS)}, got {kind!r:.40}")
