"""Every crawl keeps its pages in a WARC; `onionwatch reextract` rebuilds the index from it offline."""

from __future__ import annotations

import gzip
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.crawler.conftest import run
from tests.crawler.minimarket import CATEGORIES, SELLERS, MiniMarket

pytestmark = pytest.mark.integration


def _count(store: Path, table: str) -> int:
    with sqlite3.connect(store) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_archive_then_reextract(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    archive_dir = tmp_path / "archive"
    crawl_env["ONIONWATCH_ARCHIVE_DIR"] = str(archive_dir)
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", mini.url, "--transport",
                "direct", "--store", f"sqlite:///{tmp_path / 'live.sqlite'}", "--no-progress"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    files = list((archive_dir / "mini").glob("*.warc.gz"))
    assert len(files) == 1 and not list(archive_dir.rglob("*.part"))
    raw = gzip.decompress(files[0].read_bytes())
    assert b"WARC-Target-URI: " + mini.url.encode() + b"/item/3" in raw
    assert b"Set-Cookie" not in raw and b"sess-0123456789" not in raw  # no session secrets kept
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"

    fresh = tmp_path / "fresh.sqlite"
    proc = run([sys.executable, "-m", "onionwatch.cli", "reextract", str(files[0]), "--store",
                f"sqlite:///{fresh}", "--json"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    n = sum(len(v) for v in CATEGORIES.values())
    assert out["listings"] == n and out["vendors"] == len(SELLERS) and out["mismatched_pages"] == 0
    assert (_count(fresh, "listings"), _count(fresh, "vendors")) == (n, len(SELLERS))
    with sqlite3.connect(fresh) as a, sqlite3.connect(tmp_path / "live.sqlite") as b:
        q = "SELECT market, listing_id, title, substance FROM listings ORDER BY 1, 2"
        assert a.execute(q).fetchall() == b.execute(q).fetchall()


@pytest.mark.parametrize("content", [b"", b"not a warc at all\n" * 10, b"\x1f\x8b\x08garbage"])
def test_reextract_bad_archive_one_line_error(crawl_env: dict, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(content)
    proc = run([sys.executable, "-m", "onionwatch.cli", "reextract", str(bad), "--store",
                f"sqlite:///{tmp_path / 's.sqlite'}"], crawl_env)
    if content == b"":  # an empty archive is a valid, empty WARC
        assert proc.returncode == 0 and "0 pages" in proc.stdout
        return
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(f"onionwatch: error: {bad}: not a readable WARC")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_reextract_missing_file(crawl_env: dict, tmp_path: Path) -> None:
    proc = run([sys.executable, "-m", "onionwatch.cli", "reextract", str(tmp_path / "nope.warc.gz")], crawl_env)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"onionwatch: error: {tmp_path / 'nope.warc.gz'}: cannot read (No such file or directory)"


def test_login_submission_is_not_archived(crawl_env: dict, tmp_path: Path) -> None:
    """A market whose login form uses GET puts the password in the URL: that response is not archived."""
    from tests.crawler.minimarket import PASSWORD

    archive_dir = tmp_path / "archive"
    crawl_env["ONIONWATCH_ARCHIVE_DIR"] = str(archive_dir)
    with MiniMarket(login_method="get") as market:
        proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", market.url, "--transport",
                    "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--no-progress"], crawl_env)
        assert proc.returncode == 0, proc.stderr
        assert any(path.startswith("/login?") and PASSWORD in path for _, path in market.requests)
    files = list((archive_dir / "mini").glob("*.warc.gz"))
    raw = gzip.decompress(files[0].read_bytes())
    assert b"/item/3" in raw
    assert PASSWORD.encode() not in raw


def test_unusable_archive_directory_refuses_the_crawl(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    crawl_env["ONIONWATCH_ARCHIVE_DIR"] = "/proc/onionwatch-no-such-dir"
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", mini.url, "--transport",
                "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--no-progress"], crawl_env)
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("onionwatch: error: archive directory /proc/onionwatch-no-such-dir: cannot create "
                                   "it (No such file or directory); set ONIONWATCH_ARCHIVE_DIR, or "
                                   "ONIONWATCH_ARCHIVE=0 to keep no pages")
    assert mini.requests == []


def test_archive_that_cannot_be_written_fails_the_crawl(mini: MiniMarket, crawl_env: dict, tmp_path: Path) -> None:
    """The market's archive subdirectory is a file: pages cannot be kept, so nothing is indexed."""
    archive_dir = tmp_path / "archive"
    archive_dir.mkdir()
    (archive_dir / "mini").write_text("in the way")
    crawl_env["ONIONWATCH_ARCHIVE_DIR"] = str(archive_dir)
    store = tmp_path / "s.sqlite"
    proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", mini.url, "--transport",
                "direct", "--store", f"sqlite:///{store}", "--no-progress"], crawl_env)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("onionwatch: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"onionwatch: error: mini: archive {archive_dir}/mini/")
    assert errors[0].endswith(": cannot write (File exists)")
    assert "Traceback" not in proc.stderr
    assert not store.exists() or _count(store, "listings") == 0


def test_password_never_logged_even_at_debug(crawl_env: dict, tmp_path: Path) -> None:
    """A GET login form puts the password in URLs that Scrapy logs at DEBUG (request and Referer)."""
    from tests.crawler.minimarket import PASSWORD

    with MiniMarket(login_method="get") as market:
        proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", market.url, "--transport",
                    "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--no-progress", "--log-level",
                    "DEBUG"], crawl_env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "/login?csrf=tok&user=tester&pass=***" in proc.stderr  # the line is there, the secret is not
    assert PASSWORD not in proc.stderr and PASSWORD not in proc.stdout
