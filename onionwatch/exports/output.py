"""Writing an export: into a temporary file beside the target, hashed, recorded in the audit trail, and only
then renamed into place (CLI) or sent (dashboard). Nothing matched, a bad format or a failed audit: no file."""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from onionwatch.audit import AuditLog
from onionwatch.errors import InputError, NothingToExport
from onionwatch.exports.table import Export

FORMATS = ("csv", "xlsx", "misp", "stix", "maltego")
IDENTIFIER_FORMATS = ("misp", "stix", "maltego")  # vendor identifiers: only for a vendor or a case's vendors
MEDIA = {"csv": "text/csv; charset=utf-8", "zip": "application/zip", "maltego": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "misp": "application/json", "stix": "application/json"}  # fmt: skip
_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


@dataclass
class Written:
    path: Path
    rows: int
    sha256: str
    size: int
    filename: str  # the suggested file name (may hold Cyrillic)
    media_type: str


def check_format(kind: str, fmt: str) -> None:
    """InputError for an unknown format, or an identifier format asked of a search or the alert list."""
    if fmt not in FORMATS:
        raise InputError(f"format {fmt[:20]!r}: one of {', '.join(FORMATS)}")
    if fmt in IDENTIFIER_FORMATS and kind not in ("vendor", "case"):
        raise InputError(f"format {fmt}: vendor identifiers, so only for a vendor or a case export (not {kind})")


def _module(fmt: str) -> Any:
    return importlib.import_module(f"onionwatch.exports.{fmt}_format")


def file_name(export: Export, fmt: str, today: str | None = None) -> str:
    """onionwatch-<kind>-<subject>-<YYYY-MM-DD><suffix>: letters (any script), digits, '.', '-', '_' only."""
    day = today or datetime.now(UTC).strftime("%Y-%m-%d")
    subject = _UNSAFE.sub("_", export.subject).strip("._")[:60] or "export"
    return f"onionwatch-{export.kind}-{subject}-{day}{_module(fmt).suffix(export)}"


def content_disposition(name: str) -> str:
    """attachment with an ASCII fallback name and the full UTF-8 name (RFC 6266 / RFC 5987 filename*)."""
    ascii_name = re.sub(r"_+", "_", "".join(ch if ch.isascii() and (ch.isalnum() or ch in ".-_") else "_"
                                            for ch in name))  # fmt: skip
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def render(export: Export, fmt: str, directory: Path, locale: str = "en") -> Written:
    """Write ``export`` as ``fmt`` into a new 0600 temporary file in ``directory``; NothingToExport when no row."""
    check_format(export.kind, fmt)
    fd, name = tempfile.mkstemp(dir=directory, prefix=".onionwatch-export-", suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            writer = _module(fmt)
            rows = writer.write(export, out, locale) if fmt == "csv" else writer.write(export, out)
            out.flush()
            os.fsync(out.fileno())
        if rows == 0:
            raise NothingToExport(f"{export.kind} {export.subject}: no rows to export")
        digest, size = _sha256(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    suffix = _module(fmt).suffix(export)
    media = MEDIA["zip"] if suffix == ".zip" else MEDIA[fmt]
    return Written(path, rows, digest, size, file_name(export, fmt), media)


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def audit(log: AuditLog, actor: str, export: Export, fmt: str, written: Written, via: str) -> None:
    """One ``export`` entry: who, what (kind, subject, query), format, rows, bytes and the file's sha256."""
    details = {"kind": export.kind, "format": fmt, "rows": written.rows, "bytes": written.size,
               "sha256": written.sha256, "truncated": export.truncated, "file": written.filename, "via": via,
               **{k: v for k, v in export.details.items() if k not in ("kind", "format")}}  # fmt: skip
    log.append(actor, "export", f"{export.kind} {export.subject}", details)


def export_to_file(export: Export, fmt: str, target: Path, actor: str, log: AuditLog, locale: str = "en") -> Written:
    """Render next to ``target``, audit, then rename into place: on any failure no file is left behind."""
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"--out {target}: directory {directory} does not exist")
    written = render(export, fmt, directory, locale)
    try:
        audit(log, actor, export, fmt, written, "cli")
        os.replace(written.path, target)
    except BaseException:
        written.path.unlink(missing_ok=True)
        raise
    written.path = target
    return written
