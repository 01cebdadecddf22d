"""A durable local spool: batches that could not reach a store are kept on disk and replayed later.

Each batch is one JSON file written to a temporary name, fsynced and renamed into place, so a crash never
leaves half a batch behind. Files are replayed oldest first; a file is deleted only after its replay
succeeded. Records round-trip exactly through `listing_from_dict` / `vendor_from_dict`.
Rejected documents (the store refused them) go to ``rejected/`` as JSON lines, kept for inspection.
Directories are 0700 and files 0600 (onionwatch/private.py): batches hold scraped vendor data.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from onionwatch.errors import SpoolError
from onionwatch.extractors.records import Listing, Price, Quantity, Substance, Tier, Vendor
from onionwatch.private import open_private, private_dir

SUFFIX = ".batch.json"


def _qty(d: dict[str, Any] | None) -> Quantity | None:
    return Quantity(value=d["value"], unit=d["unit"]) if d else None


def _price(d: dict[str, Any] | None) -> Price | None:
    return Price(amount=d["amount"], currency=d["currency"]) if d else None


def listing_from_dict(d: dict[str, Any]) -> Listing:
    d = dict(d)
    d["substances"] = [Substance(**s) for s in d.get("substances") or []]
    d["tiers"] = [
        Tier(
            quantity=_qty(t.get("quantity")),
            price=_price(t.get("price")),
            base=t.get("base", False),
            price_usd=t.get("price_usd"),
            unit_price=_price(t.get("unit_price")),
            unit_price_per=t.get("unit_price_per"),
        )
        for t in d.get("tiers") or []
    ]
    d["quantity"], d["dose"], d["price"] = _qty(d.get("quantity")), _qty(d.get("dose")), _price(d.get("price"))
    return Listing(**d)


def vendor_from_dict(d: dict[str, Any]) -> Vendor:
    return Vendor(**d)


def _fsync_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with os.fdopen(open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class Spool:
    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)

    def put(self, listings: Sequence[Listing], vendors: Sequence[Vendor], reason: str = "") -> Path:
        """Persist one batch durably; returns its file."""
        private_dir(self.dir)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        body = {
            "version": 1,
            "reason": reason[:500],
            "listings": [x.to_dict() for x in listings],
            "vendors": [x.to_dict() for x in vendors],
        }
        path = self.dir / name
        _fsync_write(path, json.dumps(body, ensure_ascii=False).encode())
        return path

    def pending(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return sorted(p for p in self.dir.iterdir() if p.name.endswith(SUFFIX))

    def load(self, path: Path) -> tuple[list[Listing], list[Vendor]]:
        try:
            body = json.loads(path.read_bytes())
            return (
                [listing_from_dict(d) for d in body["listings"]],
                [vendor_from_dict(d) for d in body["vendors"]],
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SpoolError(f"{path}: unreadable spool file ({exc})") from exc

    def done(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def reject(self, records: Sequence[dict[str, Any]]) -> Path:
        """Append rejected documents (with their reasons) to today's dead-letter file."""
        rdir = self.dir / "rejected"
        private_dir(rdir)
        path = rdir / f"{time.strftime('%Y-%m-%d', time.gmtime())}.jsonl"
        with os.fdopen(open_private(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND), "a", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return path
