"""`onionwatch report emerging|validate|schedule`: files, JSON, one-line errors and no partial output."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from onionwatch.cli import main
from onionwatch.reports.period import last_complete


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(["report", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


TABLES = ("signals", "new_substances", "growth", "decline", "prices", "vendors", "links")


def report_files(label: str, pdf: bool = True) -> list[str]:
    """The files of one report, sorted: HTML, PDF, JSON, XLSX and one CSV per table."""
    exts = ("html", "json", "pdf", "xlsx") if pdf else ("html", "json", "xlsx")
    return sorted([f"{label}.{e}" for e in exts] + [f"{label}_{t}.csv" for t in TABLES])


@pytest.mark.browser
def test_emerging_writes_every_file(capsys, sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["emerging", "--since", "2024-03-18", "--until", "2024-03-25", "--store", sqlite_url, "--out", str(out)]
    code, stdout, err = run(capsys, *args)
    assert code == 0, err
    assert stdout.startswith("2024-03-18 to 2024-03-24 inclusive: no baseline yet; 2 new substances")
    assert "2 new substances (1 unknown candidates), 6 listings (previous 5), 4 active vendors, 1 new links" in stdout
    assert sorted(p.name for p in out.iterdir()) == report_files("2024-03-18_2024-03-24")
    code, stdout, err = run(capsys, *args, "--json", "--no-pdf")
    data = json.loads(stdout)
    assert data["summary"]["top_growth"]["substance"] == "mdma" and data["period"]["end"] == "2024-03-25"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--since", "last week"], "--since: expected a date"),
        (["--since", "2024-03-18", "--until", "2024-02-30"], "--until: expected a date"),
        (["--since", "2024-03-18", "--until", "2024-03-18"], "--until: must be after since"),
        (["--since", "2024-03-18", "--store", "ftp://nowhere"], "--store: "),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(capsys, tmp_path: Path, args: list[str], needle: str) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "emerging", *args, "--out", str(out))
    assert code != 0 and stdout == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("onionwatch: error: ") and needle in err
    assert not out.exists() or not any(out.iterdir())


def test_out_that_is_a_file(capsys, sqlite_url: str, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x")
    code, _, err = run(capsys, "emerging", "--since", "2024-03-18", "--store", sqlite_url, "--out", str(target))
    assert code == 2 and "--out: " in err and "not a directory" in err and target.read_text() == "x"


def test_validate(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "validate")
    assert code == 0 and "2 job(s) OK" in out and "weekly-emerging" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("jobs:\n  - {name: w, report: emerging, cron: '0 7 * * FUNDAY', period: 1w}\n")
    code, out, err = run(capsys, "validate", "--config", str(bad))
    assert code == 2 and out == "" and err.startswith(f"onionwatch: error: {bad}: jobs[0].cron: bad cron string")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.browser
def test_schedule_once_writes_every_job(capsys, sqlite_url: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "schedule.yaml"
    config.write_text(
        "jobs:\n"
        f"  - {{name: weekly, report: emerging, cron: '0 7 * * MON', period: 1w, store: '{sqlite_url}'}}\n"
        f"  - {{name: monthly, report: emerging, cron: '0 7 1 * *', period: 1m, store: '{sqlite_url}',"
        f" out: '{tmp_path / 'monthly'}', pdf: false}}\n"
    )
    code, out, err = run(capsys, "schedule", "--config", str(config), "--once")
    assert code == 0, err
    today = datetime.now(UTC).date()
    week, month = last_complete("1w", today).label, last_complete("1m", today).label
    weekly, monthly = tmp_path / "data" / "reports" / "weekly", tmp_path / "monthly"
    assert sorted(p.name for p in weekly.iterdir()) == report_files(week)
    assert sorted(p.name for p in monthly.iterdir()) == report_files(month, pdf=False)
    assert out.count("\n") == 2 and out.startswith("weekly: ")
