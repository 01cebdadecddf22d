"""The report's tables as one XLSX workbook (openpyxl): a sheet per table, formulas defused, header frozen."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from onionwatch.reports.render import TABLES, _cell, columns, table_rows

MAX_CELL = 32_767  # Excel's limit per cell


def _value(value: Any) -> Any:
    value = _cell(value)  # lists joined, formula starts quoted with '
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)[:MAX_CELL]  # XML-illegal controls
        if value.startswith("'"):
            return value  # openpyxl stores text starting with ' as text, never as a formula
    return value


def render_xlsx(data: dict[str, Any]) -> bytes:
    """The workbook: a "summary" sheet (period, method), then one sheet per table in TABLES order."""
    wb = Workbook()
    summary = wb.active
    summary.title = "summary"
    period = data["period"]
    for pair in (("report", data.get("report")), ("period first day", period["start"]),
                ("period last day (inclusive)", period["last_day"]), ("generated at", data.get("generated_at")),
                ("emerging test", data["signals"]["status"]), ("method", data["signals"]["method"])):  # fmt: skip
        summary.append([_value(v) for v in pair])
    for note in data.get("notes") or []:
        summary.append(["note", _value(note)])
    for table in TABLES:
        rows = table_rows(data, table)
        names = columns(rows)
        sheet = wb.create_sheet(table[:31])
        sheet.append(names)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_value(row.get(k)) for k in names])
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
