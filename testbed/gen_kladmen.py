"""The "kladmen" market: a Russian-language klad (dead-drop) shop, Hydra/Mega style (RUB or KZT by city)."""

from __future__ import annotations

import random

from onionwatch.testbed.catalog import RU_PRODUCTS, RU_SERVICES, Product
from onionwatch.testbed.identity import (
    contact_handles,
    n_shared,
    pgp_key,
    ru_shop_name,
    shared_actor,
    slugify,
    sub_rng,
    wallets,
)
from onionwatch.testbed.model import Amount, Listing, Market, TierOffer, Vendor
from onionwatch.testbed.offers import (
    check_sizes,
    fmt_num,
    group_thousands,
    ladder,
    listing_slots,
    pick_product,
    raw_price,
    round_local,
    unit_price,
)
from onionwatch.testbed.vocab import substance_class

NAME = "kladmen"
NON_DRUG_SHARE = 0.09
KZT_PER_RUB = (5.6, 6.4)

# (name, slug, currency, [(district, slug), ...])
CITIES: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Алматы", "almaty", "KZT", (("Алмалинский", "almalinsky"), ("Бостандыкский", "bostandyk"),
                                  ("Медеуский", "medeu"), ("Ауэзовский", "auezov"), ("Жетысуский", "zhetysu"))),
    ("Астана", "astana", "KZT", (("Есильский", "esil"), ("Алматинский", "almatinsky"),
                                  ("Сарыаркинский", "saryarka"), ("Байконур", "baikonur"))),
    ("Шымкент", "shymkent", "KZT", (("Абайский", "abay"), ("Аль-Фарабийский", "al-farabi"),
                                     ("Енбекшинский", "enbekshi"))),
    ("Караганда", "karaganda", "KZT", (("Казыбек би", "kazybek-bi"), ("Майкудук", "maikuduk"),
                                        ("Юго-Восток", "yugo-vostok"))),
    ("Москва", "moskva", "RUB", (("ЦАО", "cao"), ("САО", "sao"), ("ЮАО", "yuao"), ("ВАО", "vao"),
                                  ("ЗАО", "zao"), ("Бутово", "butovo"))),
    ("Санкт-Петербург", "spb", "RUB", (("Центральный", "centralny"), ("Невский", "nevsky"),
                                        ("Приморский", "primorsky"), ("Купчино", "kupchino"))),
    ("Новосибирск", "novosibirsk", "RUB", (("Ленинский", "leninsky"), ("Кировский", "kirovsky"),
                                            ("Академгородок", "akademgorodok"))),
    ("Омск", "omsk", "RUB", (("Советский", "sovetsky"), ("Ленинский", "leninsky"), ("Кировский", "kirovsky"))),
    ("Екатеринбург", "ekaterinburg", "RUB", (("Уралмаш", "uralmash"), ("Эльмаш", "elmash"), ("ВИЗ", "viz"),
                                              ("Ботаника", "botanika"))),
    ("Казань", "kazan", "RUB", (("Вахитовский", "vahitovsky"), ("Ново-Савиновский", "novo-savinovsky"),
                                 ("Приволжский", "privolzhsky"))),
)
_KLAD = (" (магнит)", " (прикоп)", " (тайник)", " [магнит]", " — прикоп")
_EMOJI = ("🔥", "❄️", "💎", "🍭", "⚡", "🚀", "👑", "🍀")
_TAGS = (" АКЦИЯ", " СКИДКА 10%", " NEW", " VHQ", " ТОП", " -15% при оплате BTC", " ХИТ", " Качество!!!")
_DESC = (
    "Клад: {klad}. Район: {district}.",
    "Фото и координаты после оплаты.",
    "Перезаклад при ненаходе — только с видео распаковки.",
    "Вес всегда в плюс, фасовка на ювелирных весах.",
    "Оператор на связи 24/7, пишите в бот.",
    "Качество проверено, отзывы в теме магазина.",
    "Не берите клад днём, будьте внимательны!",
    "При оплате в XMR скидка 5%.",
)
_RU_CONTACT = {"telegram": "Телеграм", "jabber": "Jabber", "email": "Почта", "session": "Session",
               "wickr": "Wickr"}
