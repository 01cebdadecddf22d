"""`retention apply` end to end on SQLite: store, WARC archives, spool and reports purged together; held
material kept and said so; a dry run changes nothing; the deletion log says what, why, when, by whom."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onionwatch.errors import ConfigError
from onionwatch.indexer.store import Store, open_store
from onionwatch.retention import apply
from onionwatch.retention_config import holds, load_retention
from tests.onionwatch import retention_data as d

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 1, tzinfo=UTC)
OLD_STAMP, NEW_STAMP = "20240110T000000000000Z", "20261120T000000000000Z"
OLD_MTIME = datetime(2024, 1, 10, tzinfo=UTC).timestamp()
HOLDS_YAML = """holds:
  - case: C-2026-014
    reason: "trial of the abyss vendor v-held"
    listings: ["abyss:held-l"]
    vendors: ["abyss:v-held"]
  - case: C-2026-020
    reason: whole market seized
    markets: [kladmen]
"""


def _warc(path: Path, uris: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri in uris:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(b"<html>x</html>"),
                                                          http_headers=headers))  # fmt: skip
    return path


def _old(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (OLD_MTIME, OLD_MTIME))
    return path


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(data))
    monkeypatch.delenv("ONIONWATCH_ARCHIVE_DIR", raising=False)
    monkeypatch.setenv("ONIONWATCH_OPERATOR", "analyst.k")
    store = open_store(f"sqlite:///{data / 'onionwatch.sqlite'}")
    d.load(store)
    store.close()
    (tmp_path / "holds.yaml").write_text(HOLDS_YAML, encoding="utf-8")
    a = data / "archive"
    u = d.url
    files = {
        "holds": tmp_path / "holds.yaml",
        "warc_old": _warc(a / "abyss" / f"{OLD_STAMP}.warc.gz", [u("abyss", "l", "old-1"), u("abyss", "v", "v-gone")]),
        "warc_mixed": _warc(a / "abyss" / "20240111T000000000000Z.warc.gz",
                            [u("abyss", "l", "old-2"), u("abyss", "l", "held-l")]),
        "warc_vendor": _warc(a / "abyss" / "20240112T000000000000Z.warc.gz", [u("abyss", "l", "old-hv")]),
        "warc_market": _warc(a / "kladmen" / f"{OLD_STAMP}.warc.gz", [u("kladmen", "l", "old-k")]),
        "warc_new": _warc(a / "abyss" / f"{NEW_STAMP}.warc.gz", [u("abyss", "l", "new-1")]),
        "spool_old": _old(data / "spool" / "elastic-x" / "00000000000000000001-aaaa.batch.json",
                          json.dumps({"version": 1, "listings": [], "vendors": []})),
        "spool_held": _old(data / "spool" / "elastic-x" / "00000000000000000002-bbbb.batch.json", json.dumps(
            {"version": 1, "listings": [{"market": "abyss", "listing_id": "held-l", "vendor_id": "v-old"}],
             "vendors": []})),
        "rejected_old": _old(data / "spool" / "elastic-x" / "rejected" / "2024-01-10.jsonl", '{"id": "zzz"}\n'),
        "spool_new": data / "spool" / "elastic-x" / "00000000000000000003-cccc.batch.json",
        "report_old": _old(data / "reports" / "weekly" / "2024-01-01_2024-01-08.html", "<p>mdma up 20%</p>"),
        "report_held": _old(data / "reports" / "weekly" / "2024-01-01_2024-01-08.csv", "vendor,v-held\n"),
        "report_new": data / "reports" / "weekly" / "2026-11-16_2026-11-23.html",
    }
    files["spool_new"].write_text("{}", encoding="utf-8")
    files["report_new"].write_text("new", encoding="utf-8")
    return files


PURGED_FILES = ("warc_old", "spool_old", "rejected_old", "report_old")
KEPT_FILES = ("warc_mixed", "warc_vendor", "warc_market", "warc_new", "spool_held", "spool_new", "report_held",
              "report_new")  # fmt: skip


def _run(world: dict[str, Path], dry_run: bool):  # type: ignore[no-untyped-def]
    store = open_store(None, create=False)
    try:
        return apply(load_retention(), holds(world["holds"]), store, dry_run=dry_run, now=NOW)
    finally:
        store.close()


def _state(world: dict[str, Path]) -> tuple[dict[str, int], dict[str, bool]]:
    store: Store = open_store(None, create=False)
    try:
        return store.counts(), {k: p.exists() for k, p in world.items()}
    finally:
        store.close()


def test_dry_run_reports_everything_and_changes_nothing(world: dict[str, Path]) -> None:
    before = _state(world)
    run = _run(world, dry_run=True)
    assert _state(world) == before
    assert not (Path(os.environ["ONIONWATCH_DATA_DIR"]) / "retention").exists()  # no log either
    deleted = {e["what"] for e in run.entries if e["action"] == "deleted" and e["class"] in ("archives", "spool",
                                                                                         "reports")}  # fmt: skip
    assert deleted == {str(world[k]) for k in PURGED_FILES}
    assert run.summary()["listings"] == {"deleted": 2, "kept": 3}


def test_apply_purges_exactly_the_expected_set_and_logs_it(world: dict[str, Path]) -> None:
    from onionwatch.audit import AuditLog

    run = _run(world, dry_run=False)
    assert run.errors == []
    assert [(e["action"], e["target"]) for e in AuditLog().entries()][-1:] == [("retention.run", run.run)]
    counts, exists = _state(world)
    assert [k for k in PURGED_FILES if exists[k]] == []
    assert [k for k in KEPT_FILES if not exists[k]] == []
    assert counts["listings"] == 4 and counts["vendors"] == 5
    log_path = Path(os.environ["ONIONWATCH_DATA_DIR"]) / "retention" / "deletions.jsonl"
    assert log_path.stat().st_mode & 0o777 == 0o600
    assert log_path.parent.stat().st_mode & 0o777 == 0o700
    lines = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    assert lines == run.entries
    assert {e["by"] for e in lines} == {"analyst.k"} and {e["at"] for e in lines} == {"2026-12-01T00:00:00Z"}
    by_what = {(e["class"], e["action"], e["what"].split(" in ")[0]): e["why"] for e in lines}
    old1 = by_what[("listings", "deleted", "listing abyss:old-1")]
    assert "last seen 2024-01-10T00:00:00Z, over 365 days ago" in old1
    assert "C-2026-014" in by_what[("listings", "kept", "listing abyss:held-l")]
    assert "C-2026-020" in by_what[("listings", "kept", "listing kladmen:old-k")]
    nulled = [e["what"] for e in lines if e["action"] == "nulled"]
    assert len(nulled) == 1 and nulled[0].startswith("vendor abyss:v-gone in sqlite:///")
    assert nulled[0].endswith(": contacts, crypto_addresses, pgp_fingerprint, pgp_key_id")
    mixed = by_what[("archives", "kept", str(world["warc_mixed"]))]
    assert "1 record(s) of held pages" in mixed and "1 other record(s) are past retention" in mixed
    assert "market kladmen is on legal hold" in by_what[("archives", "kept", str(world["warc_market"]))]
    assert ("archives", "kept", str(world["warc_vendor"])) in by_what  # a held vendor's listing page
    assert "holds listing abyss:held-l" in by_what[("spool", "kept", str(world["spool_held"]))]
    assert ("reports", "kept", str(world["report_held"])) in by_what
    assert not any(e["action"] == "deleted" and "new" in e["what"] for e in lines)
    second = _run(world, dry_run=False)  # nothing left but the held material
    assert {e["action"] for e in second.entries} == {"kept"}


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", *args], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_cli_dry_run_json_and_errors(world: dict[str, Path], tmp_path: Path) -> None:
    env = {"ONIONWATCH_DATA_DIR": os.environ["ONIONWATCH_DATA_DIR"], "ONIONWATCH_STORE": "",
           "ONIONWATCH_HOLDS_FILE": str(world["holds"])}  # fmt: skip
    proc = _cli(["retention", "apply", "--dry-run", "--json"], env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["dry_run"] is True and out["summary"]["listings"] == {"deleted": 2, "kept": 3}
    assert world["warc_old"].exists()
    bad = tmp_path / "retention.yaml"
    bad.write_text("periods:\n  listings: forever\n  spool: 0\n", encoding="utf-8")
    proc = _cli(["retention", "apply", "--config", str(bad)], env)
    assert proc.returncode == 1
    first = proc.stderr.splitlines()[0]
    assert first == f"onionwatch: error: {bad}: periods.listings: expected a number of days or null, got 'forever'"
    assert f"{bad}: periods.spool:" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli(["retention", "apply", "--store", f"sqlite:///{tmp_path}/typo.sqlite"], env)
    assert proc.returncode == 1 and "typo.sqlite: no such store file" in proc.stderr
    assert not (tmp_path / "typo.sqlite").exists()
    assert world["warc_old"].exists()  # nothing deleted by the failed runs


def test_holds_file_errors_name_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "holds.yaml"
    path.write_text("holds:\n  - case: C1\n    reason: r\n    listings: [nocolon]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        holds(path)
    assert str(err.value) == f"{path}: holds[0].listings: expected MARKET:ID, got 'nocolon'"
    with pytest.raises(ConfigError, match="cannot read"):
        holds(tmp_path / "missing.yaml")


def test_scheduled_daily_by_default() -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    from onionwatch.reports.schedule import RETENTION_JOB, add_retention

    policy = load_retention()
    scheduler = BackgroundScheduler(timezone=UTC)
    assert add_retention(scheduler, policy.schedule)
    job = scheduler.get_job(RETENTION_JOB)
    first = job.trigger.get_next_fire_time(None, NOW)
    second = job.trigger.get_next_fire_time(first, first.replace(second=1))
    assert (second - first).total_seconds() == 86_400


def test_dashboard_cases_on_legal_hold_are_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing or vendor filed in a case on legal hold (dashboards/cases.py) is held; a case not on hold is not."""
    from onionwatch.dashboards.accounts import open_db
    from onionwatch.dashboards.cases import Cases

    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("ONIONWATCH_HOLDS_FILE", raising=False)
    assert holds().keys.listings == frozenset()  # no account database: none held, and none created
    assert not (tmp_path / "data" / "auth").exists()
    db = open_db()
    cases = Cases(db)
    held, open_case = cases.add("held"), cases.add("open")
    cases.file(held.id, "listing", "abyss:17", "", "", "sup")
    cases.file(held.id, "vendor", "kladmen:v-9", "", "", "sup")
    cases.file(open_case.id, "listing", "abyss:18", "", "", "sup")
    cases.hold(held.id, True)
    db.close()
    got = holds()
    assert got.keys.listings == frozenset({("abyss", "17")}) and got.keys.vendors == frozenset({("kladmen", "v-9")})
    assert got.case_for("listing", "abyss", "17") == f"case {held.id}"


def test_a_schedule_that_never_fires_is_a_config_error(tmp_path: Path) -> None:
    """"30 3 31 2 *" (31 February) parsed, then `schedule list` printed its next run (None) with a traceback."""
    from onionwatch.retention_config import RetentionError

    path = tmp_path / "retention.yaml"
    path.write_text("periods: {listings: 365}\nschedule: '30 3 31 2 *'\n", encoding="utf-8")
    with pytest.raises(RetentionError) as exc:
        load_retention(path)
    assert str(exc.value) == f"{path}: schedule: cron string '30 3 31 2 *' never fires (no such date)"
