"""Trends: store trend calls at N synthetic listings, and the trends page / emerging test / reports.

Run: .venv/bin/python -m bench.bench_trends [--sizes 100000[,1000000]] [--store PATH] [--repeat N] [--no-pages]

1. Per size (a fresh SQLite store of testbed/synth.py listings plus a re-observation crawl, or --store, a SQLite
   file you built): p50/p95 ms of listings per substance per week, price per gram per month, active vendors
   per week, substances first seen and the emerging-substance test (reports/signals.py detect).
2. On the generated six-week store (tests/reports/planted.py): the trends page with its three matplotlib
   charts, the emerging test alone, the report HTML (with its chart), the XLSX and the PDF.

`run()` returns the figures as a dict (for `python -m bench`); the machine is printed and returned with them.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench._timing import machine, machine_line, timed


def store_trends(store: Any, repeat: int) -> dict[str, list[float]]:
    from onionwatch.reports.period import Period
    from onionwatch.reports.signals import detect

    period = Period(date(2024, 6, 3), date(2024, 6, 10))
    cases: dict[str, Callable[[], object]] = {
        "listings per substance (week)": lambda: store.listings_per_substance("week"),
        "price per gram (month)": lambda: store.price_per_gram(None, "month"),
        "active vendors (week)": lambda: store.active_vendors("week"),
        "substances first seen": lambda: store.substances_first_seen("2024-01-01"),
        "emerging test (detect)": lambda: detect(store, period),
    }
    return {name: list(timed(fn, repeat)) for name, fn in cases.items()}


def synthetic(n: int, path: Path) -> Any:
    from onionwatch.indexer.store import open_store
    from onionwatch.testbed.synth import reobserve, synth_batch

    listings, vendors = synth_batch(n, seed=42)
    store = open_store(f"sqlite:///{path}")
    for i in range(0, n, 10_000):
        store.write_batch(listings[i : i + 10_000], vendors if i == 0 else [])
    again = reobserve(listings, seed=7, days=14, share=0.5)
    for i in range(0, len(again), 10_000):
        store.write_batch(again[i : i + 10_000], [])
    return store


def pages(tmp: str, repeat: int) -> dict[str, list[float]]:
    from onionwatch.dashboards.params import Params
    from onionwatch.dashboards.plot import clear_chart_cache
    from onionwatch.dashboards.trends import trends_page
    from onionwatch.indexer.store import open_store
    from onionwatch.reports.emerging import gather
    from onionwatch.reports.pdf import html_to_pdf
    from onionwatch.reports.period import Period
    from onionwatch.reports.render import render_html
    from onionwatch.reports.signals import detect
    from onionwatch.reports.xlsx import render_xlsx
    from tests.reports import planted

    store = planted.fill(open_store(f"sqlite:///{Path(tmp) / 'b.sqlite'}"), planted.PLANTED_RATES,
                         planted.PLANTED_BOOST)  # fmt: skip
    period = Period(planted.LAST_WEEK, planted.LAST_WEEK + timedelta(days=7))
    data = gather(store, period, "2026-10-19T07:00:00Z")
    html = render_html(data)

    def drawn(fn: Callable[[], object]) -> Callable[[], object]:  # every chart drawn anew, as on new data
        return lambda: (clear_chart_cache(), fn())

    def page() -> object:
        return trends_page(store, Params("end=2026-10-18&weeks=12"))

    cases = {
        "trends page (3 charts drawn)": drawn(page),
        "trends page (same figures, cached)": page,
        "emerging test": lambda: detect(store, period),
        "report data (gather)": lambda: gather(store, period),
        "report HTML with chart": drawn(lambda: render_html(data)),
        "report XLSX": lambda: render_xlsx(data),
        "report PDF (Chromium)": lambda: html_to_pdf(html),
    }
    try:
        return {name: list(timed(fn, repeat if "PDF" not in name else 2)) for name, fn in cases.items()}
    finally:
        store.close()


def run(sizes: list[int], *, repeat: int = 5, store: str | None = None, with_pages: bool = True) -> dict[str, Any]:
    """{"machine", "sizes": {n: {case: [p50, p95]}}, "store": {...} (with ``store``), "pages": {case: [p50, p95]}}."""
    out: dict[str, Any] = {"machine": machine(), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="onionwatch-bench-") as tmp:
        os.environ.setdefault("ONIONWATCH_DATA_DIR", tmp)
        from onionwatch.indexer.store import open_store

        for n in sizes:
            s = synthetic(n, Path(tmp) / f"s{n}.sqlite")
            try:
                out["sizes"][n] = store_trends(s, repeat)
            finally:
                s.close()
        if store:
            s = open_store(f"sqlite:///{store}", create=False)
            try:
                out["store"] = {"path": store, "listings": s.counts()["listings"], "trends": store_trends(s, repeat)}
            finally:
                s.close()
        if with_pages:
            out["pages"] = pages(tmp, repeat)
    return out


def report(figures: dict[str, Any]) -> None:
    print(machine_line(figures["machine"]))
    tables = [(f"{n:,} synthetic listings", t) for n, t in figures["sizes"].items()]
    if "store" in figures:
        tables.append((f"{figures['store']['path']} ({figures['store']['listings']:,} listings)",
                       figures["store"]["trends"]))  # fmt: skip
    if "pages" in figures:
        tables.append(("planted six-week store: page and reports", figures["pages"]))
    for title, rows in tables:
        print(f"\n## {title}")
        for name, (p50, p95) in rows.items():
            print(f"{name:34s} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="", help="synthetic store sizes, comma-separated (default: none)")
    parser.add_argument("--store", help="an existing SQLite store file to time the trend calls on")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pages", action="store_true", help="skip the trends page and report figures")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    report(run(sizes, repeat=args.repeat, store=args.store, with_pages=not args.no_pages))


if __name__ == "__main__":
    main()
