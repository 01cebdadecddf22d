"""A scheduled report run is audited first, and refused (no files) when its entry cannot be written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from onionwatch.audit import AuditLog
from onionwatch.errors import AuditError
from onionwatch.reports.config import load_schedule
from onionwatch.reports.schedule import run_job
from tests.reports.test_schedule import job_yaml, write

NOW = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)


def test_run_job_writes_an_audit_entry(tmp_path: Path, sqlite_url: str, private_data_dir: Path) -> None:
    (spec,) = load_schedule(write(tmp_path, job_yaml(store=sqlite_url, out=str(tmp_path / "out"))))
    files = run_job(spec, NOW)
    assert files and all(f.is_file() for f in files)
    (entry,) = AuditLog(private_data_dir / "audit" / "audit.jsonl").entries()
    assert (entry["action"], entry["target"]) == ("report.run", "emerging")
    assert entry["details"] == {
        "job": "weekly",
        "since": "2024-02-26",
        "until": "2024-03-04",
        "out": str(tmp_path / "out"),
        "scheduled": True,
    }


def test_run_job_refused_without_audit(tmp_path: Path, sqlite_url: str, private_data_dir: Path) -> None:
    (private_data_dir / "audit").write_text("not a folder")
    (spec,) = load_schedule(write(tmp_path, job_yaml(store=sqlite_url, out=str(tmp_path / "out"))))
    with pytest.raises(AuditError, match="action refused"):
        run_job(spec, NOW)
    assert not (tmp_path / "out").exists()
