"""`onionwatch watch`: stored queries evaluated on every ingest batch, and the alerts they raised."""

from __future__ import annotations

import click

from onionwatch import jsonout

OPERATOR = click.option("--operator", help="Who acts, for the audit trail (default: the Unix user).")


@click.group()
def watch() -> None:
    """Watchlists: substances, classes, vendors, PGP fingerprints, keywords or prices to be alerted on."""


@watch.command("add")
@click.argument("name")
@click.option("--substance", help="Canonical substance, e.g. isotonitazene.")
@click.option("--class", "substance_class", help="Substance class, e.g. nitazene.")
@click.option("--vendor", help="Vendor name (case-insensitive).")
@click.option("--pgp", "pgp_fingerprint", help="Vendor PGP fingerprint (40 hex).")
@click.option("--keyword", help="A word that must appear in the title or description.")
@click.option("--price-below", "price_below_usd", type=float, help="Price in USD strictly below this.")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@OPERATOR
def add(name: str, store_url: str | None, operator: str | None, **criteria: object) -> None:
    """Store a watch NAME; every later ingest batch is matched against it (all criteria must hold)."""
    from onionwatch.audit import record
    from onionwatch.indexer.query import QueryError
    from onionwatch.indexer.store import open_store

    definition = {"name": name, **{k: v for k, v in criteria.items() if v is not None}}
    store = open_store(store_url)
    try:
        record("watch.add", name, {"definition": definition}, actor=operator)
        watch_id = store.add_watch(definition)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        store.close()
    click.echo(f"watch {watch_id} added: {jsonout.dumps(definition)}")


@watch.command("alerts")
@click.option("--since", help="Only alerts raised at or after this date/time (ISO 8601).")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@OPERATOR
def alerts(since: str | None, store_url: str | None, as_json: bool, operator: str | None) -> None:
    """List the alerts raised by watches."""
    from onionwatch.audit import record
    from onionwatch.cmd_search import terminal_safe
    from onionwatch.indexer.query import QueryError
    from onionwatch.indexer.store import open_store

    store = open_store(store_url, create=False)
    try:
        record("alerts.view", "", {"since": since, "json": as_json}, actor=operator)
        rows = store.alerts(since)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        store.close()
    for row in rows:
        if as_json:
            click.echo(jsonout.dumps(row))
        else:
            click.echo(f"{terminal_safe(row['created_at'])}  {terminal_safe(row['watch_name']):<20} "
                       f"{terminal_safe(row['market'])}:{terminal_safe(row['listing_id'])}")
