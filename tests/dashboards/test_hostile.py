"""Every dashboard page over a real SQLite store holding a hostile listing and vendor: the rendered HTML has
no live markup from scraped text (no script/style/svg/iframe elements, no event handlers, no javascript:
links, no attribute break-out), and every link stays on the dashboard."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.dashboards.web import make_app
from onionwatch.extractors.pipeline import Extractor
from onionwatch.indexer.store import Store, open_store
from tests.dashboards.test_web import call

X = ('"\'><script>alert(1)</script><svg/onload=alert(2)><img src=x onerror=alert(3)>'
     '<style>body{display:none}</style><a href="javascript:alert(4)">j</a><iframe src=//evil></iframe>'
     '</title></textarea><!--')
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "nav", "main", "footer", "div", "span",
                "a", "h1", "h2", "h3", "p", "form", "input", "select", "option", "button", "label", "table",
                "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "ul", "ol", "li", "b", "i", "em", "strong",
                "mark", "small", "code", "pre", "svg", "line", "polyline", "circle", "rect", "br",
                "section", "article", "aside", "details", "summary", "abbr", "time", "fieldset", "legend",
                # matplotlib charts (dashboards/plot.py, sanitised): drawing elements only
                "figure", "g", "path", "defs", "text", "clippath", "use", "pattern", "tspan"}


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.counts: dict[str, int] = {}
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "formaction") or (name == "style" and value):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "xlink:href"):
                v = (value or "").strip()
                self.hrefs.append(v)
                if not (v.startswith(("/", "?", "#")) and not v.startswith("//")):
                    self.problems.append(f"<{tag} {name}={v[:40]!r}>")

    def handle_comment(self, data: str) -> None:
        self.problems.append("<!-- comment -->")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("hostile") / "h.sqlite"
    ex = Extractor()
    raw = RawListing(
        market="evil", listing_id="l1", url=f"javascript:alert(5)//{X}", title=f"Cocaine 1g {X} Mxylazine 2g",
        description=f"{X}\nmephedrone 5g {X}", price_text=f"$80 {X}", vendor_name=X,
        vendor_url="javascript:alert(6)//x/v1", category=X, ships_from=X, ships_to=X, location=X, escrow=X,
        tiers=[f"1g $80 {X}", f"5g $300 {X}"], lang="en", currency="USD", scraped_at="2024-03-01T00:00:00+00:00",
    )
    older = RawListing(**{**raw.__dict__, "price_text": "$90", "scraped_at": "2024-02-01T00:00:00+00:00"})
    vendor = RawVendor(
        market="evil", vendor_id="v1", name=X, url=f"javascript:alert(7)//{X}", rating=X, sales=X, joined=X,
        pgp_key=X, contacts=[f"Telegram: @evil_shop {X}", X], crypto_addresses=[X], description=X,
        scraped_at="2024-03-01T00:00:00+00:00",
    )
    store = open_store(f"sqlite:///{path}")
    store.write_batch(ex.listings([older]), [ex.vendor(vendor)])
    store.write_batch(ex.listings([raw]), [ex.vendor(vendor)])
    yield store
    store.close()


PAGES: list[tuple[str, dict[str, Any]]] = [
    ("/", {}),
    ("/", {"q": "script"}),
    ("/", {"q": "cocaine"}),
    ("/", {"vendor": X}),
    ("/", {"market": "evil", "substance": "cocaine"}),
    ("/listing", {"market": "evil", "id": "l1"}),
    ("/vendor", {"market": "evil", "id": "v1"}),
    ("/trends", {"weeks": "104", "months": "60"}),
    ("/emerging", {"days": "3650", "ref": "2024-03-02"}),
    ("/alerts", {}),
    ("/listing", {"market": X, "id": X}),  # 404 page echoing the parameters
    ("/", {"q": X}),
]


@pytest.mark.parametrize(("path", "query"), PAGES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(PAGES)])
def test_no_live_markup_from_scraped_text(hostile_store: Store, path: str, query: dict[str, Any]) -> None:
    r = call(make_app(hostile_store), path, query)
    assert r.status in (200, 404), r.text[:300]
    audit = Audit()
    audit.feed(r.text)
    audit.close()
    assert audit.problems == []
    assert audit.counts.get("style", 0) == 1  # the app's own stylesheet only
    assert "javascript:" not in " ".join(audit.hrefs).lower()


def test_hostile_listing_is_really_shown(hostile_store: Store) -> None:
    """The audit above must be looking at pages that contain the hostile text (escaped)."""
    app = make_app(hostile_store)
    listing = call(app, "/listing", {"market": "evil", "id": "l1"})
    assert listing.status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing.text
    assert "&lt;svg/onload=alert(2)&gt;" in listing.text
    vendor = call(app, "/vendor", {"market": "evil", "id": "v1"})
    assert vendor.status == 200 and "&lt;img src=x onerror=alert(3)&gt;" in vendor.text
