"""indexer/elastic_templates.py: bulk-load settings, the additive mapping update of older indices, a slimmer
listing mapping (no doc values on ow.tokens/ow.stems, measured in issue 15) answering as the default one.

Server tests use ONIONWATCH_TEST_ES_URL (tests/indexer/test_elastic.py `require_es`).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from onionwatch.indexer import elastic_templates as et
from onionwatch.indexer.store import SearchQuery
from tests.indexer import data
from tests.indexer.test_elastic import require_es


def _slim_listing_mapping(caps: et.Capabilities) -> dict[str, Any]:
    """The listing mapping without doc values on ow.tokens and ow.stems (bench_es_bulk's tokendv=0)."""
    mapping = et.listing_mapping(caps)
    for name in ("tokens", "stems"):
        mapping["properties"]["ow"]["properties"][name]["doc_values"] = False
    return mapping


def test_additive_keeps_the_frozen_parameters_of_existing_fields_and_adds_new_ones() -> None:
    expected = _slim_listing_mapping(et.Capabilities())
    actual = et.listing_mapping(et.Capabilities())
    del actual["properties"]["ow"]["properties"]["identifiers"]  # an index from before ow.identifiers
    actual["properties"]["ow"]["properties"]["doc_hash"] = {"type": "keyword", "index": False, "doc_values": True}
    got = et.additive(expected, actual)
    ow = got["ow"]["properties"]
    assert ow["tokens"] == {"type": "keyword", "ignore_above": 256}  # as the index has it (default doc values)
    assert ow["doc_hash"] == {"type": "keyword", "index": False, "doc_values": True}
    assert ow["identifiers"] == expected["properties"]["ow"]["properties"]["identifiers"]  # new: added as is
    assert got["title"] == expected["properties"]["title"]
    assert et.additive(expected, {}) == expected["properties"]


def test_bulk_settings_and_their_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    assert et.index_settings("-1", 0, loading=True) == {"refresh_interval": "-1", "number_of_replicas": 0,
                                                         "translog.durability": None}  # fmt: skip
    monkeypatch.setattr(et, "BULK_DURABILITY", "async")
    assert et.index_settings("-1", 0, loading=True)["translog.durability"] == "async"
    assert et.index_settings("1s", 1)["translog.durability"] is None  # back to the server's default
    names = et.Names("p")
    loading = et.template(names, "listings", et.Capabilities(), 0, "-1", loading=True)["template"]["settings"]
    normal = et.template(names, "listings", et.Capabilities())["template"]["settings"]
    assert loading["translog.durability"] == "async" and "translog.durability" not in normal


def _store(url: str, tmp_path: Path, name: str):
    from onionwatch.indexer.elastic import ElasticStore

    return ElasticStore(f"{url}/?index_prefix=ow-m-{uuid.uuid4().hex[:8]}", spool_dir=tmp_path / name)


QUERIES = [
    SearchQuery(text="mdma"),
    SearchQuery(text="peru"),
    SearchQuery(text="coca*"),
    SearchQuery(text="кокаин"),
    SearchQuery(market="alpha", sort="price_asc"),
    SearchQuery(text="mdma OR peru", facets=None),
]


def _answers(store) -> list[Any]:
    out: list[Any] = []
    for q in QUERIES:
        res = store.search(q)
        out.append((res.total, [h.listing for h in res.hits], [h.highlight for h in res.hits], res.facets))
    out.append(store.listings_per_substance("week"))
    out.append(store.price_per_gram(None, "month"))
    out.append(store.active_vendors("week"))
    return out


@pytest.mark.elasticsearch
def test_a_slim_listing_index_answers_as_the_default_one(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Same data in an index without doc values on ow.tokens/ow.stems and one with the default mapping: same
    searches, facets and trends; reopening the slim one with the default mapping reports no conflict (the
    additive update keeps its frozen parameters) and leaves it as it was."""
    from onionwatch.indexer.elastic import ElasticStore

    url = require_es()
    new = _store(url, tmp_path, "new")
    with monkeypatch.context() as m:
        m.setitem(et.MAPPINGS, "listings", _slim_listing_mapping)
        old = _store(url, tmp_path, "old")
    try:
        for listings, vendors in data.batches():
            new.write_batch(listings, vendors)
            old.write_batch(listings, vendors)
        assert _answers(new) == _answers(old)
        assert _answers(new)[0][0] > 0
        reopened = ElasticStore(old.url, spool_dir=tmp_path / "again")
        try:
            assert reopened.mapping_conflicts == []
            index = old.names.index("listings")
            ow = old.client.indices.get_mapping(index=index)[index]["mappings"]["properties"]["ow"]["properties"]
            assert ow["tokens"]["doc_values"] is False  # the slim index keeps what it had
            assert _answers(reopened) == _answers(new)
        finally:
            reopened.close()
    finally:
        for s in (new, old):
            s.drop()
            s.close()
