"""The egress guard's decisions, and real crawls proving refused hosts receive nothing (no Tor needed)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onionwatch import netguard
from onionwatch.crawler.markets import MarketDefinition, MarketDefinitionError, mirror_problem, with_mirror
from onionwatch.crawler.middlewares.egress import refusal, tor_proxy_problem
from onionwatch.crawler.policy import CrawlRefused, check_transport, direct_endpoints
from onionwatch.crawler.transport import TorEndpoint
from onionwatch.netguard import url_endpoint as endpoint
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


# --- the process egress guard's decisions (onionwatch.netguard), pure: no hook installed in this process ---

class _Sock:
    def __init__(self, family: int = socket.AF_INET) -> None:
        self.family = family


GUARD = netguard.Policy().with_endpoints([("127.0.0.1", 9050), ("es.internal", 9200), ("market.example", 443)])


@pytest.mark.parametrize(("event", "args"), [
    ("socket.connect", (_Sock(), ("127.0.0.1", 8701))),  # loopback testbed, any port
    ("socket.connect", (_Sock(socket.AF_INET6), ("::1", 9050, 0, 0))),
    ("socket.connect", (_Sock(socket.AF_UNIX), "/run/tor/control")),
    ("socket.getaddrinfo", ("localhost", 80, 0, 0, 0)),
    ("socket.getaddrinfo", ("es.internal", 9200, 0, 0, 0)),  # the store's host may be looked up
    ("socket.getaddrinfo", ("203.0.113.9", 443, 0, 0, 0)),  # numeric: parsed, not looked up
    ("socket.gethostbyname", ("market.example",)),
    ("socket.bind", (_Sock(), ("0.0.0.0", 8765))),  # not an egress event
])
def test_guard_allows(event: str, args: tuple) -> None:
    assert netguard.check(event, args, GUARD) is None


@pytest.mark.parametrize(("event", "args", "why"), [
    ("socket.getaddrinfo", ("publicsuffix.org", 443, 0, 0, 0), "lookup of 'publicsuffix.org'"),
    ("socket.gethostbyname", ("raw.githubusercontent.com",), "lookup of 'raw.githubusercontent.com'"),
    ("socket.connect", (_Sock(), ("203.0.113.9", 443)), "203.0.113.9:443 (not Tor, the store"),
    ("socket.connect", (_Sock(), ("market.example", 80)), "market.example:80"),  # the mirror's other port
    ("socket.connect", (_Sock(socket.AF_INET6), ("2001:db8::1", 443, 0, 0)), "2001:db8::1:443"),
    ("socket.sendto", (_Sock(), ("127.0.0.53", 53)), "DNS on loopback"),  # a stub resolver forwards outside
    ("socket.sendto", (_Sock(), ("8.8.8.8", 53)), "8.8.8.8:53"),
    ("socket.gethostbyaddr", ("203.0.113.9",), "lookup of '203.0.113.9'"),  # reverse DNS is a query
    ("socket.getnameinfo", (("203.0.113.9", 443),), "lookup of '203.0.113.9'"),
])
def test_guard_refuses(event: str, args: tuple, why: str) -> None:
    reason = netguard.check(event, args, GUARD)
    assert reason is not None and why in reason


def test_guard_without_loopback_refuses_the_testbed() -> None:
    strict = netguard.Policy(loopback=False)
    assert netguard.check("socket.connect", (_Sock(), ("127.0.0.1", 8701)), strict) is not None


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("::ffff:127.0.0.1", True),
    ("localhost", True), ("LOCALHOST.", True), ("shop.localhost", True),
    ("0.0.0.0", False), ("10.0.0.1", False), ("localhost.example.com", False), ("127.0.0.1.nip.io", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert netguard.is_loopback(host) is loopback


def test_use_policy_restores_the_previous_policy() -> None:
    before = netguard.current_policy()
    with netguard.use_policy(netguard.Policy(loopback=False)) as p:
        assert netguard.current_policy() is p
    assert netguard.current_policy() is before


def test_culprit_skips_the_socket_and_http_client_layers() -> None:
    import sys
    import types

    def frame_of(module: str, back: object) -> object:
        return types.SimpleNamespace(f_globals={"__name__": module}, f_back=back)

    stack = None
    for module in ("scrapy.downloadermiddlewares.cookies", "tldextract.suffix_list", "requests.sessions",
                   "urllib3.connection", "socket"):
        stack = frame_of(module, stack)
    assert netguard.culprit(stack)[0] == "tldextract.suffix_list"
    assert netguard.culprit(sys._getframe())[0] == __name__


def test_store_and_tor_endpoints() -> None:
    assert netguard.store_endpoint("http://127.0.0.1:9250/demo") == ("127.0.0.1", 9250)
    assert netguard.store_endpoint("https://ES.internal/x") == ("es.internal", 443)
    assert netguard.store_endpoint("sqlite:///tmp/x.sqlite") is None
    assert netguard.tor_endpoints({"TOR_SOCKS_PORT": "19050"}) == [("127.0.0.1", 19050), ("127.0.0.1", 9051)]
    assert netguard.tor_endpoints({"TOR_SOCKS_HOST": "tor.lan", "TOR_CONTROL_PORT": "x"}) == [("tor.lan", 9050)]


# --- transport semantics: network says where the market lives, --transport how we reach it ---

def _market(network: str, mirrors: list[str]) -> MarketDefinition:
    base = MarketDefinition.model_validate({
        "name": "m1", "title": "m", "language": "en", "currency": "USD", "network": "onion",
        "mirrors": ["http://placeholderxyz.onion"], "navigation": {"listing_links": "a::attr(href)"},
        "listing": {"url_pattern": "^/i/(?P<id>\\d+)$", "require": "h1", "fields": {"title": "h1::text"}},
    })
    return base.model_copy(update={"network": network, "mirrors": mirrors})


@pytest.mark.parametrize(("network", "mirrors", "transport", "refused"), [
    ("onion", ["http://abyssxyz.onion"], "tor", False),
    ("onion", ["http://abyssxyz.onion"], "direct", True),
    ("onion", ["http://127.0.0.1:8701"], "direct", False),  # a loopback testbed given with --mirror
    ("clearnet", ["https://market.example"], "tor", False),  # the default: clearnet through Tor too
    ("clearnet", ["https://market.example"], "direct", False),  # only when the operator says so
])
def test_check_transport(network: str, mirrors: list[str], transport: str, refused: bool) -> None:
    definition = _market(network, mirrors)
    if refused:
        with pytest.raises(CrawlRefused, match="refusing a direct connection to an onion market"):
            check_transport(definition, transport)
    else:
        check_transport(definition, transport)


def test_unknown_transport_is_refused() -> None:
    with pytest.raises(CrawlRefused, match="must be 'tor' or 'direct'"):
        check_transport(_market("onion", ["http://abyssxyz.onion"]), "auto")


def test_direct_endpoints_only_for_clearnet_markets_crawled_directly() -> None:
    clear, onion = _market("clearnet", ["https://market.example", "http://m2.example"]), _market(
        "onion", ["http://abyssxyz.onion"])
    assert direct_endpoints([clear, onion], "direct") == {("market.example", 443), ("m2.example", 80)}
    assert direct_endpoints([clear, onion], "tor") == set()


@pytest.mark.parametrize(("network", "url", "problem"), [
    ("onion", "http://abyssxyz.onion", None),
    ("onion", "https://abyssxyz.onion:443", None),
    ("clearnet", "https://market.example", None),
    ("onion", "https://market.example", "not a .onion host but network is 'onion'"),
    ("clearnet", "http://abyssxyz.onion", "a .onion host but network is 'clearnet'"),
    ("clearnet", "http://203.0.113.9", "an IP address or loopback name"),
    ("onion", "http://[2001:db8::1]", "an IP address or loopback name"),
    ("clearnet", "http://127.0.0.1:8701", "an IP address or loopback name"),
    ("clearnet", "http://localhost", "an IP address or loopback name"),
    ("onion", "http://abyssxyz.onion:8080", "uses port 8080"),
    ("clearnet", "https://market.example:8443", "uses port 8443"),
    ("clearnet", "https://user:pw@market.example", "credentials in the URL"),
    ("onion", "http://abyssxyz.onion:99999", "not an http(s) URL with a valid port"),
])
def test_mirror_problem(network: str, url: str, problem: str | None) -> None:
    found = mirror_problem(url, network)
    assert (found is None) if problem is None else (found is not None and problem in found)


@pytest.mark.parametrize(("mirror", "problem"), [
    ("http://127.0.0.1:8701", None),  # loopback testbed: any port
    ("http://localhost:1234", None),
    ("http://otherxyz.onion", None),
    ("http://203.0.113.9:8080", "an IP address or loopback name"),
    ("https://market.example", "not a .onion host but network is 'onion'"),
    ("http://otherxyz.onion:8080", "uses port 8080"),
])
def test_cli_mirror(mirror: str, problem: str | None) -> None:
    definition = _market("onion", ["http://abyssxyz.onion"])
    if problem is None:
        assert with_mirror(definition, mirror).mirrors == [mirror]
    else:
        with pytest.raises(MarketDefinitionError, match=f"m1: --mirror '{re.escape(mirror)}' .*{problem}"):
            with_mirror(definition, mirror)


def test_bad_mirrors_in_a_definition_file_are_one_line_each(tmp_path: Path) -> None:
    import yaml

    from onionwatch.crawler.markets import validate_all

    good = yaml.safe_load((Path(__file__).parents[2] / "config" / "markets" / "abyss.yaml").read_text())
    cases = {"ipmirror": ("onion", "http://203.0.113.9"), "clearonion": ("clearnet", "http://abyssxyz.onion"),
             "onionclear": ("onion", "https://market.example"), "oddport": ("onion", "http://abyssxyz.onion:8080")}
    for name, (network, url) in cases.items():
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump({**good, "name": name, "network": network,
                                                               "mirrors": [url]}))
    problems = validate_all(tmp_path)
    assert len(problems) == 4
    assert all(p.startswith(str(tmp_path)) and ": mirrors: " in p for p in problems), problems
