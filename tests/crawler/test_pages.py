"""Field reading from pages: selectors, joins, regexes, and hostile HTML."""

from __future__ import annotations

import time

import pytest
from parsel import Selector

from onionwatch.crawler.markets import FieldSpec, PageSpec
from onionwatch.crawler.pages import (
    MAX_ELEMENT_HTML,
    MAX_FIELD_CHARS,
    PageMismatch,
    element_text,
    link_hrefs,
    page_id,
    page_text,
    read_field,
    read_page,
    too_deep,
)

HTML = """<html><body><div class="l"><h1> Big  <b>bag</b>\n of weed </h1>
<p class="d">one</p><p class="d">two</p><ul><li>1 g  — $10</li><li>  </li><li>2 g — $18</li></ul>
<a class="v" href="/vendor/x?y=1">x</a><span class="p">Price: USD 1,250.00</span></div></body></html>"""


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (FieldSpec(css="h1"), "Big bag of weed"),
        (FieldSpec(css="h1::text"), "Big of weed"),
        (FieldSpec(css="p.d", join="\n"), "one\ntwo"),
        (FieldSpec(css="p.d::text"), "one two"),
        (FieldSpec(css="ul li", many=True), ["1 g — $10", "2 g — $18"]),
        (FieldSpec(css="a.v::attr(href)"), "/vendor/x?y=1"),
        (FieldSpec(css="span.p::text", regex=r"USD ([\d,.]+)"), "1,250.00"),
        (FieldSpec(css="span.p::text", regex=r"EUR \d+"), None),
        (FieldSpec(css="h2"), None),
        (FieldSpec(css="h2", many=True), []),
        # a comma list mixing ::text and an element: the text as it is, the element as readable text (never
        # its HTML, whichever alternative comes first)
        (FieldSpec(css="span.p::text, h1"), "Big bag of weed Price: USD 1,250.00"),
        (FieldSpec(css="h1, span.p::text"), "Big bag of weed Price: USD 1,250.00"),
        (FieldSpec(css="a.v::attr(href), ul li", many=True), ["1 g — $10", "2 g — $18", "/vendor/x?y=1"]),
    ],
)
def test_read_field(spec: FieldSpec, expected: object) -> None:
    assert read_field(Selector(text=HTML), spec) == expected


PAGE = PageSpec(url_pattern=r"^/listing/(?P<id>\d+)$", require="div.l",
                fields={"title": FieldSpec(css="h1", required=True), "description": FieldSpec(css="p.d")})


def test_read_page_and_mismatch() -> None:
    assert read_page(Selector(text=HTML), PAGE, "/listing/1")["title"] == "Big bag of weed"
    with pytest.raises(PageMismatch, match=r"^page /listing/2 does not match its definition: selector 'div.l'"):
        read_page(Selector(text="<p>maintenance</p>"), PAGE, "/listing/2")
    with pytest.raises(PageMismatch, match="field 'title'"):
        read_page(Selector(text='<div class="l"><h1> </h1></div>'), PAGE, "/listing/3")


@pytest.mark.parametrize(("path", "expected"), [("/listing/12", "12"), ("/listing/12/x", None), ("/x", None)])
def test_page_id(path: str, expected: str | None) -> None:
    assert page_id(PAGE, path) == expected


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<<<>>>",
        "<div class='l'><h1>" + "<b>" * 5000 + "deep",
        "\x00\x01\x02 binary \xff",
        "<div class='l'><h1>x</h1>" + "<p class='d'>" + "A" * 2_000_000 + "</p></div>",
        "<div class='l'><h1>x</h1><script>alert(1)</script><p class='d'>&lt;b&gt;&#0;&#xD800;</p></div>",
    ],
)
def test_hostile_html_never_crashes(html: str) -> None:
    try:
        values = read_page(Selector(text=html), PAGE, "/listing/9")
    except PageMismatch:
        return
    for value in values.values():
        assert value is None or len(value) <= MAX_FIELD_CHARS


def test_armoured_block_keeps_its_blank_line() -> None:
    block = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----"
    sel = Selector(text=f"<pre class='k'>{block}</pre>")
    assert read_field(sel, FieldSpec(css="pre.k::text", join="\n")) == block


