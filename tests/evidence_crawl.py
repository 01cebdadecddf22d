"""A real crawl of the kladmen testbed market over plain HTTP with the archive on, shared by the evidence tests
(tests/onionwatch/test_evidence.py) and the dashboard's archive views (tests/dashboards/test_archive_views.py)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class Crawled:
    def __init__(self, root: Path, mirror: str) -> None:
        self.root, self.mirror = root, mirror
        self.store = f"sqlite:///{root / 'store.sqlite'}"
        self.archive = root / "data" / "archive"
        with sqlite3.connect(root / "store.sqlite") as db:
            self.listing = db.execute("SELECT listing_id FROM listings ORDER BY listing_id LIMIT 1").fetchone()[0]
            self.vendor = db.execute("SELECT vendor_id FROM vendors ORDER BY vendor_id LIMIT 1").fetchone()[0]

    def env(self, tmp_path: Path) -> dict[str, str]:
        """The crawl's data (store, archive) with a fresh config dir (key) and audit trail per test."""
        return {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data"),
                "ONIONWATCH_ARCHIVE_DIR": str(self.archive),
                "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config"), "ONIONWATCH_TRANSPORT": "direct"}


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module", name="crawled")
def crawled_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    from onionwatch.testbed.server import start_market

    root = tmp_path_factory.mktemp("crawl")
    server = start_market("kladmen", n_vendors=3, n_listings=8)
    try:
        env = {**os.environ, "ONIONWATCH_DATA_DIR": str(root / "data"), "ONIONWATCH_CONFIG_DIR": str(root / "c"),
               "ONIONWATCH_TRANSPORT": "direct", "ONIONWATCH_ARCHIVE": "1"}
        proc = cli(env, "crawl", "kladmen", "--mirror", server.url, "--transport", "direct", "--store",
                   f"sqlite:///{root / 'store.sqlite'}", "--no-progress")
        assert proc.returncode == 0, proc.stderr
        yield Crawled(root, server.url)
    finally:
        server.stop()
