"""The audited commands write their entry (query included) first, and refuse when it cannot be written;
`onionwatch audit verify|show|export` on the real log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onionwatch.audit import AuditLog
from onionwatch.cli import main
from onionwatch.indexer.store import open_store
from tests.indexer import data


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite://{tmp_path}/cli.sqlite"
    store = open_store(url)
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    store.close()
    return url


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _entries(data_dir: Path) -> list[dict]:
    return list(AuditLog(data_dir / "audit" / "audit.jsonl").entries())


def test_cli_search_is_audited_with_its_query(capsys, store_url: str, private_data_dir: Path) -> None:
    code, out, _ = cli(capsys, "search", "mdma crystals", "--market", "alpha", "--store", store_url,
                       "--operator", "alice")
    assert code == 0 and "MDMA" in out
    (entry,) = _entries(private_data_dir)
    assert (entry["actor"], entry["action"], entry["target"]) == ("alice", "search", "mdma crystals")
    assert entry["details"]["query"] == "mdma crystals" and entry["details"]["filters"] == {"market": "alpha"}
    code, out, _ = cli(capsys, "search", "heroin", "--store", store_url)
    assert code == 0
    assert _entries(private_data_dir)[1]["actor"]  # the Unix user by default


def test_search_is_refused_when_the_audit_trail_cannot_be_written(capsys, store_url: str,
                                                                    private_data_dir: Path) -> None:
    (private_data_dir / "audit").write_text("a file where the audit folder belongs")
    code, out, err = cli(capsys, "search", "mdma", "--store", store_url)
    assert code == 1 and out == ""  # no result shown
    assert err.startswith("onionwatch: error: audit trail ") and "action refused" in err
    assert len(err.strip().splitlines()) == 1


def test_watch_add_and_report_run_are_audited(capsys, store_url: str, private_data_dir: Path,
                                              tmp_path: Path) -> None:
    code, _, err = cli(capsys, "watch", "add", "nitaz", "--class", "nitazene", "--store", store_url)
    assert code == 0, err
    code, _, err = cli(capsys, "report", "emerging", "--since", "2024-01-01", "--until", "2024-02-01",
                       "--store", store_url, "--out", str(tmp_path / "rep"), "--operator", "bob")
    assert code == 0, err
    code, _, err = cli(capsys, "watch", "alerts", "--store", store_url, "--json")
    assert code == 0, err
    got = [(e["action"], e["target"]) for e in _entries(private_data_dir)]
    assert got == [("watch.add", "nitaz"), ("report.run", "emerging"), ("alerts.view", "")]
    report = _entries(private_data_dir)[1]
    assert report["actor"] == "bob" and report["details"]["since"] == "2024-01-01"
    assert _entries(private_data_dir)[0]["details"]["definition"] == {"name": "nitaz", "substance_class": "nitazene"}


def test_audit_verify_show_export(capsys, store_url: str, private_data_dir: Path, tmp_path: Path) -> None:
    for q in ("one", "two", "three"):
        assert cli(capsys, "search", q, "--store", store_url, "--operator", "carol")[0] == 0
    code, out, _ = cli(capsys, "audit", "verify")
    assert code == 0 and "3 entries, chain intact; head seq 3 " in out
    head = out.split()[-1]
    code, out, _ = cli(capsys, "audit", "verify", "--anchor", f"3:{head}")
    assert code == 0

    code, out, _ = cli(capsys, "audit", "show", "--actor", "carol", "--action", "search", "--json")
    assert [json.loads(line)["target"] for line in out.splitlines()] == ["one", "two", "three"]
    assert cli(capsys, "audit", "show", "--since", "2999-01-01")[1] == ""
    code, _, err = cli(capsys, "audit", "show", "--since", "yesterday")
    assert code == 1 and "--since" in err

    target = tmp_path / "handover.jsonl"
    code, out, _ = cli(capsys, "audit", "export", str(target))
    assert code == 0 and oct(target.stat().st_mode & 0o777) == "0o600"
    assert AuditLog(target).verify().entries == 4  # the export itself is the 4th entry
    assert cli(capsys, "audit", "export", str(target))[0] == 1  # never over an existing file

    log = private_data_dir / "audit" / "audit.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"two"', b'"TWO"')
    log.write_bytes(b"".join(lines))
    code, out, err = cli(capsys, "audit", "verify")
    assert code == 1 and out == ""
    assert "audit: seq 2: content edited" in err and "audit trail damaged (1 problem(s))" in err
    assert cli(capsys, "audit", "export", str(tmp_path / "other.jsonl"))[0] == 1  # refused: damaged
