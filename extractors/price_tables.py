"""Price tables written in columns, rewritten as one "weight — price" row per offer (issue 14, ru_dev2026f).

Klad shops and their Telegram channels write a price list as a table: a header of weights and a row of prices per
product or city ("Меф кристалл | 0.5 | 1 | 2" over "Алматы | 9к | 16к | 30к"; "Товар | 1г | 2г" over "Меф | 15 000 |
28 000"), two parallel lists ("вес: 1г / 3г / 5г" over "цена: 8 000 / 22 000 / 35 000") or both on one line ("Кокаин
0.5 / 1 / 2 — 8к / 15к / 28к руб"). The tier and offer rules read a weight next to its price; `expand_tables` pairs the
i-th weight with the i-th price and writes each pair as its own line under the row's label:

    Меф кристалл | 0.5 | 1 | 2          Алматы
    Алматы | 9к | 16к | 30к      ->     Меф кристалл 0.5г — 9к
                                        Меф кристалл 1г — 16к ...

A text without such a table is returned as it is (the same object). Only prices without a currency symbol or with a
currency word of the region count as cells (an English "$10 / $25" ladder is read by the tier rules as before).
"""

from __future__ import annotations

import re

from onionwatch.extractors.prices import REGION_CURRENCY

_HINT = re.compile(r"\d\s*(?:г|гр|g|gr)?\.?\s*[|¦/]\s*\d")  # two cells of numbers side by side
_CELLS = re.compile(r"\s*[|¦/]\s*")
_WEIGHT = re.compile(r"(?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s?(?P<unit>г|гр|грамм|g|gr)?\.?", re.I)
_CUR = REGION_CURRENCY  # the region's currency words and symbols (prices.py: one list)
_PRICE = re.compile(rf"(?P<num>\d{{1,3}}(?:[ \u00a0]\d{{3}})+|\d{{1,4}}(?:[.,]\d{{1,2}})?(?=\s?(?:[кk]|тыс))|"
                    rf"\d{{2,7}})\s?"
                    rf"(?P<k>[кk]|тыс\.?)?\s?(?P<cur>{_CUR})?", re.I)
_LABEL = re.compile(r"^(?P<label>[^\d|¦/]*?)\s*[|¦:]?\s*(?=\d)")
_SAME_LINE = re.compile(r"\s+(?:[—–=-]|->|→)\s+|\s*[=—–→]\s*")  # weights, a dash, prices on one line
# a header label that names no product or place ("Товар | 1г | 2г", "вес: 1г / 3г"): dropped from the rows
_GENERIC = frozenset({"", "товар", "вес", "вага", "грамм", "граммы", "гр", "г", "цена", "ціна", "прайс", "price",
                      "weight", "позиция", "наименование", "продукт", "кол-во", "количество"})
MAX_TABLE_LINES = 60
# a row written price first ("15 000 ₸ — меф 1г", "9к = шишки 1г"): the price has a currency or a к/тыс. suffix and the
# rest of the row names an amount; rewritten "меф 1г — 15 000 ₸"
_PRICE_FIRST = re.compile(
    rf"^(?P<lead>[^\w\n]*)(?P<price>(?:\d{{1,3}}(?:[ \u00a0]\d{{3}})+|\d{{1,7}}(?:[.,]\d{{1,2}})?)\s?"
    rf"(?:(?:[кk]|тыс\.?)\s?"
    rf"(?:{_CUR})?|(?:{_CUR})))\s*[—–=→:-]\s*(?P<rest>[^\d\n]*?\d{{1,3}}(?:[.,]\d{{1,2}})?\s?(?:г|гр|грамм\w*|шт\.?|"
    rf"таб\w*|g|gr)\.?[^\d\n]*)$", re.I)
_PRICE_FIRST_HINT = re.compile(rf"^[^\w\n]*\d[\d \u00a0.,]*\s?(?:[кk]|тыс|{_CUR})", re.I | re.M)


def _label_cells(line: str) -> tuple[str, list[str]] | None:
    m = _LABEL.match(line)
    if m is None:
        return None
    cells = _CELLS.split(line[m.end() :].strip())
    return m.group("label").strip(" :|¦•▪▫️-—"), cells


def _weights(cells: list[str]) -> list[str] | None:
    out = []
    for c in cells:
        m = _WEIGHT.fullmatch(c.strip())
        if m is None or float(m.group("num").replace(",", ".")) > 100:
            return None
        out.append(m.group("num") + (m.group("unit") or "г"))
    return out if len(out) >= 2 else None