_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря")


def price_text(amount: float, currency: str, style: int) -> str:
    if currency == "KZT":
        return (f"{group_thousands(amount)} ₸", f"{int(amount)} тг", f"{group_thousands(amount)} тенге")[style]
    return (f"{int(amount)} руб.", f"{group_thousands(amount)} ₽", f"{group_thousands(amount)} р.")[style]


def _qty_text(rng: random.Random, value: float, unit: str) -> str:
    v = fmt_num(value, comma=True)
    if unit == "g":
        return rng.choice((f"{v} г", f"{v}г", f"{v} гр", f"{v}гр", f"{v} грамм"))
    if unit == "ml":
        return rng.choice((f"{v} мл", f"{v}мл"))
    return rng.choice((f"{v} шт", f"{v}шт", f"{v} шт."))


def _dose_text(dose: tuple[float, str]) -> str:
    return f"{fmt_num(dose[0], comma=True)} {'мкг' if dose[1] == 'ug' else 'мг'}"


def _drug(rng: random.Random, product: Product, currency: str, style: int) -> dict:
    form = rng.choice(product.forms)
    adj = rng.choice(product.adjectives) if product.adjectives and rng.random() < 0.55 else ""
    show_ladder = rng.random() < 0.45
    in_title = rng.random() < 0.7 or not show_ladder
    unit = {"pill": "unit", "volume": "ml"}.get(product.kind, "g")
    dose = rng.choice(product.doses) if product.kind == "pill" else None
    per = unit_price(rng, product) * (rng.uniform(*KZT_PER_RUB) if currency == "KZT" else 1.0)
    steps = ladder(rng, product.amounts, show_ladder)
    prices = [round_local(raw_price(product, per, q, unit), currency) for q in steps]
    name = f"{form} {adj}" if adj and rng.random() < 0.5 else f"{adj} {form}" if adj else form
    if dose:
        name = f"{name} {_dose_text(dose)}"
    title = f"{name} {_qty_text(rng, steps[0], unit)}" if in_title else name
    if rng.random() < 0.3:
        title += rng.choice(_KLAD)
    if rng.random() < 0.15:
        title += rng.choice(_TAGS)
    if rng.random() < 0.10:
        title = title.upper()
    if rng.random() < 0.3:
        em = rng.choice(_EMOJI)
        title = f"{em} {title} {em}" if rng.random() < 0.5 else f"{em}{title}"
    label = {"g": "г", "ml": "мл"}.get(unit, "шт")
    tiers = [
        TierOffer(Amount(q, unit), p, f"{fmt_num(q, comma=True)} {label} — {price_text(p, currency, style)}")
        for q, p in zip(steps, prices, strict=True)
    ]
    return {"title": title.strip(), "substance": product.canonical, "quantity": Amount(steps[0], unit),
            "dose": Amount(*dose) if dose else None, "price": prices[0], "tiers": tiers if show_ladder else [],
            "form": form}


def _service(rng: random.Random, currency: str) -> dict:
    service = rng.choice(RU_SERVICES)
    price = round_local(rng.uniform(*service.price) * (6.0 if currency == "KZT" else 1.0), currency)
    return {"title": rng.choice(service.titles), "substance": None, "quantity": None, "dose": None,
            "price": price, "tiers": [], "form": service.category}


