"""`onionwatch watch add` + a crawl → `onionwatch watch alerts` (real crawl, real SQLite)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.crawler.conftest import run
from tests.crawler.minimarket import CATEGORIES, MiniMarket

pytestmark = pytest.mark.integration


def test_watch_raises_alerts_on_ingest(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 's.sqlite'}"
    cli = [sys.executable, "-m", "onionwatch.cli"]
    assert run([*cli, "watch", "add", "coke", "--substance", "cocaine", "--store", store], crawl_env).returncode == 0
    assert run([*cli, "watch", "add", "cheap", "--keyword", "item", "--price-below", "35", "--store", store],
               crawl_env).returncode == 0
    proc = run([*cli, "crawl", "mini", "--mirror", mini.url, "--transport", "direct", "--store", store,
                "--no-progress"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    out = run([*cli, "watch", "alerts", "--json", "--store", store], crawl_env)
    alerts = [json.loads(line) for line in out.stdout.splitlines()]
    by_watch: dict[str, set[str]] = {}
    for a in alerts:
        by_watch.setdefault(a["watch_name"], set()).add(a["listing_id"])
    n = sum(len(v) for v in CATEGORIES.values())
    assert by_watch["coke"] == {str(i) for i in range(1, n)}  # item 20's title names no substance
    assert by_watch["cheap"] == {"1", "2", "3"}  # USD 10, 20, 30
    again = run([*cli, "crawl", "mini", "--mirror", mini.url, "--transport", "direct", "--store", store,
                 "--no-progress"], crawl_env)
    assert again.returncode == 0
    assert len(run([*cli, "watch", "alerts", "--json", "--store", store], crawl_env).stdout.splitlines()) == len(alerts)


def test_watch_needs_a_criterion(crawl_env: dict, tmp_path: Path) -> None:
    proc = run([sys.executable, "-m", "onionwatch.cli", "watch", "add", "empty", "--store",
                f"sqlite:///{tmp_path / 's.sqlite'}"], crawl_env)
    assert proc.returncode != 0
    assert "needs at least one of substance" in proc.stderr and "Traceback" not in proc.stderr


def test_alerts_table_is_terminal_safe(tmp_path: Path) -> None:
    """Scraped listing ids and the market reach the terminal without escape sequences or bidi overrides."""
    import unicodedata

    from click.testing import CliRunner

    from onionwatch.cmd_watch import alerts
    from onionwatch.indexer.store import open_store
    from tests.indexer.data import listing

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    hostile = "l1\u202e\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07\x9b31m\u200b"
    store = open_store(url)
    try:
        store.add_watch({"name": "w", "keyword": "heroin"})
        store.write_batch([listing("evil", hostile, "heroin 1g", at="2024-01-01T00:00:00Z", vendor="v",
                                   vendor_id=None)], [])
    finally:
        store.close()
    result = CliRunner().invoke(alerts, ["--store", url])
    assert result.exit_code == 0, result.output
    line = result.output.rstrip("\n")
    assert "evil:l1" in line and "\n" not in line
    assert not [ch for ch in line if unicodedata.category(ch) in ("Cc", "Cf")]
