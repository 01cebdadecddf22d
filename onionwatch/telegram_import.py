"""`onionwatch import telegram`: a Telegram Desktop export read, segmented into offers and written in one batch.

The whole export is read and checked before the store is touched: a malformed file (any message) raises
`TelegramExportError` and nothing is written; the listings and the channel's vendor then go to the store in
one `write_batch` (one transaction in SQLite, one bulk request set in Elasticsearch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onionwatch.errors import InputError
from onionwatch.extractors.records import CURRENCIES, Listing, Vendor

if TYPE_CHECKING:
    from onionwatch.extractors.pipeline import Extractor
    from onionwatch.extractors.telegram_export import TgChat, TgMessage

SOURCE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
BATCH_MESSAGES = 256  # messages segmented per spaCy pass


@dataclass
class ImportResult:
    source: str
    channel: str
    messages: int = 0
    messages_with_offers: int = 0
    offers: int = 0
    listings_new: int = 0
    listings_updated: int = 0
    vendors_new: int = 0
    vendors_updated: int = 0
    chats: list[dict[str, Any]] = field(default_factory=list)  # each chat read: name, type, id, messages, offers


def check_source(source: str) -> str:
    if not SOURCE_RE.match(source or ""):
        raise InputError(f"--source {source!r}: use lowercase letters, digits, '.', '_' or '-' (at most 64)")
    return source


def check_currency(currency: str | None) -> str | None:
    if currency is None:
        return None
    code = currency.upper()
    if code not in CURRENCIES:
        raise InputError(f"--currency {currency!r}: unknown currency (use {', '.join(CURRENCIES)})")
    return code


def read_listings(
    path: str | Path, source: str, currency: str | None = None, chat_name: str | None = None
) -> tuple[TgChat, list[Listing], Vendor, dict[str, int]]:
    """(chat, listings, vendor, counts) for an export (`chat_name`: the chat to read from a whole-account
    export); raises TelegramExportError before anything is written."""
    from onionwatch.extractors.pipeline import Extractor
    from onionwatch.extractors.telegram_export import read_export

    chat, messages = read_export(path, chat_name)
    listings, vendor, counts = _chat_listings(chat, messages, source, currency, Extractor())
    return chat, listings, vendor, counts


def _chat_listings(chat: TgChat, messages: Iterable[TgMessage], source: str, currency: str | None,
                   extractor: Extractor) -> tuple[list[Listing], Vendor, dict[str, int]]:
    """The offers of one chat's messages as listings, segmented BATCH_MESSAGES at a time."""
    from onionwatch.extractors.telegram_offers import find_offers_many
    from onionwatch.extractors.telegram_records import VendorBuilder, offer_listings
    from onionwatch.extractors.text import detect_lang

    vendor = VendorBuilder(source, chat)
    listings: list[Listing] = []
    counts = {"messages": 0, "messages_with_offers": 0}
    batch: list[TgMessage] = []

    def flush() -> None:
        langs = [detect_lang(m.text) for m in batch]
        found = find_offers_many([m.for_offers for m in batch], extractor, currency)
        for msg, lang, offers in zip(batch, langs, found, strict=True):
            listings.extend(offer_listings(source, chat, msg, offers, lang, extractor.fx))
            counts["messages_with_offers"] += bool(offers)
        batch.clear()

    for msg in messages:
        counts["messages"] += 1
        vendor.add(msg)
        batch.append(msg)
        if len(batch) >= BATCH_MESSAGES:
            flush()
    if batch:
        flush()
    return listings, vendor.vendor(), counts


@dataclass
class ChatRead:
    chat: TgChat
    listings: list[Listing]
    vendor: Vendor
    counts: dict[str, int]


