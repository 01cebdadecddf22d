"""A seeded generator of Russian Telegram shop-channel exports (Telegram Desktop result.json) with ground truth.

Messages come in the formats klad shops post: one-line offers ("Алматы: меф 1г — 15 000, 2г — 28 000;
шишки 1г — 9 000"), price lists under city / district / product headings with emoji bullets, "в наличии"
lists, city-per-line lists, forwarded price lists, and chatter with no offer (reviews, rules, payment and
contact posts, discounts). Some messages are edited. ``text`` is a plain string or a list of strings and
entities (bold, hashtag, mention, link), as Telegram writes it. The truth lists every offer of a message:
``{"city", "district", "substance", "quantity": {"value", "unit"}, "price": {"amount", "currency"}}``
(city and district as the message shows them).

    python -m onionwatch.testbed.gen_telegram --seed 2 --messages 300 --out result.json --truth truth.json
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onionwatch.testbed.catalog import RU_PRODUCTS, Product
from onionwatch.testbed.gen_kladmen import CITIES as KLAD_CITIES
from onionwatch.testbed.identity import ru_shop_name, slugify, sub_rng, wallets
from onionwatch.testbed.offers import fmt_num, group_thousands

CITIES = (*((c, cur, tuple(d for d, _ in ds)) for c, _, cur, ds in KLAD_CITIES),
          ("Бишкек", "KGS", ("Ленинский", "Октябрьский", "Свердловский", "Первомайский")),
          ("Ташкент", "UZS", ("Юнусабадский", "Чиланзарский", "Мирзо-Улугбекский")))
PER_RUB = {"RUB": 1.0, "KZT": 6.0, "KGS": 1.0, "UZS": 140.0}
USD_PER_RUB = 1 / 90
PRODUCTS = tuple(p for p in RU_PRODUCTS if p.kind in ("weight", "pill"))
_SEPS = (" — ", " - ", ": ", " = ", " ➖ ", " 👉 ", " – ", " ")
_BULLETS = ("▫️ ", "• ", "🔹 ", "✅ ", "▪️", "- ", "", "➡️ ")
_CITY_MARKS = ("🏙 ", "📍 ", "🌆 ", "", "г. ", "🔥 ")
_PRODUCT_MARKS = ("❄️ ", "💎 ", "🌿 ", "🍭 ", "⚡️ ", "", "🔥 ")
_REVIEWS_AMOUNT = ("Взял {q} за {p}, всё ровно, спасибо 👍", "Забрал {q}, отдал {p} — качество огонь",
                   "Отзыв: брал {q} за {p}, клад на месте")
_REVIEWS = ("Спасибо магазину, всё чётко, клад на месте 👍", "Забрал за 5 минут, качество огонь 🔥",
            "Лучший магаз в городе, респект оператору", "Не нашёл клад, оператор перезакладил через час, спасибо",
            "Взял 2 раза, всё ровно", "Качество на высоте, вернусь ещё")
_CHATTER = ("Работаем 24/7 без выходных", "Перезаклад в течение 24 часов при фото-отчёте",
            "Скидка 10% на второй заказ до конца недели!", "Ищем курьеров, оплата от 2000 за клад",
            "Всем привет! Завоз сегодня после 18:00", "Бонус 500₽ за отзыв с фото",
            "Правила: фото и координаты клада в течение 3 часов", "В наличии: меф, шишки, гаш — пишите оператору")


# how shops write a city: abbreviated, transliterated, upper-cased; the truth keeps the full Russian name
CITY_SPELLINGS = {
    "Алматы": ("Алм", "Almaty", "АЛМАТЫ", "Алма-Ата", "Алматы қаласы"), "Астана": ("Аст", "Astana", "Nur-Sultan"),
    "Шымкент": ("Шым", "Shymkent"), "Караганда": ("Karaganda", "КАРАГАНДА"), "Москва": ("Мск", "МСК", "Moscow"),
    "Санкт-Петербург": ("СПб", "Питер", "SPB"), "Новосибирск": ("Нск", "Novosibirsk"),
    "Екатеринбург": ("Екб", "ЕКБ", "Ekaterinburg"), "Омск": ("Omsk",), "Казань": ("Kazan",),
    "Бишкек": ("Bishkek", "БИШКЕК"), "Ташкент": ("Tashkent", "Тошкент"),
}  # fmt: skip
# micro-districts ("мкр Самал-2"), written with "мкр"/"микрорайон"
MICRO = {
    "Алматы": ("Самал-2", "Аксай-4", "Орбита-3", "Мамыр-1", "Коктем-2", "Таугуль", "Шанырак"),
    "Астана": ("Жагалау", "Коктал", "Шубар"), "Шымкент": ("Нурсат", "Кайтпас", "Самал-3"),
    "Караганда": ("Пришахтинск",), "Бишкек": ("Джал", "Восток-5", "Асанбай", "Учкун"), "Ташкент": ("Чиланзар-9",),
}  # fmt: skip
# more ways a product is named in Telegram shops (slang, Latin codes)
EXTRA_FORMS = {
    "mephedrone": ("меф крис", "МЕФ кристаллы", "MEF", "мука", "мяу"), "alpha-pvp": ("СК крис", "ск", "Альфа"),
    "cocaine": ("K0KS", "Кокс VHQ", "кокос"), "cannabis": ("Гидра", "Чуйка", "шишки АК-47", "Гаш евро", "бошки"),
    "amphetamine": ("спиды", "амф"), "heroin": ("хмурый", "гер"), "methamphetamine": ("шард", "лёд"),
}  # fmt: skip
_OUT_OF_STOCK = ("нет в наличии", "закончился", "❌ нет", "SOLD OUT", "временно нет")
_STICKERS = ("👍", "🔥", "😎", "💰")
_BOT_MENUS = ("🤖 Меню бота:\n1️⃣ Выбрать город\n2️⃣ Прайс\n3️⃣ Оператор\n/start",
              "Выберите город:\n🏙 Алматы | 🏙 Астана | 🏙 Шымкент\nНажмите /menu",
              "/start — главное меню\n/price — прайс\n/help — помощь")


@dataclass
class Shop:
    name: str
    slug: str
    bot: str
    operator: str
    wallet: dict[str, list[str]]
    cities: list[tuple[str, str, tuple[str, ...]]]
    menu: list[Product]


def _shop(seed: int) -> Shop:
    rng = sub_rng(seed, "telegram-shop")
    name = ru_shop_name(rng)
    slug = slugify(name).replace("-", "_")[:20] or "shop"
    cities = rng.sample(CITIES, 4)
    menu = rng.sample(PRODUCTS, 7)
    return Shop(name, slug, f"@{slug}_bot", f"@{slug}_op", wallets(rng, 1.0, 0.6), cities, menu)


def _amount_text(rng: random.Random, amount: float, currency: str) -> str:
    if currency == "USD":
        n = fmt_num(amount)
        return rng.choice((f"${n}", f"{n}$", f"{n} $"))
    grouped = group_thousands(amount, rng.choice((" ", "", " ", ".")))
    style = rng.random()
    words = {"RUB": ("₽", " ₽", " руб", "р", " руб."), "KZT": ("₸", " ₸", " тг", " тенге", "тг"),
             "KGS": (" сом",), "UZS": (" сум",)}[currency]
    if style < 0.2 and amount >= 1000 and amount % 500 == 0:
        thousands = fmt_num(amount / 1000, comma=rng.random() < 0.5)
        if rng.random() < 0.25:
            return thousands + rng.choice((" тыс", "к")) + rng.choice(words)  # "15 тыс тг", "15к₸"
        return thousands + rng.choice(("к", "к", "k", "К"))
    if style < 0.55:
        return grouped  # bare: the city's currency
    return grouped + rng.choice(words)


def _explicit(rng: random.Random, amount: float, currency: str) -> str:
    """An amount with its currency written out (never bare)."""
    while True:
        text = _amount_text(rng, amount, currency)
        if not text.replace(" ", "").replace(".", "").replace(" ", "").isdigit():
            return text


def _city_text(rng: random.Random, city: str) -> str:
    """The city as this post writes it: the full name (55 %) or an abbreviation/transliteration."""
    return rng.choice(CITY_SPELLINGS[city]) if city in CITY_SPELLINGS and rng.random() < 0.45 else city


def _district(rng: random.Random, city: str, districts: tuple[str, ...]) -> tuple[str, str]:
    """(district as the truth names it, the heading text naming it): "Бостандыкский р-н", "мкр Самал-2" ..."""
    micro = MICRO.get(city, ())
    if micro and rng.random() < 0.35:
        d = rng.choice(micro)
        return d, rng.choice((f"мкр {d}", f"мкр. {d}", f"микрорайон {d}", f"{d} мкр", f"мкр.{d}"))
    d = rng.choice(districts)
    return d, rng.choice((f"{d} р-н", f"р-н {d}", f"{d} район", f"район {d}", f"р-н. {d}", d))  # bare: a known name


def _product_text(rng: random.Random, product: Product) -> str:
    extra = EXTRA_FORMS.get(product.canonical, ())
    return rng.choice(extra) if extra and rng.random() < 0.3 else rng.choice(product.forms)


def _qty_text(rng: random.Random, product: Product, value: float) -> str:
    n = fmt_num(value, comma=rng.random() < 0.4)
    if product.kind == "pill":
        return n + rng.choice((" шт", "шт", " таб", "шт."))
    return n + rng.choice(("г", " г", "гр", " гр", "г"))


def _price(rng: random.Random, product: Product, value: float, currency: str) -> float:
    per = rng.uniform(*product.price) * PER_RUB.get(currency, 1.0) * (1.0 - 0.04 * min(value, 5))
    if currency == "USD":
        return float(max(5, round(value * per * USD_PER_RUB / 5) * 5))
    step = {"RUB": 100, "KZT": 500, "KGS": 100, "UZS": 10_000}[currency]
    return float(max(round(value * per / step), 1) * step)


class _Message:
    """Builds one message's text parts (strings and entities) and its offers' truth together."""

    def __init__(self) -> None:
        self.parts: list[Any] = []
        self.offers: list[dict[str, Any]] = []

    def add(self, text: str, kind: str | None = None, href: str | None = None) -> None:
        if kind is None:
            self.parts.append(text)
        else:
            ent: dict[str, Any] = {"type": kind, "text": text}
            if href:
                ent["href"] = href
            self.parts.append(ent)

    def text(self) -> str | list[Any]:
        merged: list[Any] = []
        for p in self.parts:
            if isinstance(p, str) and merged and isinstance(merged[-1], str):
                merged[-1] += p
            else:
                merged.append(p)
        if len(merged) == 1 and isinstance(merged[0], str):
            return merged[0]
        return merged


def _tiers(rng: random.Random, product: Product, currency: str) -> list[tuple[float, float, str]]:
    n = rng.choice((1, 2, 2, 3))
    values = sorted(rng.sample(product.amounts[:6], min(n, len(product.amounts[:6]))))
    cur = "USD" if rng.random() < 0.08 else currency
    return [(v, _price(rng, product, v, cur), cur) for v in values]


def _offer(msg: _Message, city: str, district: str | None, product: Product, value: float, amount: float,
           cur: str, city_text: str | None = None) -> None:
    msg.offers.append({"city": city, "city_text": city_text or city, "district": district,
                       "substance": product.canonical,
                       "quantity": {"value": value, "unit": "unit" if product.kind == "pill" else "g"},
                       "price": {"amount": amount, "currency": cur}})


def _inline(rng: random.Random, shop: Shop, msg: _Message) -> None:
    city, currency, districts = rng.choice(shop.cities)
    shown = _city_text(rng, city)
    district, dtext = _district(rng, city, districts) if rng.random() < 0.4 else (None, "")
    if district:
        head = rng.choice((f"{shown}, {dtext}: ", f"📍{shown} {dtext}: ", f"{shown} / {dtext} — "))
    else:
        head = rng.choice((f"{shown}: ", f"#{shown} ", f"📍{shown}: ", f"г.{shown} - ", f"{shown}🏙 "))
    msg.add(head)
    products = rng.sample(shop.menu, rng.choice((1, 2, 2, 3)))
    for j, product in enumerate(products):
        msg.add("; " if j else "")
        msg.add(_product_text(rng, product), "bold" if rng.random() < 0.3 else None)
        sep = rng.choice((" — ", " - ", ": "))
        style = rng.random()
        if style < 0.1 and product.kind == "weight":  # a price per gram: an offer of one gram
            amount = _price(rng, product, 1.0, currency)
            msg.add(f" — {_explicit(rng, amount, currency)}{rng.choice(('/г', '/гр', ' за грамм', ' за 1г'))}")
            _offer(msg, city, district, product, 1.0, amount, currency, shown)
            continue
        for k, (v, amount, cur) in enumerate(_tiers(rng, product, currency)):
            if style < 0.25:  # price first, with its currency: "15 000₸ за 1г"
                msg.add(("," if k else "") + " " + _explicit(rng, amount, cur) + " за " + _qty_text(rng, product, v))
            else:
                msg.add(("," if k else "") + " " + _qty_text(rng, product, v) + sep + _amount_text(rng, amount, cur))
            _offer(msg, city, district, product, v, amount, cur, shown)


def _price_list(rng: random.Random, shop: Shop, msg: _Message) -> None:
    msg.add(rng.choice(("🔥 ПРАЙС 🔥\n", "Актуальный прайс:\n", "", "⚡️ Наличие на сегодня ⚡️\n")))
    for city, currency, districts in rng.sample(shop.cities, rng.choice((1, 1, 2))):
        shown = _city_text(rng, city)
        if rng.random() < 0.2:
            msg.add(rng.choice((f"✅ В наличии — {shown}:\n", f"Город: {shown}\n", f"Наличие ({shown}):\n")))
        else:
            msg.add(rng.choice(_CITY_MARKS) + shown + rng.choice(("", ":", " 🏙")) + "\n")
        places = [_district(rng, city, districts) for _ in range(rng.choice((1, 1, 2)))]
        for district, dtext in places if rng.random() < 0.7 else [(None, "")]:
            if district:
                msg.add(rng.choice(("📍 ", "🏘 ", "", "— ", "➡️ ")) + rng.choice((dtext, dtext, f"Район: {district}"))
                        + rng.choice(("", ":")) + "\n")
            bullet, sep = rng.choice(_BULLETS), rng.choice(_SEPS[:7])
            for product in rng.sample(shop.menu, rng.choice((1, 2, 3))):
                adj = f" {rng.choice(product.adjectives)}" if product.adjectives and rng.random() < 0.5 else ""
                dose = f" {fmt_num(product.doses[0][0])}мг" if product.kind == "pill" and product.doses and \
                    product.doses[0][1] == "mg" and rng.random() < 0.5 else ""
                msg.add(rng.choice(_PRODUCT_MARKS))
                msg.add(_product_text(rng, product) + adj + dose, "bold" if rng.random() < 0.5 else None)
                msg.add("\n")
                for v, amount, cur in _tiers(rng, product, currency):
                    if rng.random() < 0.08:  # listed but sold out: not an offer
                        tail = rng.choice(("", f"{sep}{_amount_text(rng, amount, cur)}"))
                        msg.add(f"{bullet}{_qty_text(rng, product, v)}{tail} ({rng.choice(_OUT_OF_STOCK)})\n")
                        continue
                    msg.add(f"{bullet}{_qty_text(rng, product, v)}{sep}{_amount_text(rng, amount, cur)}\n")
                    _offer(msg, city, district, product, v, amount, cur, shown)
    if rng.random() < 0.3:
        msg.add("Отзывы: ")
        msg.add("тут", "text_link", f"https://t.me/{shop.slug}_reviews")
        msg.add("\n")
    msg.add(rng.choice(("Заказ через бота ", "Бот: ", "Покупки: ")))
    msg.add(shop.bot, "mention")


def _per_line(rng: random.Random, shop: Shop, msg: _Message) -> None:
    msg.add(rng.choice(("✅ В наличии:\n", "Свежие клады:\n", "")))
    for _ in range(rng.choice((2, 3, 4))):
        city, currency, districts = rng.choice(shop.cities)
        shown = _city_text(rng, city)
        product = rng.choice(shop.menu)
        v, amount, cur = _tiers(rng, product, currency)[0]
        district, dtext = _district(rng, city, districts) if rng.random() < 0.3 else (None, "")
        place = f"{shown}, {dtext}" if district else shown
        mark = rng.choice(("", "📍", "🔹 "))
        msg.add(f"{mark}{place} | {_product_text(rng, product)} {_qty_text(rng, product, v)} — "
                f"{_amount_text(rng, amount, cur)}\n")
        _offer(msg, city, district, product, v, amount, cur, shown)


def _per_city(rng: random.Random, shop: Shop, msg: _Message) -> None:
    """One product and weight, then one price line per city: "Мефедрон 1г\nАлматы — 15 000\nАстана — 16 000"."""
    product = rng.choice(shop.menu)
    value = rng.choice(product.amounts[:4])
    msg.add(rng.choice(_PRODUCT_MARKS) + _product_text(rng, product) + " " + _qty_text(rng, product, value) + "\n")
    for city, currency, _ in rng.sample(shop.cities, rng.choice((2, 3))):
        shown = _city_text(rng, city)
        amount = _price(rng, product, value, currency)
        sep = rng.choice((" — ", ": ", " - "))
        msg.add(f"{rng.choice(_CITY_MARKS)}{shown}{sep}{_amount_text(rng, amount, currency)}\n")
        _offer(msg, city, None, product, value, amount, currency, shown)


def _chatter(rng: random.Random, shop: Shop, msg: _Message) -> None:
    kind = rng.random()
    if kind < 0.15:
        city, currency, _ = rng.choice(shop.cities)
        product = rng.choice(shop.menu)
        v, amount, cur = _tiers(rng, product, currency)[0]
        msg.add(rng.choice(_REVIEWS_AMOUNT).format(q=_qty_text(rng, product, v), p=_amount_text(rng, amount, cur)))
    elif kind < 0.4:
        msg.add(rng.choice(_REVIEWS))
    elif kind < 0.7:
        msg.add(rng.choice(_CHATTER))
    elif kind < 0.78:
        msg.add(rng.choice(_BOT_MENUS))
    elif kind < 0.85:
        msg.add("Оплата BTC: ")
        msg.add(shop.wallet["BTC"][0], "code")
        msg.add("\nОператор: ")
        msg.add(shop.operator, "mention")
    else:
        msg.add("Наш резервный канал: ")
        msg.add(f"t.me/{shop.slug}_reserve", "link")


FORMATS = ((_inline, 0.27), (_price_list, 0.23), (_per_line, 0.13), (_per_city, 0.07), (_chatter, 0.3))


def generate(seed: int, n_messages: int = 200, edit_share: float = 0.1) -> tuple[dict[str, Any], list[dict]]:
    """(export, truth): the export as Telegram Desktop writes it; truth: [{"id", "offers": [...]}]."""
    shop = _shop(seed)
    rng = sub_rng(seed, "telegram-messages")
    messages: list[dict[str, Any]] = [{"id": 1, "type": "service", "date": "2024-01-01T10:00:00",
                                       "date_unixtime": "1704103200", "actor": shop.name,
                                       "action": "create_channel", "title": shop.name, "text": ""}]
    truth = []
    when = 1_704_103_200
    for i in range(n_messages):
        mid = i + 2
        when += rng.randrange(600, 20_000)
        msg = _Message()
        fmt = rng.choices([f for f, _ in FORMATS], [w for _, w in FORMATS])[0]
        fmt(rng, shop, msg)
        obj: dict[str, Any] = {"id": mid, "type": "message", "date": _iso(when), "date_unixtime": str(when),
                               "from": shop.name, "from_id": f"channel{1_000_000 + seed}", "text": msg.text()}
        if rng.random() < 0.03:  # a sticker: no text at all
            obj.update(text="", media_type="sticker", file="(File not included)", sticker_emoji=rng.choice(_STICKERS))
            msg.offers = []
        if (fmt is _chatter and rng.random() < 0.3) or rng.random() < 0.05:
            obj["forwarded_from"] = rng.choice(("Алексей", "Мария К.", "Deleted Account", "Ночной дозор"))
        if rng.random() < edit_share:
            obj["edited"], obj["edited_unixtime"] = _iso(when + 3600), str(when + 3600)
        if rng.random() < 0.2:
            obj["photo"], obj["width"], obj["height"] = f"photos/photo_{mid}@01-01-2024.jpg", 1280, 720
        messages.append(obj)
        truth.append({"id": mid, "offers": msg.offers})
    export = {"name": shop.name, "type": "public_channel", "id": 1_000_000 + seed, "messages": messages}
    return export, truth


def _iso(unix: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def write(seed: int, n_messages: int, out: Path, truth_out: Path | None = None) -> list[dict]:
    export, truth = generate(seed, n_messages)
    out.write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    if truth_out:
        truth_out.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m onionwatch.testbed.gen_telegram", description=__doc__)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--messages", type=int, default=200)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--truth", type=Path, default=None)
    args = p.parse_args(argv)
    write(args.seed, args.messages, args.out, args.truth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
