"""`retention apply`: purge the store, WARC archives, spool and reports past their periods, together, and log it.

Every deletion (and every item kept only because of a legal hold) is one JSON line in the deletion log
(<data dir>/retention/deletions.jsonl, 0600): when, by whom, what, why. A dry run answers the same and
changes nothing, the log included. A file that cannot be deleted is reported and makes the run fail.
"""

from __future__ import annotations

import getpass
import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onionwatch.indexer.store import PurgeRules, Store
from onionwatch.paths import data_dir
from onionwatch.private import open_private, private_dir, redact_url
from onionwatch.retention_config import Holds, Retention
from onionwatch.retention_files import (
    HeldMaterial,
    archive_hold,
    archive_root,
    expired,
    held_material,
    report_hold,
    report_roots,
    spool_hold,
)


def deletion_log_path() -> Path:
    return data_dir() / "retention" / "deletions.jsonl"


def operator() -> str:
    """Who runs this: $ONIONWATCH_OPERATOR (the analyst's name), else the Unix user."""
    return os.environ.get("ONIONWATCH_OPERATOR") or getpass.getuser()


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RetentionRun:
    run: str
    at: str
    by: str
    dry_run: bool
    entries: list[dict[str, Any]] = field(default_factory=list)  # one per deleted / nulled / kept item
    errors: list[str] = field(default_factory=list)

    def add(self, data_class: str, action: str, what: str, why: str) -> None:
        self.entries.append({"at": self.at, "by": self.by, "run": self.run, "class": data_class,
                             "action": action, "what": what, "why": why})  # fmt: skip

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for e in self.entries:
            counts = out.setdefault(e["class"], {})
            counts[e["action"]] = counts.get(e["action"], 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {"run": self.run, "at": self.at, "by": self.by, "dry_run": self.dry_run, "summary": self.summary(),
                "entries": self.entries, "errors": self.errors}  # fmt: skip


def apply(retention: Retention, holds: Holds, store: Store, *, dry_run: bool = False, now: datetime | None = None,
          by: str | None = None, log_path: Path | None = None, report_dirs: list[Path] | None = None) -> RetentionRun:
    """Purge everything past its period except held material; append the entries to the deletion log."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    run = RetentionRun(run=uuid.uuid4().hex[:12], at=_iso(now), by=by or operator(), dry_run=dry_run)
    log = log_path or deletion_log_path()
    if not dry_run:  # AuditError refuses the run before anything is deleted (onionwatch/audit.py)
        from onionwatch.audit import record

        record("retention.run", run.run, {"holds": holds.source, "log": str(log)}, actor=run.by)
    held = held_material(store, holds.keys)
    _store(run, retention, holds, store, now, dry_run)
    logged = len(run.entries)
    if not dry_run:  # the store's part is logged as soon as it is done
        write_log(log, run.entries)
    roots = {"archives": [archive_root()], "spool": [data_dir() / "spool"],
             "reports": report_dirs or report_roots()}  # fmt: skip
    for data_class, dirs in roots.items():
        cutoff = retention.cutoff(data_class, now)
        if cutoff is None:
            continue
        for root in dirs:
            _files(run, data_class, root, cutoff, held, dry_run)
    if not dry_run:
        write_log(log, run.entries[logged:])
    return run


def _store(run: RetentionRun, retention: Retention, holds: Holds, store: Store, now: datetime, dry_run: bool) -> None:
    listings, vendors = retention.cutoff("listings", now), retention.cutoff("vendor_personal", now)
    rules = PurgeRules(listings_before=_iso(listings) if listings else None,
                       vendor_personal_before=_iso(vendors) if vendors else None, held=holds.keys)  # fmt: skip
    result = store.purge(rules, dry_run=dry_run)
    where = redact_url(store.url)
    for item in result.listings:
        run.add("listings", "deleted", f"listing {item['market']}:{item['listing_id']} in {where}",
                f"last seen {item['last_seen']}, over {retention.periods['listings']} days ago; "
                f"with {item['observations']} observation(s) and its alerts")
    for item in result.vendors:
        run.add("vendor_personal", "nulled", f"vendor {item['market']}:{item['vendor_id']} in {where}: "
                + ", ".join(item["fields"]),
                f"last seen {item['last_seen']}, over {retention.periods['vendor_personal']} days ago; "
                "the vendor row stays")
    for item in result.held:
        data_class = "listings" if item["kind"] == "listing" else "vendor_personal"
        case = holds.case_for(item["kind"], item["market"], item["id"])
        run.add(data_class, "kept", f"{item['kind']} {item['market']}:{item['id']} in {where}",
                f"past retention (last seen {item['last_seen']}) but on legal hold: {case}")


def _files(run: RetentionRun, data_class: str, root: Path, cutoff: datetime, held: HeldMaterial,
           dry_run: bool) -> None:
    period = f"older than {_iso(cutoff)}"
    for path, when in expired(data_class, root, cutoff):
        if data_class == "archives":
            reason = archive_hold(path, root, held)
        elif data_class == "spool":
            reason = spool_hold(path, held)
        else:
            reason = report_hold(path, held)
        if reason:
            run.add(data_class, "kept", str(path), f"{_iso(when)}, {period}, but kept: {reason}")
            continue
        if not dry_run:
            try:
                path.unlink()
            except OSError as exc:
                run.errors.append(f"{path}: cannot delete ({exc.strerror or exc})")
                continue
        run.add(data_class, "deleted", str(path), f"from {_iso(when)}, {period}")


def write_log(path: Path, entries: list[dict[str, Any]]) -> None:
    """Append entries as JSON lines to a 0600 file in a 0700 directory, fsynced."""
    if not entries:
        return
    private_dir(path.parent)
    fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