def source_slug(name: str) -> str:
    """A chat name as a --source would spell it ("Шоп Алматы KZ" -> "шоп-алматы-kz")."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")


def read_all(path: str | Path, source: str, currency: str | None = None,
             chat_name: str | None = None) -> list[ChatRead]:
    """The chats to import: the one named by `chat_name`; else every chat of the export (one for a chat export),
    only those whose name is spelled `source` ("shop-kz" for "Shop KZ") when there are any. When several chats
    give offers their listing ids are "c<chat id>.<message id>-<offer index>" (one chat: "<message id>-<i>").
    Raises TelegramExportError before anything is written."""
    from onionwatch.extractors.pipeline import Extractor
    from onionwatch.extractors.telegram_export import read_chats, read_export

    extractor = Extractor()
    if chat_name is not None:
        chat, messages = read_export(path, chat_name)
        return [ChatRead(chat, *_chat_listings(chat, messages, source, currency, extractor))]
    reads = [ChatRead(chat, *_chat_listings(chat, messages, source, currency, extractor))
             for chat, messages in read_chats(path)]
    named = [r for r in reads if r.chat.name and source_slug(r.chat.name) == source]
    reads = named or reads
    if sum(bool(r.listings) for r in reads) > 1:
        for r in reads:
            for x in r.listings:
                x.listing_id = f"c{r.chat.id or source_slug(r.chat.name)}.{x.listing_id}"
    return reads


def import_telegram(
    path: str | Path, source: str, store_url: str, currency: str | None = None, chat_name: str | None = None
) -> ImportResult:
    from onionwatch.indexer.store import open_store

    check_source(source)
    currency = check_currency(currency)
    reads = read_all(path, source, currency, chat_name)
    listings = [x for r in reads for x in r.listings]
    with_offers = [r for r in reads if r.listings]
    shown = with_offers[0].chat.name if len(with_offers) == 1 else (reads[0].chat.name if len(reads) == 1 else
                                                                    f"{len(with_offers)} of {len(reads)} chats")
    result = ImportResult(source, shown, sum(r.counts["messages"] for r in reads),
                          sum(r.counts["messages_with_offers"] for r in reads), len(listings))
    result.chats = [{"name": r.chat.name, "type": r.chat.type, "id": r.chat.id, "messages": r.counts["messages"],
                     "offers": len(r.listings)} for r in reads]
    if not listings:
        chats = f" of {len(reads)} chats" if len(reads) > 1 else ""
        raise InputError(f"{path}: no offers found in {result.messages} messages{chats}; nothing written")
    store = open_store(store_url)
    try:
        stats = store.write_batch(listings, [r.vendor for r in with_offers])
    finally:
        store.close()
    result.listings_new, result.listings_updated = stats.listings_new, stats.listings_updated
    result.vendors_new, result.vendors_updated = stats.vendors_new, stats.vendors_updated
    return result


DEMO_SOURCE = "tg-almaty-shop"
DEMO_MESSAGES = 200


def demo_import(store_url: str, seed: int | None) -> dict[str, Any]:
    """The demo's Telegram step: a generated shop export (data dir) imported as DEMO_SOURCE and scored against
    the generator's truth (an offer is right when its listing "<message>-<i>" has the true substance, city,
    quantity and price)."""
    from onionwatch.paths import data_dir
    from onionwatch.testbed.gen_telegram import write

    path = data_dir() / "demo-telegram-result.json"
    truth = write(seed if seed is not None else 1, DEMO_MESSAGES, path)
    result = import_telegram(path, DEMO_SOURCE, store_url)
    _, listings, _, _ = read_listings(path, DEMO_SOURCE)
    by_id = {x.listing_id: x for x in listings}
    want = [(f"{t['id']}-{i}", o) for t in truth for i, o in enumerate(t["offers"])]
    right = sum(_offer_right(by_id.get(lid), o) for lid, o in want)
    share = right / len(want) if want else 0.0
    line = (f"{DEMO_SOURCE:<10} {result.offers:>9} offers from {result.messages} Telegram messages (truth "
            f"{len(want)}), {share:.1%} right (substance, city, quantity, price)")
    return {"source": DEMO_SOURCE, "export": str(path), "messages": result.messages, "offers": result.offers,
            "truth_offers": len(want), "offers_right": round(share, 4), "line": line}


def _offer_right(got: Listing | None, want: dict[str, Any]) -> bool:
    if got is None or got.quantity is None or got.price is None:
        return False
    from onionwatch.extractors.geo import group_key  # "Алм", "Almaty" and "Алматы" are one city

    return (got.substance == want["substance"] and got.city is not None
            and group_key(got.city) == group_key(want["city"])
            and (got.quantity.value, got.quantity.unit) == (want["quantity"]["value"], want["quantity"]["unit"])
            and (got.price.amount, got.price.currency) == (want["price"]["amount"], want["price"]["currency"]))
