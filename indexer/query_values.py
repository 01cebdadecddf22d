"""Locale-aware values typed by analysts: numbers ("10,5", "1 000"), dates ("01.12.2026", "2026-12-01"), ranges.

Every parser raises QueryError naming the field it was given; nothing here touches a store.

- Numbers: spaces (also no-break and thin spaces) and apostrophes group thousands; a lone comma or dot is
  the decimal mark ("10,5" == "10.5"); with both, the last one is the decimal mark ("1.000,5", "1,000.5").
- Dates: ``YYYY-MM-DD``, ``DD.MM.YYYY`` (also ``D.M.YYYY``) and ``DD/MM/YYYY``; ISO datetimes pass through.
- Ranges: ``<10``, ``<=10``, ``>10``, ``>=10``, ``10..50`` (inclusive), or one value (exactly that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from onionwatch.errors import QueryError

_GROUPS = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YMD = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_LEN = 64


def parse_number(text: object, field: str) -> float:
    """A finite number from user text in Russian or English notation; QueryError naming ``field`` otherwise."""
    raw = str(text if text is not None else "").strip()
    s = _GROUPS.sub("", raw)
    if len(s) > _MAX_LEN:
        raise QueryError(f"{field}: expected a number such as 10,5 or 1 000, got {raw!r:.40}")
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    if not _NUMBER.match(s):
        raise QueryError(f"{field}: expected a number such as 10,5 or 1 000, got {raw!r:.40}")
    return float(s)


def parse_date(text: object, field: str) -> str:
    """An ISO date (or the ISO datetime given) from ``DD.MM.YYYY``, ``DD/MM/YYYY`` or ISO text."""
    raw = str(text if text is not None else "").strip()
    m = _DMY.match(raw)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        if _YMD.match(raw):
            return date.fromisoformat(raw).isoformat()
        if 10 < len(raw) <= _MAX_LEN and _YMD.match(raw[:10]):
            datetime.fromisoformat(raw)
            return raw
    except ValueError:
        pass
    raise QueryError(f"{field}: expected a date such as 01.12.2026 or 2026-12-01, got {raw!r:.40}")


@dataclass(frozen=True)
class Range:
    """Inclusive/exclusive bounds as given; ``None`` is open."""

    low: str | float | None = None
    high: str | float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True


def _range(text: str, field: str, parse) -> Range:  # type: ignore[no-untyped-def]
    raw = (text or "").strip()
    for op, low, inclusive in (("<=", False, True), (">=", True, True), ("<", False, False), (">", True, False)):
        if raw.startswith(op):
            value = parse(raw[len(op) :], field)
            return Range(low=value, low_inclusive=inclusive) if low else Range(high=value, high_inclusive=inclusive)
    if ".." in raw:
        a, b = raw.split("..", 1)
        lo = parse(a, field) if a.strip() else None
        hi = parse(b, field) if b.strip() else None
        if lo is None and hi is None:
            raise QueryError(f"{field}: expected a range such as 10..50, got {raw!r:.40}")
        if lo is not None and hi is not None and lo > hi:
            raise QueryError(f"{field}: the range {raw!r:.40} is empty (low above high)")
        return Range(low=lo, high=hi)
    value = parse(raw, field)
    return Range(low=value, high=value)


def parse_price(text: str, field: str = "price") -> Range:
    """``price:<10``, ``price:10..50``, ``price:10,5`` (USD) -> Range of floats."""
    return _range(text, field, parse_number)


def parse_dates(text: str, field: str = "seen") -> Range:
    """``seen:>=01.12.2026``, ``seen:01.12.2026..31.12.2026`` -> Range of ISO dates."""
    return _range(text, field, parse_date)


def next_day(iso: str) -> str:
    """The ISO date after ``iso`` (a date, or a datetime's date)."""
    return (date.fromisoformat(iso[:10]) + timedelta(days=1)).isoformat()


REVIEW_REASONS = ("model_class", "model_disagrees")  # extractors/drug_class.py REVIEW_REASONS
_REVIEW_YES = {"yes", "true", "1", "да"}
_REVIEW_NO = {"no", "false", "0", "нет"}


def review_value(text: str, field: str = "review") -> bool | str:
    """review:yes / review:no (also да/нет) -> True / False; review:model_class -> that reason."""
    v = str(text).strip().strip('"').casefold()
    if v in _REVIEW_YES:
        return True
    if v in _REVIEW_NO:
        return False
    if v in REVIEW_REASONS:
        return v
    raise QueryError(f"{field}: expected yes, no or one of {', '.join(REVIEW_REASONS)}, not {str(text)[:40]!r}")
