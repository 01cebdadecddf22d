"""The exports read Elasticsearch as they read SQLite: the same rows, paged the same way (marker elasticsearch;
ONIONWATCH_TEST_ES_URL, see tests/indexer/test_elastic.py)."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from onionwatch.exports import misp_format, sources
from onionwatch.indexer.store import SearchQuery, Store, open_store
from tests.indexer.test_elastic import require_es
from tests.onionwatch.exports.hostile import fill, make_store

pytestmark = [pytest.mark.elasticsearch, pytest.mark.integration]


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    from onionwatch.indexer.elastic import ElasticStore

    es = ElasticStore(f"{require_es()}/?index_prefix=ow-x-{uuid.uuid4().hex[:10]}", spool_dir=tmp_path / "spool")
    fill(es)
    lite = open_store(make_store(tmp_path))
    yield lite, es
    es.drop()
    es.close()
    lite.close()


def _rows(export) -> dict[str, list]:
    return {t.name: sorted(map(repr, t.stream())) for t in export.tables}


def test_both_stores_export_the_same(stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_LIMIT", 3)  # several pages on both
    lite, es = stores
    for query in (SearchQuery(), SearchQuery(market="klad"), SearchQuery(text="mdma")):
        a, b = sources.search_export(lite, query), sources.search_export(es, query)
        assert _rows(a) == _rows(b) and a.total == b.total
    capped = sources.search_export(es, SearchQuery(), cap=7)
    assert len(_rows(capped)["listings"]) == 7 and capped.truncated
    assert _rows(sources.vendor_export(lite, "klad", "k-evil")) == _rows(sources.vendor_export(es, "klad", "k-evil"))
    out_a, out_b = io.BytesIO(), io.BytesIO()
    misp_format.write(sources.vendor_export(lite, "klad", "k-evil"), out_a)
    misp_format.write(sources.vendor_export(es, "klad", "k-evil"), out_b)
    assert json.loads(out_a.getvalue()) == json.loads(out_b.getvalue())
