"""Each crawl outcome produced for real against the mini market and asserted: status, exit code, reasons,
and the crawl's row in the store."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.crawler.conftest import run
from tests.crawler.minimarket import CATEGORIES, MiniMarket

pytestmark = pytest.mark.integration
N = sum(len(v) for v in CATEGORIES.values())


def _crawl(env: dict, mirror: str, store: Path, *extra: str):
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", mirror, "--transport", "direct",
                "--store", f"sqlite:///{store}", "--json", "--no-progress", *extra], env)
    out = json.loads(proc.stdout)[0] if proc.stdout.strip() else None
    return proc, out


def _crawls(store: Path) -> list[tuple]:
    with sqlite3.connect(store) as db:
        return db.execute("SELECT id, status, counters, reasons, fill_rates FROM crawls ORDER BY id").fetchall()


def test_complete(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    proc, out = _crawl(crawl_env, mini.url, store)
    assert proc.returncode == 0, proc.stderr
    assert out["status"] == "complete" and out["reasons"] == [] and out["listings"] == N
    [(_, status, counters, _, fill)] = _crawls(store)
    assert status == "complete"
    counters = json.loads(counters)
    assert counters["listings_indexed"] == N and counters["queued"] == 0 and counters["items_waiting"] == 0
    assert json.loads(fill)["price_text"] == 1.0 and json.loads(fill)["title"] == 1.0
    assert not list((Path(crawl_env["ONIONWATCH_DATA_DIR"]) / "crawls" / "mini").glob("*.sqlite"))  # done with


def test_zero_listings_is_failed(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with MiniMarket(gate=True) as market:  # logged in, then every page is an entry gate
        proc, out = _crawl(crawl_env, market.url, store)
    assert proc.returncode == 1
    assert out["status"] == "failed" and out["listings"] == 0 and out["pages"] == 1
    assert "onionwatch: error: mini: no listing collected" in proc.stderr
    assert [row[1] for row in _crawls(store)] == ["failed"]


def test_long_pagination_does_not_deepen_the_crawl(crawl_env: dict, tmp_path: Path) -> None:
    """A category paginated 80 pages deep under a depth limit of 50: next-page links keep their page's depth,
    so every page is reached and the crawl is complete (a 100,000-listing market is not 5,000 links deep)."""
    store = tmp_path / "s.sqlite"
    with MiniMarket(loop_pages=80) as market:
        proc, out = _crawl(crawl_env, market.url, store)
        loop_gets = [p for m, p in market.requests if p.startswith("/cat/loop")]
    assert proc.returncode == 0, proc.stderr
    assert out["status"] == "complete" and out["listings"] == N
    assert len(loop_gets) == 80


def _definitions_with(tmp_path: Path, crawl_env: dict, extra: str) -> dict:
    markets = tmp_path / "markets"
    markets.mkdir()
    text = (Path(crawl_env["ONIONWATCH_MARKETS_DIR"]) / "mini.yaml").read_text(encoding="utf-8")
    (markets / "mini.yaml").write_text(text + extra, encoding="utf-8")
    return {**crawl_env, "ONIONWATCH_MARKETS_DIR": str(markets)}


def test_pagination_limit_is_partial(crawl_env: dict, tmp_path: Path) -> None:
    """An endless pagination stops at limits.pagination: partial, and the next-page link not followed is counted."""
    store = tmp_path / "s.sqlite"
    env = _definitions_with(tmp_path, crawl_env, "limits:\n  pagination: 50\n")
    with MiniMarket(loop_pages=80) as market:
        proc, out = _crawl(env, market.url, store)
        loop_gets = [p for m, p in market.requests if p.startswith("/cat/loop")]
    assert proc.returncode == 3, proc.stderr
    assert out["status"] == "partial" and out["listings"] == N
    assert out["shortfalls"]["pagination_limit"]["count"] == 1  # /cat/loop?page=52 (51 hops) was not followed
    assert len(loop_gets) == 51  # /cat/loop, then page=2 ... page=51 (50 next-page hops)
    assert any(r.startswith("pagination_limit x1: next-page links past 50 pages") for r in out["reasons"])
    assert "onionwatch: warning: mini: partial: pagination_limit x1" in proc.stderr


def test_depth_limit_is_counted(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    """limits.depth 1: the categories (depth 1) are fetched, their listing links (depth 2) are counted, not followed."""
    store = tmp_path / "s.sqlite"
    env = _definitions_with(tmp_path, crawl_env, "limits:\n  depth: 1\n")
    proc, out = _crawl(env, mini.url, store)
    assert proc.returncode == 1, proc.stderr  # nothing collected: failed, and the depth limit is among the reasons
    assert out["status"] == "failed" and out["listings"] == 0
    assert out["shortfalls"]["depth_limit"]["count"] == N
    assert any(r.startswith(f"depth_limit x{N}: links deeper than 1 not followed") for r in out["reasons"])


def test_failed_pages_are_partial(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with MiniMarket(fail={4, 9}) as market:
        proc, out = _crawl(crawl_env, market.url, store)
        hits = [p for m, p in market.requests if p == "/item/4"]
    assert proc.returncode == 3, proc.stderr
    assert out["status"] == "partial" and out["failed_pages"] == 2 and out["listings"] == N - 2
    assert out["shortfalls"]["failed_pages"]["count"] == 2
    assert len(hits) == 4  # tried once and retried 3 times (RETRY_TIMES)
    [(_, status, counters, reasons, _)] = _crawls(store)
    assert status == "partial" and json.loads(counters)["failed_pages"] == 2
    assert json.loads(reasons)[0].startswith("failed_pages x2: pages failed after retries (e.g. http://")
    assert json.loads(reasons)[0].endswith(": HTTP 500)")  # the status, not Scrapy's "Ignoring non-200 response"


def test_listing_pages_removed_since_linked_are_gone_not_failed(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with MiniMarket(gone={4, 9}) as market:
        proc, out = _crawl(crawl_env, market.url, store)
        hits = [p for m, p in market.requests if p == "/item/9"]
    assert proc.returncode == 0, proc.stderr  # removed listings are no shortfall: the crawl is complete
    assert out["status"] == "complete" and out["listings"] == N - 2 and out["failed_pages"] == 0
    assert out["counters"]["gone_pages"] == 2
    assert len(hits) == 1  # a 404/410 is an answer: not retried
    [(_, status, counters, _, _)] = _crawls(store)
    assert status == "complete" and json.loads(counters)["gone_pages"] == 2


def test_most_listing_pages_gone_is_a_shortfall_naming_the_pattern(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with MiniMarket(gone=set(range(1, N - 2))) as market:
        proc, out = _crawl(crawl_env, market.url, store)
    assert proc.returncode == 3, proc.stderr  # listings collected, but most answered 404/410: partial
    assert out["status"] == "partial" and out["shortfalls"]["gone_pages"]["count"] == N - 3
    assert any("check the definition's url_pattern" in r for r in out["reasons"])


def test_selector_drift_against_the_last_complete_crawl(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with MiniMarket() as market:
        first, out = _crawl(crawl_env, market.url, store)
    assert first.returncode == 0 and out["status"] == "complete", first.stderr
    with MiniMarket(no_price=True) as market:  # the market moved its price element
        second, out = _crawl(crawl_env, market.url, store)
    assert second.returncode == 3, second.stderr
    assert out["status"] == "partial" and out["listings"] == N
    drift = out["shortfalls"]["selector_drift"]
    first_id = _crawls(store)[0][0]
    assert drift["detail"] == (f"field 'price_text' filled in 0% of listings, 100% in complete crawl {first_id}: "
                               "likely selector drift ('span.price')")
    assert [row[1] for row in _crawls(store)] == ["complete", "partial"]


def test_unreachable_market_is_failed_and_not_resumed(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    proc, out = _crawl(crawl_env, "http://127.0.0.1:9", store)
    assert proc.returncode == 1 and out["status"] == "failed"
    with MiniMarket() as market:
        again, out = _crawl(crawl_env, market.url, store)
    assert again.returncode == 0 and out["status"] == "complete" and not out["resumed"]
    assert "resuming" not in again.stderr
    assert [row[1] for row in _crawls(store)] == ["failed", "complete"]
