"""`onionwatch import`: bring listings from sources that are not crawled (Telegram shop channels)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from onionwatch import jsonout


@click.group("import")
def import_() -> None:
    """Import listings from sources that are not crawled (Telegram exports)."""


@import_.command("telegram")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Source name the offers are stored under (the market field).")
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--currency", default=None,
              help="Currency of prices shown without one in a message that names no known city.")
@click.option("--chat", "chat_name", default=None,
              help="The chat to read from a whole-account export (its name, case-insensitive); without it every "
                   "chat is read (only the one named like --source, when there is one).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def telegram(export: Path, source: str, store_url: str | None, currency: str | None, chat_name: str | None,
             as_json: bool) -> None:
    """Import a Telegram Desktop export (EXPORT: result.json of one channel or chat, JSON format; or of a whole
    account: --chat NAME picks one of its chats, else the chat named like SOURCE, else every chat is read and
    each chat with offers is its own vendor, its listings "c<chat id>.<message id>-<i>").

    Each message is split into offers (city, district, substance, quantity, price); every offer becomes a
    listing of market SOURCE with id "<message id>-<offer index>", so importing again updates them; the
    channel is the vendor (its handles, bots and crypto addresses feed vendor linking). A malformed export,
    or one without any offer, is an error (naming the file and the JSON path) and nothing is written."""
    from onionwatch.netguard import install_for_command

    install_for_command("import", store_url)  # first: nothing may open a socket before the egress guard
    from onionwatch.cmd_search import terminal_safe
    from onionwatch.paths import default_store_url
    from onionwatch.telegram_import import import_telegram

    result = import_telegram(export, source, store_url or default_store_url(), currency, chat_name)
    if as_json:
        click.echo(jsonout.dumps(asdict(result)))
    else:
        if len(result.chats) > 1:
            read = ", ".join(f"{terminal_safe(c['name'])!r} {c['offers']}" for c in result.chats if c["offers"])
            click.echo(f"{export}: account export: {len(result.chats)} chats read; offers from {read}")
        click.echo(f"{export}: {terminal_safe(result.channel)!r}: {result.messages} messages, "
                   f"{result.messages_with_offers} with offers, {result.offers} offers -> {result.listings_new} new, "
                   f"{result.listings_updated} updated listings of source {result.source}")
    if result.spooled:
        raise click.ClickException(
            f"{export}: {result.spooled} of {result.chunks} chunks not written: the store could not take them; they "
            "are spooled and written when the store is next opened")
