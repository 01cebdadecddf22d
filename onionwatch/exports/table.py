"""What every export format consumes: named tables of typed columns whose rows are streamed, and cell hygiene."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# a text cell starting with one of these is a formula to Excel/LibreOffice (CSV injection): it gets a quote
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TYPES = ("text", "number", "int", "datetime")
MAX_CELL = 32_767  # the most characters an Excel cell holds


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"  # text | number | int | datetime (ISO UTC text or epoch seconds in, datetime out)


@dataclass
class Table:
    name: str  # also the sheet name / the file name inside a zip: short, ASCII
    columns: tuple[Column, ...]
    rows: Iterable[list[Any]]
    count: int = 0  # rows written so far (counted while the rows are consumed)

    def stream(self) -> Iterator[list[Any]]:
        """The rows, each as typed cells (see :func:`typed`), counted into ``count``."""
        for row in self.rows:
            self.count += 1
            yield [typed(col, value) for col, value in zip(self.columns, row, strict=True)]


@dataclass
class Export:
    kind: str  # search | vendor | alerts | case
    subject: str  # what was exported, for file names and the audit trail ("mdma", "alpha:v-green", "case 3")
    tables: list[Table]
    details: dict[str, Any] = field(default_factory=dict)  # query/filters, cap, total: into the audit trail
    truncated: bool = False  # the cap cut the main table short
    total: int | None = None  # how many rows matched before the cap (searches)
    vendors: list[dict[str, Any]] = field(default_factory=list)  # vendor profiles (MISP/STIX/Maltego formats)

    @property
    def rows(self) -> int:
        return sum(t.count for t in self.tables)

    def note(self) -> str:
        """One line saying what the file holds, and whether the cap cut it."""
        base = f"onionwatch {self.kind} export: {self.subject}"
        if self.truncated:
            main = next((t for t in self.tables if t.name in ("listings", "alerts")), self.tables[0])
            return f"{base}; TRUNCATED: the first {main.count:,} of {self.total or 0:,} matches"
        return base


def safe_text(value: str) -> str:
    """Text as a spreadsheet must show it: never a formula, at most one cell long."""
    text = value[:MAX_CELL - 1]
    return "'" + text if text.startswith(FORMULA_START) else text


_TS = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]00:?00)?")


def typed(column: Column, value: Any) -> Any:
    """A cell value of the column's type (None stays empty); text that does not fit the type stays text."""
    if value is None or value == "":
        return None
    if column.type in ("number", "int") and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if column.type == "int" else float(value)
    if column.type == "datetime":
        when = to_datetime(value)
        if when is not None:
            return when
    return safe_text(value if isinstance(value, str) else str(value))


def to_datetime(value: Any) -> datetime | None:
    """ISO 8601 UTC text or epoch seconds -> a naive UTC datetime (to the second); None when it is neither."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC).replace(tzinfo=None, microsecond=0)
    if isinstance(value, str) and _TS.fullmatch(value.strip()):
        text = value.strip().replace("Z", "+00:00")
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed.replace(microsecond=0)
    return None
