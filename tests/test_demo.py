"""`onionwatch demo` end to end on the testbed over loopback HTTP: completeness, accuracy, idempotency."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from onionwatch.testbed.server import start_market
from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ONIONWATCH_DATA_DIR=str(tmp_path / "data"), ONIONWATCH_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("ONIONWATCH_STORE", None)
    return env


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("demo")
    env = _env(tmp)
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "demo", "--no-serve", "--json"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout), tmp / "data" / "onionwatch.sqlite", env


def test_demo_collects_every_listing_and_vendor(demo_run: tuple[dict, Path, dict]) -> None:
    summary, store, _ = demo_run
    assert set(summary["markets"]) == {"abyss", "kladmen"}
    for name, m in summary["markets"].items():
        assert m["ground_truth_listings"] >= 2000 and m["ground_truth_vendors"] >= 200, name
        assert m["listings_found"] == m["ground_truth_listings"], name
        assert m["vendors_found"] == m["ground_truth_vendors"], name
        assert m["listings_collected"] == m["ground_truth_listings"], name
        assert m["vendors_collected"] == m["ground_truth_vendors"], name
    assert store.is_file()


def test_demo_extraction_matches_ground_truth(demo_run: tuple[dict, Path, dict]) -> None:
    summary, _, _ = demo_run
    for name, m in summary["markets"].items():
        assert m["all_match"] >= 0.98, (name, m)


def test_second_crawl_adds_no_duplicates(demo_run: tuple[dict, Path, dict]) -> None:
    _, store, env = demo_run
    with sqlite3.connect(store) as db:
        before = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("listings", "vendors")}
    server = start_market("abyss")
    try:
        env = dict(env, ONIONWATCH_CRED_ABYSS_USERNAME=TESTBED_USERNAME, ONIONWATCH_CRED_ABYSS_PASSWORD=TESTBED_PASSWORD)
        proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", "abyss", "--mirror", server.url,
                               "--transport", "direct", "--json", "--no-progress"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout)[0]["listings"] == 2000
    with sqlite3.connect(store) as db:
        after = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("listings", "vendors")}
        dup = db.execute("SELECT count(*) FROM (SELECT market, listing_id FROM listings "
                         "GROUP BY 1, 2 HAVING count(*) > 1)").fetchone()[0]
    assert after == before and dup == 0


def test_demo_imports_a_telegram_shop(demo_run: tuple[dict, Path, dict]) -> None:
    summary, store, _ = demo_run
    tg = summary["telegram"]
    assert tg["source"] == "tg-almaty-shop" and tg["offers"] == tg["truth_offers"] > 100
    assert tg["offers_right"] >= 0.95
    with sqlite3.connect(store) as db:
        n = db.execute("SELECT count(*) FROM listings WHERE market = 'tg-almaty-shop'").fetchone()[0]
    assert n == tg["offers"]
