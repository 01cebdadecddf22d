"""`onionwatch reextract ARCHIVE...`: re-run extraction over archived pages and index the result."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from onionwatch import jsonout


@click.command()
@click.argument("archives", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--allow-partial", is_flag=True,
              help="Also read incomplete archives (*.partial.warc.gz, *.part), refused otherwise.")
def reextract(archives: tuple[Path, ...], store_url: str | None, as_json: bool, allow_partial: bool) -> None:
    """Extract listings and vendors again from WARC ARCHIVES (written by every crawl) into the store."""
    from onionwatch.netguard import install_for_command

    install_for_command("reextract", store_url)  # first: nothing may open a socket before the egress guard
    from onionwatch.crawler.reextract import reextract as run

    stats = run(archives, store_url, allow_partial=allow_partial)
    if as_json:
        click.echo(jsonout.dumps(asdict(stats)))
        return
    click.echo(f"{stats.pages} pages: {stats.listings} listings, {stats.vendors} vendors re-extracted; "
               f"{stats.mismatched_pages} pages did not match their definition, {stats.skipped_records} "
               "records skipped" + (f"; {stats.partial_archives} incomplete archive(s) read "
                                    f"({stats.truncated_archives} cut short)" if stats.partial_archives else ""))
