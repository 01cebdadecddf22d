"""Elasticsearch index names, capability detection and the index templates built from them.

Layout for a prefix P (default ``onionwatch``; the URL path picks another, e.g. ``http://h:9200/test1``):

- ``P-listings``     alias -> ``P-listings-v1``: current state, ``_id`` = hash of market + listing id,
  external versioning by last-seen second (an older scrape cannot overwrite a newer one).
- ``P-observations`` alias -> ``P-observations-YYYY.MM``: append-only, one flat document per listing
  observation, monthly indices created on demand from one template, deterministic ``_id`` + create.
- ``P-vendors``, ``P-watches``, ``P-alerts``, ``P-crawls``, ``P-vendor_history`` alias -> ``…-v1``.
- ``P-rollups`` alias -> ``P-rollups-v1``: trend rollups kept on write (indexer/elastic_rollups.py).

The integ-test-zip server lacks analysis-common (english/russian analyzers), mapper-extras
(scaled_float) and percolator; `detect` finds what the server has and the templates use it when present,
with clean fallbacks (no stemmed subfields, ``double``, stored-query evaluation via search).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1
KINDS = ("listings", "vendors", "watches", "alerts", "crawls", "mirrors", "vendor_history", "rollups")


@dataclass(frozen=True)
class Capabilities:
    english: bool = False
    russian: bool = False
    scaled_float: bool = False
    percolator: bool = False

    @property
    def names(self) -> list[str]:
        return [k for k, v in self.__dict__.items() if v]


def detect(client: Any) -> Capabilities:
    """What the cluster can do: modules present on every node (``GET _nodes/plugins``)."""
    nodes = client.nodes.info(metric="plugins").get("nodes", {})
    common: set[str] | None = None
    for node in nodes.values():
        names = {m["name"] for m in node.get("modules", [])} | {p["name"] for p in node.get("plugins", [])}
        common = names if common is None else common & names
    have = common or set()
    analysis = "analysis-common" in have
    return Capabilities(
        english=analysis,
        russian=analysis,
        scaled_float="mapper-extras" in have,
        percolator="percolator" in have,
    )


@dataclass(frozen=True)
class Names:
    prefix: str

    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"

    def index(self, kind: str) -> str:
        return f"{self.prefix}-{kind}-v{SCHEMA_VERSION}"

    def observations_index(self, ts: str) -> str:
        return f"{self.prefix}-observations-{ts[:4]}.{ts[5:7]}"

    @property
    def observations(self) -> str:
        return f"{self.prefix}-observations"

    def pattern(self, kind: str) -> str:
        if kind == "observations":
            return f"{self.prefix}-observations-*"
        return f"{self.prefix}-{kind}-v*"

    def all_patterns(self) -> list[str]:
        return [self.pattern(k) for k in (*KINDS, "observations")]


KW = {"type": "keyword", "ignore_above": 1024}
DATE = {"type": "date", "format": "strict_date_optional_time||epoch_millis"}
DBL = {"type": "double"}
OFF = {"type": "object", "enabled": False}
OFF_KW = {"type": "keyword", "index": False, "doc_values": False}  # stored in _source only, never searched


def _money(caps: Capabilities) -> dict[str, Any]:
    """Raw market-currency amounts (never aggregated): scaled_float where the server has it."""
    return {"type": "scaled_float", "scaling_factor": 100000} if caps.scaled_float else DBL


def _text(caps: Capabilities, *, keyword: bool = False) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if keyword:
        fields["keyword"] = {"type": "keyword", "ignore_above": 256}
    if caps.english:
        fields["en"] = {"type": "text", "analyzer": "english"}
    if caps.russian:
        fields["ru"] = {"type": "text", "analyzer": "russian"}
    out: dict[str, Any] = {"type": "text", "analyzer": "standard"}
    if fields:
        out["fields"] = fields
    return out


def listing_mapping(caps: Capabilities) -> dict[str, Any]:
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION, "capabilities": caps.names},
        "properties": {
            "market": KW,
            "listing_id": KW,
            "url": {"type": "keyword", "index": False, "doc_values": False},
            "title": _text(caps, keyword=True),
            "description": _text(caps),
            "vendor": {**KW, "fields": {"text": {"type": "text"}}},
            "vendor_id": KW,
            "lang": KW,
            "substance": KW,
            "substance_class": KW,
            "class_source": KW,  # lexicon | model (extractors/drug_class.py)
            "review": {"type": "boolean"},
            "review_reason": KW,
            "substances": OFF,
            "quantity": {"properties": {"value": DBL, "unit": KW}},
            "dose": {"properties": {"value": DBL, "unit": KW}},
            "price": {"properties": {"amount": _money(caps), "currency": KW}},
            "price_usd": DBL,
            "price_per_gram_usd": DBL,
            "price_per_unit_usd": DBL,
            "tiers": OFF,
            "category": KW,
            "ships_from": KW,
            "ships_to": KW,
            "location": KW,
            "city": KW,
            "district": KW,
            "country": KW,  # derived from the city (indexer/search_keys.py)
            "scraped_at": {"type": "keyword", "index": False},
            "first_seen": DATE,
            "last_seen": DATE,
            "status": KW,  # live | gone (indexer/changes.py); absent in documents from before: live
            "gone_at": DATE,
            "ow": {
                "properties": {
                    "key": KW,
                    "vendor_key": KW,
                    "vendor_ref": KW,
                    "tokens": {"type": "keyword", "ignore_above": 256},
                    "stems": {"type": "keyword", "ignore_above": 256},
                    # the stemmed columns, one array value each: phrases match within a column
                    "stem_text": {"type": "text", "analyzer": "whitespace", "norms": False},
                    "city_key": KW,
                    "district_key": KW,
                    "substances": KW,
                    "classes": KW,
                    "known_substances": KW,
                    "known_classes": KW,
                    "identifiers": KW,  # "kind:value" (indexer/identifiers.py)
                    "doc_hash": {"type": "keyword", "index": False},
                }
            },
        },
    }


def observation_mapping(caps: Capabilities) -> dict[str, Any]:
    """Flat on purpose: Kibana Lens cannot draw nested fields, so substances is a keyword array."""
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION},
        "properties": {
            "observed_at": DATE,
            "key": KW,
            "market": KW,
            "listing_id": KW,
            "title": {"type": "keyword", "ignore_above": 256},
            "vendor": KW,
            "vendor_key": KW,
            "vendor_ref": KW,
            "lang": KW,
            "substance": KW,
            "substance_class": KW,
            "substances": KW,
            "known_substances": KW,
            "unknown_substances": KW,
            "classes": KW,
            "price": _money(caps),
            "currency": KW,
            "price_usd": DBL,
            "price_per_gram_usd": DBL,
            "quantity": DBL,
            "unit": KW,
            "change_key": KW,  # title + price + tiers hash (indexer/changes.py): observations are change-only
        },
    }


def vendor_mapping(caps: Capabilities) -> dict[str, Any]:
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION},
        "properties": {
            "market": KW,
            "vendor_id": KW,
            "name": {**KW, "fields": {"text": {"type": "text"}}},
            "url": {"type": "keyword", "index": False, "doc_values": False},
            "rating": _money(caps) if caps.scaled_float else DBL,
            "sales": {"type": "long"},
            "joined": {"type": "keyword"},
            "pgp_fingerprint": KW,
            "pgp_key_id": KW,
            "contacts": OFF,
            "crypto_addresses": OFF,
            "description": _text(caps),
            "scraped_at": {"type": "keyword", "index": False},
            "first_seen": DATE,
            "last_seen": DATE,
            "ow": {
                "properties": {
                    "key": KW,
                    "name_key": KW,
                    "name_norm": KW,
                    "contacts": KW,
                    "crypto": KW,
                    "identifiers": KW,  # "kind:value" (indexer/identifiers.py)
                    "doc_hash": {"type": "keyword", "index": False},
                }
            },
        },
    }


def watch_mapping(caps: Capabilities) -> dict[str, Any]:
    props: dict[str, Any] = {"name": KW, "definition": OFF, "created_at": DATE, "seq": {"type": "long"}}
    if caps.percolator:
        # The percolator parses stored queries against the fields of the listing documents.
        props["query"] = {"type": "percolator"}
        props.update(listing_mapping(caps)["properties"])
        props["name"] = KW
    return {"dynamic": "false", "_meta": {"onionwatch_schema": SCHEMA_VERSION}, "properties": props}


def alert_mapping(caps: Capabilities) -> dict[str, Any]:
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION},
        "properties": {
            "watch_id": KW,
            "watch_name": KW,
            "market": KW,
            "listing_id": KW,
            "observed_at": DATE,
            "created_at": DATE,
            "seq": {"type": "long"},
            # issue 13: kind, listing snapshot, acknowledgement and delivery marks (indexer/watch_alerts.py)
            "kind": KW, "url": OFF_KW, "title": OFF_KW, "vendor": OFF_KW, "price_usd": DBL, "old_price_usd": DBL,
            "price_amount": DBL, "price_currency": KW, "acked_at": DATE, "acked_by": KW, "notified_at": DATE,
            "digest_at": DATE,
        },
    }


def crawl_mapping(caps: Capabilities) -> dict[str, Any]:
    """One document per crawl (id: a sortable number, as text): state, counters, reasons, fill rates."""
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION},
        "properties": {
            "market": KW, "status": KW, "started_at": DATE, "updated_at": DATE, "ended_at": DATE,
            "seq": {"type": "long"}, "counters": OFF, "reasons": OFF, "fill_rates": OFF,
        },
    }


def mirror_mapping(caps: Capabilities) -> dict[str, Any]:
    """One document per mirror-health sample (crawler/mirror_health.py): probes and crawls."""
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION},
        "properties": {
            "market": KW, "mirror": KW, "checked_at": DATE, "source": KW, "up": {"type": "boolean"},
            "status": {"type": "integer"}, "latency_ms": {"type": "float"}, "requests": {"type": "integer"},
            "failures": {"type": "integer"}, "error": OFF, "seq": {"type": "long"},
        },
    }


def vendor_history_mapping(caps: Capabilities) -> dict[str, Any]:
    """One document per changed vendor field (name, PGP, contacts, crypto addresses): old and new value."""
    stored = {"type": "keyword", "index": False, "doc_values": False}
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION},
        "properties": {"market": KW, "vendor_id": KW, "field": KW, "old_value": stored, "new_value": stored,
                       "changed_at": DATE},
    }


def rollup_mapping(caps: Capabilities) -> dict[str, Any]:
    """One document per trend rollup key (indexer/elastic_rollups.py): its deltas per period, not indexed."""
    return {
        "dynamic": "false",
        "_meta": {"onionwatch_schema": SCHEMA_VERSION},
        "properties": {"kind": KW, "interval": KW, "substance": KW, "market": KW, "vendor_key": KW,
                       "chunk": {"type": "integer"}, "at": DATE, "d": OFF},
    }


MAPPINGS = {
    "rollups": rollup_mapping,
    "vendor_history": vendor_history_mapping,
    "crawls": crawl_mapping,
    "mirrors": mirror_mapping,
    "listings": listing_mapping,
    "observations": observation_mapping,
    "vendors": vendor_mapping,
    "watches": watch_mapping,
    "alerts": alert_mapping,
}


def replicas_for(data_nodes: int) -> int:
    """Replicas per shard: 1 on a cluster (a node can stop and every shard stays searchable and writable,
    health yellow), 0 on a single node (a replica could never be placed: health would stay yellow)."""
    return 1 if data_nodes > 1 else 0


REFRESH_INTERVAL = "1s"  # normal operation; "-1" (no refresh) while a bulk load runs (ElasticStore.bulk_loading)
# Translog durability while a bulk load runs: None = the server's default ("request": fsync before each bulk
# request is acknowledged). "async" (fsync every 5 s) was measured in issue 15 and did not lower the server's
# CPU per listing on one node (README speed table), so it stays off; bench_es_bulk's durability=async sets it.
BULK_DURABILITY: str | None = None


def index_settings(refresh_interval: str, replicas: int, *, loading: bool = False) -> dict[str, Any]:
    """The dynamic settings onionwatch sets on its indices: normal ones, or those of a bulk load.
    ``translog.durability`` None resets an index to the server's default ("request")."""
    return {"refresh_interval": refresh_interval, "number_of_replicas": replicas,
            "translog.durability": BULK_DURABILITY if loading else None}  # fmt: skip


