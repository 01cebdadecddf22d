"""HTML of the "kladmen" klad shop (Russian; its own structure and class names). All text is escaped."""

from __future__ import annotations

from html import escape

from onionwatch.testbed.gen_kladmen import CITIES
from onionwatch.testbed.model import Listing, Market, Vendor
from onionwatch.testbed.offers import fmt_num, shown_amount

PER_PAGE = 20
_CITY = {c[1]: c for c in CITIES}


def e(text: object) -> str:
    return escape(str(text), quote=True)


def layout(title: str, body: str, crumbs: list[tuple[str, str]] | None = None) -> str:
    path = "".join(f' &raquo; <a class="kroshka" href="{e(href)}">{e(label)}</a>' for label, href in crumbs or [])
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        f"<title>{e(title)} — Кладмен</title>"
        '<link rel="stylesheet" href="/static/kladmen.css"></head>\n<body class="kladmen">\n'
        '<div id="shapka"><a class="logo" href="/">КЛАДМЕН</a> <span class="slogan">Моментальные покупки 24/7'
        f'</span></div>\n<div class="put"><a class="kroshka" href="/">Главная</a>{path}</div>\n'
        f'<div id="soderzhimoe">\n{body}\n</div>\n'
        '<div id="podval">Кладмен &copy; 2026 &middot; Оплата: BTC, XMR</div>\n</body></html>\n'
    )


def home_page(market: Market) -> str:
    nav = market.nav["cities"]
    cities = "".join(
        f'<a class="gorod" href="/g/{slug}">{e(_CITY[slug][0])}</a> '
        f'<span class="kol">({sum(len(v) for v in nav[slug].values())})</span><br>'
        for slug in nav
    )
    body = f'<h2 class="zagolovok">Выберите город</h2><div class="goroda">{cities}</div>'
    return layout("Главная", body)


def city_page(market: Market, city: str) -> str | None:
    districts = market.nav["cities"].get(city)
    if districts is None:
        return None
    name, _, _, names = _CITY[city]
    label = dict((slug, n) for n, slug in names)
    items = "".join(
        f'<li><a class="rayon" href="/g/{city}/{slug}">{e(label[slug])}</a> <i>{len(lst)} тов.</i></li>'
        for slug, lst in districts.items()
    )
    body = f'<h2 class="zagolovok">{e(name)}: районы</h2><ul class="rayony">{items}</ul>'
    return layout(name, body, [(name, f"/g/{city}")])


def _row(li: Listing) -> str:
    qty = "&mdash;"
    if li.quantity is not None:
        unit = {"g": "г", "ml": "мл"}.get(li.quantity.unit, "шт")
        qty = f"{e(fmt_num(li.quantity.value, comma=True))} {unit}"
    return (
        f'<tr class="tovar" id="t{e(li.listing_id)}">'
        f'<td class="nazv"><a class="tovar-link" href="/tovar/{e(li.listing_id)}">{e(li.title)}</a></td>'
        f'<td class="ves">{qty}</td><td class="stoimost">{e(li.price_text)}</td>'
        f'<td class="prodavec"><a class="shop-link" href="/shop/{e(li.vendor.vendor_id)}">{e(li.vendor.name)}</a></td>'
        "</tr>"
    )


def district_page(market: Market, city: str, district: str, page: int) -> str | None:
    items = market.nav["cities"].get(city, {}).get(district)
    if items is None:
        return None
    pages = max(1, -(-len(items) // PER_PAGE))
    if page < 1 or page > pages:
        return None
    city_name, _, _, names = _CITY[city]
    d_name = dict((slug, n) for n, slug in names)[district]
    rows = "".join(_row(li) for li in items[(page - 1) * PER_PAGE : page * PER_PAGE])
    nums = " ".join(
        f"<b>{n}</b>" if n == page else f'<a class="str" href="/g/{city}/{district}?str={n}">{n}</a>'
        for n in range(1, pages + 1)
    )
    dalee = f' <a class="dalee" href="/g/{city}/{district}?str={page + 1}">Далее &raquo;</a>' if page < pages else ""
    body = (
        f'<h2 class="zagolovok">{e(city_name)}, {e(d_name)}</h2>'
        '<table class="vitrina"><tr><th>Товар</th><th>Фасовка</th><th>Цена</th><th>Магазин</th></tr>'
        f"{rows}</table>"
        f'<div class="stranicy">Страницы: {nums}{dalee}</div>'
    )
    return layout(f"{city_name}, {d_name}", body, [(city_name, f"/g/{city}"), (d_name, f"/g/{city}/{district}")])


def product_page(li: Listing) -> str:
    fasovka = ""
    if li.tiers:
        fasovka = ('<div class="fasovka-blok">Фасовка:<ul class="fasovka">'
                   + "".join(f"<li>{e(t.text)}</li>" for t in li.tiers) + "</ul></div>")
    city, district = li.extra["city"], li.extra["district"]
    ves = (f'<div class="ves-blok">Вес: <span class="ves">{e(shown_amount(li.quantity.value, li.quantity.unit, "ru"))}'
           "</span></div>") if li.quantity else ""
    body = (
        f'<div class="kartochka" data-tovar="{e(li.listing_id)}">'
        f'<h1 class="tovar-nazvanie">{e(li.title)}</h1>'
        f'<div class="cena-blok">Цена: <span class="cena">{e(li.price_text)}</span></div>'
        f"{ves}"
        f"{fasovka}"
        f'<div class="mesto">Город: <span class="gorod-imya">{e(city)}</span>, район: '
        f'<span class="rayon-imya">{e(district)}</span></div>'
        f'<div class="prodavec">Магазин: <a class="shop-link" href="/shop/{e(li.vendor.vendor_id)}">'
        f"{e(li.vendor.name)}</a></div>"
        f'<div class="tovar-opisanie">{e(li.description)}</div>'
        '<a class="kupit" href="#">Купить</a></div>'
    )
    return layout(li.title, body, [(city, f"/g/{li.extra['city_slug']}"),
                                   (district, f"/g/{li.extra['city_slug']}/{li.extra['district_slug']}")])


def shop_page(v: Vendor, listings: list[Listing]) -> str:
    pgp = f'<div class="pgp"><b>PGP:</b><pre class="pgp-blok">{e(v.pgp.armored)}</pre></div>' if v.pgp else ""
    contacts = "".join(f"<li>{e(line)}</li>" for line in v.contact_lines)
    wallets = "".join(f'<li>{e(coin)}: <span class="adres">{e(a)}</span></li>'
                      for coin, addrs in v.crypto.items() for a in addrs)
    goods = "".join(_row(li) for li in listings)
    body = (
        '<div class="magazin-profil">'
        f'<h1 class="magazin-nazvanie">{e(v.name)}</h1>'
        f'<p class="statistika">Рейтинг: <span class="reiting">{e(v.rating)}</span> &middot; '
        f'Сделок: <span class="sdelki">{e(v.sales)}</span> &middot; '
        f'На сайте <span class="s-nami">{e(v.joined)}</span></p>'
        f'<div class="o-magazine">{e(v.description)}</div>'
        f'<div class="kontakty">Контакты:<ul>{contacts}</ul></div>'
        f'<div class="koshelki">Реквизиты:<ul>{wallets}</ul></div>'
        f"{pgp}"
        f'<table class="vitrina">{goods}</table></div>'
    )
    return layout(v.name, body)
