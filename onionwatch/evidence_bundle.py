"""Evidence bundles: one listing's or vendor's archived pages, renderings and record, digested and signed.

A bundle is a directory (written under a temporary name, renamed when complete: never half-written)::

    warc/NNN.warc.gz     each archived response for the item's URL, the WARC record byte for byte as crawled
    render/NNN.png       each page drawn by offline Chromium (onionwatch/evidence_render.py)
    record.json          the store's extraction result for the item
    metadata.json        item, case, operator, tool version, export time, and per capture: capture time,
                         market, mirror, transport, source archive file and offset, WARC record id
    manifest.json        SHA-256 of every file above, with item, case and operator
    manifest.sig         Ed25519 signature of manifest.json's bytes (onionwatch/evidence_keys.py)
    signer.pub           the signing public key (its fingerprint is in the manifest and printed by verify)

Items are named ``MARKET:LISTING_ID`` or ``MARKET:vendor:VENDOR_ID``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from onionwatch import __version__
from onionwatch.errors import EvidenceError

MANIFEST, SIGNATURE, SIGNER = "manifest.json", "manifest.sig", "signer.pub"
FORMAT = "onionwatch-evidence/1"
CASE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_CAPTURES = 200


@dataclass(frozen=True)
class Item:
    market: str
    kind: str  # "listing" or "vendor"
    id: str

    def __str__(self) -> str:
        return f"{self.market}:vendor:{self.id}" if self.kind == "vendor" else f"{self.market}:{self.id}"

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "_", f"{self.market}_{self.kind}_{self.id}")[:120]


def parse_item(text: str) -> Item:
    market, sep, rest = text.partition(":")
    if not sep or not market or not rest:
        raise EvidenceError(f"{text!r:.80}: expected MARKET:LISTING_ID or MARKET:vendor:VENDOR_ID")
    if rest.startswith("vendor:") and rest[7:]:
        return Item(market, "vendor", rest[7:])
    return Item(market, "listing", rest)


def check_case(case: str) -> str:
    if not CASE_RE.match(case):
        raise EvidenceError(f"--case {case!r:.80}: letters, digits, '.', '_' or '-' (at most 64, no leading dot)")
    return case


@dataclass
class Capture:
    source: Path
    offset: int
    raw: bytes  # the whole WARC record (one gzip member) as stored
    uri: str
    date: str
    record_id: str
    transport: str
    content_type: str
    body: bytes


def same_page(uri: str, url: str) -> bool:
    """The store keeps a page's URL relative to the mirror (``/item/3``): any mirror's capture of it counts."""
    if urlsplit(url).scheme:
        return uri == url
    parts = urlsplit(uri)
    return (parts.path + (f"?{parts.query}" if parts.query else "")) == url


def find_captures(archive_root: Path, market: str, url: str) -> list[Capture]:
    """Every archived response for ``url`` in the market's WARC files (complete and partial), oldest first
    (at most MAX_CAPTURES, the newest)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found: list[Capture] = []
    folder = archive_root / market
    for path in sorted(folder.glob("*.warc.gz")) if folder.is_dir() else []:
        try:
            with path.open("rb") as f:
                it = ArchiveIterator(f)
                for rec in it:
                    uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                    if rec.rec_type != "response" or not same_page(uri, url):
                        continue
                    body = rec.content_stream().read()  # first: get_record_offset() reads the record to its end
                    offset = it.get_record_offset()
                    it.read_to_end(rec)
                    raw = os.pread(f.fileno(), it.get_record_length(), offset)
                    found.append(Capture(
                        path, offset, raw, uri, rec.rec_headers.get_header("WARC-Date") or "",
                        rec.rec_headers.get_header("WARC-Record-ID") or "",
                        rec.rec_headers.get_header("Onionwatch-Transport") or "unknown (archived before 0.2)",
                        (rec.http_headers.get_header("Content-Type") if rec.http_headers else None) or "text/html",
                        body,
                    ))  # fmt: skip
        except (OSError, ArchiveLoadFailed, ValueError) as exc:
            raise EvidenceError(f"{path}: not a readable WARC ({exc})") from None
    if not found:
        raise EvidenceError(f"{url}: no archived page under {folder} (was the crawl run with the archive on?)")
    return sorted(found, key=lambda c: c.date)[-MAX_CAPTURES:]


def lookup(store: Any, item: Item) -> dict[str, Any]:
    record = store.get_listing(item.market, item.id) if item.kind == "listing" else \
        store.vendor_profile(item.market, item.id)
    if record is None:
        raise EvidenceError(f"{item}: no such {item.kind} in the store")
    if not record.get("url"):
        raise EvidenceError(f"{item}: the store has no page URL for it")
    return dict(record)


def _mirror(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _write(path: Path, data: bytes) -> str:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return hashlib.sha256(data).hexdigest()


def _dumps(value: Any) -> bytes:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"


def build(out: Path, item: Item, record: dict[str, Any], captures: list[Capture], *, case: str, operator: str,
          key: Any, renderer: Any | None, audit: Any) -> dict[str, Any]:  # fmt: skip
    """Write the bundle to ``out`` (which must not exist), audit it, and return the manifest."""
    from onionwatch import evidence_keys

    if out.exists():
        raise EvidenceError(f"{out}: exists already (bundles are never overwritten)")
    tmp = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp.mkdir(mode=0o700)
        (tmp / "warc").mkdir(mode=0o700)
        (tmp / "render").mkdir(mode=0o700)
        files: dict[str, str] = {}
        meta_captures = []
        for n, cap in enumerate(captures, 1):
            name = f"warc/{n:03d}.warc.gz"
            files[name] = _write(tmp / name, cap.raw)
            entry: dict[str, Any] = {
                "warc": name, "target_uri": cap.uri, "capture_time": cap.date, "market": item.market,
                "mirror": _mirror(cap.uri), "transport": cap.transport, "warc_record_id": cap.record_id,
                "source_archive": cap.source.name, "source_offset": cap.offset, "content_type": cap.content_type,
            }  # fmt: skip
            if renderer is not None:
                png = f"render/{n:03d}.png"
                entry["blocked_requests"] = renderer.render(cap.body, cap.content_type, tmp / png)
                os.chmod(tmp / png, 0o600)
                files[png] = hashlib.sha256((tmp / png).read_bytes()).hexdigest()
                entry["rendering"] = png
            meta_captures.append(entry)
        public = key.public_key()
        exported = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        about = {"format": FORMAT, "item": str(item), "kind": item.kind, "market": item.market, "case": case,
                 "operator": operator, "tool": "onionwatch", "tool_version": __version__, "exported_at": exported,
                 "signer": evidence_keys.fingerprint(public)}  # fmt: skip
        files["record.json"] = _write(tmp / "record.json", _dumps(record))
        files["metadata.json"] = _write(tmp / "metadata.json", _dumps({**about, "captures": meta_captures,
                                                                        "rendered": renderer is not None}))
        manifest = {**about, "files": dict(sorted(files.items()))}
        manifest_bytes = _dumps(manifest)
        _write(tmp / MANIFEST, manifest_bytes)
        _write(tmp / SIGNATURE, evidence_keys.sign(key, manifest_bytes))
        _write(tmp / SIGNER, evidence_keys.public_pem(public))
        audit.append(operator, "evidence.export", str(item), {
            "case": case, "bundle": str(out), "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
            "captures": len(captures)})  # AuditError: nothing is left behind
        os.rename(tmp, out)
    except OSError as exc:
        raise EvidenceError(f"{out}: cannot write the bundle ({exc.strerror or exc})") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return manifest
