"""A STIX 2.1 bundle of vendor identifiers, built with the ``stix2`` library.

Per vendor: a ``threat-actor`` (type "criminal"; its name and linked names as aliases) related to
observables: ``email-addr``; ``user-account`` for Telegram, Jabber and other messenger handles (account_type
names the service); ``x-onionwatch-crypto-address`` for BTC/XMR and ``x-onionwatch-pgp-key`` for PGP
fingerprints (STIX has no types for these: custom observables, so importers must allow custom content).
Observables get the library's deterministic uuid5 ids; the threat actor, relationships and bundle ids are
uuid5s of the vendor, so exporting the same vendor twice gives the same ids.
"""

from __future__ import annotations

import uuid
from typing import IO, Any

import stix2
from stix2 import CustomObservable, properties

from onionwatch.exports.identifiers import Identifier, aliases, identifiers
from onionwatch.exports.table import Export

NAMESPACE = uuid.UUID("0c6b3f0e-1f7d-4a4e-9a43-6f6e696f6e78")  # onionwatch's uuid5 namespace for STIX ids
EPOCH = "2000-01-01T00:00:00Z"


@CustomObservable("x-onionwatch-crypto-address", [
    ("value", properties.StringProperty(required=True)),
    ("currency", properties.StringProperty(required=True)),
], id_contrib_props=["value", "currency"])  # fmt: skip
class CryptoAddress:
    """A cryptocurrency address (BTC, XMR) a vendor takes payment on."""


@CustomObservable("x-onionwatch-pgp-key", [
    ("fingerprint", properties.StringProperty()),
    ("key_id", properties.StringProperty()),
], id_contrib_props=["fingerprint", "key_id"])  # fmt: skip
class PgpKey:
    """A vendor's PGP key, by its 40-hex fingerprint or 16-hex key id."""


_CRYPTO: Any = CryptoAddress  # the decorator builds the constructor: its keyword arguments are the properties
_PGP: Any = PgpKey


def suffix(export: Export) -> str:
    return ".stix.json"


def _id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, chr(31).join(parts))}"


def observable(ident: Identifier) -> Any:
    if ident.kind in ("btc", "xmr"):
        return _CRYPTO(value=ident.value, currency=ident.kind.upper())
    if ident.kind == "email":
        return stix2.EmailAddress(value=ident.value)
    if ident.kind == "pgp":
        return _PGP(fingerprint=ident.value)
    if ident.kind == "pgp_key_id":
        return _PGP(key_id=ident.value)
    return stix2.UserAccount(account_login=ident.value, account_type=ident.kind, allow_custom=True)


def vendor_objects(profile: dict[str, Any]) -> list[Any]:
    key = f"{profile.get('market')}:{profile.get('vendor_id')}"
    when = profile.get("first_seen") or EPOCH
    names = aliases(profile) or [key]
    actor = stix2.ThreatActor(
        id=_id("threat-actor", key), name=names[0], aliases=names[1:] or None, threat_actor_types=["criminal"],
        description=f"Darknet vendor {names[0]} on market {profile.get('market')} (onionwatch {key})",
        first_seen=profile.get("first_seen"), last_seen=profile.get("last_seen"), created=when, modified=when,
    )  # fmt: skip
    objects: list[Any] = [actor]
    for ident in identifiers(profile):
        obs = observable(ident)
        rel = stix2.Relationship(actor, "related-to", obs, id=_id("relationship", key, obs.id), created=when,
                                 modified=when, description=f"uses {ident.kind}", allow_custom=True)
        objects += [obs, rel]
    return objects


def build(export: Export) -> stix2.Bundle:
    objects: list[Any] = []
    for profile in export.vendors:
        objects += [o for o in vendor_objects(profile) if all(o.id != seen.id for seen in objects)]
    return stix2.Bundle(*objects, id=_id("bundle", export.kind, export.subject), allow_custom=True)


def write(export: Export, out: IO[bytes]) -> int:
    """The bundle as JSON; returns how many STIX objects it holds."""
    if not export.vendors:
        from onionwatch.errors import NothingToExport

        raise NothingToExport(f"{export.kind} {export.subject}: no vendor in it, so no identifiers to export")
    bundle = build(export)
    out.write(bundle.serialize(pretty=True, ensure_ascii=False).encode("utf-8"))
    return len(bundle.objects)
