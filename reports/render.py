"""Render report data as self-contained HTML (Jinja2, autoescaped, an inline SVG chart), JSON, and one CSV
per table (UTF-8 with BOM); reports/xlsx.py makes the workbook and reports/pdf.py the PDF."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from onionwatch.dashboards.plot import Series, line_chart
from onionwatch.i18n import gettext
from onionwatch.i18n import gettext as _
from onionwatch.visible import finalize

TABLES = ("signals", "new_substances", "growth", "decline", "prices", "vendors", "links")
CHART_LINES = 8
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("onionwatch.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # hidden characters in scraped titles and names shown as ⟨U+202E⟩ markers
    )
    env.globals.setdefault("_", gettext)
    env.filters["pct"] = fmt_pct
    env.filters["usd"] = lambda v: "–" if v is None else f"${v:,.2f}"
    env.filters["day"] = fmt_day
    env.filters["day_before"] = lambda v: fmt_day((date.fromisoformat(v[:10]) - timedelta(days=1)).isoformat())
    return env


def fmt_pct(value: float | None) -> str:
    return "new" if value is None else f"{value:+.1f}%"


def fmt_day(value: str | None) -> str:
    """``2024-01-08`` (or a timestamp) -> ``Mon 8 Jan 2024``."""
    if not value:
        return "–"
    d = date.fromisoformat(value[:10])
    return f"{d:%a} {d.day} {d:%b %Y}"


def render_html(data: dict[str, Any], template: str = "emerging.html") -> str:
    return _env().get_template(template).render(r=data, chart=render_chart(data))


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _cell(value: Any) -> Any:
    """CSV cell: lists joined; text that a spreadsheet would run as a formula is quoted with a '."""
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update({f"{key}_{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def table_rows(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    """One report table as flat rows, each with the period's first and inclusive last day."""
    rows = data["signals"]["rows"] if table == "signals" else data[table]
    period = {"period_start": data["period"]["start"], "period_last_day": data["period"]["last_day"]}
    return [{**period, **_flat(r)} for r in rows]


def columns(rows: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for row in rows:
        out.extend(k for k in row if k not in out)
    return out or ["period_start", "period_last_day"]


def render_csv_tables(data: dict[str, Any]) -> dict[str, str]:
    """{table: CSV text}: one CSV per table, UTF-8 with a BOM (Excel in any locale reads it as UTF-8)."""
    out: dict[str, str] = {}
    for table in TABLES:
        rows = table_rows(data, table)
        names = columns(rows)
        buf = io.StringIO()
        buf.write("\ufeff")
        writer = csv.DictWriter(buf, fieldnames=names, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in names})
        out[table] = buf.getvalue()
    return out


def render_chart(data: dict[str, Any]) -> Markup | None:
    """Distinct listings per period (baseline periods, then the report's) for the flagged and largest
    substances, on one shared axis; None when there is nothing to draw."""
    series = data["signals"].get("series") or {}
    counts: dict[str, list[int]] = series.get("counts") or {}
    if not counts:
        return None
    flagged = list(data["signals"]["emerging"])
    rest = sorted((s for s in counts if s not in flagged), key=lambda s: (-counts[s][-1], s))
    chosen = (flagged + rest)[:CHART_LINES]
    interval = "month" if data["period"]["interval"] == "month" else "week"
    incomplete = bool(data.get("generated_at")) and str(data["generated_at"])[:10] < data["period"]["end"]
    return line_chart(
        series["periods"],
        [Series(s, counts[s]) for s in chosen],
        interval=interval,
        y_label=_("distinct listings live in the period"),
        title=_("Listings per substance: baseline periods and this period"),
        incomplete=incomplete,
    )
