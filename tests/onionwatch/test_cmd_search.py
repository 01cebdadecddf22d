"""`onionwatch search`: table and JSON output, filters, date validation, terminal-safe scraped text."""

from __future__ import annotations

import json

import pytest

from onionwatch.cli import main
from onionwatch.cmd_search import terminal_safe
from onionwatch.indexer.store import open_store
from tests.indexer import data

EVIL_TITLE = "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07evil\u202e txt\x9b2J\r\nnext"


@pytest.fixture
def store_url(tmp_path) -> str:
    url = f"sqlite://{tmp_path}/cli.sqlite"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    evil = data.at(data.base_listings()["a2"], "2024-03-01T10:00:00Z", listing_id="evil", title=EVIL_TITLE)
    store.write_batch([evil], [])
    store.close()
    return url


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(["search", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys, *args: str) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_table_output(capsys, store_url: str) -> None:
    code, out, _ = run(capsys, "mdma", "--store", store_url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["TITLE", "MARKET", "VENDOR"]
    assert any(line.startswith("Pure MDMA crystals 84%") and "alpha" in line and "36.00" in line for line in lines)
    assert "2 listing(s), showing 1-2" in out
    assert "substance: mdma (2)" in out


def test_scraped_control_sequences_never_reach_the_terminal(capsys, store_url: str) -> None:
    code, out, _ = run(capsys, "evil", "--store", store_url)
    assert code == 0
    assert "RED evil txt next" in out
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\r", "pwned"):
        assert bad not in out


def test_json_output_and_filters(capsys, store_url: str) -> None:
    result = as_json(capsys, "", "--store", store_url)
    assert result["total"] == 9 and set(result) == {"total", "hits", "facets", "facets_approximate"}
    assert result["facets"]["market"] == {"alpha": 6, "klad": 3}
    hit = result["hits"][0]
    assert set(hit) == {"listing", "score", "highlight"} and hit["listing"]["listing_id"] == "evil"
    assert as_json(capsys, "--store", store_url, "--market", "klad")["total"] == 3
    assert as_json(capsys, "--store", store_url, "--vendor", "drgreen")["total"] == 2
    assert as_json(capsys, "--store", store_url, "--substance", "fentanyl")["total"] == 1
    assert as_json(capsys, "--store", store_url, "--class", "opioid")["total"] == 1
    assert as_json(capsys, "--store", store_url, "--min-price", "35", "--max-price", "50")["total"] == 4
    assert as_json(capsys, "--store", store_url, "--since", "2024-02-01")["total"] == 4
    assert as_json(capsys, "--store", store_url, "--until", "2024-01-02")["total"] == 2
    assert len(as_json(capsys, "--store", store_url, "--limit", "3")["hits"]) == 3
    assert as_json(capsys, "мефедрон", "--store", store_url)["total"] == 2


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--since", "yesterday"], "--since"),
        (["--until", "2024-02-30"], "--until"),
        (["--min-price", "50", "--max-price", "10"], "--min-price"),
        (["--min-price", "nan"], "--min-price: expected a number"),
        (["--max-price", "inf"], "--max-price: expected a number"),
        (["--min-price", "-5"], "--min-price: expected a number >= 0"),
        (["--market", "nosuch"], "--market: unknown 'nosuch' (known: alpha, klad)"),
        (["--substance", "mephedrome"], "--substance: unknown substance 'mephedrome'; did you mean mephedrone?"),
        (["--class", "drugs"], "--class: unknown 'drugs'"),
    ],
)
def test_bad_input_is_one_clear_line(capsys, store_url: str, args: list[str], needle: str) -> None:
    code, out, err = run(capsys, "x", "--store", store_url, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("onionwatch: error: ") and needle in err


def test_bad_store_url_is_an_error(capsys) -> None:
    code, _, err = run(capsys, "x", "--store", "ftp://nowhere")
    assert code == 2 and "unsupported scheme" in err


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("plain", "plain"),
        ("a\tb\nc", "a b c"),
        ("\x1b[1;31mbold\x1b[0m", "bold"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("right\u202eto\u200bleft", "righttoleft"),
        ("\x00nul\x7fdel\x85nel", "nuldelnel"),
        ("Мефедрон 1г", "Мефедрон 1г"),
        (None, ""),
    ],
)
def test_terminal_safe(raw: str | None, safe: str) -> None:
    assert terminal_safe(raw) == safe


