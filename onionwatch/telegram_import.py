"""`onionwatch import telegram`: a Telegram Desktop export read, segmented into offers and written in chunks.

The export is streamed (one message decoded at a time) and segmented BATCH_MESSAGES messages per spaCy pass;
the listings go to an unlinked private temporary file (the spool), a chunk of WRITE_CHUNK_MESSAGES messages per
frame, so memory stays bounded whatever the export's size. The whole export is read and checked before the store
is touched: a malformed file (any message) raises `TelegramExportError` and nothing is written (no store file is
created). The chunks and the chats' vendors then go to the store in one `Store.write_batches`: one transaction in
SQLite (an import that fails or is interrupted midway leaves the store as it was); in Elasticsearch, which has no
transaction, one `write_batch` per chunk (memory stays bounded there too; the chunks before a failure stay written
and importing again completes them; a chunk the server could not take is spooled for replay and counted in
`ImportResult.spooled`, which the command reports as a failure).
"""

from __future__ import annotations

import pickle
import re
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from onionwatch.errors import InputError, StoreError
from onionwatch.extractors.records import CURRENCIES, Listing, Vendor

if TYPE_CHECKING:
    from onionwatch.extractors.pipeline import Extractor
    from onionwatch.extractors.telegram_export import TgChat, TgMessage

SOURCE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
BATCH_MESSAGES = 256  # messages segmented per spaCy pass
WRITE_CHUNK_MESSAGES = 2000  # messages whose listings are written to the store at a time (~6k offers, ~30 MB)


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
    chunks: int = 0  # store writes (chunks of listings) in the one transaction
    spooled: int = 0  # Elasticsearch: chunks the server could not take, spooled for replay (not yet searchable)
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
    listings: list[Listing] = []
    vendor, counts = _read_chat(chat, messages, source, currency, extractor, listings.extend)
    return listings, vendor, counts


def _read_chat(chat: TgChat, messages: Iterable[TgMessage], source: str, currency: str | None,
               extractor: Extractor, sink: Callable[[list[Listing]], object]) -> tuple[Vendor, dict[str, int]]:
    """Segment one chat's messages BATCH_MESSAGES at a time, handing `sink` each message's listings (in message
    order, one call per message); returns the chat's vendor and counts (messages, messages_with_offers)."""
    from onionwatch.extractors.telegram_offers import HeaderCity, find_offers_many
    from onionwatch.extractors.telegram_records import VendorBuilder, offer_listings
    from onionwatch.extractors.text import detect_lang

    vendor = VendorBuilder(source, chat)
    counts = {"messages": 0, "messages_with_offers": 0}
    batch: list[TgMessage] = []
    homes: list[str | None] = []
    # the last header message's city ("📍 Караганда", within HEADER_HOURS), else the chat title's ("Бишкек Клад"):
    # the city of offers whose message names none; carried across batches
    context = HeaderCity(chat.name)

    def flush() -> None:
        langs = [detect_lang(m.text) for m in batch]
        found = find_offers_many([m.for_offers for m in batch], extractor, currency, default_city=homes)
        for msg, lang, offers in zip(batch, langs, found, strict=True):
            sink(offer_listings(source, chat, msg, offers, lang, extractor.fx))
            counts["messages_with_offers"] += bool(offers)
        batch.clear()
        homes.clear()

    for msg in messages:
        counts["messages"] += 1
        vendor.add(msg)
        batch.append(msg)
        homes.append(context.city_for(msg.for_offers, msg.date, msg.edited))
        if len(batch) >= BATCH_MESSAGES:
            flush()
    if batch:
        flush()
    return vendor.vendor(), counts


@dataclass
class ChatRead:
    chat: TgChat
    listings: list[Listing]
    vendor: Vendor
    counts: dict[str, int]

    @property
    def offers(self) -> int:
        return len(self.listings)


