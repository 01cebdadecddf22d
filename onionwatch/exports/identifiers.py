"""A vendor profile's identifiers as (kind, value) pairs: the rows every identifier format starts from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# contact kinds as the extractor names them (extractors/contacts.py) -> the identifier kind exported
CONTACT_KINDS = {"telegram": "telegram", "jabber": "jabber", "email": "email", "session": "session",
                 "wickr": "wickr", "threema": "threema", "signal": "signal", "pgp_uid": "email"}  # fmt: skip
COIN_KINDS = {"BTC": "btc", "XMR": "xmr"}


@dataclass(frozen=True)
class Identifier:
    kind: str  # btc | xmr | email | telegram | jabber | session | wickr | threema | signal | pgp | pgp_key_id
    value: str


def identifiers(profile: dict[str, Any]) -> list[Identifier]:
    """Crypto addresses, contacts and the PGP key of one vendor, de-duplicated, in a stable order."""
    found: list[Identifier] = []

    def add(kind: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            ident = Identifier(kind, value.strip())
            if ident not in found:
                found.append(ident)

    for coin, addresses in sorted((profile.get("crypto_addresses") or {}).items()):
        for address in addresses or ():
            add(COIN_KINDS.get(coin.upper(), coin.lower()), address)
    for kind, handles in sorted((profile.get("contacts") or {}).items()):
        for handle in handles or ():
            add(CONTACT_KINDS.get(kind, kind), handle)
    add("pgp", profile.get("pgp_fingerprint"))
    add("pgp_key_id", profile.get("pgp_key_id"))
    return found


def aliases(profile: dict[str, Any]) -> list[str]:
    """The vendor's own name, then the names of vendors linked to it on other markets."""
    names = [profile.get("name") or ""]
    for linked in profile.get("linked") or ():
        name = linked.get("name")
        if name and name not in names:
            names.append(name)
    return [n for n in names if n]