DESC = FieldSpec(css="div.desc", join="\n")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<div class='desc'><p>Pure <b>MDMA</b> crystals.</p><p>Ships in <i>24h</i></p></div>",
         "Pure MDMA crystals.\nShips in 24h"),
        ("<div class='desc'>1<b>g</b> = $80<br>2<b>g</b> = $150</div>", "1g = $80\n2g = $150"),
        ("<div class='desc'>x<script>document.write('1g cocaine')</script><style>p{}</style>y<!-- 5g --></div>", "xy"),
        ("<div class='desc'>&lt;b&gt;bold&lt;/b&gt; &amp; &eacute;t&eacute;&nbsp;10&#x20AC;</div>", "<b>bold</b> & été 10€"),
        ("<div class='desc'><ul><li>1 g</li><li>2 g</li></ul></div>", "1 g\n2 g"),
        # table cells are spaced, rows are lines (cells used to be glued: "0,5 г2 500 ₽")
        ("<div class='desc'><table><tr><th>Вес</th><th>Цена</th></tr><tr><td>0,5 г</td><td>2 500 ₽</td>"
         "<td><a>Купить</a></td></tr></table></div>", "Вес Цена\n0,5 г 2 500 ₽ Купить"),
    ],
)  # fmt: skip
def test_description_html_becomes_readable_text(html: str, expected: str) -> None:
    assert read_field(Selector(text=html), DESC) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<div class='desc'>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</div>",
        "<div class='desc'>" + "<p><b><i>" * 40_000 + "unclosed",
        "<div class='desc'>" + "<span>x</span>" * 100_000 + "</div>",
        "<div class='desc'>" + "A" * 5_000_000 + "</div>",
        "<div class='desc'>a\x00b\x01\x0b<p>c\ufffed</p><b</div>><<p>>&#0;&#xD800;&#99999999;&bogus;</div>",
        "<div class='desc'><![CDATA[x]]><?php echo 1 ?><!DOCTYPE html><svg><script>1</script></svg>ok</div>",
    ],
    ids=["100k-nested", "unclosed-tags", "100k-elements", "5MB-text", "nul-and-broken", "odd-nodes"],
)
def test_description_survives_hostile_html(html: str) -> None:
    value = read_field(Selector(text=html), DESC)
    assert value is None or (isinstance(value, str) and len(value) <= MAX_FIELD_CHARS)
    values = read_field(Selector(text=html), FieldSpec(css="div.desc", many=True))
    assert isinstance(values, list) and all(len(v) <= MAX_FIELD_CHARS for v in values)


def test_element_text_cuts_huge_html() -> None:
    assert len(element_text("<p>" + "x" * (MAX_ELEMENT_HTML * 3))) <= MAX_ELEMENT_HTML


DEEP = "<div>" * 100_000 + "x" + "</div>" * 100_000
DEEP_PAGE = PageSpec(url_pattern=r"/item/(?P<id>\d+)", require="div.item-page", fields={"title": FieldSpec(css="h1::text")})


def test_pathological_nesting_is_named_as_such() -> None:
    """100,000 nested elements before the content: lxml stops at its depth limit and the content is lost; the
    mismatch says so instead of blaming the selector."""
    sel = Selector(text=f'<html><body>{DEEP}<div class="item-page"><h1>Deep</h1></div></body></html>')
    with pytest.raises(PageMismatch) as err:
        read_page(sel, DEEP_PAGE, "http://m/item/1")
    assert str(err.value) == ("page http://m/item/1 does not match its definition: page too deeply nested to parse "
                              "(lxml limit, 2048 levels)")
    assert too_deep(sel)


def test_deep_nesting_after_the_content_is_read() -> None:
    sel = Selector(text=f'<html><body><div class="item-page"><h1>Deep</h1>{DEEP}</div></body></html>')
    assert read_page(sel, DEEP_PAGE, "http://m/item/1") == {"title": "Deep"}


def test_ordinary_mismatch_still_names_the_selector() -> None:
    sel = Selector(text="<html><body>" + "<div>" * 300 + "maintenance" + "</div>" * 300 + "</body></html>")
    assert not too_deep(sel)  # deep, but within the limit: the page really lacks the selector
    with pytest.raises(PageMismatch, match="selector 'div.item-page' found nothing"):
        read_page(sel, DEEP_PAGE, "http://m/item/1")


