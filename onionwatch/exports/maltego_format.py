"""A Maltego-importable CSV of vendor identifiers (Import → "Import a 3rd party table").

One row per vendor identifier: the vendor's columns and exactly one identifier column filled, so the wizard's
mapping (README "Maltego import") links each identifier to its vendor. Plain UTF-8 (Maltego reads it; no BOM),
comma-separated; text never starts a formula, so Telegram handles are written without their "@".
"""

from __future__ import annotations

import csv
import io
from typing import IO, Any

from onionwatch.exports.identifiers import aliases, identifiers
from onionwatch.exports.table import safe_text

# column -> the Maltego entity type to pick for it in the import wizard (README documents the same table)
COLUMNS = {
    "vendor": "maltego.Alias", "market": "maltego.Phrase", "vendor_url": "maltego.URL", "alias": "maltego.Alias",
    "btc_address": "maltego.BTCAddress", "xmr_address": "maltego.CryptocurrencyAddress",
    "email": "maltego.EmailAddress", "telegram": "maltego.Alias", "jabber": "maltego.EmailAddress",
    "other_handle": "maltego.Alias", "pgp_fingerprint": "maltego.Phrase",
}  # fmt: skip
KIND_COLUMN = {"btc": "btc_address", "xmr": "xmr_address", "email": "email", "telegram": "telegram",
               "jabber": "jabber", "pgp": "pgp_fingerprint", "pgp_key_id": "pgp_fingerprint"}  # fmt: skip


def suffix(export: Any) -> str:
    return ".maltego.csv"


def vendor_rows(profile: dict[str, Any]) -> list[dict[str, str]]:
    names = aliases(profile)
    base = {"vendor": names[0] if names else str(profile.get("vendor_id")), "market": str(profile.get("market")),
            "vendor_url": profile.get("url") or ""}  # fmt: skip
    rows = [{**base, "alias": name} for name in names[1:]]
    for ident in identifiers(profile):
        column = KIND_COLUMN.get(ident.kind, "other_handle")
        value = ident.value.lstrip("@") if ident.kind == "telegram" else ident.value
        rows.append({**base, column: value})
    return rows or [base]


def write(export: Any, out: IO[bytes]) -> int:
    """The vendors' identifier rows; returns how many rows (NothingToExport without a vendor)."""
    if not export.vendors:
        from onionwatch.errors import NothingToExport

        raise NothingToExport(f"{export.kind} {export.subject}: no vendor in it, so no identifiers to export")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for profile in export.vendors:
        for row in vendor_rows(profile):
            writer.writerow({k: safe_text(v) for k, v in row.items()})
            count += 1
    text.detach()
    return count
