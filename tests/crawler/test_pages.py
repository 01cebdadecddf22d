"""Field reading from pages: selectors, joins, regexes, and hostile HTML."""

from __future__ import annotations

import pytest
from parsel import Selector

from onionwatch.crawler.markets import FieldSpec, PageSpec
from onionwatch.crawler.pages import MAX_FIELD_CHARS, PageMismatch, page_id, read_field, read_page

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
