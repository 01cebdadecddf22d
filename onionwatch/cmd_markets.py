"""`onionwatch markets`: list and validate market definitions; probe a market's mirrors; try one page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from onionwatch import jsonout
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
        click.echo(jsonout.dumps({"market": definition.name, "transport": transport,
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


@markets.command("try")
@click.argument("name")
@click.argument("url", required=False)
@click.option("--transport", type=click.Choice(["tor", "direct"]), default="tor", show_default=True,
              help="direct: only clearnet markets and loopback testbed mirrors (the crawl's rule)")
@click.option("--mirror", default=None, metavar="URL", help="use this mirror instead (e.g. a local testbed)")
@click.option("--timeout", type=click.FloatRange(1, 300), default=30.0, show_default=True,
              help="seconds to connect, and again to read, per request")
@click.option("--json", "as_json", is_flag=True, help="one JSON object")
def try_page(name: str, url: str | None, transport: str, mirror: str | None, timeout: float, as_json: bool) -> None:
    """Fetch one page of market NAME as a crawl would and show what is read from it.

    Logs in when the definition has a login, fetches URL (a path or a URL on the mirror; default: the first
    start page, then the first listing link found), and prints which page spec matched, each field's
    selector, raw and normalised value, and what the extractors make of the record. Exits 1 with one line
    when the page matches nothing.
    """
    from onionwatch.netguard import install_for_command

    install_for_command("markets try")  # first: nothing may open a socket before the egress guard
    from onionwatch.crawler.markets import get_market, with_mirror
    from onionwatch.crawler.mirrors import tor_endpoint
    from onionwatch.crawler.policy import direct_endpoints
    from onionwatch.crawler.trial import try_market
    from onionwatch.netguard import allow

    definition = get_market(name)
    if mirror:
        definition = with_mirror(definition, mirror)
    allow(direct_endpoints([definition], transport))
    trial = try_market(definition, transport, tor_endpoint(), url, timeout)
    if as_json:
        click.echo(jsonout.dumps(trial.to_dict()))
        return
    _print_trial(trial)


def _print_trial(trial: Any) -> None:
    from onionwatch.crawler.trial import shown

    login = "logged in" if trial.logged_in else "no login"
    click.echo(f"{trial.market} via {trial.transport} at {trial.mirror} ({login})")
    for page in trial.pages:
        ident = f" id {shown(page.page_id, 60)}" if page.page_id else ""
        cut = " (cut: larger than the page limit)" if page.truncated else ""
        click.echo(f"\n{page.kind} page{ident}: {shown(page.url, 200)} (HTTP {page.status}){cut}")
        for name, n in page.links.items():
            click.echo(f"  {name:<16} {n} link(s)")
        if page.rows is not None:
            first = " (the first below)" if page.rows else ""
            click.echo(f"  {'listing_rows':<16} {page.rows} listing(s) read as rows{first}")
        for f in page.fields:
            if f.selector is None:
                click.echo(f"  {f.name:<16} (empty: no selector matched)")
                continue
            click.echo(f"  {f.name:<16} [{shown(f.selector, 80)}]")
            click.echo(f"  {'':<16}   raw:        {f.raw}")
            if f.normalised != f.value:
                click.echo(f"  {'':<16}   value:      {f.value}")
            click.echo(f"  {'':<16}   normalised: {f.normalised}")
        if page.extracted:
            click.echo("  extracted:")
            for key, value in page.extracted.items():
                text = "-" if value is None else shown(jsonout.dumps(value), 200)
                click.echo(f"    {key:<20} {text}")


from onionwatch.cmd_health import health  # noqa: E402

markets.add_command(health)
