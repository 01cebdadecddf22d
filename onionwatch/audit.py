"""An append-only, hash-chained audit trail: who searched, viewed, exported or changed what, and when.

One JSON object per line in ``<data dir>/audit/audit.jsonl`` (0600 in a 0700 directory)::

    {"seq", "time" (UTC), "actor", "action", "target", "details", "prev_hash", "hash"}

``hash`` is the SHA-256 (hex) of the canonical JSON (sorted keys, no spaces, UTF-8) of the entry without
``hash``; ``prev_hash`` is the previous entry's ``hash`` (64 zeros for seq 1). Appends hold an exclusive
``fcntl`` lock on the log, so concurrent processes never fork the chain, and are fsynced. ``audit.head``
beside it records the last seq and hash (written under the same lock), so cutting entries off the end is
detected too; a supervisor can also write the head hash down and pass it back (``verify(anchor=...)``).
A failed write raises AuditError: callers refuse the audited action (fail closed).

The actor is a plain string: the Unix user (``--operator``) on the command line, the authenticated user
for the dashboard (``environ["onionwatch.user"]``, set by a login layer).
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onionwatch.errors import AuditError
from onionwatch.paths import data_dir

GENESIS = "0" * 64
FIELDS = ("seq", "time", "actor", "action", "target", "details", "prev_hash", "hash")


def default_path() -> Path:
    return data_dir() / "audit" / "audit.jsonl"


def current_operator() -> str:
    """The Unix user name (the default actor on the command line)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


@dataclass
class Verification:
    entries: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class AuditLog:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.head_path = self.path.with_suffix(".head")

    # --- writing ------------------------------------------------------------------------------------------

    def append(self, actor: str, action: str, target: str = "", details: dict[str, Any] | None = None) -> dict:
        """Append one entry (locked, fsynced) and return it; AuditError when it cannot be written."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise AuditError(f"audit trail {self.path}: cannot write ({exc.strerror or exc}); action refused") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            last = _last_entry(fd, self.path)
            entry: dict[str, Any] = {
                "seq": (last["seq"] + 1) if last else 1,
                "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "actor": str(actor),
                "action": str(action),
                "target": str(target),
                "details": details or {},
                "prev_hash": last["hash"] if last else GENESIS,
            }
            entry["hash"] = entry_hash(entry)
            _write_all(fd, canonical(entry) + b"\n")
            os.fsync(fd)
            self._write_head(entry)
            return entry
        except OSError as exc:
            raise AuditError(f"audit trail {self.path}: cannot write ({exc.strerror or exc}); action refused") from None
        except (TypeError, ValueError) as exc:
            raise AuditError(f"audit trail {self.path}: {exc}; action refused") from None
        finally:
            os.close(fd)  # releases the lock

    def _write_head(self, entry: dict[str, Any]) -> None:
        tmp = self.head_path.with_suffix(".head.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _write_all(fd, f"{entry['seq']} {entry['hash']}\n".encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.head_path)

    # --- reading ------------------------------------------------------------------------------------------

    def lines(self) -> Iterator[tuple[int, bytes]]:
        if not self.path.exists():
            return
        try:
            with self.path.open("rb") as f:
                yield from enumerate(f, 1)
        except OSError as exc:
            raise AuditError(f"audit trail {self.path}: cannot read ({exc.strerror or exc})") from None

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every parseable entry in file order (verify() says whether they can be trusted)."""
        for _, line in self.lines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                yield entry

    def verify(self, anchor: tuple[int, str] | None = None) -> Verification:
        """Walk the chain; every problem names the seq (or line) and what is wrong."""
        result = Verification()
        expected_seq, prev = 1, GENESIS
        for number, line in self.lines():
            problem, entry = _check_line(number, line, expected_seq, prev)
            if problem:
                result.problems.append(problem)
            if entry is None:
                continue
            result.entries += 1
            expected_seq, prev = entry["seq"] + 1, entry["hash"]
            if anchor and entry["seq"] == anchor[0] and entry["hash"] != anchor[1]:
                result.problems.append(f"seq {anchor[0]}: hash differs from the anchor written down ({anchor[1]})")
        result.head = prev
        last_seq = expected_seq - 1
        for label, mark in (("audit.head", self._read_head()), ("the anchor", anchor)):
            if mark and mark[0] > last_seq:
                result.problems.append(f"seq {last_seq + 1}..{mark[0]}: missing at the end (log ends at seq "
                                       f"{last_seq}, {label} records seq {mark[0]}): truncated")
            elif mark and label == "audit.head" and mark[0] == last_seq and mark[1] != prev:
                result.problems.append(f"seq {last_seq}: hash differs from audit.head (last entry replaced)")
        return result

    def _read_head(self) -> tuple[int, str] | None:
        try:
            seq, digest = self.head_path.read_text(encoding="ascii").split()
            return int(seq), digest
        except FileNotFoundError:
            return None
        except (OSError, ValueError, UnicodeDecodeError):
            return (1 << 62, "unreadable")


def _check_line(number: int, line: bytes, expected_seq: int, prev: str) -> tuple[str | None, dict | None]:
    if not line.endswith(b"\n"):
        return f"line {number}: truncated entry (no end of line)", None
    try:
        entry = json.loads(line)
    except ValueError:
        return f"line {number}: not a JSON entry (damaged or edited)", None
    if not isinstance(entry, dict) or set(entry) != set(FIELDS) or not isinstance(entry.get("seq"), int) \
            or not isinstance(entry.get("hash"), str):
        return f"line {number}: not an audit entry (fields {sorted(entry) if isinstance(entry, dict) else '?'})", None
    seq = entry["seq"]
    if entry_hash(entry) != entry["hash"]:
        return f"seq {seq}: content edited (its hash does not match its fields)", entry
    if seq == expected_seq and entry["prev_hash"] != prev:
        return f"seq {seq}: prev_hash does not match the entry before it (inserted or replaced)", entry
    if seq > expected_seq:
        return f"seq {seq}: seq {expected_seq}..{seq - 1} missing before it (deleted)", entry
    if seq < expected_seq:
        return f"seq {seq}: out of order or inserted (expected seq {expected_seq})", entry
    return None, entry


def _last_entry(fd: int, path: Path) -> dict[str, Any] | None:
    """The last entry of the locked log; AuditError when the tail is damaged (never chain onto junk)."""
    size = os.lseek(fd, 0, os.SEEK_END)
    if size == 0:
        return None
    chunk = 4096
    while True:
        start = max(0, size - chunk)
        data = os.pread(fd, size - start, start)
        if not data.endswith(b"\n"):
            raise AuditError(f"audit trail {path}: last entry is truncated; run `onionwatch audit verify`; "
                             "action refused")
        body = data[:-1]
        cut = body.rfind(b"\n")
        if cut >= 0 or start == 0:
            try:
                entry = json.loads(body[cut + 1:])
                int(entry["seq"]), str(entry["hash"])
                return dict(entry)
            except (ValueError, KeyError, TypeError):
                raise AuditError(f"audit trail {path}: last entry is damaged; run `onionwatch audit verify`; "
                                 "action refused") from None
        chunk *= 4


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def record(action: str, target: str = "", details: dict[str, Any] | None = None, *, actor: str | None = None,
           log: AuditLog | None = None) -> dict[str, Any]:
    """Append one entry for ``actor`` (default: the Unix user) to the default log; AuditError refuses."""
    return (log or AuditLog()).append(actor or current_operator(), action, target, details)
