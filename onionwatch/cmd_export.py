"""`onionwatch export search|vendor|alerts|case ... --format F --out FILE`: audited exports (onionwatch/exports)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from onionwatch.errors import InputError
from onionwatch.exports.csv_format import LOCALES
from onionwatch.exports.output import FORMATS

STORE_HELP = "sqlite:///PATH or http://HOST:9200 (default: user data dir)."


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
                     help="csv (UTF-8 with BOM; a zip of CSVs for several tables), xlsx, misp, stix or maltego "
                          "(the last three: vendor identifiers, for a vendor or a case)."),
        click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
                     help="The file to write (atomically: nothing is left when the export fails)."),
        click.option("--csv-locale", type=click.Choice(LOCALES), default="en", show_default=True,
                     help="csv only: ru writes ';' between cells and decimal commas (Excel in a Russian locale)."),
        click.option("--store", "store_url", metavar="URL", help=STORE_HELP),
        click.option("--operator", help="Who exports, for the audit trail (default: the Unix user)."),
    ]):  # fmt: skip
        command = option(command)
    return command


def _write(kind: str, make: Callable[[Any], Any], fmt: str, out: Path, csv_locale: str, store_url: str | None,
           operator: str | None) -> None:  # fmt: skip
    from onionwatch.audit import AuditLog, current_operator
    from onionwatch.exports.output import check_format, export_to_file
    from onionwatch.indexer.store import open_store
    from onionwatch.visible import terminal_safe

    check_format(kind, fmt)  # before the store is asked anything
    if out.is_dir():
        raise InputError(f"--out {out}: is a directory")
    store = open_store(store_url, create=False)
    try:
        export = make(store)
        written = export_to_file(export, fmt, out, operator or current_operator(), AuditLog(), csv_locale)
    finally:
        store.close()
    shape = " (a zip: one CSV per table)" if fmt == "csv" and len(export.tables) > 1 else ""
    click.echo(f"{terminal_safe(str(out))}{shape}: {written.rows:,} row(s), {written.size:,} bytes, "
               f"sha256 {written.sha256}")
    if export.truncated:
        click.echo(f"onionwatch: warning: {terminal_safe(export.note())}", err=True)


@click.group()
def export() -> None:
    """Export a search, a vendor, the alert list or a case (CSV, XLSX, MISP, STIX 2.1, Maltego); audited."""


@export.command("search")
@click.argument("query", required=False, default="")
@click.option("--market", help="Only this market.")
@click.option("--vendor", help="Only this vendor name (case-insensitive).")
@click.option("--substance", help="Only listings mentioning this canonical substance.")
@click.option("--class", "substance_class", help="Only this substance class.")
@click.option("--min-price", type=click.FloatRange(min=0), help="Minimum price in USD (inclusive).")
@click.option("--max-price", type=click.FloatRange(min=0), help="Maximum price in USD (inclusive).")
@click.option("--since", help="Seen on or after this date (YYYY-MM-DD).")
@click.option("--until", help="First seen on or before this date (YYYY-MM-DD).")
@click.option("--status", type=click.Choice(["all", "live", "gone"]), default="all", show_default=True,
              help="Live listings, gone ones, or both.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=10_000, show_default=True,
              help="Export at most this many hits (the cap is said in the file when it cuts).")
@_common
def search_cmd(query: str, market: str | None, vendor: str | None, substance: str | None,
               substance_class: str | None, min_price: float | None, max_price: float | None, since: str | None,
               until: str | None, status: str, limit: int, **common: Any) -> None:  # fmt: skip
    """Every hit of a search (as `onionwatch search` takes it), up to --limit."""
    from onionwatch.exports.sources import search_export
    from onionwatch.indexer.query import bound_ts
    from onionwatch.indexer.store import SearchQuery

    for option, value in (("--min-price", min_price), ("--max-price", max_price)):
        if value is not None and not math.isfinite(value):
            raise InputError(f"{option}: expected a finite number")
    if min_price is not None and max_price is not None and min_price > max_price:
        raise InputError(f"--min-price {min_price:g} is above --max-price {max_price:g}")
    for name, bound, end in (("--since", since, False), ("--until", until, True)):
        if bound is not None:
            bound_ts(bound, end=end, field=name)
    q = SearchQuery(text=query, market=market, vendor=vendor, substance=substance, substance_class=substance_class,
                    price_min=min_price, price_max=max_price, since=since, until=until, status=status)  # fmt: skip
    _write("search", lambda store: search_export(store, q, limit), **common)


@export.command("vendor")
@click.argument("market")
@click.argument("vendor_id")
@_common
def vendor_cmd(market: str, vendor_id: str, **common: Any) -> None:
    """One vendor: profile, identifiers, listings, linked vendors (or its identifiers as MISP/STIX/Maltego)."""
    from onionwatch.exports.sources import vendor_export

    _write("vendor", lambda store: vendor_export(store, market, vendor_id), **common)


@export.command("alerts")
@click.option("--since", help="Only alerts created on or after this date (YYYY-MM-DD).")
@_common
def alerts_cmd(since: str | None, **common: Any) -> None:
    """The alert list, newest first, each with its listing's title, vendor and price."""
    from onionwatch.exports.sources import alerts_export
    from onionwatch.indexer.query import bound_ts

    if since is not None:
        bound_ts(since, end=False, field="--since")
    _write("alerts", lambda store: alerts_export(store, since), **common)


@export.command("case")
@click.argument("case_id", type=click.IntRange(min=1))
@_common
def case_cmd(case_id: int, **common: Any) -> None:
    """A case: its record, filed items, listings, vendors and saved searches (or its vendors' identifiers)."""
    from onionwatch.dashboards.accounts import Accounts
    from onionwatch.dashboards.cases import Cases
    from onionwatch.exports.sources import case_export

    accounts = Accounts()
    _write("case", lambda store: case_export(store, Cases(accounts.db), case_id), **common)
