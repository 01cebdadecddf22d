"""ElasticStore beyond the shared contract: URLs, tokens, templates, capabilities, rejections, bad servers.

Server tests are marked `elasticsearch` and use ONIONWATCH_TEST_ES_URL; without it they skip, unless
CI=true, where a missing or unreachable server fails them (scripts/es-server.sh start brings one up).
"""

from __future__ import annotations

import http.server
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.indexer.elastic_docs import fold, query_terms, tokens
from onionwatch.indexer.spool import Spool
from onionwatch.indexer.store import SearchQuery, StoreError, open_store
from tests.indexer import data

ES_URL = os.environ.get("ONIONWATCH_TEST_ES_URL")


def require_es() -> str:
    """The test server's URL; skip without one, FAIL under CI=true (CI must run these tests)."""
    from elasticsearch import Elasticsearch

    if not ES_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but ONIONWATCH_TEST_ES_URL is unset: the Elasticsearch server did not come up")
        pytest.skip("ONIONWATCH_TEST_ES_URL not set (scripts/es-server.sh start)")
    try:
        Elasticsearch(ES_URL, request_timeout=10).cluster.health()
    except Exception as e:  # noqa: BLE001 - any failure here means "no usable server"
        if os.environ.get("CI") == "true":
            pytest.fail(f"Elasticsearch at {ES_URL} unreachable under CI=true: {e}")
        pytest.skip(f"Elasticsearch at {ES_URL} unreachable: {e}")
    return ES_URL.rstrip("/")


@pytest.fixture
def es_url() -> str:
    return require_es()


@pytest.fixture
def es_store(es_url: str, tmp_path: Path) -> Iterator:
    from onionwatch.indexer.elastic import ElasticStore

    store = ElasticStore(f"{es_url}/?index_prefix=ow-t-{uuid.uuid4().hex[:10]}", spool_dir=tmp_path / "spool")
    yield store
    store.drop()
    store.close()


# --- pure logic


@pytest.mark.parametrize(
    ("url", "server", "prefix", "refresh"),
    [
        ("http://127.0.0.1:9250", "http://127.0.0.1:9250", "onionwatch", True),
        ("http://localhost:9200/ops", "http://localhost:9200", "ops", True),
        ("http://127.0.0.1:9250/?index_prefix=t1&refresh=false", "http://127.0.0.1:9250", "t1", False),
        ("https://es.local", "https://es.local:443", "onionwatch", True),
    ],
)
def test_parse_url(url: str, server: str, prefix: str, refresh: bool) -> None:
    from onionwatch.indexer.elastic import parse_url

    assert parse_url(url) == (server, prefix, refresh)


@pytest.mark.parametrize("url", ["http://", "ftp://h:9200", "http://h:9200/UPPER", "http://h:99999", "http://h/a b"])
def test_parse_url_rejects_bad_urls(url: str) -> None:
    from onionwatch.indexer.elastic import parse_url

    with pytest.raises(StoreError, match="store URL"):
        parse_url(url)


def _fts5_tokens(text: str) -> set[str]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'row')")
    conn.execute("INSERT INTO t VALUES (?)", (text,))
    return {r[0] for r in conn.execute("SELECT term FROM v")}


ALPHABET = "abcxyzABCXYZ019éèÉñçüÖßøÅ ЙйёЁжЖмефедронМДМА.,-_/*\"'()<>&!?%\t\n"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_tokens_equal_sqlite_fts5_tokens(text: str) -> None:
    """The ES side indexes exactly the tokens SQLite's FTS5 indexes, so prefix matching agrees."""
    assert set(tokens(text)) == _fts5_tokens(text)


def test_query_terms_fold_like_the_index() -> None:
    assert query_terms("Café  MDMA-crystal ЙОД") == ["cafe", "mdma", "crystal", "йод"]
    assert fold("Ñandú") == "nandu"


