"""The egress guard's decisions, and real crawls proving refused hosts receive nothing (no Tor needed)."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onionwatch.crawler.middlewares.egress import endpoint, refusal, tor_proxy_problem
from onionwatch.crawler.transport import TorEndpoint
from tests.tor.conftest import run_probe
from tests.tor.servers import PageServer

TOR = TorEndpoint(socks_port=9050)
ONION = "http://abyssxyz.onion"
ALLOWED = {("abyssxyz.onion", 80)}
PROXY = "socks5h://onionwatch-abyss:n-0@127.0.0.1:9050"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://a.onion/x", ("a.onion", 80)),
    ("https://A.Onion./x", ("a.onion", 443)),
    ("http://127.0.0.1:8701/p?q=1", ("127.0.0.1", 8701)),
    ("ftp://a.onion/", None),
    ("file:///etc/passwd", None),
    ("http:///nohost", None),
    ("http://a.onion:99999/", None),
    ("javascript:alert(1)", None),
])
def test_endpoint(url: str, expected: tuple[str, int] | None) -> None:
    assert endpoint(url) == expected


def test_listed_mirror_through_tor_is_allowed() -> None:
    assert refusal(ONION + "/item/1", ALLOWED, "tor", PROXY, TOR, "abyss") is None


@pytest.mark.parametrize(("url", "proxy", "transport", "why"), [
    ("http://other.onion/", PROXY, "tor", "other.onion:80 is not a listed mirror"),
    ("http://abyssxyz.onion.evil.com/", PROXY, "tor", "is not a listed mirror"),
    ("http://abyssxyz.onion:8080/", PROXY, "tor", "abyssxyz.onion:8080 is not a listed mirror"),
    ("https://abyssxyz.onion/", PROXY, "tor", "abyssxyz.onion:443 is not a listed mirror"),
    ("http://127.0.0.1:9/", PROXY, "tor", "127.0.0.1:9 is not a listed mirror"),
    ("ftp://abyssxyz.onion/", PROXY, "tor", "only http(s) URLs"),
    (ONION + "/", None, "tor", "not routed through Tor (no proxy"),
    (ONION + "/", "socks5://127.0.0.1:9050", "tor", "is not socks5h"),
    (ONION + "/", "http://127.0.0.1:8118", "tor", "is not socks5h"),
    (ONION + "/", "socks5h://127.0.0.1:9999", "tor", "is not the configured Tor SOCKS port 127.0.0.1:9050"),
    (ONION + "/", "socks5h://10.0.0.1:9050", "tor", "is not the configured Tor SOCKS port"),
    (ONION + "/", None, "direct", "an onion host needs transport 'tor'"),
])
def test_refusals_name_the_problem(url: str, proxy: str | None, transport: str, why: str) -> None:
    reason = refusal(url, ALLOWED, transport, proxy, TOR, "abyss")
    assert reason is not None and why in reason and reason.startswith("abyss: ")


def test_no_mirrors_refuses_everything() -> None:
    assert "no mirrors known" in (refusal(ONION + "/", set(), "tor", PROXY, TOR, "abyss") or "")


@given(host=st.from_regex(r"[a-z0-9.-]{1,40}", fullmatch=True), port=st.integers(1, 65535))
def test_any_other_endpoint_is_refused(host: str, port: int) -> None:
    url = f"http://{host}:{port}/"
    ep = endpoint(url)
    reason = refusal(url, ALLOWED, "tor", PROXY, TOR, "abyss")
    assert (reason is None) == (ep in ALLOWED)


def test_tor_proxy_problem_malformed() -> None:
    assert tor_proxy_problem("socks5h://127.0.0.1:notaport", TOR) is not None


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.integration
def test_direct_crawl_refuses_and_counts_off_list_hosts_canary_gets_nothing() -> None:
    with PageServer("canary") as canary, PageServer("market", redirect_to=canary.url + "/via-redirect") as market:
        stats = run_probe({"transport": "direct", "markets": [{
            "name": "mkt", "mirrors": [market.url],
            "targets": ["/a", "/b", canary.url + "/direct", f"http://127.0.0.2:{market.port}/x", "/redirect-out",
                        "http://canaryxyz.onion/"],
        }]})["mkt"]
    assert canary.requests == []
    assert sorted(p for p, _ in market.requests) == ["/a", "/b", "/redirect-out"]
    assert stats["onionwatch/egress_refused"] == 4  # canary, 127.0.0.2, the redirect target, the onion
    assert stats[f"onionwatch/egress_refused/127.0.0.1:{canary.port}"] == 2
    assert stats["probe/ok"] == 2


@pytest.mark.integration
@pytest.mark.parametrize("disabled", [
    [],  # Tor routing on, but the SOCKS port is closed: fail, never fall back to a direct connection
    ["onionwatch.crawler.middlewares.tor.TorProxyMiddleware"],  # no proxy set: the egress guard refuses
    ["onionwatch.crawler.middlewares.tor.TorProxyMiddleware", "onionwatch.crawler.middlewares.egress.EgressGuardMiddleware"],  # handler
])
def test_tor_transport_never_connects_directly(disabled: list[str]) -> None:
    dead = _closed_port()
    with PageServer("market") as market:
        stats = run_probe({
            "transport": "tor",
            "settings": {"TOR_SOCKS_PORT": dead, "TOR_CONTROL_PORT": _closed_port(),
                         "ONIONWATCH_BACKOFF_BASE": 0.01, "ONIONWATCH_BLOCK_MAX_RETRIES": 1},
            "disable": {"DOWNLOADER_MIDDLEWARES": disabled},
            "markets": [{"name": "mkt", "mirrors": [market.url], "targets": ["/a", "/b"]}],
        })["mkt"]
    assert market.requests == []
    assert stats["probe/failed"] == 2 and "probe/ok" not in stats
    errors = " ".join(stats["probe/errors"])
    if not disabled:
        assert f"Tor SOCKS port 127.0.0.1:{dead}: connection refused" in errors
        assert stats["onionwatch/newnym_failed"] >= 1  # control port closed too: reported, not fatal
    elif len(disabled) == 1:
        assert "not routed through Tor (no proxy" in errors and stats["onionwatch/egress_refused"] == 2
    else:
        assert "Tor handler: not routed through Tor" in errors
        assert stats["onionwatch/egress_refused/handler"] == 2
