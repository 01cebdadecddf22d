"""Segment a Telegram shop message into offers: city, district, substance, quantity and price each.

Shops write one offer per line under city, district and product headings, or several offers on one line
("Алматы: меф 1г — 15 000, 2г — 28 000; шишки 1г — 9 000"). A message is read line by line and each line is
split on ";" and " | " into segments; a segment opening with a known city (extractors/data/cities.yaml) sets
the city, a "… р-н" / "район …" / "мкр …" part (also "ауданы", "тумани", "ж/м", a known district after the
city, in a hashtag, or in another case: "в Бостандыкском районе" -> "Бостандыкский") sets the district, and a
substance named before its prices sets the product for that segment and the lines after it. Within a segment
every (quantity, price) pair the tier rules find (extractors/tiers.py) is one offer (a price without an amount
is not: "бонус 500₽ за отзыв"); a substance named again after a price starts a new product ("меф 1г — 15 000,
шишки 1г — 9 000"). Prices: the existing price rules (symbols, words, "12к") plus, in a price list only, a
bare amount right after a quantity ("1г — 15 000"). Currency: an explicit symbol or word first, else the
city's country, else the source's default (None: the offer has no price). Lines without a price ("в наличии:
меф, шишки", chatter) give no offers, nor do buyers' reviews ("взял 2г за 28к, всё ровно": a purchase verb or
"отзыв" in the segment).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from onionwatch.extractors.geo import full_name, group_key, local_name
from onionwatch.extractors.lexicon import Lexicon, load_lexicon
from onionwatch.extractors.numbers import parse_number
from onionwatch.extractors.pipeline import Extractor, without_descriptors
from onionwatch.extractors.places import (
    city_currency,
    city_form,
    clean_place,
    district_as_shown,
    district_form,
    district_in_city,
    expand_abbreviation,
    known_district,
    misspelt_district,
)
from onionwatch.extractors.price_tables import expand_city_rows, expand_tables
from onionwatch.extractors.prices import PriceMention, find_prices
from onionwatch.extractors.quantities import QtyMention, find_quantities, mark_doses
from onionwatch.extractors.records import Price, Quantity, Substance
from onionwatch.extractors.text import normalize, repair_mixed_words
from onionwatch.extractors.tiers import build_tiers, outside_prices, resolve_tier

MAX_LINES = 400  # lines read per message
MAX_SEGMENT_CHARS = 1_000
MAX_OFFERS = 500  # offers kept per message
_SPLIT = re.compile(r"\s*(?:;|\s\|\s)\s*")
_LEAD = re.compile(r"^[\W_]*?(?=[^\W\d_]|\d)", re.U)  # emoji, bullets, "#", "📍" before the first word
_CITY_PREFIX = re.compile(r"^(?:г\.\s*|город\s+|city\s+)", re.I)
_CITY_END = re.compile(r"^\s*(?:[^\w\s]|$|\s)")
# "Алматы қаласы" (Kazakh: city of); Uzbek and Kyrgyz "ш." / "sh." (шаҳар, шаары: "Фарғона ш., Янги шаҳар"; issue 14,
# tg_dev2026p)
_CITY_SUFFIX = re.compile(r"^\s*(?:қаласы|қ\.|city|ш\.|sh\.)(?![^\W\d_])", re.I)
# "р-н", "районе", "мкр-н", Kazakh "ауданы" / "ш/а", Uzbek "тумани" (Latin "tumani"), Kyrgyz/Uzbek "ж/м" / "массив"
# (housing estate)
# Latin-letter Russian and Kazakh Latin: "mkr Aksay-5", "Medeu aýdany", "Oktiabr audany" (issue 14, tg_dev2026k)
_DISTRICT_MARK = (r"(?:р-не|р-н[аеу]?|р-он[аеу]?|р\.н\.|район[аеу]?|мкр-н[аеу]?|мкрн|мкр\.?|микрорайон[аеу]?|ш/а|"
                  r"шағын ауданы|ауданы|тумани|tumani|ж/м|жилмассив[аеу]?|массив[аеу]?|district|"
                  # Latin "rayoni" ("Sino rayoni"; issue 14, tg_dev2026o)
                  r"mkrn?\.?|r-n|rayon(?:[ea]|i(?![^\W\d_]))?|raion|aýdany|audany|aydany)")
_SOLD_OUT = re.compile(r"нет\s+в\s+наличии|законч\w*|временно\s+нет|распрода\w*|sold\s*out|out\s+of\s+stock|"
                       r"❌|🚫|⛔", re.I)
_IN_CITY = re.compile(r"(?<![^\W\d_])(?:в|во|по|г\.?|город[уе]?)\s*([^\W\d_][\w\-]+)", re.I)  # "Цены в Нск:"
_BARE_WEIGHT = re.compile(r"(?<![\w.,])(\d?[.,]\d{1,2})(?![\w.,%])")  # "0.5", ",3": grams in a klad price list
_ROW_WEIGHT = re.compile(r"(?:^|(?<=[^\w\s.,]))\s*([1-9]|10)(?![\w.,%])")  # a row's lead: at the start or a bullet
_ROW_SEP = re.compile(r"\s*[—–=:/-]\s*")  # "1 - 15 000", "гаш 1/9к"
_SEP = re.compile(r"[^\w.,]*")  # " — ", ": ", " 👉 " between a weight and its price (not "за": price first)
# an arrow after the place ("Тунгуч 👉 меф 1г 4500с", "Сино ➡️ …", "Юнусабад → …"; issue 14, tg_dev2026m)
_KNOWN_LEAD = re.compile(r"\s*[/,:•·]?\s*([^\W\d_][^:;—–|•·👉➡→]{0,38}?)\s*(?::|\s[—–-]\s|\||[•·]|\s?(?:👉|➡️?|→)\s)")
_BRACKETED = re.compile(r"[(\[]\s*([^\W\d_][^()\[\]]{1,38}?)\s*[)\]]")  # "(Медеу)", "(Самал-2)"
# a bare whole number of grams after the product ("Мефедрон 1 - 13000" under "Мефедрон 0.5 - 7000"): read as grams
# only when the message's offer before it was sold by the gram (issue 14, ru_dev2026d)
_NAMED_ROW_WEIGHT = re.compile(r"(?<=[^\W\d_])\s+([1-9]|10)(?![\w.,%])")
_ONLY_AMOUNT = re.compile(r"[\W_]*(?:(?:цена|стоимость|price)[\W_]*)?(\d{1,3}(?:[ \u00a0.]\d{3})+|\d{2,7})\s*", re.I)
# a line giving only the weight of the price on the next line ("Вес: 1г" over "Цена: 15 000 ₸")
_WEIGHT_LABEL = re.compile(r"[\W_]*(?:(?:вес|фасовка|граммовка|weight|кол-во|количество)[\W_]*)?", re.I)
_STOPWORDS = frozenset({"в", "во", "на", "по", "и", "для", "клады", "наличие", "есть"})
_MARK_WORDS = frozenset({"шағын", "микро", "административный"})  # the first word of a two-word mark
# marks written only before the name ("пос. Пришахтинск", "п. Калкаман", "ЖМ Кок-Жиек", Tajik "ноҳияи Сино") or only
# after it ("Юнусабад 5 кв", Kyrgyz "Октябрь району"; issue 14, tg_dev2026j; "Советский округ", tg_dev2026j3)
# a village "с. Тасбогет" and a street or avenue as the only place "ул. Сатпаева", "пр. Абая" (issue 14, tg_dev2026l
# and its probe)
_MARK_BEFORE = (rf"(?:{_DISTRICT_MARK}|пос\.|пос[её]л(?:ок|ке|ка)|п\.(?=\s*(?-i:[А-ЯЁ]))|с\.(?=\s*(?-i:[А-ЯЁ]))|"
                r"ул\.|улица|(?:пр\.|пр-т|просп\.)(?=\s*(?-i:[А-ЯЁ]))|проспект|жм|ж\.м\.|ноҳияи|нохияи)")
# Uzbek "mahallasi" / "маҳалла" (a neighbourhood; issue 14, tg_dev2026p)
_MARK_AFTER = (rf"(?:{_DISTRICT_MARK}|кв(?:\.|(?![.\w]))|кв-л|квартал[аеу]?|району|райондо|"
               r"(?:административный\s+)?округ[аеу]?|mahallasi|mahalla|маҳалласи|маҳалла|махалля|махалла)")
# the name before the mark: one or two words, a numbered quarter ("Юнусабад 5 кв") or an abbreviation ("Алм. р-н")
_DISTRICT_AFTER = re.compile(
    rf"([^\W\d_][\w\-’']*\.|[^\W\d_][\w\-’']*(?:\s(?:[^\W\d_][\w\-]*|\d{{1,2}}))?)\s+{_MARK_AFTER}(?![^\W\d_])", re.I)
_DISTRICT_BEFORE = re.compile(  # not inside a word ("Районы Алматы:" lists districts, names none)
    rf"(?<![^\W\d_]){_MARK_BEFORE}(?![^\W\d_])\s*[:.]?\s*([^\W\d_][\w\-’']*(?:\s[^\W\d_][\w\-]*)?)", re.I)
# a micro-district known by its number only ("Актау, 4 мкр", "Бишкек, мкр 12", "Актобе 12 мкр"; issue 14,
# tg_dev2026k): the number is its name
_NUMBERED_MICRO = re.compile(
    r"(?<![\w.,])(\d{1,3})(?:\s*|-)(?:мкр(?:-н|н)?\.?|микрорайон\w{0,2}|mkrn?\.?|квартал\w{0,2}|кв-л|кв\.)(?![^\W\d_])|"
    # "квартал 5", "кв-л 12": a quarter by its number (issue 14, tg_dev2026l)
    r"(?<![^\W\d_])(?:мкр(?:-н|н)?\.?|микрорайон\w{0,2}|mkrn?\.?|квартал|кв-л)\s*(\d{1,3})(?![\w.,])", re.I)
# a heading word before the city ("Наличие обновлено: Алматы, …", "UPD: Астана — …"; issue 14, tg_dev2026k)
# (Ukrainian "Оновлено:", "Оновлення:"; issue 14, tg_dev2026q)
_STATUS_LABEL = re.compile(r"(?:наличие|обновлено|обновление|обновили|оновлено|оновлення|upd|update|апдейт|прайс|"
                           r"актуально|сегодня)"
                           r"(?:\s+(?:обновлено|обновлен[оа]?|на\s+сегодня|сегодня|актуально))?\s*[:!]\s*", re.I)
# a preposition before a landmark after the city ("Омск, у ТЦ Мега"; issue 14, tg_dev2026k)
_NEAR = re.compile(r"(?<![^\W\d_])(?:у|возле|около|рядом\s+с|напротив|недалеко\s+от)\s+(?=\S)", re.I)
# a part of town named by a common word ("Петропавловск — центр", "Туркестан, окраина", "Ош — Старый город",
# "Атырау (правый берег)"; issue 14, tg_dev2026l): a place, lowercase as written
_GENERIC_PLACE = re.compile(r"(?:центр|окраин[аы]|(?:стар|нов)(?:ый|ого)\s+город\w?|(?:лев|прав)(?:ый|ого)\s+берег\w?|"
                            r"левобережье|правобережье|пригород|частный\s+сектор|промзона)", re.I)
# a district mark written after the name in short ("Медеу р.", "Химмаш р-он") at the end of a place part
_END_MARK = re.compile(r"\s+(?:р\.|р-н|р-он|район)$", re.I)
_ABBREV_PLACE = re.compile(r"[^\W\d_]{3,}(?:-[^\W\d_]{2,})*\.")  # "Ауэз.", "Аль-Фараб."
# a place, then the finer one after "/" or "," (after an administrative district: "Каратауский р-н / Нурсат")
_FINER_AFTER = re.compile(r"\s*[/,]\s*([А-ЯЁA-Z][\w’']*(?:(?:\s|-)(?:[^\W\d_][\w’']*|\d{1,2}))?)[^\w]*")
# a legend of product emoji ("🍫 — гаш, ❄️ — кокс, 💎 — альфа"; issue 14, tg_dev2026k): an emoji, a dash, colon or "=",
# a word; rows opening with one of them and naming no product sell the product it stands for
_LEGEND_PAIR = re.compile(r"([^\w\s.,:;()\[\]—–=+*/-])\ufe0f?\s*[—–=:-]\s*(?=[^\W\d_])")
# "16k" / "28к" right after a weight ("mef 1g - 16k": the price rules want a currency beside an all-Latin "k")
_BARE_K = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{1,2})?)\s?[кk](?![^\W\d_])", re.I)
# the next row's weight right after a price on the same line ("меф 0.5/8к 1/14к", "0.5 — 2500 сом, 1 — 4500 сом")
_NEXT_ROW = re.compile(r"[\s,;]+(\d{1,2}(?:[.,]\d{1,2})?)\s*(?:[/—–=:]|\s-)\s*(?=\d)")
# pieces in Uzbek / Kazakh / Kyrgyz ("MDMA 1 dona — 150 000 so'm", "2 дана"): counts the quantity rules do not read
_PIECES = re.compile(r"(?<![\w.,])(\d{1,3})\s?(?:dona|дона|дана)(?![^\W\d_])", re.I)
_BARE = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0.,]\d{3})+|\d{2,7})(?![\w%]|[.,]\d)")
# an amount with "т" glued ("8 000т", "15000т.": tenge, or the city's money; issue 14, tg_dev2026j), not "15т"
_BARE_T = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0.]\d{3})+|\d{3,7})т\.?(?![^\W\d_])")
_REVIEW = re.compile(r"(?<![^\W\d_])(?:взял|брал|забрал|купил|заказал|отдал|отзыв|bought|got)\w{0,3}(?![^\W\d_])",
                     re.I)
_DIGIT = re.compile(r"\d")
# a buyer's question ("а 2г меф сколько? 28к?", "есть ли 1г в Актау?"; issue 14, tg_dev2026j2): with a "?" in it
# or one opening with "Есть" ("Есть в Батуми шишки по 60 лари? 🙏"; issue 14, tg_dev2026q)
_QUESTION = re.compile(r"(?<![^\W\d_])(?:сколько|почём|почем|есть\s+ли|а\s+есть|когда|можно\s+ли|how\s+much)"
                       r"(?![^\W\d_])|^\W*есть\s", re.I)
# a scam warning quoting a fake shop's offer ("Фейк-канал … продаёт меф 1г за 5 000 ₸ — это мошенники!"; issue 14,
# tg_dev2026q): the line is no offer
_SCAM = re.compile(r"(?<![^\W\d_])(?:фейк\w*|мошенни\w*|скам\w*|кидал\w*|кидок|fake|scam\w*)(?![^\W\d_])", re.I)
# "32ктг", "10.5 тыстг": a thousands suffix glued to the currency word (the price rules need a space)
_GLUED_K = re.compile(r"(?<![\w.,])(\d{1,4}(?:[.,]\d{1,3})?)\s?(?:к|k|тыс\.?)(тг|тенге|руб|р|сом|сум|₸|₽)(?![^\W\d_])",
                      re.I)
_GLUED_CUR = {"тг": "KZT", "тенге": "KZT", "₸": "KZT", "руб": "RUB", "р": "RUB", "₽": "RUB", "сом": "KGS",
              "сум": "UZS"}
# a bare amount before "за 0.5г" / "/г" / "за грамм" (price first: "6.500 за 0.3 г", "87.500/г")
_BEFORE_QTY = re.compile(r"\s*(?:за|/|per)\s*", re.I)
_PER_GRAM = re.compile(r"\s*(?:/\s*г(?:р|рамм)?\.?|за\s+(?:1\s*)?г(?:р|рамм)?\.?)(?![^\W\d_])", re.I)
_WORD = re.compile(r"[^\W\d_][\w\-]*")
_GAP = re.compile(r"[\W_]*(?:(?:за|по|цена|price)(?![^\W\d_])[\W_]*)?", re.I)  # " — ", " 👉 ", ": по "
# a note in brackets between a weight and its bare price ("1г (Медеу) — 15 000", "0.5г (крис) = 8 000")
_GAP_NOTE = re.compile(r"[^\w(\[]*[(\[][^()\[\]\d]{1,40}[)\]][\W_]*(?:(?:за|по|цена|price)(?![^\W\d_])[\W_]*)?",
                       re.I)
# a place named in brackets right after a weight ("Меф пол грамма (Усолка) — 7 500 ₸"): Title-case, not a note
_BRACKET_AFTER = re.compile(r"\s*[(\[]\s*([А-ЯЁA-Z][а-яёa-z]{2,}(?:[\s-](?:[А-ЯЁа-яё]{2,}|\d{1,2}))?)\s*[)\]]")
# places named before each price of one weight ("Меф 1г: Медеу 15к, Бостандык 14к")
_PLACE_GAP = re.compile(r"\s*[,;:—–|/-]?\s*([А-ЯЁA-Z][^\W\d_]{2,}(?:(?:\s|-)(?:[^\W\d_]{2,}|\d{1,2}))?)\s*[—–:=-]?\s*")
# words that stand where a place could, but are not one: klad types, forms, grades, price notes
_NOT_PLACE = frozenset({
    "магнит", "прикоп", "тайник", "клад", "закладка", "кристалл", "кристаллы", "крис", "мука", "порошок", "камни",
    "опт", "оптом", "розница", "цена", "скидка", "акция", "бонус", "старая", "новая", "было", "стало", "хит",
    "топ", "новинка", "качество", "премиум", "люкс", "vhq", "hq", "lux", "premium", "mix", "экстра", "доставка",
    "перезаклад", "залог", "депозит", "итого", "всего", "сумма", "тенге", "рублей", "руб", "сом", "сум",
})


# a table under a header naming its columns ("Товар | Вес | Цена", "Район | Товар | Вес | Цена"): the column each
# header word names
_COLUMNS = {
    **dict.fromkeys(("товар", "продукт", "позиция", "наименование", "название", "item", "product", "name"), "product"),
    **dict.fromkeys(("вес", "граммовка", "грамм", "граммы", "кол-во", "количество", "фасовка", "weight", "qty",
                     "amount"), "weight"),
    **dict.fromkeys(("цена", "стоимость", "цена ₸", "цена тг", "цена руб", "price", "cost"), "price"),
    **dict.fromkeys(("район", "локация", "мкр", "district", "area"), "district"),
    **dict.fromkeys(("город", "city"), "city"),
}
_TABLE_CELLS = re.compile(r"\s*[|¦]\s*")
_BARE_CELL_WEIGHT = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")


@dataclass
class TgOffer:
    """One offer of a message; `index` is its position in the message (stable for a given text)."""

    index: int
    city: str | None
    district: str | None
    substance: Substance | None
    quantity: Quantity | None
    price: Price | None
    line: str  # the segment it was read from, as written


@dataclass
class _Segment:
    text: str  # the segment after any city / district prefix
    raw: str
    city: str | None  # a city named at its start
    district: str | None
    sold_out: bool = False  # listed, not on offer ("2г — 28 000 (нет в наличии)", "❌ шишки 1г — 9к")


def _cells(line: str) -> list[str]:
    cells = _TABLE_CELLS.split(line.strip())
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _header_columns(line: str) -> list[str] | None:
    """The columns a table header names ("Товар | Вес | Цена" -> product, weight, price), None for another line."""
    if "|" not in line and "¦" not in line:
        return None
    cols = [_COLUMNS.get(_bare(c).casefold()) for c in _cells(line)]
    if len(cols) < 3 or None in cols or "price" not in cols or "weight" not in cols or len(set(cols)) < len(cols):
        return None
    return cols  # type: ignore[return-value]


# a column naming one product and its weight ("меф 1г", "шишки 0.5 гр", "1г меф")
_PRODUCT_COLUMN = re.compile(r"[^\W\d_][^|¦]{0,30}?\s?\d{1,3}(?:[.,]\d{1,2})?\s?(?:г|гр|g|gr|шт)\.?|"
                             r"\d{1,3}(?:[.,]\d{1,2})?\s?(?:г|гр|g|gr|шт)\.?\s+[^\W\d_][^|¦]{0,30}", re.I)


def _product_columns(line: str) -> tuple[str, list[str]] | None:
    """A header naming a place column, then one product and weight per column ("Район | меф 1г | шишки 1г"; issue 14,
    tg_dev2026p): ("district", ["меф 1г", "шишки 1г"]); None for another line."""
    if "|" not in line and "¦" not in line:
        return None
    cells = _cells(line)
    kind = _COLUMNS.get(_bare(cells[0]).casefold()) if len(cells) >= 2 else None
    if kind not in ("district", "city") or not all(_PRODUCT_COLUMN.fullmatch(c) for c in cells[1:]):
        return None
    return kind, cells[1:]  # type: ignore[return-value]


def _product_rows(kind: str, products: list[str], cells: list[str]) -> list[str]:
    """A place's row under product columns, one offer line per priced cell ("Есиль | 15к | —" -> "район Есиль: меф
    1г — 15к"); a cell with no digit ("—", "нет") is none."""
    place = f"район {cells[0]}" if kind == "district" else cells[0]
    return [f"{place}: {product} — {cell}" for product, cell in zip(products, cells[1:], strict=True)
            if any(ch.isdigit() for ch in cell)]