FALLBACK_HTML = """<html><body><div class="l"><h1>Title</h1><span class="old-price"></span>
<td class="cost">USD 40</td><ul class="t"><li>Tiers:</li><li>1 g — $10</li><li>Free shipping over $100</li>
<li>3.5g - 30 USD</li><li>In stock: 12</li><li>$110 for 7 g</li></ul></div></body></html>"""


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (FieldSpec(css=["span.old-price::text", "td.cost::text"]), "USD 40"),  # the first is empty: next one
        (FieldSpec(css=["h1::text", "td.cost::text"]), "Title"),  # the first wins when it yields a value
        (FieldSpec(css=["h2::text", "h3"]), None),
        (FieldSpec(css=["ul.none li", "ul.t li"], many=True, keep="tier_lines"),
         ["1 g — $10", "3.5g - 30 USD", "$110 for 7 g"]),
        (FieldSpec(css="ul.t li", many=True), ["Tiers:", "1 g — $10", "Free shipping over $100", "3.5g - 30 USD",
                                                "In stock: 12", "$110 for 7 g"]),
        (FieldSpec(css="ul.t li", many=True, keep="tier_lines", regex=r"^\d.*"), ["1 g — $10", "3.5g - 30 USD"]),
    ],
)
def test_fallback_selectors_and_tier_line_filter(spec: FieldSpec, expected: object) -> None:
    assert read_field(Selector(text=FALLBACK_HTML), spec) == expected


def test_trace_names_the_selector_that_matched() -> None:
    from onionwatch.crawler.pages import trace_field

    css, raw, value = trace_field(Selector(text=FALLBACK_HTML), FieldSpec(css=["span.old-price::text", "td.cost"]))
    assert (css, raw, value) == ("td.cost", ["USD 40"], "USD 40")
    assert trace_field(Selector(text=FALLBACK_HTML), FieldSpec(css="h5")) == (None, [], None)


def test_tier_line_filter_survives_junk() -> None:
    from onionwatch.extractors.tiers import is_tier_line

    assert not is_tier_line("1" * 100_000 + " g $" + "9" * 100_000)
    assert not is_tier_line("\x00\ufffd" * 50_000)
    assert is_tier_line("0,5 г — 1 500 ₽") and is_tier_line("10 pills - A$50")
    assert not is_tier_line("Осталось 5 шт") and not is_tier_line("$10 shipping")


NAV = """<ul class="cats"><li><a href="/c/1">One</a></li><li><a href="/c/2">Two</a> <span>new</span></li></ul>
<nav class="pager"><a class="next" href="?page=2">Next</a><span class="of">page 1 of 9</span></nav>
<table><tr data-href="/tovar/7"><td><a href="/tovar/7">x</a></td></tr><tr><td>no link</td></tr></table>"""


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("ul.cats a::attr(href)", ["/c/1", "/c/2"]),  # as before
        ("ul.cats a", ["/c/1", "/c/2"]),  # an <a>: its href, not its HTML
        ("ul.cats", ["/c/1", "/c/2"]),  # an element without href: the links inside it
        ("ul.cats li", ["/c/1", "/c/2"]),
        ("nav.pager a.next", ["?page=2"]),
        ("span.of", []),  # no link at all: nothing (never the element's text as a URL)
        ("tr::attr(data-href)", ["/tovar/7"]),  # an attribute selector reads what it names
        ("nav.pager a.next::attr(href), ul.cats a::attr(href)", ["/c/1", "/c/2", "?page=2"]),  # document order
        # a comma list mixing both kinds: each match read as its own alternative asks (never an element's HTML)
        ("tr::attr(data-href), nav.pager a.next", ["?page=2", "/tovar/7"]),
        ("span.of::text, ul.cats li", ["/c/1", "/c/2", "page 1 of 9"]),
        (None, []),
    ],
)
def test_link_selectors_read_hrefs(css: str | None, expected: list[str]) -> None:
    assert link_hrefs(Selector(text=NAV), css) == expected



