"""MISP event JSON of vendor identifiers, built with pymisp's MISPEvent/MISPObject (no MISP server involved).

One event per export; per vendor a ``threat-actor`` attribute (its name), ``coin-address`` objects (BTC/XMR),
``telegram-account`` objects, ``email`` / ``jabber-id`` attributes, a ``pgp-meta`` object (key id) with the
fingerprint as a ``text`` attribute, other messengers as ``text``. Distribution "your organisation only";
uuids are derived from the vendor and value (uuid5), so a re-import updates instead of duplicating.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import IO, Any

from pymisp import MISPEvent, MISPObject

from onionwatch.exports.identifiers import Identifier, aliases, identifiers
from onionwatch.exports.table import Export

NAMESPACE = uuid.UUID("5f0c5bd2-6b1e-4f53-9d0a-6f6e696f6e77")  # onionwatch's uuid5 namespace for MISP
ORG_ONLY, TLP = 0, "tlp:amber"


def suffix(export: Export) -> str:
    return ".misp.json"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def _object(event: MISPEvent, name: str, key: str, fields: dict[str, str], comment: str) -> None:
    obj = MISPObject(name, standalone=False)
    obj.uuid = _uuid(key, name, *fields.values())
    obj.comment = comment
    for relation, value in fields.items():
        obj.add_attribute(relation, value=value, uuid=_uuid(key, name, relation, value))
    event.add_object(obj)


def _identifier(event: MISPEvent, key: str, ident: Identifier, who: str) -> None:
    if ident.kind in ("btc", "xmr"):
        fields = {"address" if ident.kind == "btc" else "address-xmr": ident.value, "symbol": ident.kind.upper()}
        _object(event, "coin-address", key, fields, f"{who}: {ident.kind.upper()} address")
    elif ident.kind == "telegram":
        _object(event, "telegram-account", key, {"username": ident.value}, f"{who}: Telegram")
    elif ident.kind == "pgp_key_id":
        _object(event, "pgp-meta", key, {"key-id": ident.value}, f"{who}: PGP key")
    else:
        kind = {"email": "email", "jabber": "jabber-id"}.get(ident.kind, "text")
        comment = f"{who}: " + ("PGP fingerprint" if ident.kind == "pgp" else ident.kind)
        event.add_attribute(kind, ident.value, comment=comment, to_ids=False, uuid=_uuid(key, ident.kind, ident.value))


def build(export: Export) -> MISPEvent:
    event = MISPEvent()
    event.uuid = _uuid("event", export.kind, export.subject)
    event.info = f"onionwatch: darknet vendor identifiers ({export.kind} {export.subject})"
    event.distribution, event.threat_level_id, event.analysis = ORG_ONLY, 4, 0
    event.date = date.today()
    event.add_tag(TLP)
    for profile in export.vendors:
        key = f"{profile.get('market')}:{profile.get('vendor_id')}"
        who = f"vendor {profile.get('name')} on {profile.get('market')}"
        for name in aliases(profile):
            event.add_attribute("threat-actor", name, comment=who, to_ids=False, uuid=_uuid(key, "name", name))
        if profile.get("url"):
            event.add_attribute("url", profile["url"], comment=f"{who}: profile page", to_ids=False,
                                uuid=_uuid(key, "url", profile["url"]))  # fmt: skip
        for ident in identifiers(profile):
            _identifier(event, key, ident, who)
    return event


def write(export: Export, out: IO[bytes]) -> int:
    """The event as MISP's import JSON (``{"Event": ...}``); returns how many attributes it holds."""
    if not export.vendors:
        from onionwatch.errors import NothingToExport

        raise NothingToExport(f"{export.kind} {export.subject}: no vendor in it, so no identifiers to export")
    event = build(export)
    body: dict[str, Any] = {"Event": json.loads(event.to_json())}
    out.write(json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))
    return len(event.attributes) + sum(len(o.attributes) for o in event.objects)
