"""indexer/elastic_bulk.py: one-pass NDJSON (orjson, exact fallbacks), chunking; bulk loads on a real server.

Server tests use ONIONWATCH_TEST_ES_URL (tests/indexer/test_elastic.py `require_es`).
"""

from __future__ import annotations

import json
import math
import uuid
from pathlib import Path
from typing import Any

import pytest
from elasticsearch.serializer import JsonSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.indexer import elastic_bulk as bulk
from onionwatch.indexer.store import SearchQuery
from tests.indexer.test_elastic import require_es

FALLBACK = JsonSerializer()


@pytest.mark.parametrize(
    ("value", "fallback"),
    [
        ({"title": "Кокаин 1г", "price": 111.15, "n": 3, "none": None, "ok": True, "tiers": [{"q": 0.5}]}, False),
        ({"big": 2**70}, True),  # beyond 64 bits: orjson refuses, the client's serializer writes it
        ({"odd": "\ud800x"}, True),  # a lone surrogate: written as the client's serializer writes it
        ({1: "non-string key"}, True),
        ({"price": float("nan")}, True),  # NaN stays NaN (the server refuses the document, as before), not null
        ({"price": [1.0, float("inf")]}, True),
    ],
)
def test_encode_means_what_the_clients_serializer_writes(value: Any, fallback: bool) -> None:
    got = bulk.encode(value, FALLBACK)
    want = FALLBACK.dumps(value)
    want = want if isinstance(want, bytes) else want.encode("utf-8", "surrogatepass")
    if fallback:
        assert got == want
    else:
        assert bulk.orjson is None or got == bulk.orjson.dumps(value)  # the fast path, same JSON value
        assert json.loads(got) == json.loads(want)


def _finite_walk(obj: Any) -> bool:
    """The plain walk bulk._finite replaced (every member visited): the reference it must agree with."""
    if type(obj) is float:
        return math.isfinite(obj)
    if type(obj) is dict:
        return all(_finite_walk(v) for v in obj.values())
    if type(obj) is list or type(obj) is tuple:
        return all(_finite_walk(v) for v in obj)
    return True


class _Float(float):
    pass  # a float subclass: neither walk looks inside it (orjson refuses it; the fallback writes it)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.floats(),
                     st.floats().map(_Float), st.sampled_from([float("nan"), float("inf"), -float("inf")]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.lists(inner, max_size=4).map(tuple),
    st.dictionaries(st.text(max_size=4), inner, max_size=6)), max_leaves=30)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_finite_agrees_with_the_plain_walk(value: Any) -> None:
    assert bulk._finite(value) == _finite_walk(value)


def test_listing_and_observation_documents_encode_to_the_same_bytes_as_before() -> None:
    """The documents a bulk load sends: the fast NaN check picks orjson exactly where the plain walk did."""
    from onionwatch.indexer.elastic_docs import listing_doc, observation_doc
    from onionwatch.indexer.sqlite_rows import prepare_listing
    from onionwatch.testbed.synth import synth_batch

    listings, _ = synth_batch(400, seed=11)
    listings[7].price_per_gram_usd = float("nan")  # one that must take the client's serializer
    fallbacks = 0
    for row in map(prepare_listing, listings):
        for doc in (listing_doc(row, row.seen), observation_doc(row)):
            if bulk.orjson is not None and _finite_walk(doc):
                assert bulk.encode(doc, FALLBACK) == bulk.orjson.dumps(doc)
            else:
                want = FALLBACK.dumps(doc)
                assert bulk.encode(doc, FALLBACK) == (want if isinstance(want, bytes) else want.encode())
                fallbacks += 1
    assert fallbacks == 2  # the NaN listing's two documents


def test_action_lines_carry_op_type_index_id_and_external_version() -> None:
    action = {"_op_type": "index", "_index": "i", "_id": "a", "version": 7, "version_type": "external_gte",
              "_source": {"x": 1}}
    meta, src = bulk.action_lines(action, FALLBACK).splitlines()
    assert json.loads(meta) == {"index": {"_index": "i", "_id": "a", "version": 7, "version_type": "external_gte"}}
    assert json.loads(src) == {"x": 1}


