"""Vendor intelligence from a scraped profile: PGP fingerprint, contact handles, checksummed addresses."""

from __future__ import annotations

from onionwatch.crawler.items import RawVendor
from onionwatch.extractors.contacts import find_contacts
from onionwatch.extractors.crypto_addresses import find_addresses
from onionwatch.extractors.dates import parse_count, parse_date, parse_rating
from onionwatch.extractors.pgp import normalize_fingerprint, parse_public_key
from onionwatch.extractors.records import Vendor


def parse_vendor(raw: RawVendor) -> Vendor:
    key = parse_public_key(raw.pgp_key or "") or parse_public_key(raw.description or "")
    fingerprint = normalize_fingerprint(raw.pgp_fingerprint)
    contacts = find_contacts("\n".join([*raw.contacts, raw.description or ""]))
    if key:  # the key's user ids often name another mailbox: kept apart, as "pgp_uid"
        uid_mail = [a for addrs in find_contacts("\n".join(key.user_ids)).values() for a in addrs]
        shown = {a for addrs in contacts.values() for a in addrs}
        if extra := [a for a in uid_mail if a not in shown]:
            contacts["pgp_uid"] = extra
    address_text = "\n".join([*raw.crypto_addresses, raw.description or ""])
    return Vendor(
        market=raw.market,
        vendor_id=raw.vendor_id,
        name=raw.name,
        url=raw.url,
        rating=parse_rating(raw.rating),
        sales=parse_count(raw.sales),
        joined=parse_date(raw.joined, today=raw.scraped_at or None),
        pgp_fingerprint=key.fingerprint if key else fingerprint,
        pgp_key_id=key.key_id if key else (fingerprint[-16:] if fingerprint else None),
        contacts=contacts,
        crypto_addresses=find_addresses(address_text),
        description=raw.description,
        scraped_at=raw.scraped_at,
    )