FORMS = """<form class="pager" method="GET" action="/shop/list?x=1#top"><input type="hidden" name="sort" value="new">
<input type="submit" name="go" value="Go"><input type="checkbox" name="instock" checked><input type="checkbox" name="ad">
<select name="cur"><option value="USD">$</option><option value="EUR" selected>€</option></select>
<input name="q" value="a b&amp;c" disabled><select name="page"><option value="1" selected>Page 1</option>
<option value="2">Page 2</option><option>3</option></select></form>
<form action=""><select name="p"><option value="2">2</option></select></form>
<form method="post" action="/cart"><select name="qty"><option value="5">5</option></select></form>
<select name="city"><option value="/msk">Москва</option></select><form><select><option value="9">9</option></select></form>"""


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        # a GET form's option: its action (query and fragment dropped, as browsers submit it) with every sent field
        # in page order: hidden input, checked box ("on"), the other select's chosen option, this option's value
        ("form.pager select[name=page] option:not([selected])",
         ["/shop/list?sort=new&instock=on&cur=EUR&page=2", "/shop/list?sort=new&instock=on&cur=EUR&page=3"]),
        ("form.pager select[name=cur]", ["/shop/list?sort=new&instock=on&cur=USD&page=1",
                                         "/shop/list?sort=new&instock=on&cur=EUR&page=1"]),  # a <select>: each option
        ("form:not(.pager) select[name=p] option", ["?p=2"]),  # an empty action: the page itself, new query
        ("select[name=qty] option", []),  # a POST form's option is no link
        ("select[name=city] option", []),  # outside any form: no link (its JavaScript is not run)
        ("select:not([name]) option", []),  # a select with no name sends nothing
        ("select[name=page] option::attr(value)", ["1", "2"]),  # an attribute selector still reads what it names
    ],
)
def test_options_of_a_get_form_are_the_urls_it_goes_to(css: str, expected: list[str]) -> None:
    assert link_hrefs(Selector(text=FORMS), css) == expected

OPTIONS = """<select name="qty"><option value="">Choose quantity</option><option value="1" data-price="45.00">1<b>g</b>
</option><option value="2" data-price="140.00" data-cur="USD">3.5g</option></select>"""


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # the placeholder option has no data-price: no value (so no "Choose quantity - USD")
        (FieldSpec(css="option", many=True, template="{text} - {@data-price} USD"), ["1g - 45.00 USD", "3.5g - 140.00 USD"]),
        (FieldSpec(css="option", many=True, template="{text} - {@data-price} {@data-cur}"), ["3.5g - 140.00 USD"]),
        (FieldSpec(css="option", template="{text}={@value}"), "Choose quantity= 1g=1 3.5g=2"),
        (FieldSpec(css="option", many=True, template="{{{@value}}}"), ["{}", "{1}", "{2}"]),
        (FieldSpec(css=["h2", "option"], many=True, template="{@data-price}", keep="tier_lines"), []),
    ],
)  # fmt: skip
def test_template_reads_text_and_attributes(spec: FieldSpec, expected: object) -> None:
    assert read_field(Selector(text=OPTIONS), spec) == expected


# a weights × districts table: the header row names each column's weight, the second row gives its price; a nested
# table's header is its own, and cells outside any table have no column header
STOCK = """<table><thead><tr><th>Район \\ Вес</th><th>0,5 г</th><th>1 <b>г</b></th></tr></thead><tbody>
<tr><td>Цена</td><td>1&#8201;500&nbsp;₽</td><td>2 500 ₽</td><td>9 ₽</td></tr>
<tr><td>Центр</td><td>есть</td><td><table><tr><th>Склад</th></tr><tr><td>x</td></tr></table></td></tr>
</tbody></table><ul><li>loose</li></ul>
<table><tr><td>Вес</td><td>Цена</td></tr><tr><td>2 г</td><td>4 000 ₽</td></tr></table>"""


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # the extra fourth cell has no header: no value; "Цена" under the first header is no tier line
        (FieldSpec(css="tbody tr:first-child td", many=True, template="{header} — {text}", keep="tier_lines"),
         ["0,5 г — 1 500 ₽", "1 г — 2 500 ₽"]),
        (FieldSpec(css="tbody tr:first-child td", many=True, template="{header}"), ["Район \\ Вес", "0,5 г", "1 г"]),
        (FieldSpec(css="tbody table td", many=True, template="{header}: {text}"), ["Склад: x"]),  # the nested table's
        (FieldSpec(css="th", many=True, template="{header}"), ["Район \\ Вес", "0,5 г", "1 г", "Склад"]),  # itself
        (FieldSpec(css="li", many=True, template="{header} {text}"), []),  # no cell, no value
        # a table without <thead>: its first row, whatever its cells
        (FieldSpec(css="ul + table tr:nth-child(2) td", many=True, template="{text} ({header})"),
         ["2 г (Вес)", "4 000 ₽ (Цена)"]),
    ],
)  # fmt: skip
def test_template_reads_a_cells_column_header(spec: FieldSpec, expected: object) -> None:
    assert read_field(Selector(text=STOCK), spec) == expected


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"^(.*?)\s*Ƀ[\d.]+\s*/\s*(\$[\d.]+)$", "1 g $54.20"),  # two groups: the middle cut out
        (r"(\$[\d.]+)", "$54.20"),  # one group: itself
        (r"^(\d+) (kg)?(g)", "1 g"),  # a group that took no part is left out
        (r"Ƀ[\d.]+", "Ƀ0.0012"),  # no group: the match
        (r"^(x)(y)", None),
    ],
)
def test_regex_groups(regex: str, expected: str | None) -> None:
    sel = Selector(text="<p>1 g Ƀ0.0012 / $54.20</p>")
    assert read_field(sel, FieldSpec(css="p::text", regex=regex)) == expected