def _prices(cells: list[str]) -> list[str] | None:
    out = []
    for c in cells:
        m = _PRICE.fullmatch(c.strip())
        if m is None:
            return None
        out.append(c.strip())
    if len(out) < 2:
        return None
    cur = _PRICE.fullmatch(out[-1])
    if cur and cur.group("cur") and not any(_PRICE.fullmatch(p).group("cur") for p in out[:-1]):  # type: ignore[union-attr]
        out = [f"{p} {cur.group('cur')}" for p in out[:-1]] + [out[-1]]  # "8к / 15к / 28к руб": each in roubles
    return out


def _rows(label: str, weights: list[str], prices: list[str]) -> list[str]:
    head = "" if label.casefold() in _GENERIC else f"{label} "
    return [f"{head}{w} — {p}" for w, p in zip(weights, prices, strict=True)]


def _same_line(line: str) -> list[str] | None:
    """"Кокаин 0.5 / 1 / 2 — 8к / 15к / 28к руб" -> one row per weight."""
    parts = _SAME_LINE.split(line, maxsplit=1)
    if len(parts) != 2:
        return None
    left = _label_cells(parts[0])
    weights = _weights(left[1]) if left else None
    prices = _prices(_CELLS.split(parts[1].strip())) if weights else None
    if left is None or weights is None or prices is None or len(prices) != len(weights):
        return None
    return _rows(left[0], weights, prices)


def expand_tables(text: str) -> str:
    """`text` with its column price tables written one offer per line (module docstring); else `text` itself."""
    if not _HINT.search(text):
        return _price_first(text) if _PRICE_FIRST_HINT.search(text) else text
    lines = text.split("\n")
    if len(lines) > MAX_TABLE_LINES:
        return text
    out: list[str] = []
    changed = False
    i = 0
    while i < len(lines):
        line = lines[i]
        head = _label_cells(line)
        weights = _weights(head[1]) if head else None
        if head is not None and weights is not None:
            j, rows = i + 1, []
            while j < len(lines) and (row := _label_cells(lines[j])) and (
                    (prices := _prices(row[1])) is not None and len(prices) == len(weights)):
                label = row[0]
                if label and label.casefold() not in _GENERIC:
                    rows.append(label)  # the row's product or city, as a heading line
                rows += _rows(head[0], weights, prices)
                j += 1
            if j > i + 1:
                out += rows
                changed = True
                i = j
                continue
        if (same := _same_line(line)) is not None:
            out += same
            changed = True
        else:
            out.append(line)
        i += 1
    text = "\n".join(out) if changed else text
    return _price_first(text) if _PRICE_FIRST_HINT.search(text) else text


def _price_first(text: str) -> str:
    lines = text.split("\n")
    out = [f"{m.group('lead')}{m.group('rest').strip()} — {m.group('price').strip()}"
           if (m := _PRICE_FIRST.match(line)) else line for line in lines]
    return "\n".join(out) if out != lines else text


# one price per city in one row ("Алматы 15000 / Астана 16000", "Цена: Москва 15000р / Питер 14000р"; issue 14,
# ru_dev2026g): every cell a known city and an amount
_CITY_ROW_HINT = re.compile(r"[^\W\d_]\s*[—–:=-]?\s*\d[^/|¦;\n]*?(?:[/|¦;]|,\s)\s*[^\W\d_]|"
                            r"\d[^/|¦;\n\d]*?[^\W\d_][^/|¦;\n\d]*(?:[/|¦;]|,\s)\s*\d")  # price first: "3500₽ Москва, …"
# a cell's amount: "15000", "15 000", "15к", "15 тыс.", with the region's currency word or a glued som/rouble letter
# ("3500с": prices._glued_letter reads it where the place uses that currency; issue 14, ru_dev2026h probes)
_CELL_AMOUNT = (rf"(?P<amount>(?:\d{{1,3}}(?:[ \u00a0]\d{{3}})+|\d{{2,7}}|"
                rf"\d{{1,4}}(?:[.,]\d{{1,2}})?\s?(?:[кk]|тыс\.?))(?:\s?(?:{_CUR})|[сcr](?![^\W\d_]))?)")
