"""CSV: UTF-8 with a BOM (Excel in a Russian locale then reads it as UTF-8), one table per file.

An export of one table is one CSV file; an export of several (a vendor, a case) is a zip of one CSV per
table plus README.txt. Text cells never start a formula (exports/table.py). ``locale="ru"`` writes what
Excel in a Russian locale opens by double-click: ``;`` between cells and a decimal comma.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from onionwatch.exports.table import Export, Table

BOM = "\ufeff"
LOCALES = ("en", "ru")


def suffix(export: Export) -> str:
    return ".csv" if len(export.tables) == 1 else ".zip"


def _cell(value: Any, decimal_comma: bool) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        text = repr(value) if value != int(value) or abs(value) >= 1e15 else str(int(value))
        return text.replace(".", ",") if decimal_comma else text
    return value


def write_table(table: Table, out: IO[str], locale: str = "en", note: Callable[[], str] | None = None) -> None:
    """One table as CSV text (BOM first) into ``out``; ``note()`` (a truncation, said once the rows are
    written) becomes a last `#` row."""
    writer = csv.writer(out, delimiter=";" if locale == "ru" else ",", lineterminator="\r\n")
    out.write(BOM)
    writer.writerow([c.name for c in table.columns])
    for row in table.stream():
        writer.writerow([_cell(v, locale == "ru") for v in row])
    if note:
        writer.writerow([f"# {note()}"])


def write(export: Export, out: IO[bytes], locale: str = "en") -> int:
    if len(export.tables) == 1:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        write_table(export.tables[0], text, locale, export.note if export.truncated else None)
        text.detach()
        return export.rows
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in export.tables:
            with archive.open(f"{table.name}.csv", "w") as member:
                text = io.TextIOWrapper(member, encoding="utf-8", newline="")
                note = export.note if export.truncated and table.name == "listings" else None
                write_table(table, text, locale, note)
                text.flush()
                text.detach()
        lines = [export.note(), ""] + [f"{t.name}.csv: {t.count:,} rows" for t in export.tables]
        archive.writestr("README.txt", "\r\n".join(lines) + "\r\n")
    return export.rows