def test_unicode_spaces_are_plain_spaces() -> None:
    html = "<p>1\u2009500\u00a0₽ 2\u202f000\u2007₽ a\u3000b\u200bc</p>"
    assert read_field(Selector(text=html), FieldSpec(css="p::text")) == "1 500 ₽ 2 000 ₽ a b\u200bc"


@pytest.mark.parametrize(
    ("content_type", "meta"),
    [
        (None, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'),
        ("text/html", '<meta charset="windows-1251">'),
        ("text/html; charset=windows-1251", ""),
        ("text/html; charset=windows-1251", '<meta charset="utf-8">'),  # the header wins, as in the crawl
    ],
)
def test_page_text_reads_the_declared_charset(content_type: str | None, meta: str) -> None:
    body = f"<html><head>{meta}</head><body><h1>Мефедрон</h1></body></html>".encode("cp1251")
    text = page_text(body, content_type)
    assert Selector(text=text).css("h1::text").get() == "Мефедрон"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<p>Гашиш ₽</p>".encode(), "text/html"),
        ("<p>Гашиш ₽</p>".encode(), None),
        ("<meta charset=windows-1251><p>Гашиш</p>".encode("cp1251"), "text/html"),
        ("<p>Гашиш</p>".encode("cp1251"), "text/html; charset=utf-8"),  # a lying header: replacement characters
        (b"<p>\xff\xfe</p>", None),
        (b"\xef\xbb\xbf<meta charset=windows-1251><p>\xd0\x93</p>", "text/html"),  # a UTF-8 BOM wins
    ],
)
def test_page_text_is_what_the_crawl_reads(body: bytes, content_type: str | None) -> None:
    """markets try and re-extraction decode a page as the spider's Scrapy response does."""
    from scrapy.http import HtmlResponse

    headers = {"Content-Type": content_type} if content_type else {}
    assert page_text(body, content_type) == HtmlResponse("http://x.onion/", body=body, headers=headers).text


@pytest.mark.parametrize(
    ("url", "names", "expected"),
    [
        ("http://m.onion/l/1-x?ref=grid", ["ref"], "http://m.onion/l/1-x"),
        ("http://m.onion/c?page=2&ref=a&ref=b&sort=new", ["ref"], "http://m.onion/c?page=2&sort=new"),
        ("http://m.onion/c?a=%20&b&from=s", ["from", "ref"], "http://m.onion/c?a=%20&b"),  # the rest as written
        ("http://m.onion/c?ref=1", [], "http://m.onion/c?ref=1"),
    ],
)
def test_without_params(url: str, names: list[str], expected: str) -> None:
    from onionwatch.crawler.records_from_pages import without_params

    assert without_params(url, names) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("", "http://m.onion/gorod/almaty?str=2"),
        ('<base href="/">', "http://m.onion/"),
        ('<base href="../shop/">', "http://m.onion/shop/"),  # relative to the page, as browsers resolve it
        ('<base target="_blank"><base href="/a/"><base href="/b/">', "http://m.onion/a/"),  # the first with href
        ('<base href="javascript:alert(1)">', "http://m.onion/gorod/almaty?str=2"),  # never another scheme
        ('<base href="http://[::1">', "http://m.onion/gorod/almaty?str=2"),  # unparseable: ignored
        ('<base href="  ">', "http://m.onion/gorod/almaty?str=2"),
    ],
)
def test_page_base(head: str, expected: str) -> None:
    from onionwatch.crawler.pages import page_base

    sel = Selector(text=f"<html><head>{head}</head><body><a href='tovar/1'>x</a></body></html>")
    assert page_base(sel, "http://m.onion/gorod/almaty?str=2") == expected


