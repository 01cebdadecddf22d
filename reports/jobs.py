"""Report jobs: plain functions `(store, period) -> [files]`, registered by report name in JOBS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from onionwatch.indexer.store import Store
from onionwatch.paths import data_dir
from onionwatch.reports.emerging import gather
from onionwatch.reports.output import write_all
from onionwatch.reports.pdf import html_to_pdf
from onionwatch.reports.period import Period
from onionwatch.reports.render import render_csv_tables, render_html, render_json
from onionwatch.reports.xlsx import render_xlsx

ReportJob = Callable[..., list[Path]]


def default_out_dir(name: str) -> Path:
    return data_dir() / "reports" / name


def emerging(store: Store, period: Period, *, out_dir: Path | None = None, generated_at: str | None = None,
             pdf: bool = True) -> list[Path]:  # fmt: skip
    """The emerging-substances report for ``period`` in <out_dir>/ (see write_report)."""
    data = gather(store, period, generated_at)
    return write_report(data, out_dir or default_out_dir("emerging"), period, pdf=pdf)


def write_report(data: dict[str, Any], out_dir: Path, period: Period, *, pdf: bool = True) -> list[Path]:
    """<start>_<last day>.{html,pdf,json,xlsx} and <start>_<last day>_<table>.csv per table: every file is
    rendered first (the PDF by Chromium), then all are written atomically."""
    html = render_html(data)
    files: dict[str, str | bytes] = {f"{period.label}.html": html}
    if pdf:
        files[f"{period.label}.pdf"] = html_to_pdf(html)
    files[f"{period.label}.json"] = render_json(data)
    files[f"{period.label}.xlsx"] = render_xlsx(data)
    for table, text in render_csv_tables(data).items():
        files[f"{period.label}_{table}.csv"] = text
    return write_all(out_dir, files)


JOBS: dict[str, ReportJob] = {"emerging": emerging}
