"""`onionwatch export`: files written atomically and audited; nothing matched or a bad value: exit 1, no file."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from onionwatch.audit import AuditLog
from onionwatch.cli import main
from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.cases import Cases
from tests.onionwatch.exports.hostile import EVIL_TITLE, make_store


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return make_store(tmp_path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(["export", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _entries() -> list[dict]:
    return [e for e in AuditLog().entries() if e["action"] == "export"]


def test_search_csv_and_xlsx(capsys, store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out" / "мефедрон.csv"
    out.parent.mkdir()
    code, stdout, err = run(capsys, "search", "мефедрон", "--market", "klad", "--store", store_url, "--format", "csv",
                            "--out", str(out), "--operator", "ana")  # fmt: skip
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert "'" + EVIL_TITLE in [r[2] for r in rows]
    [entry] = _entries()
    assert entry["actor"] == "ana" and entry["details"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert entry["details"]["query"] == "мефедрон" and entry["details"]["filters"]["market"] == "klad"
    assert entry["details"]["via"] == "cli" and f"sha256 {entry['details']['sha256']}" in stdout
    xlsx = tmp_path / "all.xlsx"
    code, _, err = run(capsys, "search", "--store", store_url, "--format", "xlsx", "--out", str(xlsx), "--limit", "4")
    assert code == 0 and "TRUNCATED: the first 4 of 15 matches" in err
    assert load_workbook(xlsx)["listings"].max_row == 5


@pytest.mark.parametrize("fmt", ["misp", "stix", "maltego", "xlsx", "csv"])
def test_vendor_formats(capsys, store_url: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"v.{fmt}"
    code, stdout, err = run(capsys, "vendor", "klad", "k-evil", "--store", store_url, "--format", fmt, "--out", str(out))
    assert code == 0, err
    assert out.stat().st_size > 0
    if fmt in ("misp", "stix"):
        json.loads(out.read_bytes())
    assert ("zip" in stdout) == (fmt == "csv")
    assert [e["details"]["format"] for e in _entries()] == [fmt]


def test_case_export_needs_the_case(capsys, store_url: str, tmp_path: Path) -> None:
    cases = Cases(Accounts().db)
    case = cases.add("Op")
    cases.file(case.id, "vendor", "klad:k-evil", "", "", "ana")
    out = tmp_path / "case.stix.json"
    assert run(capsys, "case", str(case.id), "--store", store_url, "--format", "stix", "--out", str(out))[0] == 0
    assert "bc1qevilexample" in out.read_text()
    code, _, err = run(capsys, "case", "99", "--store", store_url, "--format", "csv", "--out", str(tmp_path / "n.csv"))
    assert code == 1 and "no case 99" in err and not (tmp_path / "n.csv").exists()


@pytest.mark.parametrize("args, message", [
    (("search", "nosuchword"), "matched no listings"),
    (("vendor", "alpha", "nobody"), "no vendor"),
    (("alerts",), "no alerts"),
    (("search", "--since", "yesterday"), "--since"),
    (("search", "--format", "misp"), "only for a vendor or a case"),
])  # fmt: skip
def test_nothing_or_bad_value_no_file(capsys, store_url: str, tmp_path: Path, args, message: str) -> None:
    fmt = [] if "--format" in args else ["--format", "csv"]
    code, out, err = run(capsys, *args, *fmt, "--store", store_url, "--out", str(tmp_path / "x.out"))
    assert code == 1 and message in err and err.count("\n") == 1, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("x", ".onionwatch"))) == []
    assert _entries() == []


def test_usage_errors(capsys, store_url: str, tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", "--format", "pdf", "--out", str(tmp_path / "x"), "--store", store_url)
    assert code == 2 and "pdf" in err
    code, _, err = run(capsys, "search", "--format", "csv", "--out", str(tmp_path), "--store", store_url)
    assert code != 0 and not list(tmp_path.glob(".onionwatch-export-*"))
    code, _, err = run(capsys, "search", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                       "--store", f"sqlite://{tmp_path}/missing.sqlite")  # fmt: skip
    assert code == 1 and "no such store" in err and not (tmp_path / "missing.sqlite").exists()
