"""exports/sources.py against a real SQLite store: searches paged up to a cap, vendors, alerts, cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from onionwatch.dashboards.accounts import open_db
from onionwatch.dashboards.cases import Cases
from onionwatch.errors import NothingToExport
from onionwatch.exports import sources
from onionwatch.indexer.store import SearchQuery, Store, open_store
from tests.indexer import data
from tests.onionwatch.exports.hostile import EVIL_BTC, EVIL_NAME, EVIL_TITLE, evil_vendor, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(make_store(tmp_path))
    yield s
    s.close()


def _rows(export) -> dict[str, list[list]]:
    return {t.name: list(t.stream()) for t in export.tables}


def test_search_pages_through_every_hit(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_LIMIT", 2)  # pages of two: the export must ask the store again and again
    export = sources.search_export(store, SearchQuery(limit=1, offset=7))  # the page's paging is ignored
    rows = _rows(export)["listings"]
    assert len(rows) == 15 == export.total and not export.truncated
    assert len({(r[0], r[1]) for r in rows}) == 15  # no page fetched twice
    assert export.details["total"] == 15 and export.details["cap"] == sources.MAX_ROWS


def test_the_cap_cuts_and_says_so(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_LIMIT", 2)
    export = sources.search_export(store, SearchQuery(market="klad"), cap=5)
    assert len(_rows(export)["listings"]) == 5 and export.truncated and export.total > 5
    assert "TRUNCATED: the first 5 of" in export.note()


def test_filters_apply_and_hostile_text_is_defused(store: Store) -> None:
    export = sources.search_export(store, SearchQuery(text="мефедрон", market="klad"))
    titles = [r[2] for r in _rows(export)["listings"]]
    assert "'" + EVIL_TITLE in titles and all(not t.startswith("=") for t in titles)
    assert export.details["filters"] == {"text": "мефедрон", "market": "klad"}


def test_nothing_matched(store: Store) -> None:
    with pytest.raises(NothingToExport, match="matched no listings"):
        sources.search_export(store, SearchQuery(text="nosuchword"))


def test_vendor_export(store: Store) -> None:
    export = sources.vendor_export(store, "alpha", "v-green")
    rows = _rows(export)
    assert [t.name for t in export.tables] == ["profile", "identifiers", "listings", "linked", "history"]
    assert ["name", "DrGreen"] in rows["profile"]
    assert rows["identifiers"] == [["btc", "bc1qexample"], ["telegram", "'@drgreen"], ["pgp", data_fp()]]
    assert {r[1] for r in rows["listings"]} == {"a1", "a3"} and rows["linked"][0][:3] == ["klad", "k-zel", "dr_green"]
    assert export.vendors[0]["vendor_id"] == "v-green"
    evil = _rows(sources.vendor_export(store, "klad", "k-evil"))
    assert ["btc", EVIL_BTC] in evil["identifiers"] and len(evil["listings"]) == 7
    with pytest.raises(NothingToExport, match="no vendor"):
        sources.vendor_export(store, "alpha", "nobody")


def test_vendor_history_table(store: Store) -> None:
    renamed = replace(evil_vendor(), name="renamed", scraped_at="2024-02-01T00:00:00Z")
    store.write_batch([], [renamed])
    history = _rows(sources.vendor_export(store, "klad", "k-evil"))["history"]
    assert history == [["name", "'" + EVIL_NAME, "renamed", datetime(2024, 2, 1)]]


def data_fp() -> str:
    return data.FP_GREEN


def test_alerts_export(store: Store) -> None:
    with pytest.raises(NothingToExport, match="no alerts"):
        sources.alerts_export(store)
    store.add_watch({"name": "=evil watch", "substance": "mephedrone"})
    store.write_batch([data.listing("klad", "new1", "=1+2 new", at="2024-03-01T10:00:00Z", vendor="x",
                                    vendor_id=None, sub="mephedrone", cls="stimulant", usd=10)], [evil_vendor()])
    export = sources.alerts_export(store)
    [row] = _rows(export)["alerts"]
    assert row[2] == "'=evil watch" and row[3:6] == ["klad", "new1", "'=1+2 new"] and row[8] == 10.0
    assert row[10:] == ["new", None, None, None]  # kind, old price, not acknowledged
    store.acknowledge_alerts([store.alerts()[0]["id"]], "anna")
    [acked] = _rows(sources.alerts_export(store))["alerts"]
    assert acked[13] == "anna" and acked[12]


def test_case_export(store: Store, tmp_path: Path) -> None:
    cases = Cases(open_db(tmp_path / "auth.sqlite"))
    case = cases.add("Операция =SUM(1)")
    cases.file(case.id, "listing", "klad:e0", "tag", "-note", "ana")
    cases.file(case.id, "listing", "klad:gone", "", "", "ana")
    cases.file(case.id, "vendor", "klad:k-evil", "", "", "ana")
    cases.save_search("mdma search", "mdma", case_id=case.id)
    export = sources.case_export(store, cases, case.id)
    rows = _rows(export)
    assert ["title", "Операция =SUM(1)"] in rows["case"]
    assert rows["items"][0][3] == "'-note"
    assert rows["listings"][0][1] == "e0" and rows["listings"][1][18] == "not in store"
    assert rows["vendors"][0][2].startswith("'=cmd") and "btc:" + EVIL_BTC in rows["vendors"][0][6]
    assert rows["searches"] == [["mdma search", "mdma", 2]]
    assert [v["vendor_id"] for v in export.vendors] == ["k-evil"]
    with pytest.raises(NothingToExport):
        sources.case_export(store, cases, 999)