def column_tables(text: str) -> str:
    """Rows under a header naming their columns, rewritten as offer lines: "Майкудук | меф | 1г | 14 000" under
    "Район | Товар | Вес | Цена" -> "район Майкудук: меф 1г — 14 000" (a bare weight cell is grams)."""
    if "|" not in text and "¦" not in text:
        return text
    lines = text.splitlines()[:MAX_LINES]
    out: list[str] = []
    cols: list[str] | None = None
    products: tuple[str, list[str]] | None = None
    for line in lines:
        if (found := _header_columns(line)) is not None:
            cols, products = found, None
            continue
        if (heads := _product_columns(line)) is not None:
            cols, products = None, heads
            continue
        if products is not None:
            cells = _cells(line)
            if len(cells) == len(products[1]) + 1 and cells[0] and not cells[0][:1].isdigit():
                out.extend(_product_rows(products[0], products[1], cells))
                continue
            products = None
        cells = _cells(line) if cols else []
        if cols is None or len(cells) != len(cols):
            cols = None
            out.append(line)
            continue
        row = dict(zip(cols, cells, strict=True))
        weight = row["weight"] + ("г" if _BARE_CELL_WEIGHT.fullmatch(row["weight"]) else "")
        place = " / ".join(x for x in (row.get("city"), row.get("district") and f"район {row['district']}") if x)
        offer = f"{row.get('product', '')} {weight} — {row['price']}".strip()
        out.append(f"{place}: {offer}" if place else offer)
    return "\n".join(out)


