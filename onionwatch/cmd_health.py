"""`onionwatch markets health [NAME]`: probe every mirror, record its health in the store, show the series."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import click

from onionwatch import jsonout
from onionwatch.errors import MarketDefinitionError


def _window(value: str) -> float:
    from onionwatch.crawler.limits import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("health")
@click.argument("name", required=False)
@click.option("--transport", type=click.Choice(["tor", "direct"]), default="tor", show_default=True,
              help="direct: only clearnet markets and loopback testbed mirrors (the crawl's rule)")
@click.option("--mirror", "mirrors", multiple=True, metavar="URL",
              help="probe these mirrors of NAME instead (repeatable; e.g. local testbeds)")
@click.option("--timeout", type=click.FloatRange(1, 300), default=30.0, show_default=True,
              help="seconds to connect, and again to read")
@click.option("--window", default="7d", show_default=True, help="summarise the samples of this long ago on")
@click.option("--no-probe", is_flag=True, help="only show what the store holds (no request leaves)")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--json", "as_json", is_flag=True, help="one JSON object")
def health(name: str | None, transport: str, mirrors: tuple[str, ...], timeout: float, window: str,
           no_probe: bool, store_url: str | None, as_json: bool) -> None:
    """Probe each mirror of market NAME (default: every market) once, record up/down and latency in the
    store, then show per mirror its uptime % and p50 latency over --window (probes and crawls).

    Refuses to probe when Tor is down; exits 1 when a probed market had no mirror answering.
    """
    from onionwatch.netguard import install_for_command

    install_for_command("markets health", store_url)  # first: nothing may open a socket before the egress guard
    from onionwatch.crawler.mirror_health import summarize
    from onionwatch.indexer.query import now_ts
    from onionwatch.indexer.store import open_store

    seconds = _window(window)
    if mirrors and not name:
        raise click.UsageError("--mirror needs a market NAME")
    definitions = [] if no_probe else _definitions(name, mirrors)
    since = (datetime.now(UTC) - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store = open_store(store_url)
    try:
        dead = [d.name for d in definitions if not _probe(store, d, transport, timeout, now_ts())]
        rows = summarize(store.mirror_health(name, since))
    finally:
        store.close()
    _show(rows, window, as_json)
    if dead:
        click.echo(f"onionwatch: error: no mirror answered: {', '.join(dead)}", err=True)
        sys.exit(1)


def _definitions(name: str | None, mirrors: tuple[str, ...]) -> list[Any]:
    from onionwatch.crawler.markets import get_market, load_definition, market_files, with_mirror

    if name:
        definition = get_market(name)
        return [with_mirror(definition, list(mirrors)) if mirrors else definition]
    found = []
    for path in market_files():
        try:
            found.append(load_definition(path))
        except MarketDefinitionError as exc:
            click.echo(f"onionwatch: warning: skipped: {exc}", err=True)
    return found


def _probe(store: Any, definition: Any, transport: str, timeout: float, checked_at: str) -> bool:
    """Probe one market's mirrors and record them; True when one answered."""
    from onionwatch.crawler.mirror_health import probe_sample
    from onionwatch.crawler.mirrors import probe_market, tor_endpoint
    from onionwatch.crawler.policy import direct_endpoints
    from onionwatch.netguard import allow

    allow(direct_endpoints([definition], transport))  # a clearnet market probed directly (as a crawl would)
    results = probe_market(definition, transport, tor_endpoint(), timeout)
    store.record_mirror_health([probe_sample(definition.name, r, checked_at) for r in results])
    return any(r.answered for r in results)


def _show(rows: list[dict[str, Any]], window: str, as_json: bool) -> None:
    if as_json:
        click.echo(jsonout.dumps({"window": window, "mirrors": rows}))
        return
    if not rows:
        click.echo(f"no mirror health recorded in the last {window}")
        return
    click.echo(f"{'market':<14} {'uptime':>7} {'p50':>9} {'samples':>7}  {'last':<5} mirror")
    for r in rows:
        p50 = f"{r['p50_latency_ms']:.0f} ms" if r["p50_latency_ms"] is not None else "-"
        last = "up" if r["last_up"] else "DOWN"
        error = f"  ({r['last_error']})" if r["last_error"] and not r["last_up"] else ""
        click.echo(f"{r['market']:<14} {r['uptime_pct']:>6.1f}% {p50:>9} {r['samples']:>7}  {last:<5} "
                   f"{r['mirror']}{error}")