def _vendors(seed: int, n_vendors: int) -> list[Vendor]:
    out: list[Vendor] = []
    seen: set[str] = set()
    shared = [shared_actor(seed, i) for i in range(n_shared(n_vendors))]
    for i in range(n_vendors):
        if i < len(shared):
            actor = shared[i]
            vrng = sub_rng(seed, NAME, "vendor", actor.actor_id)
            name = actor.handle + vrng.choice((" Shop", " KZ", " RU", "", " Official"))
            actor_id, key, telegram = actor.actor_id, actor.pgp, actor.telegram
        else:
            vrng = sub_rng(seed, NAME, "vendor", i)
            name = ru_shop_name(vrng)
            while slugify(name) in seen:
                name = f"{ru_shop_name(vrng)} {vrng.randint(2, 99)}"
            actor_id = f"{NAME}-{i:04d}"
            key = pgp_key(seed, actor_id, slugify(name), vrng) if vrng.random() < 0.3 else None
            telegram = "@" + slugify(name).replace("-", "_") + vrng.choice(("_bot", "_op", "", "24"))
        slug = slugify(name)
        seen.add(slug)
        kinds = ["telegram"] + [k for k in ("jabber", "email", "session") if vrng.random() < (0.5, 0.1, 0.15)[
            ("jabber", "email", "session").index(k)]]
        contacts = contact_handles(vrng, slug.replace("-", "_"), telegram, kinds)
        lines = [f"{_RU_CONTACT[k]}: {v}" for k, vals in contacts.items() for v in vals]
        cities = vrng.sample(range(len(CITIES)), vrng.choice((1, 1, 2, 3)))
        year = vrng.randint(2020, 2025)
        out.append(Vendor(
            market=NAME, vendor_id=slug, name=name, url=f"/shop/{slug}", actor_id=actor_id,
            rating=f"{vrng.uniform(4.3, 5.0):.2f}".replace(".", ","),
            sales=group_thousands(int(vrng.paretovariate(1.1) * 150)),
            joined=f"с {vrng.randint(1, 28)} {_MONTHS[vrng.randrange(12)]} {year} г.",
            pgp=key, contacts=contacts, contact_lines=lines, crypto=wallets(vrng, 0.8, 0.6),
            description=vrng.choice((
                "Работаем с 2020 года. Только качественный товар, честные клады.",
                "Магазин с лучшими отзывами в городе. Перезаклад по правилам.",
                "Оптовым покупателям — скидки. Пишите оператору.",
                "Соблюдайте правила безопасности. Мы не работаем с новичками без отзывов.",
            )),
            extra={"cities": ",".join(str(c) for c in cities), "style": str(vrng.randrange(3))},
        ))
    sub_rng(seed, NAME, "shuffle").shuffle(out)
    return out


def generate(seed: int, n_vendors: int = 200, n_listings: int = 2000) -> Market:
    check_sizes(n_vendors, n_listings)
    vendors = _vendors(seed, n_vendors)
    slots = listing_slots(seed, NAME, vendors, n_listings, first_id=100_000, id_span=max(n_listings * 50, 800_000),
                          service_share=NON_DRUG_SHARE, products=RU_PRODUCTS)  # fmt: skip
    listings = []
    for i in range(n_listings):
        vendor = slots.vendor(i)
        lrng = sub_rng(seed, NAME, "listing", i)
        city_index = lrng.choice([int(c) for c in vendor.extra["cities"].split(",")])
        city_name, city_slug, currency, districts = CITIES[city_index]
        district, district_slug = lrng.choice(districts)
        style = int(vendor.extra["style"])
        data = _service(lrng, currency) if i in slots.services else _drug(
            lrng, pick_product(lrng, RU_PRODUCTS, slots.menus[vendor.vendor_id]), currency, style)
        klad = lrng.choice(("магнит", "прикоп", "тайник"))
        desc = " ".join(lrng.sample(_DESC, 3)).format(klad=klad, district=district)
        if data["substance"] is None:
            desc = "Подробности у оператора. Пишите в Телеграм магазина."
        lid = str(slots.ids[i])
        subst = data["substance"]
        listings.append(Listing(
            market=NAME, listing_id=lid, url=f"/tovar/{lid}", vendor=vendor, title=data["title"],
            description=desc, substance=subst, substance_class=substance_class(subst) if subst else None,
            quantity=data["quantity"], dose=data["dose"], price=data["price"], currency=currency,
            price_text=price_text(data["price"], currency, style), tiers=data["tiers"],
            location=f"{city_name} / {district}",
            extra={"city": city_name, "city_slug": city_slug, "district": district,
                   "district_slug": district_slug},
        ))
    nav: dict[str, dict[str, list[Listing]]] = {c[1]: {d[1]: [] for d in c[3]} for c in CITIES}
    for li in sorted(listings, key=lambda x: -int(x.listing_id)):
        nav[li.extra["city_slug"]][li.extra["district_slug"]].append(li)
    return Market(NAME, seed, vendors, listings, {"cities": nav})