_HASHTAG = re.compile(r"#[^\W\d_]\w{1,60}")


def _split_place_tag(m: re.Match[str]) -> str:
    """"#Шымкент_Туран" -> "#Шымкент #Туран": a hashtag joining a known city or district to another word by "_"
    (issue 14, tg_dev2026m); any other hashtag ("#новый_завоз") is left as written."""
    parts = m.group(0)[1:].split("_")
    if len(parts) < 2 or not all(parts) or not any(city_currency(x) or known_district(x) for x in parts):
        return m.group(0)
    return " ".join(f"#{x}" for x in parts)


# a keycap digit opening a line ("1️⃣", "🔟": a numbered row; issue 14, tg_dev2026o)
_KEYCAP_LEAD = re.compile(r"^\s*(?:\d\ufe0f?\u20e3|\U0001f51f)\s*")
# a row number with ")" or "." opening a line before a word ("1) Есиль — меф 1г 15к", "2. Нура — …"; issue 14,
# tg_dev2026p): the number is no weight and hides the place leading the row
_ROW_NUMBER_LEAD = re.compile(r"^\s*\d{1,2}[).]\s+(?=[^\W\d_])")
# a price in the local currency, then "/" and the same price in USDT, BTC or dollars ("48 000 ₸ / 95 USDT"; issue 14,
# tg_dev2026p): the second is an equivalent, not another offer's price (the first written is the price)
_EQUIVALENT_AFTER = re.compile(
    r"(\d\s?(?:₸|тг\.?|тенге|теңге|сом|сум|сўм|so'm|₽|руб\.?|kzt|kgs|uzs|rub))\s*/\s*[≈~]?\s*"
    r"\d+(?:[.,]\d+)?\s?(?:usdt|usd|btc|\$)(?![^\W\d_])", re.I)
# "/" between a price and the next weight with its dash: a compact price list ("1г-3500/2г-6500/5г-15000 ₽",
# "меф: 1г-14000/2г-26000"; issue 14, tg_dev2026o), read as "1г-3500, 2г-6500, …"
_COMPACT_NEXT = re.compile(r"(?<=\d)(\s?(?:[кk]|т\.?р\.?|тыр)?)\s*/\s*"
                           r"(?=\d{1,3}(?:[.,]\d{1,2})?\s?(?:г|гр|g|gr|шт)\.?\s*[-—–:=]\s*\d)", re.I)


def split_segments(text: str) -> list[_Segment]:
    """The message's segments, each with the city and district it names (pure text, no spaCy)."""
    out: list[_Segment] = []
    for line in text.splitlines()[:MAX_LINES]:
        line = repair_mixed_words(line)  # "Кaрaгaндa", "Мeф 1г" with Latin a/e: the city and product as written
        if "\u20e3" in line or "\U0001f51f" in line:  # "1️⃣ Самал-2 — меф 1г …": a row number, not a weight
            line = _KEYCAP_LEAD.sub("", line)
        if line[:4].lstrip()[:1].isdigit():
            line = _ROW_NUMBER_LEAD.sub("", line)
        if "/" in line:  # "1г-15000/2г-28000/5г-65000 тг": one offer per weight (tg_dev2026o)
            line = _EQUIVALENT_AFTER.sub(r"\1", _COMPACT_NEXT.sub(r"\1, ", line))
        if "_" in line:
            line = _HASHTAG.sub(_split_place_tag, line)
        for part in _SPLIT.split(line):
            part = part.strip()[:MAX_SEGMENT_CHARS]
            if part:
                out.append(_price_first(_in_stock(_place_prefix(part))))
    return out


# a price before its product and weight in brackets or after a dash ("💊 15 000 (меф 1г)", "10к ₸ [шишки 1г]"; issue
# 14, tg_dev2026j; "15 000 — меф 1г", tg_dev2026j2)
_PRICE_FIRST = re.compile(
    r"([^\w(\[]*)(\d{1,3}(?:[ \u00a0.]\d{3})+|\d{3,7}|\d{1,3}\s?[кk])"
    r"(\s?(?:₸|тг\.?|т\.|тенге|₽|р\.|руб\.?|сом|сум|\$)?)"
    r"\s*(?:[(\[]\s*([^\W\d_][^()\[\]\d]{1,30}?\s*\d[^()\[\]]{0,20}?)\s*[)\]]|[—–-]\s*([^\W\d_][^\d]{1,30}?\s*\d"
    r"[.,\d]*\s?(?:г|гр|g|gr|шт|грамм)\.?))[\W_]*", re.I)


def _price_first(seg: _Segment) -> _Segment:
    """The segment with a price written before its bracketed product and weight turned round ("15 000 (меф 1г)" ->
    "меф 1г — 15 000"), the order the offer rules read."""
    if (m := _PRICE_FIRST.fullmatch(seg.text)) is not None:
        seg.text = f"{m.group(4) or m.group(5)} — {m.group(2)}{m.group(3)}"
    elif (turned := _product_first(seg.text)) is not None:
        seg.text = turned
    return seg


def _product_first(text: str) -> str | None:
    """Prices per place with their product and weight in brackets after them, turned round ("Медеу — 15к, Бостандык —
    14к (меф 1г)" -> "меф 1г: Медеу — 15к, Бостандык — 14к"); None for another text."""
    tail = text[-40:]
    if ")" not in tail and "]" not in tail:
        return None  # no bracket at its end: nothing to turn (and no scan of a long line)
    m = _PLACES_THEN_PRODUCT.fullmatch(text[:MAX_SEGMENT_CHARS])
    return f"{m.group(2)}: {m.group(1)}" if m and not _WEIGHT_UNIT.search(m.group(1)) else None


# prices per place, then the product and weight they are for in brackets ("Медеу — 15к, Бостандык — 14к (меф 1г)";
# issue 14, tg_dev2026h2)
_PLACES_THEN_PRODUCT = re.compile(
    r"([^()\[\]]*?\d[^()\[\]]*?)\s*[(\[]\s*([^\W\d_][^()\[\]\d]{1,30}?\s*\d[.,\d]*\s?(?:г|гр|g|gr|шт)\.?)\s*[)\]][\W_]*",
    re.I)