def test_chunks_cut_by_count_and_by_bytes_keeping_every_action_in_order() -> None:
    actions = [{"_op_type": "create", "_index": "i", "_id": str(n), "_source": {"t": "x" * 100}} for n in range(25)]
    by_count = list(bulk.chunks(iter(actions), FALLBACK, size=10))
    assert [len(b) for b, _ in by_count] == [10, 10, 5]
    by_bytes = list(bulk.chunks(iter(actions), FALLBACK, size=100, max_bytes=400))
    assert all(len(body) <= 400 or len(batch) == 1 for batch, body in by_bytes)
    assert [a["_id"] for b, _ in by_bytes for a in b] == [str(n) for n in range(25)]
    for batch, body in by_bytes:
        assert [json.loads(x)["create"]["_id"] for x in body.splitlines()[0::2]] == [a["_id"] for a in batch]


def _store(url: str, tmp_path: Path, name: str):
    from onionwatch.indexer.elastic import ElasticStore

    return ElasticStore(f"{url}/?index_prefix=ow-b-{uuid.uuid4().hex[:8]}", spool_dir=tmp_path / name)


def _observations(store) -> list[dict[str, Any]]:
    store.client.indices.refresh(index=store.names.observations)
    hits = store._scan(store.names.observations, {"match_all": {}}, [{"key": "asc"}, {"observed_at": "asc"}])
    return [h["_source"] for h in hits]


@pytest.mark.elasticsearch
def test_a_bulk_loaded_store_holds_the_same_documents_and_answers(tmp_path: Path) -> None:
    from onionwatch.testbed.synth import reobserve, synth_batch

    url = require_es()
    listings, vendors = synth_batch(2600, seed=3)  # > CHUNK_SIZE actions per batch: parallel requests
    again = reobserve(listings, seed=5, days=3, share=0.4)
    plain, loaded = _store(url, tmp_path, "a"), _store(url, tmp_path, "b")
    try:
        stats_plain = [plain.write_batch(listings, vendors), plain.write_batch(again, [])]
        with loaded.bulk_loading():
            stats_loaded = [loaded.write_batch(listings[:1300], vendors), loaded.write_batch(listings[1300:], []),
                            loaded.write_batch(again, [])]
        assert stats_plain[0].listings_new == 2600 == stats_loaded[0].listings_new + stats_loaded[1].listings_new
        assert stats_plain[0].observations == 2600 == stats_loaded[0].observations + stats_loaded[1].observations
        assert stats_plain[1] == stats_loaded[2]
        assert plain.counts() == loaded.counts()
        for item in listings[::37]:
            assert plain.get_listing(item.market, item.listing_id) == loaded.get_listing(item.market, item.listing_id)
        assert _observations(plain) == _observations(loaded)
        for q in (SearchQuery(text="mdma", limit=50), SearchQuery(market="hydra", substance_class="opioid", limit=50),
                  SearchQuery(text="кокаин", since="2024-03-01T00:00:00Z", limit=50)):
            a, b = plain.search(q), loaded.search(q)
            assert a.total == b.total > 0
            assert [h.listing for h in a.hits] == [h.listing for h in b.hits]
    finally:
        for s in (plain, loaded):
            s.drop()
            s.close()


@pytest.mark.elasticsearch
def test_bulk_loading_restores_refresh_and_replicas_when_the_load_fails(tmp_path: Path) -> None:
    from onionwatch.testbed.synth import synth_batch

    url = require_es()
    store = _store(url, tmp_path, "c")
    listings, vendors = synth_batch(50, seed=1)
    try:
        with pytest.raises(RuntimeError), store.bulk_loading():
            store.write_batch(listings, vendors)
            idx = store.names.index("listings")
            during = store.client.indices.get_settings(index=idx)[idx]["settings"]["index"]
            assert during["refresh_interval"] == "-1"
            raise RuntimeError("the load died")
        after = store.client.indices.get_settings(index=store._patterns())
        assert after and all(s["settings"]["index"]["refresh_interval"] == "1s" for s in after.values())
        assert all("durability" not in s["settings"]["index"].get("translog", {}) for s in after.values())
        assert store.refresh is True
        assert store.counts()["listings"] == 50  # refreshed once at the end: the written part is searchable
    finally:
        store.drop()
        store.close()
