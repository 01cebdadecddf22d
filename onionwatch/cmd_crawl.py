"""`onionwatch crawl MARKET`: crawl one or more markets and index them."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from onionwatch import jsonout

if TYPE_CHECKING:  # the crawler (Scrapy) is imported when a crawl runs, not for `--help`
    from onionwatch.crawler.run import CrawlOutcome


def print_outcomes(outcomes: list[CrawlOutcome], as_json: bool) -> None:
    if as_json:
        click.echo(jsonout.dumps([o.to_dict() for o in outcomes]))
        return
    for o in outcomes:
        resumed = ", resumed" if o.resumed else ""
        click.echo(f"{o.market}: {o.status.value} (exit {o.exit_code}), crawl {o.crawl_id}{resumed}: {o.pages} pages, "
                   f"{o.listings} listings, {o.vendors} vendors in {o.seconds:.1f} s "
                   f"({o.pages_per_second:.0f} pages/s), {o.failed_pages} failed pages, "
                   f"{o.refused_requests} refused requests, {o.egress_refusals} egress refusals")
        for reason in o.reasons:
            click.echo(f"  - {reason}")


@click.command()
@click.argument("markets", nargs=-1, required=True)
@click.option("--mirror", multiple=True,
              help="Override the market's mirror URLs (one market only; repeat for several, in failover order), "
                   "e.g. local testbeds.")
@click.option("--transport", type=click.Choice(["tor", "direct"]), default=None,
              help="tor (default, every market) or direct (network: clearnet markets and loopback --mirror only).")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option("--progress/--no-progress", default=True, help="Show a progress line on stderr.")
@click.option("--log-level", default="WARNING", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
@click.option("--fresh", is_flag=True, help="Start a new crawl instead of resuming an unfinished one.")
@click.option("--frontier", "frontier_url", envvar="ONIONWATCH_FRONTIER", metavar="URL",
              help="Keep the frontier on this Redis server (redis://127.0.0.1:6390/0), shared by --workers "
                   "processes (default: a SQLite file per crawl).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Crawler processes per market sharing the --frontier.")
def crawl(markets: tuple[str, ...], mirror: tuple[str, ...], transport: str | None, store_url: str | None,
          as_json: bool, progress: bool, log_level: str, fresh: bool, frontier_url: str | None,
          workers: int) -> None:
    """Crawl MARKETS (names from config/markets/) and index what they list.

    An unfinished crawl of a market (killed, interrupted, or failed with pages left) is resumed.
    Exit status: 0 complete, 3 partial, 1 failed, 130 interrupted (see the README).
    """
    from onionwatch.crawler.frontier_redis import frontier_endpoint
    from onionwatch.netguard import install_for_command

    redis = frontier_endpoint(frontier_url)  # the shared frontier's Redis server, when one is given
    install_for_command("crawl", store_url, extra=[redis] if redis else [])  # first: nothing before the guard
    import os

    from onionwatch.crawler.run import CrawlSpec, exit_code
    from onionwatch.crawler.run import crawl as run_crawl

    if mirror and len(markets) != 1:
        raise click.UsageError("--mirror needs exactly one market")
    if workers > 1 and not frontier_url:
        raise click.UsageError("--workers needs --frontier redis://HOST:PORT/DB (workers share its frontier)")
    transport = transport or os.environ.get("ONIONWATCH_TRANSPORT", "tor")
    specs = [CrawlSpec(market=m, mirror=list(mirror) or None) for m in markets]
    outcomes = run_crawl(specs, store_url=store_url, transport=transport, progress=progress,
                         log_level=log_level, fresh=fresh, frontier_url=frontier_url, workers=workers)
    print_outcomes(outcomes, as_json)
    for o in outcomes:
        if o.status.value in ("failed", "interrupted"):
            click.echo(f"onionwatch: error: {o.error}", err=True)
        elif o.status.value == "partial":
            click.echo(f"onionwatch: warning: {o.market}: partial: {o.error}", err=True)
    code = exit_code(outcomes)
    if code:
        sys.exit(code)
