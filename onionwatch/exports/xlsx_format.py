"""XLSX (openpyxl, streamed in write-only mode): one sheet per table, bold frozen header, typed numbers and
dates, then an "about" sheet saying what was exported and whether the cap cut it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from onionwatch.exports.table import Column, Export, safe_text

DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
WIDTHS = {"datetime": 20, "number": 13, "int": 10, "text": 22}
WIDE = {"title": 50, "description": 60, "url": 40, "value": 60, "note": 40, "query": 40, "identifiers": 60}


def suffix(export: Export) -> str:
    return ".xlsx"


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # control characters: not allowed in the XML
    return value


def _date_cell(sheet: WriteOnlyWorksheet, value: datetime) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def _header(sheet: WriteOnlyWorksheet, columns: tuple[Column, ...]) -> None:
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDE.get(column.name, WIDTHS.get(column.type, 22))
    sheet.freeze_panes = "A2"
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def write(export: Export, out: IO[bytes]) -> int:
    book = Workbook(write_only=True)
    for table in export.tables:
        sheet = book.create_sheet(table.name[:31])
        _header(sheet, table.columns)
        for row in table.stream():
            sheet.append([_date_cell(sheet, v) if isinstance(v, datetime) else _value(v) for v in row])
    about = book.create_sheet("about")
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 22, 80
    rows: list[tuple[str, Any]] = [("export", export.note()), ("kind", export.kind), ("subject", export.subject),
                                   ("generated (UTC)", datetime.now(UTC).replace(tzinfo=None, microsecond=0)),
                                   ("truncated", "yes" if export.truncated else "no")]  # fmt: skip
    if export.total is not None:
        rows.append(("matched", export.total))
    rows += [(f"rows: {t.name}", t.count) for t in export.tables]
    rows += [(f"{k}", str(v)) for k, v in export.details.items()]
    for key, value in rows:
        cell = WriteOnlyCell(about, value=_value(safe_text(value) if isinstance(value, str) else value))
        if isinstance(value, datetime):
            cell.number_format = DATE_FORMAT
        about.append([key, cell])
    book.save(out)
    return export.rows
