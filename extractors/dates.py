"""Vendor-profile numbers and dates as shown on markets (EN and RU) -> floats, ints, ISO dates."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
_MON = r"(?P<mon>[A-Za-zА-Яа-яё]{3,10})\.?"
_PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})"),
    re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(?P<y>\d{{4}})"),
    re.compile(rf"{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"),
    re.compile(rf"{_MON}\s+(?P<y>\d{{4}})"),
    re.compile(r"(?<![\d.])(?P<m>\d{1,2})[./](?P<y>\d{4})(?![\d.])"),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?!\d)"),
]
_AGO = re.compile(
    r"(?P<n>\d+|an?|one)\s*(?P<u>days?|weeks?|months?|years?|дн\w*|день|недел\w*|месяц\w*|год\w*|лет)\s*(?:ago|назад)",
    re.I,
)


def parse_date(text: str | None, today: str | None = None) -> str | None:
    """ISO date from "Oct 18, 2015", "12 марта 2021", "на сайте с 03.2020", "2 years ago" (None if none)."""
    if not text:
        return None
    s = text.strip()[:200]
    for rx in _PATTERNS:
        m = rx.search(s)
        if not m:
            continue
        parts = m.groupdict()
        month = _month(parts.get("mon")) if parts.get("mon") else int(parts.get("m") or 0)
        if not month:
            continue
        try:
            return dt.date(int(parts["y"]), month, int(parts.get("d") or 1)).isoformat()
        except ValueError:
            continue
    m = _AGO.search(s)
    if m:
        base = dt.date.fromisoformat(today[:10]) if today else dt.datetime.now(dt.UTC).date()
        n = 1 if not m.group("n").isdigit() else int(m.group("n"))
        unit = m.group("u").lower()
        days = n * (365 if unit.startswith(("y", "год", "лет")) else 30 if unit.startswith(("mo", "мес"))
                    else 7 if unit.startswith(("w", "нед")) else 1)  # fmt: skip
        try:
            return (base - dt.timedelta(days=days)).isoformat()
        except OverflowError:  # "3000 years ago": before year 1 (a vendor page's claim, not a date)
            return None
    return None


def _month(name: str | None) -> int:
    if not name:
        return 0
    return _MONTHS.get(name.lower()[:3], 0)


def parse_rating(text: str | None) -> float | None:
    """Rating on a 0-5 scale: "4.85/5", "4,9 ★", "98.5%" (-> 4.93), "9.6/10" (-> 4.8)."""
    if not text:
        return None
    s = text[:200]
    m = re.search(r"(\d+(?:[.,]\d+)?)\s*(%|/\s*(\d+(?:[.,]\d+)?))?", s)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    if m.group(2) == "%":
        value = value / 20.0
    elif m.group(3):
        scale = float(m.group(3).replace(",", "."))
        if scale <= 0:
            return None
        value = value * 5.0 / scale
    return round(value, 3) if 0 <= value <= 5 else None


def parse_count(text: str | None) -> int | None:
    """Sales/feedback counts: "1,234 sales", "1.2k", "продаж: 350", "12 тыс." -> int."""
    if not text:
        return None
    s = text[:200]
    m = re.search(r"(\d{1,3}(?:[ ,\u00a0]\d{3})+|\d+(?:[.,]\d+)?)\s*(k|к|тыс\.?)?(?![\w])", s, re.I)
    if not m:
        return None
    raw = m.group(1).replace("\u00a0", " ")
    if re.fullmatch(r"\d{1,3}(?:[ ,]\d{3})+", raw):
        value = float(raw.replace(" ", "").replace(",", ""))
    else:
        value = float(raw.replace(",", "."))
    if m.group(2):
        value *= 1000
    return int(value)