LD = """<head><script type="application/ld+json">{"@type": "BreadcrumbList", "name": "Shop"}</script>
<script type="application/ld+json">not json {</script>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "Org"},
{"@type": "Product", "name": "Ketamine \\u2013 5g", "category": "Ketamine", "offers": [
{"price": "120.00", "priceCurrency": "EUR"}, {"price": 200, "priceCurrency": "EUR", "available": true}]}]}</script>
</head><body><div data-json='{"price": {"amount": 45}}'></div></body>"""


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # an element selector reads the <script>'s text (readable text drops scripts); broken JSON is skipped
        (FieldSpec(css="script", json=["offers.price", "offers.priceCurrency"]), "120.00 EUR"),
        (FieldSpec(css="script::text", json=["offers.price", "offers.priceCurrency"], many=True),
         ["120.00 EUR", "200 EUR"]),  # one value per offer of a list, price and currency paired
        (FieldSpec(css="script", json="category"), "Ketamine"),  # inside @graph
        (FieldSpec(css="script", json="name"), "Shop"),  # the first object, in page order, that has the path
        (FieldSpec(css="script", json="offers.available"), None),  # booleans, objects and lists are no value
        (FieldSpec(css="script", json="offers.price", regex=r"^(\d+)"), "120"),  # regex after json
        (FieldSpec(css="div::attr(data-json)", json="price.amount"), "45"),  # JSON in an attribute
        (FieldSpec(css=["p", "script"], json="offers.priceCurrency"), "EUR"),  # fallbacks as for any field
    ],
)  # fmt: skip
def test_json_paths_read_embedded_json(spec: FieldSpec, expected: object) -> None:
    assert read_field(Selector(text=LD), spec) == expected


STATE = """<script>window.dataLayer = window.dataLayer || [];</script>
<script>window.__INITIAL_STATE__ = {"product": {"category": {"name": "Stimulants"}, "variants": [{"usd": 95.0}, {"usd": 270}]}};
window["__CONFIG__"]={"cur": "USD"}; var x = {bare: 1}; const list = [{"n": 3}]</script>"""


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # a script that assigns JSON is read as the value(s) it assigns: the `;` and the code after do not matter
        (FieldSpec(css='script:contains("__INITIAL_STATE__")', json="product.category.name"), "Stimulants"),
        (FieldSpec(css="script", json="product.variants.usd", many=True), ["95.0", "270"]),
        (FieldSpec(css="script", json="cur"), "USD"),  # a second assignment, bracket notation
        (FieldSpec(css="script", json="n"), "3"),  # `const name = [...]`, no `;` at the end
        (FieldSpec(css="script", json="bare"), None),  # a JS object literal (bare keys) is not JSON: no value
    ],
)  # fmt: skip
def test_json_paths_read_a_scripts_assigned_state(spec: FieldSpec, expected: object) -> None:
    assert read_field(Selector(text=STATE), spec) == expected


def test_json_survives_hostile_blocks() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    huge = '{"name": "' + "x" * 1_100_000 + '"}'
    html = f"<script>{deep}</script><script>{huge}</script><script>{{\"name\": \"ok\"}}</script>"
    assert read_field(Selector(text=html), FieldSpec(css="script::text", json="name")) == "ok"
    # lists nested as deep as the JSON parser allows, on the path: no value and no RecursionError
    nested = '{"offers": ' + "[" * 900 + '{"price": 1}' + "]" * 900 + '}'
    html = f"<script>{nested}</script><script>{{\"offers\": [[{{\"price\": 2}}]]}}</script>"
    assert read_field(Selector(text=html), FieldSpec(css="script::text", json="offers.price")) == "2"
    # assignments: thousands of them, each broken or nested too deep, are cut at MAX_ASSIGNMENTS parse attempts
    # (each may scan the rest of the text); one inside a string of a parsed value is never parsed on its own
    spam = "x = [" * 150_000 + ";"
    deep_assign = "s = " + "[" * 100_000 + "]" * 100_000 + ";"
    inner = 'w = {"k": "' + ';y = {\\"name\\": \\"inner\\"}' * 20_000 + '"}; z = {"name": "ok"}'
    blank_lines = "\n" * 200_000 + 'x = {"name": "after"}'  # a first statement pattern read runs of blanks twice:
    for script, want in ((spam, None), (deep_assign, None), (inner, "ok"), (blank_lines, "after")):  # 20k took 40 s
        html = f"<script>{script}</script>"
        started = time.monotonic()
        assert read_field(Selector(text=html), FieldSpec(css="script::text", json="name")) == want
        assert time.monotonic() - started < 10, script[:20]


