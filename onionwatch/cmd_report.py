"""`onionwatch report`: the emerging-substances report now, or every scheduled report job on its cron."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import click

from onionwatch.errors import StoreError


def _fail(message: str, code: int = 2) -> NoReturn:
    from onionwatch.cmd_search import terminal_safe

    click.echo(f"onionwatch: error: {terminal_safe(message)}", err=True)
    sys.exit(code)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _fail(f"{option}: expected a date YYYY-MM-DD, got {value!r:.60}")


@click.group()
def report() -> None:
    """Reports for managers: emerging substances, growth, prices per gram, vendors, cross-market links."""


@report.command("emerging")
@click.option("--since", required=True, help="First day of the period (YYYY-MM-DD, UTC).")
@click.option("--until", help="Day after the period (exclusive, YYYY-MM-DD); default: tomorrow (through today).")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), help="Output folder (default: <data dir>/reports/emerging)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report data as JSON.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF (printed by headless Chromium).")
@click.option("--operator", help="Who runs the report, for the audit trail (default: the Unix user).")
def emerging(since: str, until: str | None, store_url: str | None, out_dir: Path | None, as_json: bool,
             no_pdf: bool, operator: str | None) -> None:  # fmt: skip
    """Write the emerging-substances report for [--since, --until) as HTML, PDF, JSON, XLSX and one CSV per
    table; files are named <first day>_<last day inclusive>."""
    from onionwatch.audit import record
    from onionwatch.indexer.store import open_store
    from onionwatch.reports.emerging import gather
    from onionwatch.reports.jobs import default_out_dir, write_report
    from onionwatch.reports.output import ReportOutputError, prepare_dir
    from onionwatch.reports.period import Period, PeriodError
    from onionwatch.reports.render import render_json

    start = _date(since, "--since")
    end = _date(until, "--until") or datetime.now(UTC).date() + timedelta(days=1)
    assert start is not None
    try:
        period = Period(start, end)
    except PeriodError as exc:
        _fail(f"--{exc}")
    out = out_dir or default_out_dir("emerging")
    try:
        prepare_dir(out)
    except ReportOutputError as exc:
        _fail(f"--out: {exc}")
    generated_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    record(
        "report.run",
        "emerging",
        {"since": str(period.start), "until": str(period.end), "out": str(out)},
        actor=operator,
    )
    try:
        store = open_store(store_url, create=False)
        try:
            data = gather(store, period, generated_at)
        finally:
            store.close()
        files = write_report(data, out, period, pdf=not no_pdf)
    except StoreError as exc:
        _fail(f"--store: {exc}", 1)
    except ReportOutputError as exc:
        _fail(f"--out: {exc}", 1)
    if as_json:
        click.echo(render_json(data), nl=False)
        return
    s = data["summary"]
    from onionwatch.cmd_search import terminal_safe

    flagged = [terminal_safe(name) for name in data["signals"]["emerging"]]
    verdict = "no baseline yet" if data["signals"]["status"] == "no_baseline" else \
        f"emerging: {', '.join(flagged)}" if flagged else "nothing emerging"  # fmt: skip
    click.echo(
        f"{period.start} to {period.last_day} inclusive: {verdict}; {s['new_substances']} new substances"
        f" ({s['new_candidates']} unknown candidates), {s['listings']} {data['listing_unit']}"
        f" (previous {s['listings_prev']}), {s['active_vendors']} active vendors, {s['new_links']} new links"
    )
    for path in files:
        click.echo(f"  {path}")


def _load(config: Path | None) -> list:
    from onionwatch.reports.config import ScheduleError, load_schedule

    try:
        return load_schedule(config)
    except ScheduleError as exc:
        _fail(str(exc))


_CONFIG = click.option(
    "--config", type=click.Path(path_type=Path), help="Schedule file (default: config/schedule.yaml)."
)


def _describe(spec: Any) -> str:
    nxt = spec.trigger().get_next_fire_time(None, datetime.now(UTC))
    return (
        f"{spec.name}: {spec.report} report for the last {spec.period} at {spec.cron!r}, next {nxt:%Y-%m-%d %H:%M} UTC"
    )


@report.command("validate")
@_CONFIG
def validate(config: Path | None) -> None:
    """Check the schedule file: every problem as `file: field: problem`."""
    specs = _load(config)
    for spec in specs:
        click.echo(_describe(spec))
    click.echo(f"{len(specs)} job(s) OK")


@report.command("schedule")
@_CONFIG
@click.option("--once", is_flag=True, help="Run every job now for its last complete period, then exit.")
@click.option("--no-retention", is_flag=True, help="Do not also run `retention apply` on its daily schedule.")
@click.option(
    "--retention-config", type=click.Path(path_type=Path), help="Retention file (default: config/retention.yaml)."
)
def schedule(config: Path | None, once: bool, no_retention: bool, retention_config: Path | None) -> None:
    """Run the scheduled report jobs on their cron strings (UTC) until interrupted; and retention daily."""
    from onionwatch.netguard import allow_stores, install_for_command

    install_for_command("report schedule")  # first: nothing may open a socket before the egress guard
    from onionwatch.reports.output import ReportOutputError
    from onionwatch.reports.schedule import build_scheduler, run_once

    specs = _load(config)
    allow_stores(spec.store for spec in specs)
    if once:
        try:
            done = run_once(specs)
        except (StoreError, ReportOutputError) as exc:
            _fail(str(exc), 1)
        for name, files in done.items():
            click.echo(f"{name}: " + ", ".join(str(f) for f in files))
        return
    scheduler = build_scheduler(specs)
    for spec in specs:
        click.echo(f"scheduled {_describe(spec)}")
    if not no_retention:
        from onionwatch.reports.schedule import add_retention
        from onionwatch.retention_config import load_retention

        policy = load_retention(retention_config)  # RetentionError: one line, before anything runs
        if add_retention(scheduler, policy.schedule, retention_config):
            click.echo(f"scheduled retention apply at {policy.schedule!r} (UTC), policy {policy.source}")
    click.echo("running; Ctrl-C to stop")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
