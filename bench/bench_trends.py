"""Trends page, emerging test and report rendering on the generated six-week store (tests/reports/planted.py).

Run: .venv/bin/python -m bench.bench_trends [--repeat N]. Prints p50/p95 ms per call: the trends page with its
three matplotlib charts, the emerging test alone, the report HTML (with its chart), the XLSX and the PDF.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench._timing import timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("ONIONWATCH_DATA_DIR", tmp)
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
        for name, fn in cases.items():
            p50, p95 = timed(fn, args.repeat if "PDF" not in name else 2)
            print(f"{name:34s} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
