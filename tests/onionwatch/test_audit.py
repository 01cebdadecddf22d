"""onionwatch/audit.py: the hash chain, and `verify` naming every edited, deleted, inserted or reordered entry."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from onionwatch.audit import GENESIS, AuditLog, entry_hash
from onionwatch.errors import AuditError


def _log(tmp_path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path / "audit" / "audit.jsonl")
    for i in range(n):
        log.append(f"user{i % 2}", "search", f"query {i}", {"query": f"query {i}", "n": i})
    return log


def _lines(log: AuditLog) -> list[bytes]:
    return log.path.read_bytes().splitlines(keepends=True)


def _rewrite(log: AuditLog, lines: list[bytes]) -> None:
    log.path.write_bytes(b"".join(lines))


def test_chain_is_written_and_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    entries = list(log.entries())
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(entries, entries[1:], strict=False))
    assert all(entry_hash(e) == e["hash"] for e in entries)
    assert entries[2]["details"] == {"query": "query 2", "n": 2} and entries[2]["time"].endswith("Z")
    result = log.verify()
    assert result.ok and result.entries == 5 and result.head == entries[-1]["hash"]
    assert oct(log.path.stat().st_mode & 0o777) == "0o600"
    assert oct(log.path.parent.stat().st_mode & 0o777) == "0o700"


def test_edited_entry_is_named(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    lines[2] = lines[2].replace(b"query 2", b"query X")
    _rewrite(log, lines)
    assert log.verify().problems == ["seq 3: content edited (its hash does not match its fields)"]


def test_edited_and_rehashed_entry_breaks_the_next_link(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    entry = json.loads(lines[1])
    entry["actor"] = "someone-else"
    entry["hash"] = entry_hash(entry)
    lines[1] = json.dumps(entry).encode() + b"\n"
    _rewrite(log, lines)
    assert log.verify().problems == ["seq 3: prev_hash does not match the entry before it (inserted or replaced)"]


def test_deleted_entry_is_named(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    del lines[1]
    _rewrite(log, lines)
    assert log.verify().problems == ["seq 3: seq 2..2 missing before it (deleted)"]


def test_reordered_entries_are_named(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = _lines(log)
    lines[1], lines[2] = lines[2], lines[1]
    _rewrite(log, lines)
    problems = log.verify().problems
    assert problems[0] == "seq 3: seq 2..2 missing before it (deleted)"
    assert "seq 2: out of order or inserted (expected seq 4)" in problems


def test_inserted_entry_is_named(tmp_path: Path) -> None:
    log = _log(tmp_path, 3)
    lines = _lines(log)
    forged = {**json.loads(lines[1]), "target": "forged"}
    forged["hash"] = entry_hash(forged)
    lines.insert(2, json.dumps(forged).encode() + b"\n")
    _rewrite(log, lines)
    assert "seq 2: out of order or inserted (expected seq 3)" in log.verify().problems


def test_truncated_end_is_named_by_the_head_file(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _rewrite(log, _lines(log)[:3])
    assert log.verify().problems == [
        "seq 4..5: missing at the end (log ends at seq 3, audit.head records seq 5): truncated"]


def test_truncated_end_is_named_by_the_anchor_even_without_head_file(tmp_path: Path) -> None:
    log = _log(tmp_path)
    head = log.verify().head
    _rewrite(log, _lines(log)[:4])
    log.head_path.unlink()
    problems = log.verify(anchor=(5, head)).problems
    assert problems == ["seq 5..5: missing at the end (log ends at seq 4, the anchor records seq 5): truncated"]


def test_half_written_last_line_is_named_and_blocks_appends(tmp_path: Path) -> None:
    log = _log(tmp_path, 3)
    data = log.path.read_bytes()
    log.path.write_bytes(data[:-20])
    assert "line 3: truncated entry (no end of line)" in log.verify().problems
    with pytest.raises(AuditError, match="last entry is truncated"):
        log.append("u", "search")


def test_junk_line_is_named(tmp_path: Path) -> None:
    log = _log(tmp_path, 2)
    with log.path.open("ab") as f:
        f.write(b"\x00\xffnot json\n")
    assert log.verify().problems[0] == "line 3: not a JSON entry (damaged or edited)"


def test_unwritable_log_refuses(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(AuditError, match="cannot write .*action refused"):
        AuditLog(tmp_path / "file" / "audit.jsonl").append("u", "search", "q")


def test_hostile_strings_stay_one_line(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.jsonl")
    log.append("u\nv", "search", "q\n{\"seq\": 99}\r\u202e", {"x": "\x00\x1b[31m" * 1000})
    assert len(_lines(log)) == 1 and log.verify().ok


def _writer(path: str, who: str, n: int) -> None:
    log = AuditLog(Path(path))
    for i in range(n):
        log.append(who, "search", str(i))


def test_two_processes_never_fork_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit" / "audit.jsonl"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), who, 150)) for who in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    log = AuditLog(path)
    result = log.verify()
    assert result.ok, result.problems
    entries = list(log.entries())
    assert [e["seq"] for e in entries] == list(range(1, 301))
    assert sorted(e["actor"] for e in entries) == ["a"] * 150 + ["b"] * 150


def test_default_path_is_under_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path / "d"))
    from onionwatch.audit import record

    entry = record("search", "x", actor="alice")
    assert (tmp_path / "d" / "audit" / "audit.jsonl").exists() and entry["actor"] == "alice"
    assert os.stat(tmp_path / "d" / "audit" / "audit.head").st_mode & 0o077 == 0