def test_spool_round_trips_records_exactly(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    listings = data.all_listings()
    vendors = data.vendors()
    path = spool.put(listings, vendors, reason="test")
    assert spool.pending() == [path]
    back_l, back_v = spool.load(path)
    assert back_l == listings and back_v == vendors
    spool.done(path)
    assert spool.pending() == []


def test_spool_ignores_partial_temp_files(tmp_path: Path) -> None:
    (tmp_path / ".x.batch.json.abc.tmp").write_text("{")
    assert Spool(tmp_path).pending() == []


# --- bad servers and URLs


def test_server_down_at_start_is_a_clear_error(tmp_path: Path) -> None:
    from onionwatch.indexer.elastic import ElasticStore

    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1 is unreachable.*es-server\.sh start"):
        ElasticStore("http://127.0.0.1:1/x", spool_dir=tmp_path)


def test_a_server_that_is_not_elasticsearch_is_refused(tmp_path: Path) -> None:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = json.dumps({"status": "green"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(StoreError, match="not Elasticsearch"):
            open_store(f"http://127.0.0.1:{server.server_port}/x")
    finally:
        server.shutdown()


# --- against the real server


@pytest.mark.elasticsearch
def test_templates_aliases_and_monthly_observation_indices(es_store) -> None:
    for listings, vendors in data.batches():
        es_store.write_batch(listings, vendors)
    client, names = es_store.client, es_store.names
    aliases = client.indices.get_alias(index=f"{names.prefix}-*")
    by_alias: dict[str, set[str]] = {}
    for index, body in aliases.items():
        for alias in body["aliases"]:
            by_alias.setdefault(alias, set()).add(index)
    p = names.prefix
    assert by_alias[f"{p}-listings"] == {f"{p}-listings-v1"}
    assert by_alias[f"{p}-observations"] == {f"{p}-observations-2024.01", f"{p}-observations-2024.02"}
    feb = client.count(index=f"{p}-observations-2024.02")["count"]
    assert feb == 2  # a1 on 02-05, a4 on 02-06 (k1 re-seen on 02-01 with the same RUB price: no observation)
    mapping = client.indices.get_mapping(index=f"{p}-listings")[f"{p}-listings-v1"]["mappings"]
    assert mapping["properties"]["title"]["fields"]["keyword"]["type"] == "keyword"
    assert mapping["properties"]["ow"]["properties"]["tokens"]["type"] == "keyword"


@pytest.mark.elasticsearch
def test_capabilities_follow_the_servers_modules(es_store) -> None:
    from onionwatch.indexer.elastic_templates import detect, listing_mapping

    caps = detect(es_store.client)
    nodes = es_store.client.nodes.info(metric="plugins")["nodes"].values()
    modules = {m["name"] for n in nodes for m in n.get("modules", [])}
    assert caps.english == ("analysis-common" in modules)
    assert caps.scaled_float == ("mapper-extras" in modules)
    assert caps.percolator == ("percolator" in modules)
    price = listing_mapping(caps)["properties"]["price"]["properties"]["amount"]["type"]
    assert price == ("scaled_float" if caps.scaled_float else "double")
    # whatever the server has, the mapping it was given was accepted:
    assert es_store.client.indices.exists(index=es_store.names.index("listings"))


@pytest.mark.elasticsearch
def test_versions_keep_the_newest_scrape_against_out_of_order_writes(es_store) -> None:
    a1 = data.base_listings()["a1"]
    es_store.write_batch([data.at(a1, "2024-02-05T10:00:00Z", title="New title")], [])
    es_store.write_batch([data.at(a1, "2024-01-01T10:00:00Z", title="Old title")], [])
    from onionwatch.indexer.elastic_docs import doc_id

    got = es_store.client.get(index=es_store.names.alias("listings"), id=doc_id("alpha", "a1"))
    assert got["_source"]["title"] == "New title"
    assert got["_version"] >= 1706000000  # external version = last-seen epoch seconds
    assert got["_source"]["first_seen"] == "2024-01-01T10:00:00Z"


@pytest.mark.elasticsearch
def test_rejected_document_is_named_kept_and_the_rest_written(es_store, caplog) -> None:
    """A month index created by an 'older version' with a conflicting field type rejects one document."""
    p = es_store.names.prefix
    es_store.client.indices.create(
        index=f"{p}-observations-2023.12", mappings={"properties": {"quantity": {"type": "boolean"}}}
    )
    b = data.base_listings()
    old = data.at(b["a2"], "2023-12-24T10:00:00Z")
    stats = es_store.write_batch([b["a1"], old, b["k1"]], data.vendors())
    assert (stats.listings_new, stats.vendors_new) == (3, 5)
    assert stats.observations == 2
    assert es_store.counts() == {"listings": 3, "vendors": 5, "observations": 2}
    [rej] = es_store.rejections
    assert rej.index == f"{p}-observations-2023.12"
    assert rej.key == "observation alpha:a2@2023-12-24T10:00:00Z"
    assert "failed to parse field [quantity] of type [boolean]" in rej.reason
    assert f"index {p}-observations-2023.12: document {rej.doc_id}" in caplog.text
    dead = list((es_store.spool.dir / "rejected").glob("*.jsonl"))
    [line] = dead[0].read_text().splitlines()
    kept = json.loads(line)
    assert kept["source"]["listing_id"] == "a2" and kept["source"]["observed_at"] == "2023-12-24T10:00:00Z"
    # and the next start names the conflicting index and field
    from onionwatch.indexer.elastic import ElasticStore

    again = ElasticStore(es_store.url, spool_dir=es_store.spool.dir)
    assert any(f"{p}-observations-2023.12: field quantity" in m for m in again.mapping_conflicts)
    again.close()


@pytest.mark.elasticsearch
def test_store_url_dispatch_and_search_through_open_store(es_url: str) -> None:
    store = open_store(f"{es_url}/?index_prefix=ow-t-{uuid.uuid4().hex[:10]}")
    try:
        store.write_batch(*data.batches()[0])
        res = store.search(SearchQuery(text="mdma"))
        assert sorted(h.listing["listing_id"] for h in res.hits) == ["a1", "a5"]
        assert all(h.highlight and "<mark>" in h.highlight for h in res.hits)
    finally:
        store.drop()  # type: ignore[attr-defined]
        store.close()


@pytest.mark.elasticsearch
def test_get_listing_with_history_equals_sqlite(es_store, tmp_path: Path) -> None:
    from onionwatch.indexer.sqlite import SQLiteStore

    lite = SQLiteStore(f"sqlite:///{tmp_path}/x.sqlite")
    for listings, vendors in data.batches():
        lite.write_batch(listings, vendors)
        es_store.write_batch(listings, vendors)
    for market, lid in (("alpha", "a1"), ("klad", "k1"), ("alpha", "a4"), ("alpha", "missing")):
        assert es_store.get_listing(market, lid) == lite.get_listing(market, lid)
    assert len(es_store.get_listing("alpha", "a1")["observations"]) == 4  # 01-01, 01-08, 01-15, 02-05
    lite.close()


@pytest.mark.elasticsearch
def test_an_older_index_gets_its_alias_and_new_fields(es_url: str, tmp_path: Path) -> None:
    """An index left by an older version (no alias, fewer fields) is adopted and its mapping extended."""
    from elasticsearch import Elasticsearch

    from onionwatch.indexer.elastic import ElasticStore

    prefix = f"ow-t-{uuid.uuid4().hex[:10]}"
    client = Elasticsearch(es_url)
    client.indices.create(
        index=f"{prefix}-listings-v1",
        mappings={"dynamic": "false", "properties": {"market": {"type": "keyword"}, "last_seen": {"type": "date"}}},
    )
    store = ElasticStore(f"{es_url}/?index_prefix={prefix}", spool_dir=tmp_path)
    try:
        assert store.mapping_conflicts == []
        props = client.indices.get_mapping(index=f"{prefix}-listings")[f"{prefix}-listings-v1"]["mappings"]
        assert props["properties"]["ow"]["properties"]["tokens"]["type"] == "keyword"
        store.write_batch(*data.batches()[0])
        assert [h.listing["listing_id"] for h in store.search(SearchQuery(text="peru")).hits] == ["a2"]
    finally:
        store.drop()
        store.close()


class Busy429(http.server.BaseHTTPRequestHandler):
    """A stand-in Elasticsearch whose first bulk answer rejects every item with 429 (queue full)."""

    bulk_requests: list[int] = []

    def do_POST(self) -> None:  # noqa: N802
        raw = self.rfile.read(int(self.headers["content-length"]))
        lines = [json.loads(x) for x in raw.decode().splitlines() if x.strip()]
        metas = lines[0::2]
        Busy429.bulk_requests.append(len(metas))
        first = len(Busy429.bulk_requests) == 1
        items = [
            {"create": {"_index": m["create"]["_index"], "_id": m["create"]["_id"],
                        "status": 429 if first else 201, "result": None if first else "created",
                        **({"error": {"type": "es_rejected_execution_exception", "reason": "queue full"}}
                           if first else {})}}
            for m in metas
        ]  # fmt: skip
        body = json.dumps({"took": 1, "errors": first, "items": items}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("x-elastic-product", "Elasticsearch")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST  # noqa: N815 - the client sends bulk as PUT

    def log_message(self, *args: object) -> None:
        pass


def test_bulk_retries_items_rejected_with_429() -> None:
    from elasticsearch import Elasticsearch

    from onionwatch.indexer import elastic_bulk

    Busy429.bulk_requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Busy429)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = Elasticsearch(f"http://127.0.0.1:{server.server_port}")
        actions = [{"_op_type": "create", "_index": "i", "_id": str(n), "_source": {"n": n}} for n in range(5)]
        result = elastic_bulk.run(client, actions)
        assert (result.created, result.rejected) == (5, [])
        assert Busy429.bulk_requests == [5, 5]  # all five sent again after the back-off
    finally:
        server.shutdown()


def test_mapping_uses_analyzers_and_scaled_float_only_when_present() -> None:
    from onionwatch.indexer.elastic_templates import Capabilities, listing_mapping

    full = listing_mapping(Capabilities(english=True, russian=True, scaled_float=True))["properties"]
    bare = listing_mapping(Capabilities())["properties"]
    assert set(full["title"]["fields"]) == {"keyword", "en", "ru"}
    assert full["title"]["fields"]["ru"]["analyzer"] == "russian"
    assert full["price"]["properties"]["amount"]["type"] == "scaled_float"
    assert set(bare["title"]["fields"]) == {"keyword"}
    assert bare["price"]["properties"]["amount"]["type"] == "double"


@pytest.mark.elasticsearch
def test_huge_tokens_and_token_counts_still_match_like_sqlite(es_store, tmp_path: Path) -> None:
    from dataclasses import replace

    from onionwatch.indexer.sqlite import SQLiteStore

    a1 = data.base_listings()["a1"]
    words = " ".join(f"w{i}" for i in range(12_000))
    junk = replace(a1, listing_id="junk", title="x" * 300 + "yz", description=words + " needle")
    lite = SQLiteStore(f"sqlite:///{tmp_path}/x.sqlite")
    for store in (lite, es_store):
        store.write_batch([a1, junk], [])
    for text in ("xxxxxxxxxx", "needle", "w11999", "w5000 needle"):
        got = [h.listing["listing_id"] for h in es_store.search(SearchQuery(text=text)).hits]
        want = [h.listing["listing_id"] for h in lite.search(SearchQuery(text=text)).hits]
        assert got == want, text
    lite.close()


@pytest.mark.elasticsearch
def test_an_unwritable_spooled_batch_is_kept_and_the_others_replayed(es_url: str, tmp_path: Path, caplog) -> None:
    from dataclasses import replace

    from onionwatch.indexer.elastic import ElasticStore

    spool = Spool(tmp_path / "spool")
    b = data.base_listings()
    bad = spool.put([replace(b["a1"], scraped_at="not a date")], [], reason="test")
    good = spool.put([b["a2"], b["k1"]], data.vendors(), reason="test")
    (tmp_path / "spool" / "0-corrupt.batch.json").write_text("{not json")
    store = ElasticStore(f"{es_url}/?index_prefix=ow-t-{uuid.uuid4().hex[:10]}", spool_dir=tmp_path / "spool")
    try:
        assert store.counts() == {"listings": 2, "vendors": 5, "observations": 2}
        left = {p.name for p in spool.pending()}
        assert left == {bad.name, "0-corrupt.batch.json"} and good.name not in left
        assert "cannot be replayed" in caplog.text and "unreadable spool file" in caplog.text
    finally:
        store.drop()
        store.close()
