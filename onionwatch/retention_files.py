"""Retention on disk: WARC archives, report output and the Elasticsearch spool, by age, keeping held material.

A file past its period is kept when it holds anything on legal hold: a WARC record of a held page (its
target URI is the address of a held listing or vendor, or the whole market is held), a spooled batch with a
held listing or vendor, a report or rejected-documents file that names one. Keeping too much is safe;
deleting held material is not, so the checks err on the side of keeping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onionwatch.indexer.store import HeldKeys, SearchQuery, Store
from onionwatch.paths import data_dir


@dataclass
class HeldMaterial:
    """The held keys plus what identifies them inside files: page addresses and vendor names."""

    keys: HeldKeys
    urls: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # names and addresses to look for in report/rejected text

    def mentioned_in(self, text: str) -> bool:
        return any(w in text for w in self.words) or any(m in text for m in self.keys.markets)


def held_material(store: Store, keys: HeldKeys) -> HeldMaterial:
    """Addresses of every held listing and vendor page (and of each held vendor's listings), from the store."""
    held = HeldMaterial(keys)
    for market, listing_id in keys.listings:
        listing = store.get_listing(market, listing_id)
        if len(listing_id) >= 4:  # a shorter id would match any text: its address is enough
            held.words.add(listing_id)
        if listing:
            held.urls.add(listing["url"])
    for market, vendor_id in keys.vendors:
        vendor = store.get_vendor(market, vendor_id)
        if not vendor:
            continue
        held.urls.add(vendor["url"])
        held.words.add(vendor["name"])
        offset = 0
        while True:
            page = store.search(SearchQuery(market=market, vendor=vendor["name"], limit=1000, offset=offset))
            held.urls.update(h.listing["url"] for h in page.hits if h.listing.get("vendor_id") in (vendor_id, None))
            offset += len(page.hits)
            if not page.hits or offset >= page.total:
                break
    held.words.update(u for u in held.urls if u)
    return held


@dataclass
class FileVerdict:
    path: Path
    data_class: str  # archives | reports | spool
    age_from: str  # ISO time the age is counted from
    held_reason: str | None = None  # set: kept because of a legal hold


def archive_root() -> Path:
    env = os.environ.get("ONIONWATCH_ARCHIVE_DIR")
    return Path(env) if env else data_dir() / "archive"


def report_roots() -> list[Path]:
    """<data dir>/reports and the `out` folder of every job in config/schedule.yaml (ScheduleError if invalid)."""
    from onionwatch.reports.config import load_schedule

    roots = [data_dir() / "reports"]
    roots += [spec.out for spec in load_schedule() if spec.out is not None and spec.out not in roots]
    return roots


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _warc_time(path: Path) -> datetime:
    """The crawl start in the file name (<stamp>.warc.gz / .partial.warc.gz), else the file's mtime."""
    stamp = path.name.split(".", 1)[0]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return _mtime(path)


def expired(data_class: str, root: Path, cutoff: datetime) -> Iterator[tuple[Path, datetime]]:
    when = _warc_time if data_class == "archives" else _mtime
    for path in _files(root):
        t = when(path)
        if t < cutoff:
            yield path, t


def archive_hold(path: Path, root: Path, held: HeldMaterial) -> str | None:
    """Why this WARC file must be kept (None: nothing in it is held). Unreadable files are kept."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    market = path.relative_to(root).parts[0] if len(path.relative_to(root).parts) > 1 else ""
    if market in held.keys.markets:
        return f"market {market} is on legal hold"
    if not held.urls:
        return None
    hits = other = 0
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if uri in held.urls:
                    hits += 1
                else:
                    other += 1
    except (OSError, ArchiveLoadFailed, ValueError) as exc:
        return f"kept unread: cannot check it for held records ({exc})"
    if hits:
        return (f"{hits} record(s) of held pages; the file's {other} other record(s) are past retention but "
                "stay with them (records are not removed from a WARC file)")
    return None


def spool_hold(path: Path, held: HeldMaterial) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"kept unread ({exc.strerror or exc})"
    if path.name.endswith(".batch.json"):
        try:
            body: dict[str, Any] = json.loads(text)
            for d in body.get("listings", []):
                if held.keys.listing_held(d["market"], d["listing_id"], d.get("vendor_id")):
                    return f"holds listing {d['market']}:{d['listing_id']} (on legal hold)"
            for d in body.get("vendors", []):
                if held.keys.vendor_held(d["market"], d["vendor_id"], set()):
                    return f"holds vendor {d['market']}:{d['vendor_id']} (on legal hold)"
            return None
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # unreadable batch: fall back to the text check
    return "names material on legal hold" if held.mentioned_in(text) else None


def report_hold(path: Path, held: HeldMaterial) -> str | None:
    if path.suffix in (".pdf", ".xlsx"):  # compressed: the report's JSON (same <first>_<last> name) is read
        twin = path.with_suffix(".json")
        if not twin.exists():
            return "kept: a PDF/XLSX report without its JSON cannot be checked for held material"
        path = twin
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"kept unread ({exc.strerror or exc})"
    return "names material on legal hold" if held.mentioned_in(text) else None