_WEIGHT_UNIT = re.compile(r"\d\s?(?:г|гр|g|gr|шт|грамм)(?![^\W\d_])", re.I)


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# "Шишки — временно нет.", "Кокаин: нет в наличии": a product, a dash or colon, a sold-out mark, no figures
_NAMED_SOLD_OUT = re.compile(
    rf"[\W_]*([^\W\d_]{{3,}}(?:\s[^\W\d_]{{2,}})?)\s*[—–:-]\s*(?:{_SOLD_OUT.pattern})\D*", re.I)
_NOT_SUBJECT = frozenset({"товар", "товара", "товары", "позиция", "позиции", "сейчас", "пока", "всё", "все", "это"})


def _in_stock(seg: _Segment) -> _Segment:
    """The segment, marked sold out when it says so; sentences saying so without figures before the rest are dropped
    instead ("меф закончился, ждём завоз. Шишки 1г — 9к": the шишки are on offer)."""
    if not _SOLD_OUT.search(seg.raw):
        return seg
    sentences = _SENTENCE.split(seg.text)
    marks_in_text = len(_SOLD_OUT.findall(seg.text)) == len(_SOLD_OUT.findall(seg.raw))  # none before the text
    # "меф 1г — 14 000 тг. Шишки — временно нет.": a sentence naming what is sold out is about that product only
    named = {i for i, x in enumerate(sentences) if (m := _NAMED_SOLD_OUT.fullmatch(x))
             and m.group(1).casefold() not in _NOT_SUBJECT}
    rest = [x for i, x in enumerate(sentences) if i not in named]
    if named and marks_in_text and rest and any(_DIGIT.search(x) for x in rest) \
            and not any(_SOLD_OUT.search(x) for x in rest):  # fmt: skip
        seg.text = " ".join(rest)
        return seg
    n = 0  # sold-out sentences without figures opening the text ("Гаш 1г — 11к. Нет в наличии": of the offer)
    while n < len(sentences) and _SOLD_OUT.search(sentences[n]) and not _DIGIT.search(sentences[n]):
        n += 1
    kept = sentences[n:]
    if marks_in_text and 0 < n < len(sentences) and not any(_SOLD_OUT.search(x) for x in kept):
        seg.text = " ".join(kept)
        return seg
    seg.sold_out = True
    return seg


_TRAILING_MARKS = re.compile(r"[^\w)\]]+$")  # emoji and marks after a place ("Медеу 🏠"), not its closing bracket
_FINER = re.compile(r"([^()]{1,40}?)\s*\(\s*([^()]{1,40}?)\s*\)")  # "СВАО (Медведково)"