ROWS = """<h1>Москва</h1><header><a class="logo">Округа</a></header>
<details><summary>ЦАО <small>(2)</small></summary><ul><li>Меф 1г — 4500₽</li><li>Шишки 2г — 5000₽</li></ul></details>
<details><summary>Зеленоград</summary><ul><li>Гашиш 1г — 2500₽</li></ul></details><ul class="x"><li>Амф 1г</li></ul>"""


def test_row_fields_within_the_page_or_an_enclosing_element() -> None:
    """listing_rows fields with `within`: the district from the <summary> of the row's own <details>, the city and
    the shop from the page; a row with no such enclosing element gets no value there."""
    from onionwatch.crawler.markets import ListingRows, MarketDefinition
    from onionwatch.crawler.records_from_pages import row_listings

    rows = ListingRows.model_validate({"row": "li", "fields": {
        "title": {"css": "li", "regex": r"^(\S+)"}, "district": {"css": "summary::text", "within": "details"},
        "city": {"css": "h1::text", "within": "page"}, "vendor_name": {"css": "a.logo::text", "within": "page"}}})
    definition = MarketDefinition.model_validate({
        "name": "rows", "title": "t", "language": "ru", "currency": "RUB", "mirrors": ["http://x.onion"],
        "navigation": {}, "listing_rows": rows.model_dump(by_alias=True)})
    got = row_listings(definition, Selector(text=ROWS), "http://x.onion/gorod", "2024-01-01T00:00:00Z")
    assert [(r.title, r.district, r.city, r.vendor_name) for r in got] == [
        ("Меф", "ЦАО", "Москва", "Округа"), ("Шишки", "ЦАО", "Москва", "Округа"),
        ("Гашиш", "Зеленоград", "Москва", "Округа"), ("Амф", None, "Москва", "Округа")]


@pytest.mark.parametrize(
    ("vendor", "href", "expected_id"),
    [
        ({"url_pattern": r"^/vendor\?u=(?P<id>[a-z0-9_]+)$"}, "/vendor?u=dutch_direct&src=card", "dutch_direct"),
        ({"url_pattern": r"^/v/(?P<id>\d+)-"}, "../v/42-acme", "42"),  # a slug: the id the pattern names
        ({"url_pattern": r"^/v/(?P<id>\d+)$"}, "/profile/acme", None),  # no match: the extractor's path fallback
        (None, "/vendor?u=acme", None),  # no vendor page type
    ],
)
def test_listing_vendor_id_is_the_vendor_page_id(vendor: dict | None, href: str, expected_id: str | None) -> None:
    """A listing's vendor id is what `vendor.url_pattern` reads from its vendor link (after drop_params, as the
    crawl follows it), so listings and the vendor's page share one id even when it sits in the query string."""
    from onionwatch.crawler.markets import MarketDefinition
    from onionwatch.crawler.records_from_pages import listing_record

    definition = MarketDefinition.model_validate({
        "name": "qs", "title": "t", "language": "en", "currency": "USD", "mirrors": ["http://x.onion"],
        "navigation": {"drop_params": ["src"], "listing_links": "a.item", "vendor_links": "a.vendor"},
        "listing": {"url_pattern": r"^/item/(?P<id>\d+)$", "require": "h1", "fields": {
            "title": "h1::text", "vendor_url": "a.vendor::attr(href)"}},
        **({"vendor": {**vendor, "require": "h1", "fields": {"name": "h1::text"}}} if vendor else {})})
    page = Selector(text=f"<html><body><h1>Item</h1><a class='vendor' href='{href}'>acme</a></body></html>")
    raw = listing_record(definition, page, "http://x.onion/item/7", "7", "2024-01-01T00:00:00Z")
    assert raw.vendor_id == expected_id
