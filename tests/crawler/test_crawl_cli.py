"""`onionwatch crawl` end to end on the mini market: indexed once, idempotent, fail-closed on bad input."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.crawler.conftest import run
from tests.crawler.minimarket import CATEGORIES, SELLERS, MiniMarket

pytestmark = pytest.mark.integration


def _crawl(env: dict, mirror: str, store: Path, *extra: str):
    return run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", mirror, "--transport", "direct",
                "--store", f"sqlite:///{store}", "--json", "--no-progress", *extra], env)


def _count(store: Path, table: str) -> int:
    with sqlite3.connect(store) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_crawl_indexes_everything_once(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    first = _crawl(crawl_env, mini.url, store)
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)[0]
    n = sum(len(v) for v in CATEGORIES.values())
    assert out["ok"] and out["listings"] == n and out["vendors"] == len(SELLERS)
    assert (_count(store, "listings"), _count(store, "vendors")) == (n, len(SELLERS))
    second = _crawl(crawl_env, mini.url, store)
    assert second.returncode == 0, second.stderr
    assert (_count(store, "listings"), _count(store, "vendors")) == (n, len(SELLERS))


def test_page_mismatch_under_the_threshold_is_skipped_and_counted(crawl_env: dict, tmp_path: Path) -> None:
    """1 of 23 listing/vendor pages (4.3 %) does not match: skipped, counted, the crawl is partial (exit 3)."""
    store = tmp_path / "s.sqlite"
    with MiniMarket(broken={7}) as market:
        proc = _crawl(crawl_env, market.url, store)
    assert proc.returncode == 3, proc.stderr
    out = json.loads(proc.stdout)[0]
    assert out["status"] == "partial" and out["exit_code"] == 3 and not out["ok"]
    assert out["shortfalls"]["page_mismatch"]["count"] == 1
    assert out["shortfalls"]["page_mismatch"]["example"] == (
        f"page {market.url}/item/7 does not match its definition: selector 'div.item-page' found nothing")
    n = sum(len(v) for v in CATEGORIES.values())
    assert _count(store, "listings") == n - 1  # every other listing indexed
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT status FROM crawls").fetchall() == [("partial",)]


def test_page_mismatch_over_the_threshold_fails_naming_selector_and_url(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with MiniMarket(broken={1, 2, 3}) as market:  # 3 of 23 = 13 % > 5 %
        proc = _crawl(crawl_env, market.url, store)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("onionwatch: error:")]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith("onionwatch: error: mini: 3 of 23 listing/vendor pages (13.0%) did not match the "
                                "definition (limits.max_mismatch_share 5%); first: page ")
    assert "/item/" in errors[0] and "selector 'div.item-page' found nothing" in errors[0]
    with sqlite3.connect(store) as db:  # what was indexed is there, marked with its crawl's status
        assert db.execute("SELECT status FROM crawls").fetchall() == [("failed",)]
    assert _count(store, "listings") == 17
    archive = Path(crawl_env["ONIONWATCH_DATA_DIR"]) / "archive" / "mini"
    assert len(list(archive.iterdir())) == 1


def test_unreachable_market(crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    proc = _crawl(crawl_env, "http://127.0.0.1:9", store)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("onionwatch: error:")]
    assert len(errors) == 1 and errors[0].startswith("onionwatch: error: mini: cannot reach http://127.0.0.1:9/login")
    assert not store.exists() or _count(store, "listings") == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "nosuch", "--transport", "direct"], "onionwatch: error: unknown market 'nosuch' (known: "),
        (["crawl", "mini", "--transport", "direct"],
         "onionwatch: error: mini: refusing a direct connection to an onion market"),
        (["crawl", "mini", "--transport", "carrier-pigeon"], "Invalid value for '--transport'"),
    ],
)
def test_bad_input_one_line_error(crawl_env: dict, args: list[str], message: str) -> None:
    proc = run([sys.executable, "-m", "onionwatch.cli", *args], crawl_env)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_credentials(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    del crawl_env["ONIONWATCH_CRED_MINI_PASSWORD"]
    proc = _crawl(crawl_env, mini.url, tmp_path / "s.sqlite")
    assert proc.returncode == 1
    assert "onionwatch: error: no credentials for 'mini': set ONIONWATCH_CRED_MINI_USERNAME" in proc.stderr
    assert mini.requests == []  # refused before any request


@pytest.mark.parametrize(
    ("store", "message"),
    [
        ("sqlite:////proc/onionwatch-no-such-dir/s.sqlite", "cannot create directory"),
        ("http://127.0.0.1:1", "unreachable"),
        ("gopher://x", "unsupported scheme"),
        ("garbage", "unsupported scheme"),
    ],
)
def test_bad_store_fails_before_any_request(mini: MiniMarket, crawl_env: dict, store: str, message: str) -> None:
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", mini.url, "--transport",
                "direct", "--store", store, "--no-progress"], crawl_env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("onionwatch: error:")]
    assert len(errors) == 1 and f"store URL {store!r}" in errors[0] and message in errors[0], proc.stderr
    assert mini.requests == []  # nothing crawled for a store that cannot take it


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("ONIONWATCH_CONCURRENCY", "abc", "ONIONWATCH_CONCURRENCY='abc': must be an integer from 1 to 1024"),
        ("ONIONWATCH_CONCURRENCY", "0", "ONIONWATCH_CONCURRENCY='0': must be an integer from 1 to 1024"),
        ("ONIONWATCH_DOWNLOAD_DELAY", "x", "ONIONWATCH_DOWNLOAD_DELAY='x': must be a number from 0 to 3600"),
        ("ONIONWATCH_DOWNLOAD_DELAY", "nan", "ONIONWATCH_DOWNLOAD_DELAY='nan': must be a number from 0 to 3600"),
        ("TOR_SOCKS_PORT", "90500", "TOR_SOCKS_PORT='90500': must be an integer from 1 to 65535"),
    ],
)
def test_bad_environment_setting(mini: MiniMarket, crawl_env: dict, tmp_path: Path, var: str, value: str,
                                 message: str) -> None:
    crawl_env[var] = value
    proc = _crawl(crawl_env, mini.url, tmp_path / "s.sqlite")
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"onionwatch: error: {message}"
    assert mini.requests == []


@pytest.mark.parametrize("mirror", ["http://127.0.0.1:99999", "http://[::1", "ftp://127.0.0.1:1", "127.0.0.1:8000",
                                    "javascript:alert(1)"])
def test_bad_mirror_is_a_one_line_error(crawl_env: dict, tmp_path: Path, mirror: str) -> None:
    proc = _crawl(crawl_env, mirror, tmp_path / "s.sqlite")
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"onionwatch: error: mini: --mirror {mirror!r}: not an http(s) URL with a host "
                                   "and a valid port")


def test_crawl_that_fetched_no_page_fails(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    """A start path that cannot become a request: the crawl fetched nothing, so it is not 'ok'."""
    import yaml

    definition = yaml.safe_load((Path(crawl_env["ONIONWATCH_MARKETS_DIR"]) / "mini.yaml").read_text())
    definition.update(name="nopage", login=None)
    definition["navigation"]["start"] = ["http://[::1"]
    markets = tmp_path / "markets"
    markets.mkdir()
    (markets / "nopage.yaml").write_text(yaml.safe_dump(definition))
    crawl_env["ONIONWATCH_MARKETS_DIR"] = str(markets)
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "nopage", "--mirror", mini.url, "--transport",
                "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--no-progress"], crawl_env)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("onionwatch: error:")]
    assert errors == ["onionwatch: error: nopage: start page 'http://[::1': not a usable URL (Invalid IPv6 URL)"], \
        proc.stderr
