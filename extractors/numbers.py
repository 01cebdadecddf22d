"""Parse numbers as written in listings: decimal commas, thousands separators, fractions, k/тыс."""

from __future__ import annotations

import re

_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅛": 0.125, "⅓": 1 / 3, "⅔": 2 / 3}
_SPACES = re.compile(r"[\s'’`]")
WORD_NUMBERS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0,
    "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "twenty": 20.0, "fifty": 50.0, "hundred": 100.0,
    "half": 0.5, "half a": 0.5, "half an": 0.5, "quarter": 0.25, "a quarter": 0.25, "a half": 0.5,
    "один": 1.0, "одна": 1.0, "один грамм": 1.0, "два": 2.0, "две": 2.0, "три": 3.0, "четыре": 4.0,
    "пять": 5.0, "десять": 10.0, "пол": 0.5, "пол-": 0.5, "половина": 0.5,
    "полтора": 1.5, "полторы": 1.5,
}  # fmt: skip


def parse_number(raw: str, *, crypto: bool = False, thousands_dot: bool = True) -> float | None:
    """Parse "1,5", "1.800", "14 000", "1/8", "1 1/2", "½" into a float; None if it is not a number.

    A single separator followed by exactly three digits (and a non-zero integer part) is read as a
    thousands separator unless `crypto` is set ("0.005 BTC") or, for ".", `thousands_dot` is False.
    """
    if raw.isdigit() and raw.isascii() and len(raw) <= 40:  # "12", "2500": the common case, read as is
        return float(raw)
    s = raw.strip()
    if not s:
        return None
    if s in _FRACTIONS:
        return _FRACTIONS[s]
    if "/" in s:
        return _parse_fraction(s)
    s = _SPACES.sub("", s)
    if not s or len(s) > 40:
        return None
    if "." in s and "," in s:
        last = max(s.rfind("."), s.rfind(","))
        dec = s[last]
        tail = s[last + 1 :]
        if len(tail) == 3 and s.count(dec) == 1 and not crypto:
            s = s.replace(",", "").replace(".", "")
        else:
            s = s[:last].replace(",", "").replace(".", "") + "." + tail
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        parts = s.split(sep)
        if len(parts) > 2:
            if all(len(p) == 3 for p in parts[1:]):
                s = "".join(parts)
            else:
                return None
        else:
            head, tail = parts
            thousands = len(tail) == 3 and head not in ("", "0") and not crypto and (sep == "," or thousands_dot)
            s = head + tail if thousands else (head or "0") + "." + tail
    try:
        value = float(s)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def _parse_fraction(s: str) -> float | None:
    m = re.fullmatch(r"(?:(\d+)\s+)?(\d+)\s*/\s*(\d+)", s)
    if not m:
        return None
    whole = int(m.group(1) or 0)
    num, den = int(m.group(2)), int(m.group(3))
    if den == 0 or len(m.group(2)) > 6 or len(m.group(3)) > 6:
        return None
    return whole + num / den
