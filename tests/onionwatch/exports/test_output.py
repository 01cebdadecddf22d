"""exports/output.py: atomic file, sha256 in the audit trail before the rename, nothing left on failure."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from onionwatch.audit import AuditLog
from onionwatch.errors import AuditError, InputError, NothingToExport
from onionwatch.exports import output, sources
from onionwatch.exports.table import Column, Export, Table
from onionwatch.indexer.store import SearchQuery, Store, open_store
from tests.onionwatch.exports.hostile import make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(make_store(tmp_path))
    yield s
    s.close()


def test_export_to_file_audits_the_hash(store: Store, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit" / "audit.jsonl")
    target = tmp_path / "out" / "s.xlsx"
    target.parent.mkdir()
    written = output.export_to_file(sources.search_export(store, SearchQuery(text="mdma")), "xlsx", target,
                                    "ana", log)  # fmt: skip
    assert written.path == target and written.rows == 2
    assert hashlib.sha256(target.read_bytes()).hexdigest() == written.sha256
    assert list(target.parent.iterdir()) == [target] and target.stat().st_mode & 0o077 == 0
    [entry] = list(log.entries())
    assert (entry["actor"], entry["action"], entry["target"]) == ("ana", "export", "search mdma")
    assert entry["details"]["sha256"] == written.sha256 and entry["details"]["rows"] == 2
    assert entry["details"]["format"] == "xlsx" and entry["details"]["query"] == "mdma"
    assert log.verify().ok


def test_failed_audit_leaves_no_file(store: Store, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the audit directory should be")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "s.csv"
    with pytest.raises(AuditError):
        output.export_to_file(sources.search_export(store, SearchQuery()), "csv", target, "ana",
                              AuditLog(blocked / "audit.jsonl"))  # fmt: skip
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failing_writer_leaves_no_file(tmp_path: Path) -> None:
    def rows():
        yield ["ok"]
        raise RuntimeError("store went away mid-export")

    export = Export("search", "x", [Table("listings", (Column("a"),), rows())])
    with pytest.raises(RuntimeError):
        output.export_to_file(export, "csv", tmp_path / "x.csv", "ana", AuditLog(tmp_path / "a.jsonl"))
    assert list(tmp_path.iterdir()) == []


def test_no_rows_no_file(tmp_path: Path) -> None:
    export = Export("alerts", "all", [Table("alerts", (Column("a"),), [])])
    with pytest.raises(NothingToExport):
        output.render(export, "csv", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_bad_format_and_directory(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="format 'pdf'"):
        output.check_format("search", "pdf")
    with pytest.raises(InputError, match="only for a vendor or a case"):
        output.check_format("alerts", "stix")
    with pytest.raises(InputError, match="does not exist"):
        output.export_to_file(sources.search_export(store, SearchQuery()), "csv", tmp_path / "no" / "x.csv", "ana",
                              AuditLog(tmp_path / "a.jsonl"))  # fmt: skip


def test_file_names_and_content_disposition() -> None:
    export = Export("vendor", "klad:Снежок/../\"x\"", [Table("profile", (Column("a"),), [])])
    name = output.file_name(export, "xlsx", today="2026-12-03")
    assert name == "onionwatch-vendor-klad_Снежок_.._x-2026-12-03.xlsx"
    header = output.content_disposition(name)
    assert header.startswith('attachment; filename="onionwatch-vendor-klad_.._x-2026-12-03.xlsx"; ')
    assert header.endswith("filename*=UTF-8''onionwatch-vendor-klad_%D0%A1%D0%BD%D0%B5%D0%B6%D0%BE%D0%BA_.._x-2026-"
                           "12-03.xlsx")
    assert header.isascii() and "/" not in name
