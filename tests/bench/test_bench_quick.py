"""`python -m bench --quick` really runs: a bare and an onionwatch crawl of a small testbed market, extraction
and a small SQLite store; the report files are written and the exit status tells the truth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
@pytest.mark.slow
def test_quick_run_writes_a_report(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "crawl,extract,store_sqlite,tor_pool",
                           "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(next(tmp_path.glob("*-bench.json")).read_text(encoding="utf-8"))
    parts = {p["name"]: p for p in report["parts"]}
    assert list(parts) == ["crawl", "extract", "store_sqlite", "tor_pool"]
    crawl = parts["crawl"]["figures"]
    assert parts["crawl"]["status"] == "ok", parts["crawl"]
    assert crawl["listings"] == 100 and crawl["pages"] == crawl["bare_pages"] > 100  # the same pages on both sides
    assert 0 < crawl["ratio"] == pytest.approx(crawl["onionwatch_best"] / crawl["bare_best"], abs=0.001)
    assert parts["store_sqlite"]["figures"]["sizes"]["2000"]["bulk_new_per_s"] > 0
    assert parts["tor_pool"]["status"] in ("ok", "not available")
    assert all(p["peak_rss_mb"] > 0 for p in parts.values())
    md = next(tmp_path.glob("*-bench.md")).read_text(encoding="utf-8")
    assert report["machine"]["cpu"] in md and "| crawl | ok |" in md


def test_a_failing_part_is_reported_and_exits_non_zero(tmp_path: Path) -> None:
    # store_es against a closed loopback port: the part fails with its reason, the command exits 1
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "store_es", "--es",
                           "http://127.0.0.1:9", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1
    part = json.loads(next(tmp_path.glob("*-bench.json")).read_text(encoding="utf-8"))["parts"][0]
    assert part["status"] == "failed" and part["reason"] and "\n" not in part["reason"]
    assert "| store_es | failed |" in proc.stdout


def test_unknown_part_is_refused(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "--only", "crawl,nosuch", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "nosuch" in proc.stderr and not list(tmp_path.iterdir())
