"""Elasticsearch store URLs with one host or a cluster's several (indexer/es_url.py), and the egress guard."""

from __future__ import annotations

import pytest

from onionwatch import netguard
from onionwatch.indexer import es_url
from onionwatch.indexer.elastic_auth import es_auth
from onionwatch.indexer.store import StoreError, open_store

CLUSTER = "es://127.0.0.1:9251,127.0.0.1:9252,127.0.0.1:9253/ops?refresh=false"


def test_cluster_url() -> None:
    parsed = es_url.parse(CLUSTER)
    assert parsed.servers == ("http://127.0.0.1:9251", "http://127.0.0.1:9252", "http://127.0.0.1:9253")
    assert parsed.endpoints == (("127.0.0.1", 9251), ("127.0.0.1", 9252), ("127.0.0.1", 9253))
    assert (parsed.prefix, parsed.refresh) == ("ops", False)
    assert parsed.server == "http://127.0.0.1:9251,127.0.0.1:9252,127.0.0.1:9253"


@pytest.mark.parametrize(
    ("url", "servers"),
    [
        ("http://a:1,b:2/x", ("http://a:1", "http://b:2")),
        ("es+https://es1.lan,es2.lan:9243", ("https://es1.lan:443", "https://es2.lan:9243")),
        ("es://[::1]:9200", ("http://[::1]:9200",)),
        ("https://es.local", ("https://es.local:443",)),
        ("ES://Node1:9200/?index_prefix=t1", ("http://Node1:9200",)),
    ],
)
def test_hosts(url: str, servers: tuple[str, ...]) -> None:
    assert es_url.parse(url).servers == servers


@pytest.mark.parametrize(
    "url",
    [
        "es://",
        "es://a:1,,b:2",
        "es://a:1,b:99999",
        "es://a:1,a:1",
        "es://a:1,b c:2",
        "es://a:x",
        "ftp://a:1",
        "es://a:1/UPPER",
        "es://a:1,b:2/a b",
    ],
)
def test_bad_urls_name_the_url(url: str) -> None:
    with pytest.raises(StoreError, match="store URL"):
        es_url.parse(url)


def test_password_never_shown() -> None:
    with pytest.raises(StoreError) as info:
        es_url.parse("es://ops:s3cret@a:1,b:x")
    assert "s3cret" not in str(info.value) and "***@" in str(info.value)
    auth = es_auth("es://ops:s3cret@127.0.0.1:9251,127.0.0.1:9252/x")
    assert auth is not None and auth.pair() == ("ops", "s3cret") and "s3cret" not in repr(auth)


def test_open_store_accepts_es_scheme_and_rejects_others() -> None:
    with pytest.raises(StoreError, match="unreachable"):  # parsed as Elasticsearch, then nobody answers
        open_store("es://127.0.0.1:1,127.0.0.1:2/?index_prefix=x")
    with pytest.raises(StoreError, match="unsupported scheme"):
        open_store("redis://127.0.0.1:6379")


def test_egress_allows_every_listed_node_and_nothing_else() -> None:
    assert netguard.store_endpoints("es://10.0.0.5:9200,ES2.lan:9201,10.0.0.7") == [
        ("10.0.0.5", 9200), ("es2.lan", 9201), ("10.0.0.7", 9200)]  # fmt: skip
    assert netguard.store_endpoint("es://10.0.0.5:9200,10.0.0.6:9200") == ("10.0.0.5", 9200)
    assert netguard.store_endpoints("sqlite:///x.sqlite") == [] and netguard.store_endpoints(None) == []
    assert netguard.store_endpoints("es://a:1,b:x") == []  # unparseable: nothing widened
    policy = netguard.Policy(loopback=False).with_endpoints(
        netguard.store_endpoints("es://10.0.0.5:9200,10.0.0.6:9201")
    )
    connect = "socket.connect"
    assert netguard.check(connect, (None, ("10.0.0.5", 9200)), policy) is None
    assert netguard.check(connect, (None, ("10.0.0.6", 9201)), policy) is None
    assert netguard.check(connect, (None, ("10.0.0.6", 9200)), policy) is not None  # listed host, other port
    assert netguard.check(connect, (None, ("10.0.0.8", 9200)), policy) is not None


def test_install_for_command_allows_cluster_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONIONWATCH_STORE", "es://10.1.0.1:9200,10.1.0.2:9200")
    captured: list[netguard.Policy] = []
    monkeypatch.setattr(netguard, "install", lambda policy: captured.append(policy))
    monkeypatch.setattr("onionwatch.offline.pin_environment", lambda: None)
    netguard.install_for_command("search")
    assert {("10.1.0.1", 9200), ("10.1.0.2", 9200)} <= captured[0].endpoints
