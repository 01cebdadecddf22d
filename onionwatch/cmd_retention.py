"""`onionwatch retention apply`: delete what is past its retention period, except material on legal hold."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from onionwatch import jsonout


@click.group()
def retention() -> None:
    """Retention periods and legal hold (config/retention.yaml, holds file)."""


@retention.command("apply")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the run (summary and every entry) as JSON.")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--config", type=click.Path(path_type=Path), help="Retention file (default: config/retention.yaml).")
@click.option("--holds", "holds_path", type=click.Path(path_type=Path),
              help="Legal holds file (default: $ONIONWATCH_HOLDS_FILE, else <config dir>/holds.yaml).")
def apply(dry_run: bool, as_json: bool, store_url: str | None, config: Path | None, holds_path: Path | None) -> None:
    """Purge store, WARC archives, spool and reports past their periods; log each deletion."""
    from onionwatch.netguard import install_for_command

    install_for_command("retention apply", store_url)  # first: nothing may open a socket before the egress guard
    from onionwatch.indexer.store import open_store
    from onionwatch.retention import apply as run_apply
    from onionwatch.retention import deletion_log_path
    from onionwatch.retention_config import holds, load_retention
    from onionwatch.visible import terminal_safe

    policy = load_retention(config)  # config errors first: nothing is opened or deleted
    held = holds(holds_path)
    store = open_store(store_url, create=False)
    try:
        run = run_apply(policy, held, store, dry_run=dry_run)
    finally:
        store.close()
    if as_json:
        click.echo(jsonout.dumps(run.to_json(), indent=2))
    else:
        verb = "would" if dry_run else "did"
        for e in run.entries:
            click.echo(terminal_safe(f"{e['class']}: {e['action']}: {e['what']} ({e['why']})"))
        counts = "; ".join(f"{c}: " + ", ".join(f"{n} {a}" for a, n in sorted(v.items()))
                           for c, v in sorted(run.summary().items())) or "nothing past its period"  # fmt: skip
        click.echo(f"retention run {run.run} ({verb} apply, holds: {terminal_safe(held.source)}): {counts}")
        if not dry_run and run.entries:
            click.echo(f"deletion log: {deletion_log_path()}")
    for err in run.errors:
        click.echo(f"onionwatch: error: {terminal_safe(err)}", err=True)
    if run.errors:
        sys.exit(1)
