"""`onionwatch audit verify|show|export`: check, read and hand over the hash-chained audit trail."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from onionwatch import jsonout
from onionwatch.errors import AuditError, InputError

_LOG = click.option("--log", "log_path", type=click.Path(path_type=Path),
                    help="Audit log file (default: <data dir>/audit/audit.jsonl).")  # fmt: skip


def _open(log_path: Path | None) -> Any:
    from onionwatch.audit import AuditLog

    return AuditLog(log_path)


@click.group()
def audit() -> None:
    """The audit trail: every search, page view, export, report run and watch change, hash-chained."""


@audit.command("verify")
@_LOG
@click.option("--anchor", metavar="SEQ:HASH", help="A head written down earlier; its entry must still match.")
def verify(log_path: Path | None, anchor: str | None) -> None:
    """Check the chain; name every edited, deleted, inserted, reordered or truncated entry (exit 1)."""
    from onionwatch.cmd_search import terminal_safe

    mark = None
    if anchor:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise InputError(f"--anchor: expected SEQ:HASH (64 hex), got {anchor!r:.80}")
        mark = (int(seq), digest.lower())
    log = _open(log_path)
    result = log.verify(mark)
    for problem in result.problems:
        click.echo(f"audit: {terminal_safe(problem)}", err=True)
    if not result.ok:
        click.echo(f"onionwatch: error: {log.path}: audit trail damaged ({len(result.problems)} problem(s))",
                   err=True)
        sys.exit(1)
    click.echo(f"{log.path}: {result.entries} entries, chain intact; head seq {result.entries} {result.head}")


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--since: expected YYYY-MM-DD or an ISO date-time, got {value!r:.60}") from None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@audit.command("show")
@_LOG
@click.option("--action", help="Only this action (search, view.listing, evidence.export, ...).")
@click.option("--actor", help="Only this actor (operator / user name).")
@click.option("--since", help="Only entries at or after this UTC date/time (ISO 8601).")
@click.option("--json", "as_json", is_flag=True, help="One JSON entry per line.")
def show(log_path: Path | None, action: str | None, actor: str | None, since: str | None, as_json: bool) -> None:
    """List audit entries (oldest first); scraped or typed text is shown terminal-safe."""
    from onionwatch.cmd_search import terminal_safe

    start = _since(since)
    for e in _open(log_path).entries():
        if (action and e.get("action") != action) or (actor and e.get("actor") != actor):
            continue
        if start and str(e.get("time", "")) < start:
            continue
        if as_json:
            click.echo(jsonout.dumps(e))
        else:
            details = jsonout.dumps(e.get("details"), sort_keys=True)
            click.echo(" ".join(terminal_safe(x) for x in (e.get("seq"), e.get("time"), e.get("actor"),
                                                            e.get("action"), e.get("target") or "-", details)))


@audit.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@_LOG
def export(out: Path, log_path: Path | None) -> None:
    """Copy the audit log to OUT (0600, never over an existing file), verified first; audited too."""
    from onionwatch.audit import current_operator

    log = _open(log_path)
    result = log.verify()
    if not result.ok:
        raise AuditError(f"{log.path}: audit trail damaged ({result.problems[0]}); run `onionwatch audit verify`")
    log.append(current_operator(), "audit.export", str(out), {"entries": result.entries, "head": result.head})
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise AuditError(f"{out}: cannot write ({exc.strerror or exc})") from None
    with os.fdopen(fd, "wb") as f:
        for _, line in log.lines():
            f.write(line)
    click.echo(f"{out}: {result.entries + 1} entries")