def template(names: Names, kind: str, caps: Capabilities, replicas: int = 0,
             refresh_interval: str = REFRESH_INTERVAL, *, loading: bool = False) -> dict[str, Any]:  # fmt: skip
    """Body of ``PUT _index_template/<P-kind>``: settings, mappings and the read alias."""
    settings: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": replicas,
                                "refresh_interval": refresh_interval}  # fmt: skip
    if loading and BULK_DURABILITY:
        settings["translog.durability"] = BULK_DURABILITY
    if kind == "observations":
        settings["codec"] = "best_compression"
    return {
        "index_patterns": [names.pattern(kind)],
        "priority": 200,
        "_meta": {"managed_by": "onionwatch", "onionwatch_schema": SCHEMA_VERSION},
        "template": {
            "settings": settings,
            "mappings": MAPPINGS[kind](caps),
            "aliases": {names.alias(kind): {}},
        },
    }


def leaf_types(mapping: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """{"a.b": type} for every typed field of a mapping (object fields descend)."""
    out: dict[str, str] = {}
    for name, spec in (mapping.get("properties") or {}).items():
        path = f"{prefix}{name}"
        if "properties" in spec:
            out.update(leaf_types(spec, path + "."))
        else:
            out[path] = spec.get("type", "object")
    return out


# Mapping parameters an existing field cannot change (a put_mapping changing one is refused as a whole).
FROZEN = ("doc_values", "norms", "index", "index_options")


def additive(expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, Any]:
    """The ``properties`` to put on an existing index: every field of ``expected``, but a field the index
    already has keeps its FROZEN parameters (e.g. doc values, should a later version drop them), so only new
    fields and sub-fields are added and the update is never refused for a changed parameter."""
    have = actual.get("properties") or {}
    out: dict[str, Any] = {}
    for name, spec in (expected.get("properties") or {}).items():
        old = have.get(name)
        if old is None:
            out[name] = spec
        elif "properties" in spec:
            out[name] = {**spec, "properties": additive(spec, old)}
        else:
            kept = {k: v for k, v in spec.items() if k not in FROZEN}
            kept.update({k: old[k] for k in FROZEN if k in old})
            out[name] = kept
    return out


def conflicts(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Fields whose type in an existing index differs from what this version writes."""
    want, have = leaf_types(expected), leaf_types(actual)
    return [f"field {f} is {have[f]!r}, expected {t!r}" for f, t in sorted(want.items()) if f in have and have[f] != t]
