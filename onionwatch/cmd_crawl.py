"""`onionwatch crawl MARKET`: crawl one or more markets and index them."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the crawler (Scrapy) is imported when a crawl runs, not for `--help`
    from onionwatch.crawler.run import CrawlOutcome


def print_outcomes(outcomes: list[CrawlOutcome], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([
            {"market": o.market, "ok": o.ok, "error": o.error, "pages": o.pages, "listings": o.listings,
             "vendors": o.vendors, "failed_pages": o.failed_pages, "refused_requests": o.refused_requests,
             "seconds": round(o.seconds, 2), "fetch_seconds": round(o.fetch_seconds, 2),
             "extract_seconds": round(o.extract_seconds, 2), "index_seconds": round(o.index_seconds, 2),
             "pages_per_second": round(o.pages_per_second, 1), "egress_refusals": o.egress_refusals,
             "egress_refused": o.egress_refused}
            for o in outcomes
        ], ensure_ascii=False))
        return
    for o in outcomes:
        status = "ok" if o.ok else "FAILED"
        click.echo(f"{o.market}: {status}: {o.pages} pages, {o.listings} listings, {o.vendors} vendors in "
                   f"{o.seconds:.1f} s ({o.pages_per_second:.0f} pages/s), {o.failed_pages} failed pages, "
                   f"{o.refused_requests} refused requests, {o.egress_refusals} egress refusals")


@click.command()
@click.argument("markets", nargs=-1, required=True)
@click.option("--mirror", help="Override the market's mirror URL (one market only), e.g. a local testbed.")
@click.option("--transport", type=click.Choice(["tor", "direct"]), default=None,
              help="tor (default, every market) or direct (network: clearnet markets and loopback --mirror only).")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option("--progress/--no-progress", default=True, help="Show a progress line on stderr.")
@click.option("--log-level", default="WARNING", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
def crawl(markets: tuple[str, ...], mirror: str | None, transport: str | None, store_url: str | None,
          as_json: bool, progress: bool, log_level: str) -> None:
    """Crawl MARKETS (names from config/markets/) and index what they list."""
    from onionwatch.netguard import install_for_command

    install_for_command("crawl", store_url)  # first: nothing may open a socket before the egress guard
    import os

    from onionwatch.crawler.run import CrawlSpec
    from onionwatch.crawler.run import crawl as run_crawl

    if mirror and len(markets) != 1:
        raise click.UsageError("--mirror needs exactly one market")
    transport = transport or os.environ.get("ONIONWATCH_TRANSPORT", "tor")
    specs = [CrawlSpec(market=m, mirror=mirror) for m in markets]
    outcomes = run_crawl(specs, store_url=store_url, transport=transport, progress=progress,
                         log_level=log_level)
    print_outcomes(outcomes, as_json)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        click.echo(f"onionwatch: error: {o.error}", err=True)
    if failed:
        sys.exit(1)
