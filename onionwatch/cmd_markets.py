"""`onionwatch markets`: list and validate market definitions; probe a market's mirrors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from onionwatch.errors import MarketDefinitionError


@click.group()
def markets() -> None:
    """Market definitions (config/markets/*.yaml)."""


@markets.command("list")
def list_markets() -> None:
    """List the defined markets."""
    from onionwatch.crawler.markets import load_definition, market_files

    for path in market_files():
        try:
            d = load_definition(path)
            click.echo(f"{d.name:<16} {d.language}  {d.currency:<4} {d.network:<8} {d.title}")
        except MarketDefinitionError as exc:
            click.echo(f"{path.stem:<16} INVALID: {exc}")


@markets.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Validate definitions (default: all of config/markets/); one `file: field: problem` line each."""
    from onionwatch.crawler.markets import load_definition, market_files

    files = list(paths) or market_files()
    if not files:
        click.echo("onionwatch: error: no market definitions found", err=True)
        sys.exit(1)
    problems = 0
    for path in files:
        try:
            d = load_definition(path)
            click.echo(f"ok: {path} ({d.name})")
        except MarketDefinitionError as exc:
            problems += 1
            click.echo(str(exc), err=True)
    if problems:
        sys.exit(1)


@markets.command("probe")
@click.argument("name")
@click.option("--transport", type=click.Choice(["tor", "direct"]), default="tor", show_default=True,
              help="direct: only clearnet markets and loopback testbed mirrors (the crawl's rule)")
@click.option("--mirror", default=None, metavar="URL", help="probe this mirror instead (e.g. a local testbed)")
@click.option("--timeout", type=click.FloatRange(1, 300), default=30.0, show_default=True,
              help="seconds to connect, and again to read")
@click.option("--json", "as_json", is_flag=True, help="one JSON object")
def probe(name: str, transport: str, mirror: str | None, timeout: float, as_json: bool) -> None:
    """Try each mirror of market NAME once (through Tor): up/down, HTTP status, latency.

    Refuses to run when Tor is down; exits 1 when no mirror answered.
    """
    from onionwatch.netguard import install_for_command

    install_for_command("markets probe")  # first: nothing may open a socket before the egress guard
    from onionwatch.crawler.markets import get_market, with_mirror
    from onionwatch.crawler.mirrors import probe_market, tor_endpoint
    from onionwatch.crawler.policy import direct_endpoints
    from onionwatch.netguard import allow

    definition = get_market(name)
    if mirror:
        definition = with_mirror(definition, mirror)
    allow(direct_endpoints([definition], transport))  # a clearnet market probed directly (as a crawl would)
    results = probe_market(definition, transport, tor_endpoint(), timeout)
    if as_json:
        click.echo(json.dumps({"market": definition.name, "transport": transport,
                               "answered": sum(r.answered for r in results),
                               "mirrors": [r.to_dict() for r in results]}))  # fmt: skip
    else:
        for r in results:
            state = "up" if r.up else "DOWN"
            status = str(r.status) if r.status is not None else "-"
            latency = f"{r.latency_ms:.0f} ms" if r.latency_ms is not None else "-"
            extra = f"  -> {r.redirect}" if r.redirect else f"  ({r.error})" if r.error else ""
            click.echo(f"{state:<5} {status:>4} {latency:>9}  {r.mirror}{extra}")
    if not any(r.answered for r in results):
        sys.exit(1)


from onionwatch.cmd_health import health  # noqa: E402

markets.add_command(health)