def _bare(text: str) -> str:
    """The text without the punctuation, emoji and spaces around it (a scan, no backtracking on junk)."""
    i, j = 0, len(text)
    while i < j and not (text[i].isalnum() or text[i] == "_"):
        i += 1
    while j > i and not (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    return text[i:j]


def _lead_city(body: str) -> tuple[str | None, str]:
    """The known city opening a body and the rest after it (and after "қаласы"); (None, body) when none does."""
    if _DISTRICT_BEFORE.match(body):
        return None, body  # "р-н Байконур": a district named like a town (issue 14, tg_dev2026k)
    words = body.split()
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        candidate = " ".join(words[:n]).rstrip(":,.—–-/)!🏙 ")
        if candidate and city_currency(candidate) and _city_word_ends(body, candidate):
            rest = body[body.index(candidate) + len(candidate) :]
            if _ABBREV_MARKED.match(rest):
                return None, body  # "Алм. р-н 👉 …" under "АЛМАТЫ": the abbreviated Алмалинский, not the city
            rest = rest[m.end() :] if (m := _CITY_SUFFIX.match(rest)) else rest
            return full_name(candidate), rest
    return None, body


# an abbreviation's dot, then a district mark: the abbreviation names a district ("Алм. р-н", tg_dev2026o)
_ABBREV_MARKED = re.compile(r"\.\s*(?:р-н|р-он|район)(?![^\W\d_])", re.I)
_BRACKET_AHEAD = re.compile(r"\s*\(\s*([^()\d]{2,30}?)\s*\)")


def _same_city_bracket(body: str, city: str) -> str:
    """The body without a bracket giving the city again in another spelling ("Усть-Каменогорск (Өскемен), Защита")."""
    m = _BRACKET_AHEAD.match(body)
    if m and city_currency(m.group(1)) and group_key(full_name(m.group(1))) == group_key(city):
        return body[m.end() :]
    return body


def _district_then_city(body: str) -> tuple[str, str] | None:
    """A known district written before its city, with no figures ("Алмалинка 📍 Алматы", "Медеу — Алматы"):
    (district, city)."""
    if _DIGIT.search(body) or len(body) > 80:
        return None
    words = _WORD.findall(body)
    for n in (2, 1):
        if len(words) <= n:
            continue
        candidate = " ".join(words[-n:])
        head = " ".join(words[:-n])
        if city_currency(candidate) and not city_currency(head) and known_district(head):
            return district_as_shown(head) or head, full_name(candidate)
    return None


def _product_city_district(body: str) -> _Segment | None:
    """A word (the product) before a city and a known district and a dash ("Шишки Астана Коктал-1 — 11к за 1г"; issue
    14, tg_dev2026k): the segment "Шишки 11к за 1г" in that city and district (the district's number is no weight)."""
    w = re.match(r"([^\W\d_][\w\-]*)\s+", body)
    if not w:
        return None
    city, rest = _lead_city(body[w.end() :])
    d = _KNOWN_LEAD.match(rest) if city else None
    named = _known_lead(d.group(1)) if d else None
    if city is None or d is None or named is None:
        return None
    return _Segment(f"{w.group(1)} {rest[d.end() :].strip()}", body, city, district_as_shown(named))


def _place_prefix(part: str) -> _Segment:
    lead = _LEAD.match(part)
    body = part[lead.end() :] if lead else part
    body = _CITY_PREFIX.sub("", body)
    city, body = _lead_city(body)
    if city is None and (label := _STATUS_LABEL.match(body)):
        city, rest = _lead_city(body[label.end() :])  # "Наличие обновлено: Алматы, Жетысу-2 — …"
        body = rest if city else body
    if city is None and (before := _district_then_city(body)):
        return _Segment("", part, before[1], before[0])
    if city is None and (product_first := _product_city_district(body)):
        return replace(product_first, raw=part)
    if city:
        body = _same_city_bracket(body, city)
    district = None
    m = _DISTRICT_AFTER.search(body) or _DISTRICT_BEFORE.search(body)
    # "Актау, 4 мкр", "мкр 12", "11 мкр: меф …" (a line opening with it), "Сергелийский р-н, 6 квартал" (the finer)
    opening = len(body) - len(body.lstrip(" :,—–-"))
    numbered = _NUMBERED_MICRO.search(body) if city else _NUMBERED_MICRO.match(body, opening)
    if numbered and m and m.start() < numbered.start() and _MICRO_MARK.search(m.group(0)):
        numbered = None  # a named micro-district first: that one
    if numbered and m and m.start() < numbered.start():
        body = body[: m.start()] + body[m.end() :]  # the administrative district before it
        numbered = _NUMBERED_MICRO.search(body)
    if numbered:  # the number names it
        district = numbered.group(1) or numbered.group(2)
        body = body[: numbered.start()] + body[numbered.end() :]
    elif m:
        m, other = _finer_district(body, m)
        district = _district_name(m.group(1))
        for x in sorted([m, *other], key=lambda x: -x.start()):
            body = body[: x.start()] + body[x.end() :]
    elif city and (fine := _FINER.fullmatch(body.strip(" ,:;—–-/"))) \
            and _admin_then_finer(fine.group(1), fine.group(2)):
        district = district_as_shown(fine.group(2))  # "Москва ЮВАО (Марьино)": the finer one (tg_dev2026k)
        body = ""
    elif city and known_district(bare := _bare(body)):
        # "Москва ЦАО", "Алматы Медеу:", "#Алматы #Медеу", "Ош 🔥 Амир-Тимур" (any emoji or mark around it)
        district = district_as_shown(bare)
        body = ""
    elif (d := _KNOWN_LEAD.match(body)) and (named := _known_lead(d.group(1))) and _product_first(body) is None:
        # (not "Медеу — 15к, Бостандык — 14к (меф 1г)": a price per place, _price_first)
        district = district_as_shown(named)  # "Moscow / ЮАО — меф ...", "Караганда Юго-Восток: амф ..."
        body = body[d.end() :]
    elif city and (d := _AFTER_CITY.match(body)) \
            and (name := _END_MARK.sub("", _NEAR.sub("", d.group(2)).strip())) \
            and (_place_like(name) if d.group(1) in "/,📍" else _marked_place(name)):
        # "Алматы / Бостандыкский:", "Алматы, Медеу 🏠", "Омск, у ТЦ Мега" (a landmark: without its preposition);
        # after a dash or "|" only a known district, a landmark or a part of town ("Семей — Цементный", "Уральск | ТЦ
        # Атлас", "Ош — Старый город"), not a product heading ("Алматы — Шишки"); "Медеу р." without its mark, "Ауэз."
        # kept for its listed name (issue 14, tg_dev2026l)
        district = name if _ABBREV_PLACE.fullmatch(name) else district_as_shown(_TRAILING_MARKS.sub("", name))
        if district and (fine := _FINER.fullmatch(district)) and known_district(fine.group(2)):
            district = district_as_shown(fine.group(2))  # "Москва, СВАО (Медведково)": the finer one
        elif district and len(parts := [x.strip() for x in district.split("/")]) == 2 \
                and _admin_then_finer(parts[0], parts[1]):
            district = district_as_shown(parts[1])  # "Москва, САО / Ховрино": the finer one (tg_dev2026k)
        elif district and len(parts := [x.strip() for x in district.split(",")]) == 2 \
                and _part_then_finer(parts[0], parts[1]):
            district = district_as_shown(parts[1])  # "Новосибирск, Левый берег, ОбьГЭС": the finer (tg_dev2026l)
        body = body[d.end() :]
    if district is None and (loc := _in_district(body)):
        district, body = loc  # "Астана, на Левом берегу", "Да, в Джале: альфа 1г …" (tg_dev2026o)
    return _Segment(body.strip(" :—–-/,"), part, city, district)


# "в"/"во"/"на" before a capitalised place ("в Джале", "на Левом берегу", "в Ауэзовском районе" is _DISTRICT_AFTER's)
_IN_PLACE = re.compile(r"(?<![^\W\d_])(?:в|во|на)\s+([А-ЯЁ][а-яёәіңғүұқөһ]+(?:-\d{1,2})?)(?:\s+([а-яё]+))?")


def _in_district(body: str) -> tuple[str, str] | None:
    """(listed name, body without it) for a known district written in a case form after "в"/"на", not a city nor
    "центр" (a common word several cities list)."""
    for m in _IN_PLACE.finditer(body):
        first = m.group(1)
        if city_form(first) or first.casefold().startswith("центр"):
            continue
        if m.group(2) and (name := district_form(f"{first} {m.group(2)}")):
            return name, body[: m.start()] + body[m.end() :]
        if name := district_form(first):
            return name, body[: m.start()] + body[m.end(1) :]
    return None


_AFTER_CITY = re.compile(r"\s*([/,|📍]|[—–-](?=\s))\s*([^:;—–\d]+?)\s*(?::|$)")  # "Namangan 📍 Davlatobod"
_LANDMARK_NAME = re.compile(r"(?:ТЦ|ТРЦ|ТД|ТК)\s+\S", re.I)  # "ТЦ Атлас", "ТРЦ Керуен"


def _marked_place(name: str) -> bool:
    """A place after a dash or "|" behind the city: a known district, a shopping centre or a part of town."""
    return bool(known_district(name) or _LANDMARK_NAME.match(name) or _GENERIC_PLACE.fullmatch(name))


def _part_then_finer(part: str, finer: str) -> bool:
    """Whether "part, finer" names a part of town or an administrative district, then a place in it ("Левый берег,
    ОбьГЭС", "Советский р-н, Родники"), not a list of two places of one rank ("Медеу, Бостандык")."""
    coarse = bool(_GENERIC_PLACE.fullmatch(part)) or _admin_district(part)
    return coarse and finer[:1].isupper() and _finer_place(finer)


def _place_like(name: str) -> bool:
    """A district written after the city ("Алматы, Медеу:"), not a heading's words ("Алматы, наличие на сегодня:") nor
    another city ("Семей / Павлодар")."""
    if known_district(name) or _GENERIC_PLACE.fullmatch(name):
        return True
    return name[:1].isupper() and not city_currency(name)  # "Семей / Павлодар": a second city


_MICRO_MARK = re.compile(r"мкр|микрорайон|ж/м|жм|жилмассив|шағын|квартал|кв\b|mkr", re.I)


def _finer_district(body: str, first: re.Match[str]) -> tuple[re.Match[str], list[re.Match[str]]]:
    """The micro-district when a district and one of its micro-districts are both named ("Ауэзовский р-н, мкр
    Аксай-4" -> Аксай-4), with the other mark to drop; else the first district named, alone."""
    if _MICRO_MARK.search(first.group(0)):
        return first, []
    for pattern in (_DISTRICT_AFTER, _DISTRICT_BEFORE):  # before or after it ("мкр. Орбита-3, Бостандыкский район")
        for rest in pattern.finditer(body):
            apart = rest.end() <= first.start() or rest.start() >= first.end()
            if apart and _MICRO_MARK.search(rest.group(0)):
                return rest, [first]
    # "Каратауский р-н / Нурсат": an administrative district, then a place in it (issue 14, tg_dev2026k)
    after = _FINER_AFTER.fullmatch(body, first.end())
    if after and _ADMIN.search(_district_name(first.group(1)) or "") and _finer_place(after.group(1)):
        return after, [first]
    return first, []


def _admin_then_finer(admin: str, finer: str) -> bool:
    """Whether "admin (finer)" / "admin / finer" names an administrative district and a place in it ("ЮВАО
    (Марьино)", "САО / Ховрино"), not two places of one rank ("Асанбай / Джал")."""
    return _admin_district(admin) and finer[:1].isupper() and _finer_place(finer)


def _admin_district(name: str) -> bool:
    """A known district written as an administrative one ("ЮВАО", "Советский р-н")."""
    return bool(known_district(name)) and bool(_ADMIN.search(name))


def _finer_place(name: str) -> bool:
    """What may stand after a coarser place as the finer one: no administrative district, no city."""
    return not _ADMIN.search(name) and not city_currency(name)


def _known_lead(text: str) -> str | None:
    """A known district opening an offer line, the finer of "ЮАО / Чертаново" (every part known)."""
    if known_district(text):
        return text
    parts = [p.strip() for p in text.split("/")]
    if len(parts) < 2 or not all(p and known_district(p) for p in parts):
        return None
    # "ЮАО / Чертаново", "Медеуский / Самал-2": an administrative district, then a part of it; "Асанбай / Джал" lists
    # two neighbourhoods and names neither (issue 14, tg_dev2026j2)
    return parts[-1] if _ADMIN.search(parts[0]) and not _ADMIN.search(parts[-1]) else None


_ADMIN = re.compile(r"(?:ский|ской|ий|ауданы|тумани)$|^[А-ЯЁA-Z]{2,5}$")  # "Ауэзовский", "ЮАО", "Бостандық ауданы"


def _district_name(found: str) -> str | None:
    """A district as written, without a leading preposition or heading word ("в Бостандыкский" -> "Бостандыкский")."""
    words = found.split()
    while len(words) > 1 and words[0].lower() in _STOPWORDS:
        words = words[1:]
    if len(words) > 1 and words[-1].lower() in _MARK_WORDS:
        words = words[:-1]  # "Нурсат шағын ауданы": "шағын" (micro-) is part of the mark
    if len(words) > 1 and known_district(words[-1]) and not known_district(" ".join(words)):
        words = words[-1:]
    return district_as_shown(" ".join(words))


def _trailing_district(text: str) -> str | None:
    """A known district in brackets in an offer line ("… — 15 000 (Медеу)")."""
    for m in _BRACKETED.finditer(text[:MAX_SEGMENT_CHARS]):
        if known_district(m.group(1)):
            return district_as_shown(m.group(1))
    return None


# "15 000₸ (Медеу)", "15 000 ₸ — Медеу" (the line's or the row's end after the dash; issue 14, tg_dev2026j2)
_AFTER_PRICE = re.compile(r"\s*(?:[(\[]\s*([^\W\d_][^()\[\]]{1,38}?)\s*[)\]]|[—–-]\s*([^\W\d_][^,;()\d—–]{1,38}?)"
                          r"\s*(?=[,;]|$))")


def _district_after(clean: str, price: PriceMention) -> str | None:
    """A known district in brackets right after a price ("15 000₸ (Медеу)")."""
    m = _AFTER_PRICE.match(clean, price.end)
    name = m and (m.group(1) or m.group(2))
    return district_as_shown(name) if name and known_district(name) else None


def _heading_district(text: str) -> tuple[str, str] | None:
    """A heading line that is only a known district ("📍 Медеу:", "— Самал-2"): (as written, its city or "")."""
    name = _bare(text[:200])  # "📍 Медеу:", "➖ Жагалау ➖"
    if not name or len(name) > 40:
        return None
    found = known_district(name)
    if found is None and (_LANDMARK_NAME.match(name) or _GENERIC_PLACE.fullmatch(name)):
        return name, ""  # "Уральск | ТЦ Атлас", "… \n центр" (issue 14, tg_dev2026l)
    return (clean_place(name) or name, found[1]) if found else None


def _tail_place(segs: list[_Segment], offers: list[TgOffer]) -> str | None:
    """A place on the message's last line, after its offers, without figures ("…\n📍 Московка", "…\nРайон: Жана
    кала"; issue 14, tg_dev2026l): the district of offers of one city that name none."""
    tail = segs[-1] if segs else None
    if not offers or tail is None or tail.city or _DIGIT.search(tail.raw) or tail.raw == offers[-1].line:
        return None
    if any(o.district for o in offers) or len({o.city for o in offers}) != 1:
        return None
    if tail.district:
        # the line is the place and its mark alone ("Район: Жана кала"), not a sentence ("Цена зависит от района")
        alone = not _bare(tail.text) and (tail.district[:1].isupper() or tail.district[:1].isdigit()
                                          or _heading_district(tail.district) is not None)
        return tail.district if alone else None
    named = _heading_district(tail.text)  # known, a landmark or a part of town: not "📍 Самовывоз"
    return named[0] if named else None


def _city_anywhere(text: str) -> str | None:
    """A known city named anywhere in a heading without figures ("Город: Москва", "Наличие (Алматы):")."""
    words = _WORD.findall(text[:200])
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            candidate = " ".join(words[i : i + n])
            if city_currency(candidate):
                return full_name(clean_place(candidate) or candidate)
    return None


def _other_cities(seg: _Segment, city: str) -> list[str]:
    """The cities a heading without figures or a district names besides `city` ("Астана / Алматы:" -> Алматы)."""
    if _DIGIT.search(seg.raw) or seg.district:
        return []
    names = _cities_all(seg.raw)
    key = group_key(full_name(clean_place(city) or city))
    if len(names) < 2 or all(group_key(n) != key for n in names):
        return []  # "р-н Байконур:" (a district named like a city) names one place
    return [n for n in names if group_key(n) != key]


def _cities_all(text: str) -> list[str]:
    """Every known city a heading names, in order, once each ("Астана / Алматы — одинаковые цены:")."""
    words = _WORD.findall(text[:200])
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in (2, 1):
            candidate = " ".join(words[i : i + n])
            if len(words) - i >= n and city_currency(candidate):
                name = full_name(clean_place(candidate) or candidate)
                if all(group_key(name) != group_key(x) for x in out):
                    out.append(name)
                i += n
                break
        else:
            i += 1
    return out


def _district_anywhere(text: str, city: str) -> str | None:
    """The one known district of `city` a heading without figures names beside it; None for none or a list."""
    words = _WORD.findall(text[:200])
    found: dict[str, str] = {}  # listed name -> as written ("Жетысу", not the listed "Жетысуский")
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            candidate = " ".join(words[i : i + n])
            hit = known_district(candidate)
            if hit and (not hit[1] or group_key(hit[1]) == group_key(city)) and not city_currency(candidate):
                found.setdefault(hit[0], district_as_shown(candidate) or hit[0])
    return next(iter(found.values())) if len(found) == 1 else None


def _city_in(text: str) -> str | None:
    """A city named after "в"/"по"/"г." in an offer line ("Цены в Нск: соль 1г 2500р", "закладки по Астане"), or
    in a heading without figures before the line's colon ("Цены Астана: меф 1г — 15к")."""
    for m in _IN_CITY.finditer(text[:200]):
        if found := city_form(m.group(1)):
            return full_name(found)
    head, colon, _ = text[:200].partition(":")
    return _city_anywhere(head) if colon and not _DIGIT.search(head) else None


def _city_word_ends(body: str, candidate: str) -> bool:
    rest = body[body.index(candidate) + len(candidate) :]
    return bool(_CITY_END.match(rest))


def find_offers(
    text: str, extractor: Extractor, default_currency: str | None = None, lang: str = "ru"
) -> list[TgOffer]:
    """Every offer of one message, in the order written."""
    return find_offers_many([text], extractor, default_currency, lang)[0]


def find_offers_many(
    texts: Sequence[str], extractor: Extractor, default_currency: str | None = None, lang: str = "ru",
    default_city: str | None | Sequence[str | None] = None,
) -> list[list[TgOffer]]:
    """find_offers over many messages with one batched spaCy pass (substances) for all their segments.
    `default_city`: the city for offers of a message that names none: one for every message (the chat title's,
    `title_city`) or one per message (`HeaderCity.city_for`: the last header message's city, else the title's)."""
    homes = [default_city] * len(texts) if default_city is None or isinstance(default_city, str) \
        else list(default_city)
    if len(homes) != len(texts):
        raise ValueError("default_city: one city (or None) per message")
    # a price table in columns ("Меф | 0.5 | 1" over "Алматы | 9к | 16к"): one "weight — price" line per offer
    # a row of one price per city ("Алматы 15000 / Астана 16000"): one "City — price" line per city (ru_dev2026g)
    segments = [split_segments(expand_city_rows(expand_tables(column_tables(t)))) if isinstance(t, str) else []
                for t in texts]
    flat = [s.text for segs in segments for s in segs]
    docs = iter(extractor.analyse(flat, lang=lang)) if flat else iter(())
    lexicon = load_lexicon(extractor.lexicon_path)
    out = []
    for segs, home in zip(segments, homes, strict=True):
        out.append(_message_offers(segs, [next(docs) for _ in segs], default_currency, lexicon, home))
    return out


HEADER_HOURS = 12.0  # a header message's city holds this long after it (its edit time if later), or to the next header
_HEADER_CHARS = 80


def header_city(text: str) -> str | None:
    """The city of a header message ("📍 Караганда", "КАРАГАНДА — прайс на сегодня", "Караганда 👇"; issue 14,
    tg_dev2026n): a short message of at most two lines, no price, naming a city. "" for a header naming several
    ("Астана / Алматы": it ends the last header's city but names none); None for a message that is no header."""
    body = text.strip()
    if not body or len(body) > _HEADER_CHARS or len([x for x in body.splitlines() if x.strip()]) > 2:
        return None
    if find_prices(normalize(body), None):
        return None
    cities = _cities_all(body)
    if not cities:
        return None
    return cities[0] if len(cities) == 1 else ""


def _when(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


class HeaderCity:
    """A chat's city context, message by message in order (issue 14, tg_dev2026n): a header message naming one
    city ("📍 Караганда") makes it the city of the next messages' city-less offers, until the next header or
    HEADER_HOURS after the header (its edit time if later: an edited header is refreshed); then the chat title's
    one city (`title_city`), if any. A message's own city, and a district only another city lists, still win
    (`_lend_city`)."""

    def __init__(self, title: str | None = None, hours: float = HEADER_HOURS) -> None:
        self.home = title_city(title)
        self.hours = hours
        self.city: str | None = None
        self.at: datetime | None = None

    def city_for(self, text: str, date: str | None, edited: str | None = None) -> str | None:
        """The default city of this message's offers; a header message sets the context for the next ones."""
        when = _when(date)
        named = header_city(text) if isinstance(text, str) else None
        if named is not None:
            stamps = [t for t in (when, _when(edited)) if t is not None]
            self.city, self.at = (named or None), (max(stamps) if stamps else None)
            return self.home
        if self.city and self.at and when is not None:
            age = (when - self.at).total_seconds() / 3600
            if -self.hours <= age <= self.hours:
                return self.city
        return self.home


def title_city(name: str | None) -> str | None:
    """The one city a chat's title names ("Бишкек Клад 996" -> Бишкек; issue 14, tg_dev2026m): the city of a shop
    channel's messages that name none. None for no city or several ("Алматы | Астана shop")."""
    cities = _cities_all(name[:200]) if name else []
    return cities[0] if len(cities) == 1 else None


def _overlaps(m: re.Match[str], spans: Sequence[QtyMention] | Sequence[PriceMention]) -> bool:
    """Whether the match shares a character with any of the mentions."""
    return any(x.start < m.end() and m.start() < x.end for x in spans)


def shop_currency(segs: list[_Segment]) -> str | None:
    """The one currency a message without a city writes explicitly ("0.5г – 9000тг … 0,3г=5000": tenge), else None."""
    seen = {p.currency for seg in segs if _DIGIT.search(seg.text) for p in find_prices(normalize(seg.text), None)}
    seen.discard("BTC")
    seen.discard("XMR")
    return seen.pop() if len(seen) == 1 else None


def _district_of(name: str, city: str) -> str | None:
    """`name` as a district only `city` lists ("Байконур" of Astana), None otherwise."""
    found = known_district(name)
    return found[0] if found and found[1] and group_key(found[1]) == group_key(full_name(city)) else None


def _message_offers(segs: list[_Segment], docs: list, default_currency: str | None, lexicon: Lexicon,
                    default_city: str | None = None) -> list[TgOffer]:
    city = district = None
    product: Substance | None = None
    heading: Substance | None = None  # the product of a heading line without prices ("Мефедрон:")
    carried: Quantity | None = None  # "Мефедрон 1г" over per-city prices ("Алматы — 15 000")
    weight_line: Quantity | None = None  # "Вес: 1г": the weight of the next line's one price only
    also: list[str] = []  # more cities a heading names ("Астана / Алматы:"), offered at the same prices
    offers: list[TgOffer] = []
    legend = _legend(segs, lexicon)
    shop, shop_read = None, False  # the message's one explicit currency (shop_currency), read when needed
    for seg, doc in zip(segs, docs, strict=True):
        header_city = seg.city or (_city_anywhere(seg.text) if not _DIGIT.search(seg.text) else _city_in(seg.text))
        if seg.city and city and not seg.district and (listed := _district_of(seg.city, city)):
            # "3) Байконур — шишки 1г 9к" under "АСТАНА": a town's name that the heading city lists as its own
            # district is that district (issue 14, tg_dev2026p)
            header_city, seg = None, replace(seg, city=None, district=listed)
        if header_city:
            city, district = header_city, None
            # "Астана / Алматы — одинаковые цены:": a heading naming more cities prices the lines after it in each
            also = _other_cities(seg, city)
            if not seg.city and not seg.district and not _DIGIT.search(seg.text):
                district = _district_anywhere(seg.text, header_city)  # "#Алматы #Медеу", "Наличие (Алматы, Медеу):"
        if seg.district:
            district = seg.district
            if city and (listed := expand_abbreviation(district, group_key(full_name(city)))):
                district = listed  # "Астана, Алм. р-н" -> Алматинский
            elif city and (listed := misspelt_district(district, group_key(full_name(city)))):
                district = listed  # "Алмата, Бастандыкский р-н" -> Бостандыкский
            if city is None and (found := known_district(district)) and found[1]:
                city = local_name(found[1])  # "Район Медеу:" with no city yet: the only city with a Медеу
        elif not seg.city and (named := _heading_district(seg.text)):
            district = named[0]
            if city is None and named[1]:
                city = local_name(named[1])
            continue
        elif not seg.city and (tagged := _tag_district(seg.raw)):
            district = tagged[0]  # "#Свердловский #меф": the district tag of a hashtag line (its product read below)
            if city is None and tagged[1]:
                city = local_name(tagged[1])
        if seg.sold_out:
            continue  # "2г — 28 000 (нет в наличии)": listed, not on offer
        currency = city_currency(city) or default_currency or (city_currency(default_city) if not city else None)
        if currency is None and (named_city := _city_anywhere(seg.text)):
            # "UPD: Караганда меф 1г теперь 13к", "Меф 1г: Алматы 15к": a city named in the line, none before it
            city, currency = named_city, city_currency(named_city)
        if currency is None:
            if not shop_read:  # once per message, only for one with no city or default
                shop, shop_read = shop_currency(segs), True
            currency = shop
        subs = sorted([*(doc._.substances or []), *(doc._.weak_substances or [])], key=lambda s: s.start)
        clean = normalize(seg.text)
        pending, weight_line = weight_line, None
        if _REVIEW.search(clean) or ("?" in clean and _QUESTION.search(clean)) or _SCAM.search(clean):
            continue  # "взял 2г за 28к, всё ровно", "а 2г меф в Актау сколько? 28к?": a buyer's review or question
        by_gram = bool(offers) and (last := offers[-1].quantity) is not None and last.unit == "g"
        qs, ps = _amounts(clean, currency, {s.end for s in subs} if by_gram else None)
        subs = [s for s in subs if not _inside_amount(s, qs, ps)]  # "9к 2/26к": no "K2" there
        if not subs and legend and (mark := seg.raw.lstrip()[:1]) in legend:
            subs = [legend[mark]]  # "🍫 1г — 12 000т" under "🍫 — гаш": hashish
        line_district = _trailing_district(clean)  # "меф 1г — 15 000 (Медеу)": this line only
        if line_district is None and city:
            line_district = _bracket_place(clean, qs, subs, lexicon)
        if not qs and not ps and (carried or pending) and currency and (m := _ONLY_AMOUNT.fullmatch(clean)):
            amount = parse_number(m.group(1))
            ps = [PriceMention(amount, currency, m.start(1), m.end(1))] if amount else []
        if heading is not None and ps:
            # "Мефедрон:" / "крупные кристаллы 1г — 15 000": an offer line describing the heading's product (a
            # heading line of its own, "Кристаллы крупные:", starts a new product)
            subs = without_descriptors(subs, lexicon, also=[heading])
        heads = _product_starts(subs, ps)
        if not ps:
            if heads:
                product = heading = heads[0]
                masses = [q for q in qs if not q.dose]
                carried = masses[0].quantity() if len(masses) == 1 else None
            elif not subs:
                weight_line = _weight_line(clean, qs)
            continue
        if heads:
            heading = None  # an offer line naming its own product ends the heading's list
        bounds = [h.start for h in heads] + [len(clean)]
        if heads and heads[0].start > 0 and not any(p.start < heads[0].start for p in ps):
            bounds[0] = 0  # "1г меф — 14к": an unpriced amount before the product is that product's
        elif len(heads) == 1 and all(x.start < heads[0].end for x in qs) and all(x.start < heads[0].end for x in ps):
            bounds[0] = 0  # "1гр=14000тг меф": one product written after every amount and price is the line's
        elif not heads or heads[0].start > 0:
            heads, bounds = [product, *heads], [0, *bounds]  # type: ignore[list-item]
        for i, head in enumerate(heads):
            lo, hi = bounds[i], bounds[i + 1]
            chunk_q = [q for q in qs if lo <= q.start < hi]
            chunk_p = [p for p in ps if lo <= p.start < hi]
            if placed := _place_prices(clean, chunk_q, chunk_p, subs):
                for name, p in placed:  # one weight, a price per place: one offer each
                    for tier in build_tiers(chunk_q, [p], currency):
                        r = resolve_tier(tier)
                        if r.quantity is None or r.price is None or len(offers) >= MAX_OFFERS:
                            continue
                        here, there = (full_name(name), None) if city_currency(name) else \
                            (city, district_as_shown(name) or name)
                        offers.append(TgOffer(len(offers), here, there, head, r.quantity, r.price, seg.raw))
                        carried = r.quantity  # "Меф 1г: Алматы 15к | Астана 16к": the weight of the next places
                if head is not None:
                    product = head
                continue
            if per_gram := _per_gram_list(clean, chunk_q, chunk_p):
                for weight, cost in per_gram[: MAX_OFFERS - len(offers)]:
                    offers.append(TgOffer(len(offers), city, line_district or district, head, weight, cost, seg.raw))
                if head is not None:
                    product = head
                continue
            for tier in build_tiers(chunk_q, chunk_p, currency):
                if tier.price is None or len(offers) >= MAX_OFFERS:
                    continue
                r = resolve_tier(tier)  # "3к/г" alone: one gram; "5г по 3к/г": 15к (README "Prices")
                qty = r.quantity
                if qty is None and not qs and len(chunk_p) == 1:
                    qty = pending or carried
                if qty is None or r.price is None:
                    continue
                # "меф 1г — 15 000₸ (Медеу), меф 1г — 14 500₸ (Ауэзов)": the bracket right after each price
                where = _district_after(clean, tier.price) or line_district or district
                offers.append(TgOffer(len(offers), city, where, head, qty, r.price, seg.raw))
                for other in also:
                    if len(offers) < MAX_OFFERS:
                        offers.append(TgOffer(len(offers), other, None, head, qty, r.price, seg.raw))
            if head is not None:
                product = head
    if tail := _tail_place(segs, offers):
        offers = [replace(o, district=tail) for o in offers]
    elif place := _tail_city(segs, offers):
        offers = [replace(o, city=place[0], district=place[1]) for o in offers]
    offers = _one_city(offers)
    return _lend_city(offers, default_city) if default_city else offers


_TAG_LINE = re.compile(r"\s*#[^\W\d_][\w-]*(?:\s+#[^\W\d_][\w-]*)+\s*")


def _tag_district(raw: str) -> tuple[str, str] | None:
    """The one known district among a line of hashtags only ("#Свердловский #меф"; issue 14, tg_dev2026m): (as
    written, its city or ""); None for another line, none or two districts."""
    if not _TAG_LINE.fullmatch(raw[:200]):
        return None
    hits = [(tag, found) for tag in re.findall(r"#([^\W\d_][\w-]*)", raw) if (found := known_district(tag))]
    if len(hits) != 1:
        return None
    return district_as_shown(hits[0][0]) or hits[0][0], hits[0][1][1]


def _tail_city(segs: list[_Segment], offers: list[TgOffer]) -> tuple[str, str | None] | None:
    """A city (and district) alone on the message's last line, after offers that name no city ("…\n#Алматы
    #Ауэзовский", "Марка 1 шт — 3000 сом\nБишкек, Асанбай"; issue 14, tg_dev2026m): their place. Only a line that
    is the place and nothing else ("Бишкек, Асанбай", not "Бишкек: доставка завтра")."""
    tail = segs[-1] if segs else None
    if not offers or tail is None or not tail.city or _DIGIT.search(tail.raw) or tail.raw == offers[-1].line:
        return None
    if any(o.city or o.district for o in offers) or _bare(tail.text):
        return None
    return tail.city, tail.district


def _one_city(offers: list[TgOffer]) -> list[TgOffer]:
    """Offers without a city in a message whose other offers name one city only ("Ленинский р-н — …" above
    "Аламедин-1 — …", which only Бишкек has; issue 14, tg_dev2026m): that city, when their district is none or one
    that city lists."""
    cities = {o.city for o in offers if o.city}
    if len(cities) != 1 or all(o.city for o in offers):
        return offers
    return _lend_city(offers, next(iter(cities)))


def _lend_city(offers: list[TgOffer], city: str) -> list[TgOffer]:
    """`city` for the offers without one whose district is none or one that city lists."""
    key = group_key(full_name(clean_place(city) or city))
    out = []
    for o in offers:
        if o.city is None and (o.district is None or district_in_city(o.district, key)):
            o = replace(o, city=city)
        out.append(o)
    return out


def _legend(segs: list[_Segment], lexicon: Lexicon) -> dict[str, Substance]:
    """emoji -> the product it stands for, from legend lines without figures ("Легенда: 🍫 — гаш, ❄️ — кокс"); an
    ambiguous name there ("💎 — альфа") is read as the lexicon lists it: the legend is its context."""
    out: dict[str, Substance] = {}
    for seg in segs:
        if _DIGIT.search(seg.raw):
            continue
        pairs = list(_LEGEND_PAIR.finditer(seg.raw))
        if len(pairs) < 2:
            continue
        for m in pairs:
            word = _WORD.match(seg.raw, m.end())
            if word and (hit := lexicon.lookup(word.group(0))) is not None:
                out.setdefault(m.group(1), Substance(hit[0].canonical, hit[0].cls, word.group(0), 0, 0))
    return out


def _inside_amount(sub: Substance, qs: list[QtyMention], ps: list[PriceMention]) -> bool:
    """Whether a substance name starts inside a weight or a price (the "к 2" of "9к 2/26к" is no "K2")."""
    return any(q.start <= sub.start < q.end for q in qs) or any(p.start <= sub.start < p.end for p in ps)


def _weight_line(clean: str, qs: list[QtyMention]) -> Quantity | None:
    """The weight of a line that gives only a weight, perhaps labelled ("Вес: 1г", "▫️ 0.5 г")."""
    if len(qs) != 1 or qs[0].dose or not _WEIGHT_LABEL.fullmatch(clean[: qs[0].start]) \
            or _WORD.search(clean[qs[0].end :]) or _DIGIT.search(clean[qs[0].end :]):
        return None
    return qs[0].quantity()


def _not_place_word(name: str) -> bool:
    return name.split()[0].split("-")[0].casefold() in _NOT_PLACE


def _not_place(name: str, lexicon: Lexicon) -> bool:
    return _not_place_word(name) or lexicon.is_descriptor(name)


def _bracket_place(clean: str, qs: list[QtyMention], subs: list[Substance], lexicon: Lexicon) -> str | None:
    """A place in brackets right after a weight, when nothing in them reads as a product or a note."""
    for q in qs:
        m = _BRACKET_AFTER.match(clean, q.end)
        if m and not any(x.start < m.end() and m.start() < x.end for x in subs) and not _not_place(m.group(1), lexicon):
            return district_as_shown(m.group(1)) or m.group(1)
    return None


def _place_prices(clean: str, qs: list[QtyMention], ps: list[PriceMention],
                  subs: list[Substance]) -> list[tuple[str, PriceMention]] | None:
    """[(place, price)] when one weight is followed only by "Place price" pairs ("1г: Медеу 15к, Бостандык 14к"; a
    single pair when the place is a city: "Меф 1г: Алматы 15к | Астана 16к")."""
    if len(qs) != 1 or qs[0].dose or not ps or ps[0].start < qs[0].end:
        return None
    out = []
    prev = qs[0].end
    for p in ps:
        m = _PLACE_GAP.fullmatch(clean, prev, p.start)
        if not m or any(x.start < p.start and m.start(1) < x.end for x in subs):
            return None
        name = m.group(1)
        if _not_place_word(name):
            return None
        out.append((name, p))
        prev = p.end
    if len(out) == 1 and not city_currency(out[0][0]):
        return None  # one price after a place: a city ("Меф 1г: Алматы 15к | Астана 16к"), not any word
    return out


# what may stand between a per-gram price and its weights and between the weights ("за грамм: 1г, 3г или 5г")
_WEIGHT_GAP = re.compile(r"[\s,;:/—–-]*(?:(?:и|или|or)[\s,;:/—–-]*)?")


def _per_gram_list(clean: str, qs: list[QtyMention], ps: list[PriceMention]) -> list[tuple[Quantity, Price]]:
    """"шишки по 2 500₽ за грамм: 1г, 3г, 5г": one price per gram over a list of two or more weights after it is
    one offer per weight, multiplied out (issue 14, tg_dev2026q); anything else between them: none."""
    if len(ps) != 1 or ps[0].per != "g" or len(qs) < 2 or any(q.dose or q.unit != "g" for q in qs):
        return []
    p = ps[0]
    if qs[0].start < p.end or clean[qs[-1].end :].strip(" .!✅)"):
        return []
    gaps = [clean[p.end : qs[0].start], *(clean[a.end : b.start] for a, b in zip(qs, qs[1:], strict=False))]
    if not all(_WEIGHT_GAP.fullmatch(g) for g in gaps):
        return []
    return [(q.quantity(), Price(round(p.amount * q.value, 2), p.currency)) for q in qs]


def _product_starts(subs: list[Substance], ps: list[PriceMention]) -> list[Substance]:
    """The substances that start a product: the first one, and any named after a price of the one before
    ("меф кристаллы 1г — 15 000": one product; "меф 1г — 15 000, шишки 1г — 9 000": two)."""
    heads: list[Substance] = []
    for s in subs:
        if heads and (s.start < heads[-1].end or not any(heads[-1].end <= p.start < s.start for p in ps)):
            continue
        heads.append(s)
    return heads


def _priced_next(clean: str, end: int) -> bool:
    """A bare number followed by a separator and an amount ("СК крис 0.5 — 12.000₸"): the number is the weight."""
    gap = _SEP.match(clean, end)
    return bool(gap and gap.end() > end and gap.end() < len(clean) and clean[gap.end()].isdigit())


# "г" for a year ("1г гарантии", "2г. выпуска", "3г стажа"; issue 14, tg_dev2026o): no weight ("2г гарантия
# качества" still is)
_YEAR_AFTER = re.compile(r"\.?\s*(?:гарантии|выпуска|назад|стажа|опыта)(?![^\W\d_])", re.I)


def _amounts(clean: str, currency: str | None,
             name_ends: set[int] | None = None) -> tuple[list[QtyMention], list[PriceMention]]:
    """Quantities and prices of a segment; a bare number right after a quantity is a price in `currency`.
    `name_ends`: where the segment's product names end, when the offer before was sold by the gram (a bare whole
    number right after a product's name is grams too: "Мефедрон 1 - 13000")."""
    ps = [_with_k(p, clean) for p in find_prices(clean, currency)]
    for m in _GLUED_K.finditer(clean):
        if not any(p.start < m.end() and m.start() < p.end for p in ps):
            value = parse_number(m.group(1))
            if value:
                ps.append(PriceMention(value * 1000, _GLUED_CUR[m.group(2).lower()], m.start(), m.end()))
    # a number inside a price ("2200 руб", the "6" of "6 400р") is not a pill count
    qs = [q for q in outside_prices(find_quantities(clean), ps) if not q.guessed or _priced_next(clean, q.end)]
    qs = [q for q in qs if not (q.unit == "g" and _YEAR_AFTER.match(clean, q.end))]  # "1г гарантии": a year
    for m in _PIECES.finditer(clean):
        if not _overlaps(m, qs) and not _overlaps(m, ps):
            qs.append(QtyMention(float(m.group(1)), "unit", m.start(), m.end(), "count"))
    named = [m for m in _NAMED_ROW_WEIGHT.finditer(clean[:200]) if m.start() in name_ends] if name_ends else []
    rows = [*_ROW_WEIGHT.finditer(clean), *named]
    for m in rows:  # "МЕФ / 0,5 - 8 000 / 1 - 15 000", "▪️0.5 — 8к ▪️1 — 15к"
        gap = _ROW_SEP.match(clean, m.end())
        if gap and gap.end() < len(clean) and clean[gap.end()].isdigit() and not _overlaps(m, qs) \
                and not _overlaps(m, ps):  # fmt: skip
            qs.append(QtyMention(float(m.group(1)), "g", m.start(1), m.end(1), "mass", guessed=True))
    for m in _BARE_WEIGHT.finditer(clean):
        if _priced_next(clean, m.end()) and not _overlaps(m, qs) and not _overlaps(m, ps):
            value = parse_number(m.group(1))
            if value and 0 < value < 50:
                qs.append(QtyMention(value, "g", m.start(1), m.end(1), "mass", guessed=True))
    qs.sort(key=lambda q: q.start)
    mark_doses(qs, clean)
    _next_rows(clean, qs, ps)
    if currency:
        _bare_prices(clean, currency, qs, ps)
        if _next_rows(clean, qs, ps):  # "0.5 - 8000, 1 - 15000": a row weight after a bare price, then its price
            _bare_prices(clean, currency, qs, ps)
    return qs, ps


def _with_k(p: PriceMention, clean: str) -> PriceMention:
    """A price read without the "k" right after it ("KOKS peru 1gr - 70k" read as 70): the thousands."""
    k = clean[p.end : p.end + 2]
    if p.amount < 1000 and k[:1] in ("k", "K", "к", "К") and not k[1:].isalpha():
        return replace(p, amount=p.amount * 1000, end=p.end + 1)
    return p


def _next_rows(clean: str, qs: list[QtyMention], ps: list[PriceMention]) -> bool:
    """Weights opening the next row after a price on the same line ("меф 0.5/8к 1/14к", "0.5 — 2500 сом, 1 — 4500
    сом"): a number after a price, followed by a separator and an amount, is grams. Whether any was added."""
    added = False
    for p in list(ps):
        m = _NEXT_ROW.match(clean, p.end)
        if not m or _overlaps(m, qs) or any(x.start < m.end(1) and m.start(1) < x.end for x in ps):
            continue
        value = parse_number(m.group(1))
        if value and 0 < value < 50 and (value <= 10 or value != int(value)):
            qs.append(QtyMention(value, "g", m.start(1), m.end(1), "mass", guessed=True))
            added = True
    qs.sort(key=lambda q: q.start)
    return added


def _bare_prices(clean: str, currency: str, qs: list[QtyMention], ps: list[PriceMention]) -> None:
    """Bare amounts ("15 000") and thousands ("16k") placed where a price stands, read as prices in `currency`."""
    taken = [(q.start, q.end) for q in qs] + [(p.start, p.end) for p in ps]
    found = sorted([*((m, 1) for m in _BARE.finditer(clean)), *((m, 1000) for m in _BARE_K.finditer(clean)),
                    *((m, 1) for m in _BARE_T.finditer(clean))],
                   key=lambda x: (x[0].start(), -x[0].end()))  # the longest reading first: "15 000т", not "15"
    for m, scale in found:
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken) or _overlaps(m, ps):
            continue
        if scale == 1 and _BARE_K.match(clean, m.start()):
            continue  # "28 к": the thousands reading
        amount = parse_number(m.group(1))
        if not amount or amount <= 0:
            continue
        amount *= scale
        if per := _PER_GRAM.match(clean, m.end()):
            ps.append(PriceMention(amount, currency, m.start(), per.end(), "g"))
            continue
        after = [q for q in qs if q.start >= m.end() and not q.dose]
        if after and _BEFORE_QTY.fullmatch(clean[m.end() : after[0].start]) and amount >= 100:
            ps.append(PriceMention(amount, currency, m.start(), m.end()))
            continue
        before = [q for q in qs if q.end <= m.start() and not q.dose]
        between = clean[before[-1].end : m.start()] if before else ""
        if before and not (_GAP.fullmatch(between) or _GAP_NOTE.fullmatch(between)):
            # "2г — Майкудук 18 000, Пришахтинск 17 000": a place before each bare price after one weight
            last = max([before[-1].end, *(p.end for p in ps if before[-1].end <= p.end <= m.start())])
            place = _PLACE_GAP.fullmatch(clean, last, m.start())
            between = "" if place and amount >= 100 and not _not_place_word(place.group(1)) else "x"
        if not before or not (_GAP.fullmatch(between) or _GAP_NOTE.fullmatch(between)):
            continue
        ps.append(PriceMention(amount, currency, m.start(), m.end()))
    ps.sort(key=lambda p: p.start)

