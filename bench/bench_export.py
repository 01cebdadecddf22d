"""Export figures (issue 13): seconds and peak Python memory (tracemalloc) to export a search of N hits as CSV
and XLSX from a SQLite store of --listings listings. Streaming shows as a peak that stays nearly flat while the
rows grow (pages of 1,000 hits; openpyxl write-only), where loading every row first would grow with them.
Usage: .venv/bin/python bench/bench_export.py [--listings 12000] [--rows 1000,10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onionwatch.exports import csv_format, sources, xlsx_format  # noqa: E402
from onionwatch.indexer.store import SearchQuery, open_store  # noqa: E402
from tests.indexer import data  # noqa: E402


def make_store(path: Path, n: int) -> str:
    url = f"sqlite://{path}/bench.sqlite"
    store = open_store(url)
    batch = []
    for i in range(n):
        title = f"Мефедрон кристалл {i} — =SUM({i}) mdma"
        batch.append(data.listing("bench", f"l{i}", title, at="2024-01-01T10:00:00Z",
                                  vendor=f"vendor{i % 300}", vendor_id=f"v{i % 300}", sub="mephedrone",
                                  cls="stimulant", qty=1 + i % 5, usd=10.0 + i % 90,
                                  description="описание " * 40))  # fmt: skip
        if len(batch) == 1000:
            store.write_batch(batch, [])
            batch = []
    if batch:
        store.write_batch(batch, [])
    store.close()
    return url


def export(url: str, fmt: str, rows: int, out: Path) -> None:
    store = open_store(url, create=False)
    writer = {"csv": csv_format, "xlsx": xlsx_format}[fmt]
    with out.open("wb") as f:
        written = writer.write(sources.search_export(store, SearchQuery(), cap=rows), f)
    store.close()
    assert written == rows, (written, rows)


def measure(url: str, fmt: str, rows: int, out: Path) -> tuple[float, float, int]:
    """(seconds of a plain run, peak MiB of a second run under tracemalloc, file bytes)."""
    t = time.perf_counter()
    export(url, fmt, rows, out)
    seconds = time.perf_counter() - t
    tracemalloc.start()
    export(url, fmt, rows, out)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 2**20, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=12_000)
    parser.add_argument("--rows", default="1000,10000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = make_store(Path(tmp), args.listings)
        print(f"store: {args.listings:,} listings (SQLite)")
        print(f"{'format':<7}{'rows':>8}{'seconds':>10}{'rows/s':>10}{'peak MiB':>10}{'file KiB':>10}")
        for fmt in ("csv", "xlsx"):
            for rows in map(int, args.rows.split(",")):
                seconds, peak, size = measure(url, fmt, rows, Path(tmp) / f"out.{fmt}")
                print(f"{fmt:<7}{rows:>8,}{seconds:>10.2f}{rows / seconds:>10,.0f}{peak:>10.1f}{size / 1024:>10,.0f}")


if __name__ == "__main__":
    main()