def test_status_option_filters_live_and_gone(capsys, store_url: str) -> None:
    store = open_store(store_url)
    crawl = store.begin_crawl("klad")
    store.update_crawl(crawl, "complete", {}, [])
    assert store.mark_gone(crawl) == 3
    store.close()
    gone = as_json(capsys, "--store", store_url, "--status", "gone")
    assert sorted(h["listing"]["listing_id"] for h in gone["hits"]) == ["k1", "k2", "k3"]
    assert {h["listing"]["status"] for h in gone["hits"]} == {"gone"}
    assert as_json(capsys, "--store", store_url, "--status", "live")["total"] == 6 and as_json(capsys, "--store", store_url)["total"] == 9
    code, out, _ = run(capsys, "--store", store_url, "--status", "gone")
    assert code == 0 and " gone" in out
    code, _, err = run(capsys, "--store", store_url, "--status", "deleted")
    assert code == 2 and "deleted" in err


def test_query_language_locale_values_and_sorting(capsys, store_url: str) -> None:
    def listing_ids(*args: str) -> list[str]:
        return [h["listing"]["listing_id"] for h in as_json(capsys, "--store", store_url, *args)["hits"]]

    assert sorted(listing_ids("mdma OR гашиш")) == ["a1", "a5", "k2"]
    assert listing_ids("mdma -pills") == ["a1"]
    assert sorted(listing_ids("мефедрона")) == ["k1", "k3"]  # a Russian word form
    assert sorted(listing_ids("--substance", "мефедрон")) == ["k1", "k3"]  # resolved to mephedrone
    assert sorted(listing_ids("--substance", "4-MMC", "--market", "KLAD")) == ["k1", "k3"]
    assert len(listing_ids("--market", "alpha", "--market", "klad")) == 9
    assert listing_ids("--min-price", "35,5", "--max-price", "1 000", "--sort", "price_asc")[:3] == ["a1", "k2", "a5"]
    prices = [h["listing"]["price_usd"] for h in as_json(capsys, "--store", store_url, "--sort", "price_desc")["hits"]]
    known = [p for p in prices if p is not None]
    assert known == sorted(known, reverse=True) and prices[: len(known)] == known
    assert as_json(capsys, "--store", store_url, "--since", "01.02.2024")["total"] == 4
    code, out, err = run(capsys, "mdma price:abc", "--store", store_url)
    assert (code, out) == (2, "") and err == "onionwatch: error: price: expected a number such as 10,5 or 1 000, got 'abc'\n"


def test_json_keeps_cyrillic_readable(capsys, store_url: str) -> None:
    code, out, _ = run(capsys, "мефедрон", "--store", store_url, "--json")
    assert code == 0 and "Мефедрон" in out and "\\u041c" not in out
    code, out, _ = run(capsys, "evil", "--store", store_url, "--json")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and json.loads(out)["total"] == 1


def test_sampled_facets_are_flagged_and_exact_on_request(capsys, store_url: str, monkeypatch) -> None:
    from onionwatch.indexer import sqlite_facet_sample

    exact = as_json(capsys, "", "--store", store_url, "--since", "2024-01-01", "--min-price", "1")
    assert exact["facets_approximate"] is False
    monkeypatch.setattr(sqlite_facet_sample, "EXACT_MAX", 1)  # every search with 2+ hits samples
    monkeypatch.setattr(sqlite_facet_sample, "SAMPLE", 10**6)  # a "sample" of every hit: the exact counts
    sampled = as_json(capsys, "", "--store", store_url, "--since", "2024-01-01", "--min-price", "1")
    assert sampled["facets_approximate"] is True and sampled["facets"] == exact["facets"]
    asked = as_json(capsys, "", "--store", store_url, "--since", "2024-01-01", "--min-price", "1", "--exact-facets")
    assert asked["facets_approximate"] is False and asked["facets"] == exact["facets"]
    code, out, _ = run(capsys, "", "--store", store_url, "--since", "2024-01-01", "--min-price", "1")
    assert code == 0 and "estimated from a sample" in out