_CITY_CELL = re.compile(rf"(?P<name>[^\W\d_]+(?:[ -][^\W\d_]+)?)\s*[—–:=-]?\s*{_CELL_AMOUNT}", re.I)
# the price before the city: "3500₽ Москва", "12к — Астана" (issue 14, ru_dev2026h probes)
_CITY_CELL_AFTER = re.compile(rf"{_CELL_AMOUNT}\s*[—–:=-]?\s*(?P<name>[^\W\d_]+(?:[ -][^\W\d_]+)?)", re.I)
_ROW_SEP_HINT = re.compile(r"[/|¦;]|,\s")
_LIST_SEP = re.compile(r"\s*;\s*|,\s+")
# the row's lead: "Цена:", "Цены по городам:", "Прайс по городам —", "По городам:" (issue 14, ru_dev2026h)
_ROW_LEAD = re.compile(r"^[\W_]*(?:(?:(?:цена|цены|ціна|ціни|стоимость|price|prices|прайс)"
                       r"(?:\s+(?:по|в|для)\s+город\w*)?|по\s+город\w*)\s*[:—–-]?\s*)?", re.I)


def city_cells(line: str, districts: bool = False) -> list[tuple[str, str]] | None:
    """[(city as written, amount as written)] of a row of one price per city, else None; `districts`: a known
    district may stand for a city ("Левый берег 16 000, Правый берег 15 000")."""
    if not _CITY_ROW_HINT.search(line):
        return None
    from onionwatch.extractors.places import city_currency, known_district  # places -> geo: imported on first use

    lead = _ROW_LEAD.match(line)
    body = line[lead.end() if lead else 0 :].strip()
    # cells split by "/", "|", "¦", or by ";" / ", " ("Алматы: 15к, Астана: 16к"; a decimal comma has no space)
    cells = _CELLS.split(body) if _CELLS.search(body) else _LIST_SEP.split(body)
    if len(cells) < 2:
        return None
    out = []
    for cell in cells:
        m = _CITY_CELL.fullmatch(cell.strip(" .,;")) or _CITY_CELL_AFTER.fullmatch(cell.strip(" .,;"))
        if m is None or (city_currency(m.group("name")) is None
                         and not (districts and known_district(m.group("name")))):
            return None
        out.append((m.group("name"), m.group("amount")))
    return out


def expand_city_rows(text: str) -> str:
    """A Telegram message with each row of per-city prices written one "City — price" line per city (the segmenter
    reads a city at a line's start); else `text` itself."""
    if not _ROW_SEP_HINT.search(text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        cells = city_cells(line)
        out += [f"{name} — {amount}" for name, amount in cells] if cells else [line]
    return "\n".join(out) if out != lines else text


def city_row_price(text: str, city: str | None, district: str | None = None) -> str:
    """A listing's text with a row of per-city prices replaced by its own city's price ("Алматы 8000 / Астана 9000" in
    an Astana listing -> "цена: 9000"); a row of the city's districts by its own district's price, else the first
    ("Левый берег 16 000, Правый берег 15 000"; issue 14, ru_dev2026f/h); `text` itself when it has no such row."""
    if not city or not _ROW_SEP_HINT.search(text):
        return text
    from onionwatch.extractors.geo import group_key

    key = group_key(city)
    lines = text.split("\n")
    out = []
    for line in lines:
        cells = city_cells(line, districts=True)
        own = next((amount for name, amount in cells if _is_city(name, key)), None) if cells else None
        if cells and own is None and all(_district_of(name, city) for name, _ in cells):
            own = next((amount for name, amount in cells if district and _same_place(name, district)), cells[0][1])
        out.append(f"цена: {own}" if own else line)
    return "\n".join(out) if out != lines else text


def _is_city(name: str, key: str) -> bool:
    from onionwatch.extractors.geo import group_key
    from onionwatch.extractors.places import city_currency

    return city_currency(name) is not None and group_key(name) == key


def _district_of(name: str, city: str) -> bool:
    """Whether `name` is a known district of `city` (or of no one city) and not a city itself."""
    from onionwatch.extractors.geo import group_key
    from onionwatch.extractors.places import city_currency, known_district

    found = known_district(name)
    return found is not None and city_currency(name) is None and (
        not found[1] or group_key(found[1]) == group_key(city))


def _same_place(a: str, b: str) -> bool:
    from onionwatch.extractors.places import known_district

    da, db = known_district(a), known_district(b)
    return da is not None and db is not None and da[0] == db[0]
