"""HTML of the "abyss" market (English, AlphaBay-like). Every piece of text is escaped."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from onionwatch.testbed.gen_abyss import CATEGORIES
from onionwatch.testbed.model import Listing, Market, Vendor
from onionwatch.testbed.offers import shown_amount, shown_fingerprint

PER_PAGE = 25


def e(text: object) -> str:
    return escape(str(text), quote=True)


def layout(title: str, body: str, user: str | None) -> str:
    nav = "".join(f'<li><a class="cat-link" href="/category/{slug}">{e(name)}</a></li>'
                  for slug, name in CATEGORIES.items())
    account = (f'<span class="user">{e(user)}</span> <a class="logout" href="/logout">Logout</a>' if user
               else '<a class="login" href="/login">Login</a>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)} | Abyss Market</title>"
        '<link rel="stylesheet" href="/static/abyss.css"></head>\n<body>\n'
        f'<header class="topbar"><a class="brand" href="/">ABYSS MARKET</a><div class="account">{account}</div>'
        "</header>\n"
        f'<nav class="categories"><ul>{nav}</ul></nav>\n'
        f'<main class="content">\n{body}\n</main>\n'
        '<footer class="footer">Abyss Market &middot; escrow protected &middot; 2026</footer>\n</body></html>\n'
    )


def login_page(csrf: str, error: str | None = None) -> str:
    err = f'<p class="error">{e(error)}</p>' if error else ""
    body = (
        '<div class="login-box"><h1>Sign in</h1>' + err +
        '<form id="login-form" method="post" action="/login">'
        f'<input type="hidden" name="csrf_token" value="{e(csrf)}">'
        '<label>Username <input type="text" name="username"></label>'
        '<label>Password <input type="password" name="password"></label>'
        '<button type="submit">Login</button></form></div>'
    )
    return layout("Login", body, None)


def _card(li: Listing) -> str:
    return (
        f'<div class="listing-card" data-id="{e(li.listing_id)}">'
        f'<a class="listing-title" href="/listing/{e(li.listing_id)}">{e(li.title)}</a>'
        f'<span class="card-price">{e(li.price_text)}</span>'
        f'<a class="vendor-link" href="/vendor/{e(quote(li.vendor.vendor_id))}">{e(li.vendor.name)}</a>'
        "</div>"
    )


def home_page(market: Market, user: str) -> str:
    cats = market.nav["categories"]
    tiles = "".join(
        f'<li><a class="cat-link" href="/category/{slug}">{e(CATEGORIES[slug])}</a> '
        f'<span class="count">({len(items)})</span></li>'
        for slug, items in cats.items()
    )
    featured = "".join(_card(li) for li in market.listings[:8])
    body = (f'<h1>Welcome back, {e(user)}</h1><ul class="category-tiles">{tiles}</ul>'
            f'<h2>Featured listings</h2><div class="featured">{featured}</div>')
    return layout("Home", body, user)


def category_page(market: Market, slug: str, page: int, user: str) -> str | None:
    items = market.nav["categories"].get(slug)
    if items is None:
        return None
    pages = max(1, -(-len(items) // PER_PAGE))
    if page < 1 or page > pages:
        return None
    chunk = items[(page - 1) * PER_PAGE : page * PER_PAGE]
    links = "".join(
        f'<li><span class="current">{n}</span></li>' if n == page
        else f'<li><a class="page-link" href="/category/{slug}?page={n}">{n}</a></li>'
        for n in range(1, pages + 1)
    )
    nxt = f'<li><a class="next-page" href="/category/{slug}?page={page + 1}">Next &rsaquo;</a></li>' \
        if page < pages else ""
    body = (
        f'<h1 class="category-name">{e(CATEGORIES[slug])}</h1>'
        f'<p class="results">{len(items)} listings, page {page} of {pages}</p>'
        f'<div class="listing-grid">{"".join(_card(li) for li in chunk)}</div>'
        f'<ul class="pagination">{links}{nxt}</ul>'
    )
    return layout(CATEGORIES[slug], body, user)


def listing_page(li: Listing, user: str) -> str:
    quantity = (f'<dt>Quantity</dt><dd class="quantity">{e(shown_amount(li.quantity.value, li.quantity.unit))}</dd>'
                if li.quantity else "")
    tiers = ""
    if li.tiers:
        tiers = ('<div class="tiers"><h3>Quantity discounts</h3><ul class="price-tiers">'
                 + "".join(f'<li class="tier">{e(t.text)}</li>' for t in li.tiers) + "</ul></div>")
    body = (
        f'<div class="listing-detail" data-id="{e(li.listing_id)}">'
        f'<h1 class="listing-title">{e(li.title)}</h1>'
        f'<div class="price-box"><span class="price-usd">{e(li.price_text)}</span> '
        f'<span class="price-btc">{e(li.extra["btc"])}</span></div>'
        f"{tiers}"
        '<dl class="listing-meta">'
        f'<dt>Category</dt><dd class="category">{e(li.category)}</dd>'
        f"{quantity}"
        f'<dt>Ships from</dt><dd class="ships-from">{e(li.ships_from)}</dd>'
        f'<dt>Ships to</dt><dd class="ships-to">{e(li.ships_to)}</dd>'
        f'<dt>Payment</dt><dd class="escrow">{e(li.escrow)}</dd></dl>'
        f'<div class="vendor-box">Sold by <a class="vendor-link" href="/vendor/{e(quote(li.vendor.vendor_id))}">'
        f'{e(li.vendor.name)}</a> <span class="vendor-rating">({e(li.vendor.rating)})</span></div>'
        f'<h3>Description</h3><div class="listing-description">{e(li.description)}</div>'
        '<form class="buy" method="post" action="/cart"><input type="number" name="qty" value="1">'
        '<button type="submit">Buy now</button></form></div>'
    )
    return layout(li.title, body, user)


def vendor_page(v: Vendor, listings: list[Listing], user: str) -> str:
    pgp = (f'<p class="pgp-fingerprint">Fingerprint: <code>{e(shown_fingerprint(v.pgp.fingerprint))}</code></p>'
           f'<pre class="pgp-key">{e(v.pgp.armored)}</pre>') if v.pgp else '<p class="no-pgp">No PGP key</p>'
    contacts = "".join(f'<li class="contact">{e(line)}</li>' for line in v.contact_lines)
    wallets = "".join(f'<li>{e(coin)}: <code class="address">{e(a)}</code></li>'
                      for coin, addrs in v.crypto.items() for a in addrs)
    offers = "".join(_card(li) for li in listings)
    body = (
        '<div class="vendor-profile">'
        f'<h1 class="vendor-name">{e(v.name)}</h1>'
        '<ul class="vendor-stats">'
        f'<li>Rating: <span class="vendor-rating">{e(v.rating)}</span>/5</li>'
        f'<li>Sales: <span class="vendor-sales">{e(v.sales)}</span></li>'
        f'<li>Member since: <span class="vendor-joined">{e(v.joined)}</span></li></ul>'
        f'<div class="vendor-about">{e(v.description)}</div>'
        f'<h3>Contact</h3><ul class="vendor-contacts">{contacts}</ul>'
        f'<h3>Wallets</h3><ul class="vendor-wallets">{wallets}</ul>'
        f"<h3>PGP public key</h3>{pgp}"
        f'<h3>Listings</h3><div class="listing-grid">{offers}</div></div>'
    )
    return layout(v.name, body, user)


def block_page(kind: str) -> tuple[int, str]:
    if kind == "429":
        return 429, "<html><body><h1>429 Too Many Requests</h1><p>Slow down.</p></body></html>"
    if kind == "403":
        return 403, "<html><body><h1>403 Forbidden</h1><p>Access denied.</p></body></html>"
    return 200, ('<html><body><div class="ddos-guard"><h1>DDoS protection</h1>'
                 "<p>Solve the captcha to continue.</p><img src=\"/captcha.png\" alt=\"captcha\">"
                 '<form method="post" action="/captcha"><input name="answer"></form></div></body></html>')
