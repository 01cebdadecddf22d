"""The testbed HTTP server: login enforcement, block injection, request log, escaping, CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from parsel import Selector

from onionwatch.crawler.markets import get_market
from onionwatch.testbed import html_abyss, html_kladmen
from onionwatch.testbed.generate import build_market
from onionwatch.testbed.server import MarketServer, start_all, start_market
from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

pytestmark = pytest.mark.integration
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quoted"'


@pytest.fixture(scope="module")
def abyss():
    server = start_market("abyss", n_vendors=30, n_listings=120)
    yield server
    server.stop()
    assert server.errors == []


def _csrf(client: httpx.Client) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    return Selector(text=page.text).css("form#login-form input[name=csrf_token]::attr(value)").get()


def login(client: httpx.Client, username: str = TESTBED_USERNAME, password: str = TESTBED_PASSWORD) -> httpx.Response:
    return client.post("/login", data={"csrf_token": _csrf(client), "username": username, "password": password})


def test_every_page_needs_a_session(abyss: MarketServer) -> None:
    li = abyss.market.listings[0]
    with httpx.Client(base_url=abyss.url) as c:
        for path in ("/", li.url, li.vendor.url, "/category/stimulants?page=2", "/nope"):
            r = c.get(path)
            assert (r.status_code, r.headers["location"]) == (302, "/login"), path
        r = login(c, password="wrong")
        assert r.status_code == 200 and "Wrong username or password" in r.text and "set-cookie" not in r.headers
        r = c.post("/login", data={"csrf_token": "forged", "username": TESTBED_USERNAME,
                                   "password": TESTBED_PASSWORD})
        assert "Invalid form token" in r.text and "set-cookie" not in r.headers
        r = login(c)
        assert r.status_code == 302 and r.headers["location"] == "/"
        home = c.get("/")
        assert home.status_code == 200 and Selector(text=home.text).css("a.logout")
        assert c.get(li.url).status_code == 200
        c.get("/logout")
        assert c.get(li.url).status_code == 302


def test_csrf_token_is_single_use(abyss: MarketServer) -> None:
    with httpx.Client(base_url=abyss.url) as c:
        token = _csrf(c)
        data = {"csrf_token": token, "username": TESTBED_USERNAME, "password": TESTBED_PASSWORD}
        assert c.post("/login", data=data).status_code == 302
        assert "Invalid form token" in c.post("/login", data=data).text


def test_expired_sessions_redirect_to_login(abyss: MarketServer) -> None:
    with httpx.Client(base_url=abyss.url) as c:
        login(c)
        assert c.get("/").status_code == 200
        assert c.get("/__testbed/expire").json() == {"ok": True}
        assert c.get("/").headers["location"] == "/login"


def test_block_injection(abyss: MarketServer) -> None:
    definition = get_market("abyss")
    with httpx.Client(base_url=abyss.url) as c:
        login(c)
        abyss.block_next(2, "429")
        for _ in range(2):
            r = c.get("/")
            assert r.status_code == 429 and r.headers["retry-after"] == "5"
        assert c.get("/").status_code == 200
        assert c.get("/__testbed/block", params={"n": 1, "kind": "captcha"}).json()["kind"] == "captcha"
        assert c.get("/__testbed/health").status_code == 200  # control requests are never blocked
        r = c.get("/")
        assert r.status_code == 200 and any(re.search(rx, r.text) for rx in definition.blocked)
        c.get("/__testbed/block?n=1&kind=403")
        assert c.get("/").status_code == 403
        assert c.get("/").status_code == 200
        assert c.get("/__testbed/block?n=1&kind=teapot").status_code == 400
        assert c.get("/__testbed/block?n=-1").status_code == 400
    blocked = [e for e in abyss.log if e.blocked]
    assert [e.blocked for e in blocked[-4:]] == ["429", "429", "captcha", "403"]
    with pytest.raises(ValueError):
        abyss.block_next(1, "500")


def test_request_log_keeps_method_path_host_and_client(abyss: MarketServer) -> None:
    abyss.clear_log()
    host = "oouh65qsrfnebpjgwap2x65ueeqdy7xachhdy2jkglkyrxkqydfvfzad.onion"
    httpx.get(abyss.url + "/login?x=1", headers={"Host": host})
    (entry,) = abyss.log
    assert (entry.method, entry.path, entry.host, entry.status) == ("GET", "/login?x=1", host, 200)
    assert entry.client.startswith("127.0.0.1:")


def test_not_found_and_bad_pages(abyss: MarketServer) -> None:
    with httpx.Client(base_url=abyss.url) as c:
        login(c)
        for path in ("/listing/1", "/vendor/nobody", "/category/stimulants?page=999",
                     "/category/stimulants?page=abc", "/category/unknown"):
            assert c.get(path).status_code == 404, path
        assert c.post("/login", content=b"x" * 100_000,
                      headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 413


def test_parallel_requests(abyss: MarketServer) -> None:
    with httpx.Client(base_url=abyss.url) as c:
        login(c)
        paths = [li.url for li in abyss.market.listings[:60]]
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda p: c.get(p).status_code, paths))
    assert statuses == [200] * len(paths)


def test_hostile_text_is_escaped() -> None:
    import dataclasses

    for market in ("abyss", "kladmen"):
        m = build_market(market, 5, 10, 30)
        li = dataclasses.replace(m.listings[0], title=HOSTILE, description=HOSTILE)
        v = dataclasses.replace(li.vendor, name=HOSTILE, contact_lines=[HOSTILE])
        li = dataclasses.replace(li, vendor=v)
        if market == "abyss":
            pages = [html_abyss.listing_page(li, HOSTILE), html_abyss.vendor_page(v, [li], HOSTILE)]
        else:
            pages = [html_kladmen.product_page(li), html_kladmen.shop_page(v, [li])]
        for html in pages:
            sel = Selector(text=html)
            assert not sel.css("script") and not sel.css("img[onerror]")
            assert "<script>" not in html
            assert HOSTILE in sel.css("h1::text").getall()


def test_start_all_serves_both_markets() -> None:
    servers = start_all(seed=11, n_vendors=10, n_listings=30)
    try:
        assert set(servers) == {"abyss", "kladmen"}
        assert servers["abyss"].port != servers["kladmen"].port
        assert httpx.get(servers["kladmen"].url + "/").status_code == 200
        assert httpx.get(servers["abyss"].url + "/").status_code == 302
    finally:
        for s in servers.values():
            s.stop()


def test_cli_truth_and_serve() -> None:
    out = subprocess.run([sys.executable, "-m", "onionwatch.testbed", "truth", "kladmen", "--vendors", "5", "--listings", "12"],
                         capture_output=True, text=True, check=True).stdout
    truth = json.loads(out)
    assert len(truth["listings"]) == 12 and truth["onion"].endswith(".onion")
    bad = subprocess.run([sys.executable, "-m", "onionwatch.testbed", "truth", "abyss", "--vendors", "5", "--listings", "2"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "n_listings" in bad.stderr
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.testbed", "serve", "kladmen", "--vendors", "5",
                             "--listings", "12"], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url, line
        assert httpx.get(url.group(0) + "/__testbed/health").json()["listings"] == 12
    finally:
        proc.terminate()
        proc.wait(timeout=5)
