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
    "полтора": 1.5, "полторы": 1.5, "пару": 2.0, "пара": 2.0, "шесть": 6.0, "семь": 7.0, "восемь": 8.0, "девять": 9.0,
    "один с половиной": 1.5, "одна с половиной": 1.5, "два с половиной": 2.5, "две с половиной": 2.5,
    "три с половиной": 3.5, "четыре с половиной": 4.5, "пять с половиной": 5.5,
    # Latin-letter Russian (issue 14, ru_dev2026j)
    "poltora": 1.5, "poltory": 1.5, "pol": 0.5, "odin": 1.0, "odna": 1.0, "dva": 2.0, "dve": 2.0, "tri": 3.0,
    "chetyre": 4.0, "pyat": 5.0, "desyat": 10.0,
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


# Russian cardinal words of an amount written out ("пятнадцать тысяч", "две тысячи пятьсот", "полторы тысячи";
# issue 14, ru_dev2026j): their values, and the thousands words
_RU_UNITS = {"один": 1, "одна": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
             "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
             "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
             "восемнадцать": 18, "девятнадцать": 19}  # fmt: skip
_RU_TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
            "восемьдесят": 80, "девяносто": 90}  # fmt: skip
_RU_HUNDREDS = {"сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600,
                "семьсот": 700, "восемьсот": 800, "девятьсот": 900}  # fmt: skip
RU_NUMBER_WORD = "|".join(sorted([*_RU_UNITS, *_RU_TENS, *_RU_HUNDREDS, "полторы"], key=len, reverse=True))
_THOUSAND_WORD = re.compile(r"тысяч[аи]?|тыщ[иа]?")


def russian_amount(words: str) -> float | None:
    """The value of a Russian amount in words ("две тысячи пятьсот" -> 2500, "полторы тысячи" -> 1500, "тысяча"
    -> 1000); None when a word is no number word or the words are out of order ("пятьсот две тысячи" is 502 000,
    "пять пятьсот" nothing)."""
    total, group, rank = 0.0, 0.0, 1000  # rank: the largest place the current group may still fill
    for word in words.lower().replace("ё", "е").split()[:12]:
        if _THOUSAND_WORD.fullmatch(word):
            if total:
                return None
            total, group, rank = (group or 1.0) * 1000, 0.0, 1000
        elif word == "полторы" and not group:
            group, rank = 1.5, 0
        elif (value := _RU_HUNDREDS.get(word)) and rank >= 100:
            group, rank = group + value, 99
        elif (value := _RU_TENS.get(word)) and rank >= 20:
            group, rank = group + value, 9
        elif (value := _RU_UNITS.get(word)) and rank >= value:
            group, rank = group + value, 0
        else:
            return None
    return total + group or None
