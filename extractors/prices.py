"""Price mentions: currency symbols, codes and words (EN/RU), shorthand (14к, 21 тыс.) and per-unit prices."""

from __future__ import annotations

import re
from dataclasses import dataclass

from onionwatch.extractors.numbers import parse_number
from onionwatch.extractors.records import Price

# currency surface -> ISO code (checked in this order: "бел. руб" before "руб", "australian dollars" before "dollars")
_CUR_WORDS: list[tuple[str, str]] = [
    (r"aud|au?\$|australian\s+dollars?|австралийск\w*\s+долл\w*", "AUD"),
    (r"cad|ca?\$|canadian\s+dollars?|канадск\w*\s+долл\w*", "CAD"),
    (r"usd|us\$|dollars?|bucks|долл(?:\.|ар(?:ов|а|ы)?)?|бакс(?:ов|а)?", "USD"),
    (r"eur|euros?|евро", "EUR"),
    (r"gbp|quid|фунт(?:ов|а)?\s+стерлинг(?:ов)?", "GBP"),
    (r"byn|byr|бел\.?\s?руб(?:лей|ля|ль)?\.?|белорусск\w*\s+рубл\w*|belarusian\s+rubles?", "BYN"),
    (r"rub|rur|руб(?:лей|ля|ль)?\.?|р\.|р(?![^\W\d_])|₽", "RUB"),
    (r"kzt|tenge|тенге|тг\.?|₸", "KZT"),
    (r"gel|lari|лари|₾", "GEL"),
    (r"uah|hryvnias?|hryvnyas?|грн\.?|гривен|гривн[аяыи]?|₴", "UAH"),
    (r"uzs|so['’]?m|сум(?:ов|а)?|сўм", "UZS"),
    (r"kgs|som|сом(?:ов|а)?", "KGS"),
    (r"tjs|somoni|сомони", "TJS"),
    (r"azn|manats?|манат(?:ов|а)?|₼", "AZN"),
    (r"amd|drams?|драм(?:ов|а)?|֏", "AMD"),
    (r"btc|xbt|bitcoins?|биткоин(?:ов|а)?|биткойн(?:ов|а)?|бтк|бтс|฿", "BTC"),
    (r"xmr|monero|монеро", "XMR"),
]
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₸": "KZT", "฿": "BTC", "₾": "GEL", "₴": "UAH",
            "₼": "AZN", "֏": "AMD"}  # fmt: skip
_PRE_CODES = {"us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD"}
_SYM = "$€£₽₸฿₾₴₼֏"
_PRE = (rf"(?P<pre>au?\$|ca?\$|us\$|[{_SYM}]|usd|eur|gbp|btc|xmr|rub|kzt|aud|cad|gel|uah|byn|uzs|kgs|tjs|azn|"
        r"amd)")
_NUM = r"(?P<num>\d{1,3}(?:[ \u00a0'’.,]\d{3})+(?:[.,]\d{1,8})?|\d+(?:[.,]\d+)?|[.,]\d+)"
_MULT = r"(?:\s?(?P<mult>k|к|тыс\.?|тысяч[аи]?|тыщ[иа]?|mio|млн\.?)(?![^\W\d_]))?"
_POST = "|".join(f"(?P<c{i}>{pat})" for i, (pat, _) in enumerate(_CUR_WORDS))
_SYM_POST = rf"(?P<sym>[{_SYM}])(?!\s?\d)"  # "50 €40": the € belongs to the 40
PRICE_RE = re.compile(
    rf"(?<![\w.,]){_PRE}\s?{_NUM}{_MULT}(?![\d])"
    rf"|(?<![\w.,{_SYM}]){_NUM.replace('num', 'num2')}{_MULT.replace('mult', 'mult2')}\s?"
    rf"(?:{_SYM_POST}|(?:{_POST})(?![^\W\d_]))",
    re.I,
)
# shorthand price without a currency ("14к", "3,5к", "21 тыс.") -> default currency
SHORT_RE = re.compile(r"(?<![\w.,])(?P<num>\d+(?:[.,]\d+)?)\s?(?P<mult>к|k|тыс\.?|тысяч[аи]?)(?![^\W\d_])", re.I)
_PER_RE = re.compile(
    r"\s*(?:/|per|each|ea\.|a|за|за\s+1|/\s*1)\s*(?P<per>g|gr|gram|grams|гр|г|грамм|oz|ounce|pill|pills|tab|tabs|"
    r"tablet|unit|piece|pc|шт|штуку|таблетку|марку|mg|ml|мл)?(?![^\W\d_])",
    re.I,
)
_MULTS = {"k": 1e3, "к": 1e3, "тыс": 1e3, "тысяча": 1e3, "тысячи": 1e3, "тыщи": 1e3, "тыща": 1e3, "mio": 1e6,
          "млн": 1e6}  # fmt: skip
_PER_UNIT = {"g": "g", "gr": "g", "gram": "g", "grams": "g", "гр": "g", "г": "g", "грамм": "g", "oz": "oz",
             "ounce": "oz", "mg": "mg", "ml": "ml", "мл": "ml"}  # fmt: skip


@dataclass
class PriceMention:
    amount: float
    currency: str
    start: int
    end: int
    per: str | None = None  # "g", "oz", "unit" ... when the price is per unit ("$60/g", "10$ each")

    def price(self) -> Price:
        return Price(round(self.amount, 8), self.currency)


def _currency(m: re.Match[str]) -> str | None:
    pre = m.group("pre")
    if pre:
        return _SYMBOLS.get(pre) or _PRE_CODES.get(pre.lower()) or pre.upper()
    if m.group("sym"):
        return _SYMBOLS[m.group("sym")]
    for i, (_, code) in enumerate(_CUR_WORDS):
        if m.group(f"c{i}"):
            return code
    return None


def _mult(raw: str | None) -> float:
    if not raw:
        return 1.0
    return _MULTS.get(raw.lower().rstrip("."), 1.0)


def find_prices(text: str, default_currency: str | None = None) -> list[PriceMention]:
    """All price mentions in text order; shorthand prices use `default_currency` (skipped if None)."""
    found: list[PriceMention] = []
    for m in PRICE_RE.finditer(text):
        cur = _currency(m)
        num = m.group("num") or m.group("num2")
        if cur is None or num is None:
            continue
        start = m.start()
        if " " in num.strip() and re.search(r"(?:[xх×*]|\d)\s*$", text[: m.start()]):
            # "x 100 150.00 USD": the 100 is a count, not a thousands group
            head, num = num.split(" ", 1)
            start = m.start() + len(head) + 1
        amount = parse_number(num, crypto=cur in ("BTC", "XMR"))
        if amount is None or amount <= 0 or amount > 1e12:
            continue
        amount *= _mult(m.group("mult") or m.group("mult2"))
        found.append(PriceMention(amount, cur, start, m.end()))
    if default_currency:
        for m in SHORT_RE.finditer(text):
            if any(p.start <= m.start() < p.end for p in found):
                continue
            amount = parse_number(m.group("num"))
            if amount is None or amount <= 0:
                continue
            found.append(PriceMention(amount * _mult(m.group("mult")), default_currency, m.start(), m.end()))
    found.sort(key=lambda p: p.start)
    for p in found:
        pm = _PER_RE.match(text, p.end)
        if pm and (pm.group("per") or re.match(r"\s*each", text[p.end :], re.I)):
            p.per = _PER_UNIT.get((pm.group("per") or "").lower(), "unit")
            p.end = pm.end()
    return found
