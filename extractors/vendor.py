"""Vendor intelligence from a scraped profile: PGP fingerprint, contact handles, checksummed addresses."""

from __future__ import annotations

from crawler.items import RawVendor
from extractors.contacts import find_contacts
from extractors.crypto_addresses import find_addresses
from extractors.dates import parse_count, parse_date, parse_rating
from extractors.pgp import parse_public_key
from extractors.records import Vendor


def parse_vendor(raw: RawVendor) -> Vendor:
    key = parse_public_key(raw.pgp_key or "") or parse_public_key(raw.description or "")
    contact_text = "\n".join([*raw.contacts, raw.description or ""])
    if key:
        contact_text += "\n" + "\n".join(key.user_ids)
    address_text = "\n".join([*raw.crypto_addresses, raw.description or ""])
    return Vendor(
        market=raw.market,
        vendor_id=raw.vendor_id,
        name=raw.name,
        url=raw.url,
        rating=parse_rating(raw.rating),
        sales=parse_count(raw.sales),
        joined=parse_date(raw.joined, today=raw.scraped_at or None),
        pgp_fingerprint=key.fingerprint if key else None,
        pgp_key_id=key.key_id if key else None,
        contacts=find_contacts(contact_text),
        crypto_addresses=find_addresses(address_text),
        description=raw.description,
        scraped_at=raw.scraped_at,
    )
