"""Render report data as self-contained HTML (Jinja2, autoescaped), JSON and one CSV of its tables."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from onionwatch.visible import finalize

CSV_TABLES = ("new_substances", "growth", "decline", "prices", "vendors", "links")
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
    env.filters["pct"] = fmt_pct
    env.filters["usd"] = lambda v: "–" if v is None else f"${v:,.2f}"
    env.filters["day"] = fmt_day
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
    return _env().get_template(template).render(r=data)


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


def render_csv(data: dict[str, Any]) -> str:
    """One CSV: a ``table`` column naming the table, then the union of every table's columns."""
    rows = [{"table": t, "period_start": data["period"]["start"], "period_end": data["period"]["end"], **_flat(r)}
            for t in CSV_TABLES for r in data[t]]  # fmt: skip
    columns: list[str] = ["table", "period_start", "period_end"]
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return buf.getvalue()
