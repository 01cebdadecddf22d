"""`onionwatch watch`: stored queries evaluated on every ingest batch, the alerts they raise, their delivery."""

from __future__ import annotations

from typing import Any

import click

from onionwatch import jsonout

OPERATOR = click.option("--operator", help="Who acts, for the audit trail (default: the Unix user).")
STORE = click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
FIELDS = ("substance", "substance_class", "vendor", "pgp_fingerprint", "keyword", "price_below_usd", "market",
          "price_change_pct")


def criteria(f: Any) -> Any:
    """The criteria options shared by add and edit."""
    options = [
        click.option("--substance", help="Substance in any name, slang or language (мефедрон, 4-MMC, mephedrone)."),
        click.option("--class", "substance_class", help="Substance class, e.g. nitazene, cathinone."),
        click.option("--vendor", help="Vendor name (case-insensitive)."),
        click.option("--pgp", "pgp_fingerprint", help="Vendor PGP fingerprint: 40 hex digits, spaces allowed."),
        click.option("--keyword", help="Text that must appear in the title or description."),
        click.option("--price-below", "price_below_usd", type=float, help="Price in USD strictly below this."),
        click.option("--market", help="Only listings of this market."),
        click.option("--price-change", "price_change_pct", type=float,
                     help="Alert when a matched listing's price moves by this many percent (default 10)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _open(store_url: str | None, *, create: bool = True) -> Any:
    from onionwatch.indexer.store import open_store
    from onionwatch.netguard import install_for_command

    install_for_command("watch", store_url)  # first: nothing may open a socket before the egress guard
    return open_store(store_url, create=create)


def _resolve(store: Any, ref: str) -> dict[str, Any]:
    """A watch by id or by name (case-insensitive)."""
    from onionwatch.errors import QueryError

    rows = store.watches()
    for w in rows:
        if w["id"] == ref:
            return w  # type: ignore[no-any-return]
    hits = [w for w in rows if w["name"].casefold() == ref.strip().casefold()]
    if not hits:
        raise QueryError(f"watch: no watch {ref[:60]!r} (see `onionwatch watch list`)")
    return hits[0]  # type: ignore[no-any-return]


def _show(definition: dict[str, Any]) -> str:
    return jsonout.dumps({k: v for k, v in definition.items() if k != "name"})


@click.group()
def watch() -> None:
    """Watchlists: substances, classes, vendors, PGP fingerprints, keywords, prices or markets to be alerted on."""


@watch.command("add")
@click.argument("name")
@criteria
@STORE
@OPERATOR
def add(name: str, store_url: str | None, operator: str | None, **values: Any) -> None:
    """Store a watch NAME. It alerts on new listings matching ALL its criteria and on price changes of
    matched listings beyond --price-change percent; never on re-sightings of unchanged listings."""
    from onionwatch.audit import record
    from onionwatch.watch_input import known_markets, normalise

    store = _open(store_url)
    try:
        definition = normalise({"name": name, **values}, known_markets(store) if values.get("market") else ())
        record("watch.add", name, {"definition": definition}, actor=operator)
        watch_id = store.add_watch(definition)
        stored = next(w for w in store.watches() if w["id"] == watch_id)
    finally:
        store.close()
    click.echo(f"watch {watch_id} added: {stored['name']} {_show(stored['definition'])}")


@watch.command("list")
@STORE
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_(store_url: str | None, as_json: bool) -> None:
    """List the watches with their alert counts (all / unacknowledged)."""
    from onionwatch.cmd_search import terminal_safe

    store = _open(store_url, create=False)
    try:
        rows = store.watches()
    finally:
        store.close()
    for w in rows:
        if as_json:
            click.echo(jsonout.dumps(w))
        else:
            click.echo(f"{w['id']:>4}  {terminal_safe(w['name']):<24} alerts {w['alerts']:>5} "
                       f"(unacked {w['unacked']:>4})  {terminal_safe(_show(w['definition']))}")
    if not rows and not as_json:
        click.echo("no watches (add one with `onionwatch watch add`)")


@watch.command("edit")
@click.argument("ref", metavar="ID_OR_NAME")
@click.option("--name", "new_name", help="A new name.")
@criteria
@click.option("--clear", "clear", multiple=True, type=click.Choice(FIELDS),
              help="Drop a criterion (repeatable).")
@STORE
@OPERATOR
def edit(ref: str, new_name: str | None, clear: tuple[str, ...], store_url: str | None, operator: str | None,
         **values: Any) -> None:
    """Change a watch: given criteria replace its own, --clear drops some; its alerts stay."""
    from onionwatch.audit import record
    from onionwatch.watch_input import known_markets, normalise

    store = _open(store_url, create=False)
    try:
        cur = _resolve(store, ref)
        merged = {k: v for k, v in cur["definition"].items() if k not in clear}
        merged.update({k: v for k, v in values.items() if v is not None})
        if new_name:
            merged["name"] = new_name
        markets = known_markets(store) if values.get("market") else [str(merged.get("market", ""))]
        definition = normalise(merged, markets)
        record("watch.edit", cur["name"], {"id": cur["id"], "definition": definition}, actor=operator)
        store.update_watch(cur["id"], definition)
    finally:
        store.close()
    click.echo(f"watch {cur['id']} changed: {definition['name']} {_show(definition)}")


@watch.command("remove")
@click.argument("ref", metavar="ID_OR_NAME")
@STORE
@OPERATOR
def remove(ref: str, store_url: str | None, operator: str | None) -> None:
    """Delete a watch and its alerts."""
    from onionwatch.audit import record

    store = _open(store_url, create=False)
    try:
        cur = _resolve(store, ref)
        record("watch.remove", cur["name"], {"id": cur["id"], "definition": cur["definition"]}, actor=operator)
        store.remove_watch(cur["id"])
    finally:
        store.close()
    click.echo(f"watch {cur['id']} removed: {cur['name']} ({cur['alerts']} alert(s) with it)")


@watch.command("alerts")
@click.option("--since", help="Only alerts raised at or after this date/time (ISO 8601).")
@click.option("--unacked", is_flag=True, help="Only alerts nobody has acknowledged.")
@click.option("--watch", "watch_ref", help="Only the alerts of this watch (id or name).")
@STORE
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@OPERATOR
def alerts(since: str | None, unacked: bool, watch_ref: str | None, store_url: str | None, as_json: bool,
           operator: str | None) -> None:
    """List the alerts raised by watches, oldest first: listing, market, vendor, price (old → new)."""
    from onionwatch.audit import record
    from onionwatch.cmd_search import terminal_safe
    from onionwatch.notify.render import kind_label, price_text

    store = _open(store_url, create=False)
    try:
        watch_id = _resolve(store, watch_ref)["id"] if watch_ref else None
        record("alerts.view", "", {"since": since, "json": as_json, "unacked": unacked, "watch": watch_id},
               actor=operator)
        rows = store.alerts(since, unacked=unacked, watch_id=watch_id)
    finally:
        store.close()
    for row in rows:
        if as_json:
            click.echo(jsonout.dumps(row))
            continue
        ack = f"acked {row['acked_by']}" if row["acked_at"] else "open"
        click.echo(
            f"{row['id']:>5}  {terminal_safe(row['created_at'])}  {terminal_safe(row['watch_name']):<20} "
            f"{kind_label(row):<12} {terminal_safe(row['market'])}:{terminal_safe(row['listing_id'])}  "
            f"{terminal_safe(row['title'])[:60]}  {terminal_safe(row['vendor'])}  {price_text(row)}  {ack}"
        )


@watch.command("ack")
@click.argument("alert_ids", nargs=-1)
@click.option("--all", "all_open", is_flag=True, help="Every unacknowledged alert (of --watch, when given).")
@click.option("--watch", "watch_ref", help="With --all: only this watch's alerts.")
@STORE
@OPERATOR
def ack(alert_ids: tuple[str, ...], all_open: bool, watch_ref: str | None, store_url: str | None,
        operator: str | None) -> None:
    """Acknowledge alerts by id (or --all): who and when are kept and audited."""
    from onionwatch.audit import current_operator, record

    if not alert_ids and not all_open:
        raise click.UsageError("give alert ids or --all")
    store = _open(store_url, create=False)
    try:
        ids = list(alert_ids)
        if all_open:
            watch_id = _resolve(store, watch_ref)["id"] if watch_ref else None
            ids += [a["id"] for a in store.alerts(unacked=True, watch_id=watch_id)]
        actor = operator or current_operator()
        record("alerts.ack", "", {"ids": ids}, actor=actor)
        n = store.acknowledge_alerts(ids, actor) if ids else 0
    finally:
        store.close()
    click.echo(f"{n} alert(s) acknowledged by {actor}" + (f"; {len(ids) - n} already were" if len(ids) > n else ""))


@watch.command("digest")
@click.option("--since", help="Only alerts raised at or after this date/time (default: all not yet digested).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="notify.yaml (default: $ONIONWATCH_NOTIFY_CONFIG, else notify.yaml in the user config dir).")
@STORE
@OPERATOR
def digest(since: str | None, config_path: str | None, store_url: str | None, operator: str | None) -> None:
    """Mail one digest of every unacknowledged alert since the last digest, and mark them sent.

    Running it again sends nothing new; exits non-zero when the mail could not be sent (nothing marked)."""
    from onionwatch import notify
    from onionwatch.audit import record
    from onionwatch.notify.config import load
    from onionwatch.notify.digest import send_digest

    store = _open(store_url, create=False)
    try:
        cfg = load(config_path, required=True)
        assert cfg is not None
        notify.allow_egress(cfg)
        result = send_digest(store, cfg, since)
        if result.alerts:
            record("alerts.digest", "", {"alerts": result.alerts, "to": list(cfg.recipients())}, actor=operator)
    finally:
        store.close()
    if result.alerts:
        click.echo(f"digest sent: {result.alerts} alert(s) to {', '.join(cfg.recipients())}")
    else:
        click.echo("no new unacknowledged alerts since the last digest: nothing sent")


@watch.command("notify")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="notify.yaml (default as digest).")
@STORE
def notify_(config_path: str | None, store_url: str | None) -> None:
    """Send the alerts of the last day not yet notified (what a crawl does after each batch) now."""
    from onionwatch import notify
    from onionwatch.notify.config import load
    from onionwatch.notify.digest import send_immediate

    store = _open(store_url, create=False)
    try:
        cfg = load(config_path, required=True)
        assert cfg is not None
        notify.allow_egress(cfg)
        result = send_immediate(store, cfg)
    finally:
        store.close()
    click.echo(f"{result.alerts} alert(s) delivered ({result.mails} mail(s), {result.webhooks} webhook post(s))")