def source_slug(name: str) -> str:
    """A chat name as a --source would spell it ("Шоп Алматы KZ" -> "шоп-алматы-kz")."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")


_R = TypeVar("_R", "ChatRead", "ChatSpooled")


def _picked(reads: list[_R], source: str) -> tuple[list[_R], bool]:
    """The chats to import of those read (`read_all`), and whether their listing ids take the chat prefix
    (several chats with offers)."""
    named = [r for r in reads if r.chat.name and source_slug(r.chat.name) == source]
    reads = named or reads
    return reads, sum(bool(r.offers) for r in reads) > 1


def _chat_prefix(chat: TgChat) -> str:
    return f"c{chat.id or source_slug(chat.name)}."


def read_all(path: str | Path, source: str, currency: str | None = None,
             chat_name: str | None = None) -> list[ChatRead]:
    """The chats to import: the one named by `chat_name`; else every chat of the export (one for a chat export),
    only those whose name is spelled `source` ("shop-kz" for "Shop KZ") when there are any. When several chats
    give offers their listing ids are "c<chat id>.<message id>-<offer index>" (one chat: "<message id>-<i>").
    Raises TelegramExportError before anything is written. (Every listing in memory: `import_telegram` spools.)"""
    from onionwatch.extractors.pipeline import Extractor
    from onionwatch.extractors.telegram_export import read_chats, read_export

    extractor = Extractor()
    if chat_name is not None:
        chat, messages = read_export(path, chat_name)
        return [ChatRead(chat, *_chat_listings(chat, messages, source, currency, extractor))]
    reads = [ChatRead(chat, *_chat_listings(chat, messages, source, currency, extractor))
             for chat, messages in read_chats(path)]
    reads, prefixed = _picked(reads, source)
    if prefixed:
        for r in reads:
            for x in r.listings:
                x.listing_id = _chat_prefix(r.chat) + x.listing_id
    return reads


@dataclass
class ChatSpooled:
    """One chat read into the spool: its vendor, counts and how many offers (listings) it gave."""

    chat: TgChat
    vendor: Vendor
    counts: dict[str, int]
    offers: int = 0


class ListingSpool:
    """Listings kept on disk while an export is read: an unlinked temporary file (mode 0600, gone when closed or
    when the process dies), one frame (zlib-compressed pickle, written and read only by this process) per chunk.
    A frame holds the listings of up to `chunk_messages` messages of one chat."""

    def __init__(self, chunk_messages: int = WRITE_CHUNK_MESSAGES) -> None:
        self.chunk_messages = max(1, chunk_messages)
        with self._io():
            self.file = tempfile.TemporaryFile(prefix="onionwatch-tg-")  # noqa: SIM115 - closed by close()
        self.frames: list[tuple[int, int, int]] = []  # (chat index, bytes, listings)
        self._chat = 0
        self._pending: list[Listing] = []
        self._messages = 0

    def sink(self, chat_index: int) -> Callable[[list[Listing]], None]:
        """The `_read_chat` sink of chat number `chat_index` (chats are read one after another)."""
        self.flush()
        self._chat = chat_index

        def put(listings: list[Listing]) -> None:
            self._pending.extend(listings)
            self._messages += 1
            if self._messages >= self.chunk_messages:
                self.flush()

        return put

    @staticmethod
    @contextmanager
    def _io() -> Iterator[None]:
        """A full or failing temporary directory is one line (and, read back inside the store's transaction, a
        StoreError that rolls the import back), not a traceback."""
        try:
            yield
        except OSError as e:
            raise StoreError(f"import spool in {tempfile.gettempdir()} (set TMPDIR to use another directory): "
                             f"{e.strerror or e}; nothing written") from e

    def flush(self) -> None:
        if self._pending:
            data = zlib.compress(pickle.dumps(self._pending, pickle.HIGHEST_PROTOCOL), 1)
            with self._io():
                self.file.write(data)
            self.frames.append((self._chat, len(data), len(self._pending)))
        self._pending, self._messages = [], 0

    def chunks(self) -> Iterator[tuple[int, list[Listing]]]:
        """(chat index, listings) of every frame, in the order written."""
        self.flush()
        with self._io():
            self.file.seek(0)
        for chat_index, size, _ in self.frames:
            with self._io():
                data = self.file.read(size)
            yield chat_index, pickle.loads(zlib.decompress(data))  # noqa: S301 - our own file, this process only

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> ListingSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def spool_all(path: str | Path, source: str, spool: ListingSpool, currency: str | None = None,
              chat_name: str | None = None) -> list[ChatSpooled]:
    """`read_all` with the listings sent to `spool` instead of memory: every chat read (the one named by
    `chat_name` alone when given), their vendors and counts; raises TelegramExportError before anything is
    written. Which chats to import and their listing ids: `_picked`, applied when the spool is written."""
    from onionwatch.extractors.pipeline import Extractor
    from onionwatch.extractors.telegram_export import read_chats, read_export

    extractor = Extractor()
    chats = [read_export(path, chat_name)] if chat_name is not None else read_chats(path)
    reads = []
    for i, (chat, messages) in enumerate(chats):
        put = spool.sink(i)
        offers = 0

        def counted(listings: list[Listing], put: Callable[[list[Listing]], None] = put) -> None:
            nonlocal offers
            offers += len(listings)
            put(listings)

        vendor, counts = _read_chat(chat, messages, source, currency, extractor, counted)
        reads.append(ChatSpooled(chat, vendor, counts, offers))
    spool.flush()
    return reads


def import_telegram(
    path: str | Path, source: str, store_url: str, currency: str | None = None, chat_name: str | None = None,
    chunk_messages: int = WRITE_CHUNK_MESSAGES,
) -> ImportResult:
    """Read the export into a spool (nothing touched yet), then write it in chunks of `chunk_messages` messages
    as one `Store.write_batches` (module docstring). InputError when the export has no offer (nothing written);
    a StoreError (or anything raised midway, Ctrl-C included) leaves the SQLite store as it was."""
    from onionwatch.indexer.store import open_store

    check_source(source)
    currency = check_currency(currency)
    with ListingSpool(chunk_messages) as spool:
        read = spool_all(path, source, spool, currency, chat_name)
        reads, prefixed = _picked(read, source) if chat_name is None else (read, False)
        with_offers = [r for r in reads if r.offers]
        shown = with_offers[0].chat.name if len(with_offers) == 1 else (
            reads[0].chat.name if len(reads) == 1 else f"{len(with_offers)} of {len(reads)} chats")
        result = ImportResult(source, shown, sum(r.counts["messages"] for r in reads),
                              sum(r.counts["messages_with_offers"] for r in reads), sum(r.offers for r in reads))
        result.chats = [{"name": r.chat.name, "type": r.chat.type, "id": r.chat.id,
                         "messages": r.counts["messages"], "offers": r.offers} for r in reads]
        if not result.offers:
            chats = f" of {len(reads)} chats" if len(reads) > 1 else ""
            raise InputError(f"{path}: no offers found in {result.messages} messages{chats}; nothing written")
        index = {id(r): i for i, r in enumerate(read)}
        wanted = {index[id(r)]: r for r in reads}

        def batches() -> Iterator[tuple[Sequence[Listing], Sequence[Vendor]]]:
            vendors = [r.vendor for r in with_offers]  # first, as one write_batch would (watches read them)
            for chat_index, listings in spool.chunks():
                if chat_index not in wanted:
                    continue
                if prefixed:
                    prefix = _chat_prefix(wanted[chat_index].chat)
                    for x in listings:
                        x.listing_id = prefix + x.listing_id
                result.chunks += 1
                yield listings, vendors
                vendors = []

        store = open_store(store_url)
        try:
            stats = store.write_batches(batches())
        finally:
            store.close()
    result.listings_new, result.listings_updated = stats.listings_new, stats.listings_updated
    result.vendors_new, result.vendors_updated = stats.vendors_new, stats.vendors_updated
    result.spooled = stats.spooled
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
