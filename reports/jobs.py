"""Report jobs: plain functions `(store, period) -> [files]`, registered by report name in JOBS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from onionwatch.indexer.store import Store
from onionwatch.paths import data_dir
from onionwatch.reports.emerging import gather
from onionwatch.reports.output import write_all
from onionwatch.reports.period import Period
from onionwatch.reports.render import render_csv, render_html, render_json

ReportJob = Callable[..., list[Path]]


def default_out_dir(name: str) -> Path:
    return data_dir() / "reports" / name


def emerging(store: Store, period: Period, *, out_dir: Path | None = None,
             generated_at: str | None = None) -> list[Path]:  # fmt: skip
    """The emerging-substances report for ``period`` as <out_dir>/<start>_<end>.{html,json,csv}."""
    data = gather(store, period, generated_at)
    return write_report(data, out_dir or default_out_dir("emerging"), period)


def write_report(data: dict[str, Any], out_dir: Path, period: Period) -> list[Path]:
    """Render all three formats first, then write them atomically."""
    files = {
        f"{period.label}.html": render_html(data),
        f"{period.label}.json": render_json(data),
        f"{period.label}.csv": render_csv(data),
    }
    return write_all(out_dir, files)


JOBS: dict[str, ReportJob] = {"emerging": emerging}
