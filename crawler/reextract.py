"""Re-run extraction over archived pages (WARC) and index the result: no network, no re-crawl.

An incomplete archive (``*.partial.warc.gz``: the crawl was interrupted, failed, capped or lost pages to an
archive error; or a ``*.part`` file of older versions) is refused unless `allow_partial` (``--allow-partial``):
then a record cut short at its end (a kill -9 while writing) ends that file's reading instead of failing it.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from parsel import Selector
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from onionwatch.crawler.archive import MARKET_HEADER
from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.crawler.markets import MarketDefinition, get_market
from onionwatch.crawler.pages import PageMismatch, page_text
from onionwatch.crawler.records_from_pages import listing_record, page_kind, row_listings, vendor_record
from onionwatch.errors import ArchiveError

MAX_PAGE_BYTES = 16 * 1024 * 1024


@dataclass
class ReextractStats:
    pages: int = 0
    listings: int = 0
    vendors: int = 0
    mismatched_pages: int = 0
    skipped_records: int = 0
    partial_archives: int = 0  # incomplete archives read (allow_partial)
    truncated_archives: int = 0  # of them, archives whose end was unreadable (reading stopped there)
    cut_records: int = 0  # records shorter than their Content-Length (skipped)
    markets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class _Collected:
    listings: dict[str, RawListing] = field(default_factory=dict)
    vendors: dict[str, RawVendor] = field(default_factory=dict)


def _iso(warc_date: str | None) -> str:
    return (warc_date or "").replace("Z", "+00:00")


def _check_warc(path: Path, partial: bool = False) -> None:
    """Refuse files that do not start like a (gzipped) WARC; warcio itself accepts almost anything. A partial
    archive may be cut anywhere, even inside its first record (or be empty)."""
    if partial:
        try:
            if path.stat().st_size == 0:
                return
        except OSError as exc:
            raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        with path.open("rb") as f:
            head = f.read(2)
            f.seek(0)
            start = gzip.GzipFile(fileobj=f).read(5) if head == b"\x1f\x8b" else f.read(5)
    except OSError as exc:  # includes gzip.BadGzipFile and truncated streams (EOFError is not OSError)
        raise ArchiveError(f"{path}: " + (f"cannot read ({exc.strerror})" if exc.strerror
                                          else f"not a readable WARC ({exc})")) from None
    except EOFError:
        if partial:
            return
        raise ArchiveError(f"{path}: not a readable WARC (truncated gzip)") from None
    if start and not start.startswith(b"WARC/"):
        raise ArchiveError(f"{path}: not a readable WARC (no WARC/1.x record header)")


def is_partial(path: Path) -> bool:
    """An archive named incomplete: ``*.partial.warc.gz`` (any ``.partial.``) or ``*.part``."""
    return path.name.endswith(".part") or ".partial." in path.name


def check_complete(paths: Iterable[Path], allow_partial: bool) -> None:
    """ArchiveError (one line) for the first incomplete archive, before anything is read or written."""
    if allow_partial:
        return
    for path in paths:
        if is_partial(path):
            raise ArchiveError(f"{path}: an incomplete archive (its crawl was interrupted, failed, capped or could "
                               "not archive every page); re-extract it anyway with --allow-partial")


def collect(paths: Iterable[Path], stats: ReextractStats, allow_partial: bool = False) -> dict[str, _Collected]:
    paths = list(paths)
    check_complete(paths, allow_partial)
    definitions: dict[str, MarketDefinition] = {}
    out: dict[str, _Collected] = defaultdict(_Collected)
    for path in paths:
        partial = is_partial(path)
        stats.partial_archives += partial
        _check_warc(path, partial)
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
        with stream:
            for record in _records(path, stream, partial, stats):
                _one(record, definitions, out, stats)
    return out


def _records(path: Path, stream: BinaryIO, partial: bool = False,
             stats: ReextractStats | None = None) -> Iterator[Any]:
    """warcio's records, its assorted errors on malformed input (AttributeError on a response record
    without a target URI, parser and zlib errors ...) turned into one ArchiveError naming the file. In a
    partial archive a malformed record ends the file instead: it is where the writer was cut off."""
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - any failure inside warcio means a malformed record
            if partial:
                if stats is not None:
                    stats.truncated_archives += 1
                return
            if isinstance(exc, ArchiveLoadFailed):
                raise ArchiveError(f"{path}: not a readable WARC ({exc})") from None
            raise ArchiveError(f"{path}: not a readable WARC (malformed record: {exc.__class__.__name__})") from None
        yield record


def _one(rec: Any, definitions: dict[str, MarketDefinition], out: dict[str, _Collected],
         stats: ReextractStats) -> None:
    """One WARC record (warcio's ArcWarcRecord): keep it if it is a listing or vendor page."""
    headers = rec.rec_headers
    market = headers.get_header(MARKET_HEADER)
    http = rec.http_headers
    if rec.rec_type != "response" or not market or http is None or http.get_statuscode() != "200":
        stats.skipped_records += 1
        return
    if market not in definitions:
        definitions[market] = get_market(market)
    definition = definitions[market]
    url = headers.get_header("WARC-Target-URI") or ""
    kind = page_kind(definition, url)
    stats.pages += 1
    if kind is None and definition.listing_rows is None:
        return
    try:
        body = rec.content_stream().read(MAX_PAGE_BYTES)
    except Exception:  # noqa: BLE001 - warcio's decoders (chunked, gzip, brotli) fail in assorted ways
        stats.skipped_records += 1
        return
    if len(body) < MAX_PAGE_BYTES and getattr(rec.raw_stream, "limit", 0) > 0:
        stats.skipped_records += 1  # the record ends before its Content-Length: cut short (warcio says nothing)
        stats.cut_records += 1
        return
    sel = Selector(text=page_text(body, http.get_header("Content-Type")))  # the charset read as the crawl read it
    when = _iso(headers.get_header("WARC-Date"))
    try:
        if kind is None or kind[0] == "listing":  # a navigation page's listing rows, or a listing page
            found = row_listings(definition, sel, url, when) if kind is None else \
                [listing_record(definition, sel, url, kind[1], when)]
            for item in found:
                prev = out[market].listings.get(item.listing_id)
                if prev is None or prev.scraped_at <= item.scraped_at:
                    out[market].listings[item.listing_id] = item
        else:
            vendor = vendor_record(definition, sel, url, kind[1], when)
            prev_v = out[market].vendors.get(vendor.vendor_id)
            if prev_v is None or prev_v.scraped_at <= vendor.scraped_at:
                out[market].vendors[vendor.vendor_id] = vendor
    except PageMismatch:
        stats.mismatched_pages += 1


def reextract(paths: Iterable[Path], store_url: str | None = None, allow_partial: bool = False) -> ReextractStats:
    """Extract every listing/vendor page in the archives (latest copy wins) and index them through the index
    stage (indexer/stage.py: raw items on disk, extracted and written in batches), like a crawl does.
    Incomplete archives are refused (ArchiveError) unless `allow_partial`."""
    import tempfile

    from onionwatch.crawler.frontier import SQLiteFrontier
    from onionwatch.crawler.pipelines import shared_extractor
    from onionwatch.errors import StoreError
    from onionwatch.indexer.stage import StageControl, index_items
    from onionwatch.indexer.store import open_store

    stats = ReextractStats()
    collected = collect(paths, stats, allow_partial)
    extractor = shared_extractor()
    store = open_store(store_url)
    try:
        for market, items in sorted(collected.items()):
            with tempfile.TemporaryDirectory(prefix="onionwatch-reextract-") as tmp:
                queue = SQLiteFrontier.create(Path(tmp) / "items.sqlite", 0, {"market": market})
                try:
                    for listing in items.listings.values():
                        queue.page_done(listing.url, [], 0, ("listing", listing.to_dict()))
                    for vendor in items.vendors.values():
                        queue.page_done(vendor.url + "#vendor", [], 0, ("vendor", vendor.to_dict()))
                    progress = index_items(queue, store, extractor, StageControl(ended=lambda: True,
                                                                                 stop=lambda: False))
                finally:
                    queue.close()
            if progress.error:
                raise StoreError(progress.error)
            stats.listings += progress.listings
            stats.vendors += progress.vendors
            stats.markets[market] = {"listings": progress.listings, "vendors": progress.vendors}
    finally:
        store.close()
    return stats
