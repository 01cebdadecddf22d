"""Panel specs -> Kibana saved objects (NDJSON) and the Elasticsearch aggregation each panel runs.

One `Panel` describes a chart once; `visualization()` renders it as a Kibana aggregation-based
visualisation (legacy ``visState``, imported and migrated by Kibana 8.x/9.x) and `es_aggregation()` as
the request Kibana sends, so the tests can run every panel against a real server. Index names follow
the store's prefix (indexer/elastic_templates.py): data views are the read aliases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

TIME_FIELDS = {"observations": "observed_at", "listings": "last_seen", "vendors": "last_seen"}
KIBANA_VERSION = "8.19.0"  # objects are written in this version's shape; newer Kibanas migrate on import


@dataclass(frozen=True)
class Metric:
    type: str  # count | cardinality | median | min | max | avg
    field: str | None = None


@dataclass(frozen=True)
class Bucket:
    type: str  # date_histogram | terms
    field: str
    interval: str = "w"  # date_histogram: Kibana interval code (d, w, M)
    size: int = 10
    schema: str = "segment"  # segment (x axis / rows) | group (split series)


@dataclass(frozen=True)
class Panel:
    id: str
    title: str
    vis: str  # line | histogram | table | pie
    index: str  # observations | listings | vendors
    metric: Metric
    buckets: tuple[Bucket, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Dashboard:
    id: str
    title: str
    description: str
    panels: tuple[str, ...] = field(default_factory=tuple)


PANELS = (
    Panel("ow-listings-per-substance-week", "Listings per substance per week", "line", "observations",
          Metric("cardinality", "key"),
          (Bucket("date_histogram", "observed_at", "w"), Bucket("terms", "substance", size=10, schema="group")),
          "Distinct listings observed per primary substance, weekly (store: listings_per_substance)."),
    Panel("ow-median-price-per-gram-month", "Median USD per gram per substance (monthly)", "line",
          "observations", Metric("median", "price_per_gram_usd"),
          (Bucket("date_histogram", "observed_at", "M"), Bucket("terms", "substance", size=10, schema="group")),
          "Median observed price per gram (store: price_per_gram)."),
    Panel("ow-substance-share", "Observations by substance", "pie", "observations", Metric("count"),
          (Bucket("terms", "known_substances", size=15),), "Share of observations mentioning each substance."),
    Panel("ow-unknown-substances", "Unknown substance candidates (first seen)", "table", "observations",
          Metric("min", "observed_at"), (Bucket("terms", "unknown_substances", size=50),),
          "Candidates from unknown-substance discovery and when each was first observed."),
    Panel("ow-active-vendors-week", "Active vendors per market per week", "line", "observations",
          Metric("cardinality", "vendor_key"),
          (Bucket("date_histogram", "observed_at", "w"), Bucket("terms", "market", size=20, schema="group")),
          "Distinct vendors with an observed listing (store: active_vendors)."),
    Panel("ow-top-vendors", "Top vendors by listings", "table", "observations", Metric("cardinality", "key"),
          (Bucket("terms", "vendor_ref", size=25),), "Vendors (market:vendor_id) by distinct listings."),
    Panel("ow-observations-per-market", "Observations per market per day", "histogram", "observations",
          Metric("count"),
          (Bucket("date_histogram", "observed_at", "d"), Bucket("terms", "market", size=20, schema="group")),
          "Crawl volume per market."),
    Panel("ow-vendors-per-market", "Vendors per market", "pie", "vendors", Metric("count"),
          (Bucket("terms", "market", size=20),), "Vendor profiles stored per market."),
)  # fmt: skip

DASHBOARDS = (
    Dashboard("ow-substance-trends", "onionwatch: substance trends",
              "Listings, prices and emerging substances over time.",
              ("ow-listings-per-substance-week", "ow-median-price-per-gram-month", "ow-substance-share",
               "ow-unknown-substances")),
    Dashboard("ow-vendor-activity", "onionwatch: vendor activity", "Active vendors, top vendors, crawl volume.",
              ("ow-active-vendors-week", "ow-top-vendors", "ow-observations-per-market", "ow-vendors-per-market")),
)  # fmt: skip

_ES_INTERVAL = {"d": "day", "w": "week", "M": "month"}


def data_view_id(prefix: str, index: str) -> str:
    return f"{prefix}-{index}"


def data_view(prefix: str, index: str) -> dict[str, Any]:
    return {
        "type": "index-pattern",
        "id": data_view_id(prefix, index),
        "attributes": {
            "title": f"{prefix}-{index}",
            "name": f"onionwatch {index} ({prefix})",
            "timeFieldName": TIME_FIELDS[index],
        },
        "references": [],
        "coreMigrationVersion": KIBANA_VERSION,
    }


def _kibana_aggs(panel: Panel) -> list[dict[str, Any]]:
    m = panel.metric
    mparams: dict[str, Any] = {} if m.type == "count" else {"field": m.field}
    aggs = [{"id": "1", "enabled": True, "type": m.type, "params": mparams, "schema": "metric"}]
    for i, b in enumerate(panel.buckets, start=2):
        if b.type == "date_histogram":
            params: dict[str, Any] = {"field": b.field, "interval": b.interval, "min_doc_count": 1,
                                      "extended_bounds": {}}  # fmt: skip
        else:
            params = {"field": b.field, "size": b.size, "order": "desc", "orderBy": "1", "otherBucket": False,
                      "missingBucket": False}  # fmt: skip
        schema = "bucket" if panel.vis == "table" and b.schema == "segment" else b.schema
        aggs.append({"id": str(i), "enabled": True, "type": b.type, "params": params, "schema": schema})
    return aggs


def visualization(prefix: str, panel: Panel) -> dict[str, Any]:
    vis_state = {"title": panel.title, "type": panel.vis, "params": _vis_params(panel), "aggs": _kibana_aggs(panel)}
    search_source = {
        "query": {"query": "", "language": "kuery"},
        "filter": [],
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
    }
    return {
        "type": "visualization",
        "id": f"{prefix}-{panel.id}",
        "attributes": {
            "title": panel.title,
            "description": panel.description,
            "visState": json.dumps(vis_state, sort_keys=True),
            "uiStateJSON": "{}",
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(search_source, sort_keys=True)},
        },
        "references": [
            {
                "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
                "type": "index-pattern",
                "id": data_view_id(prefix, panel.index),
            }
        ],
        "coreMigrationVersion": KIBANA_VERSION,
    }


_METRIC_LABEL = {"count": "Count", "cardinality": "Unique count", "median": "Median", "min": "Min", "max": "Max"}


def _vis_params(panel: Panel) -> dict[str, Any]:
    """The params block Kibana itself writes for each legacy chart type (so it renders without edits)."""
    if panel.vis == "table":
        return {"perPage": 25, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": False,
                "totalFunc": "sum", "percentageCol": ""}  # fmt: skip
    if panel.vis == "pie":
        labels = {"show": False, "values": True, "last_level": True, "truncate": 100}
        return {"type": "pie", "addTooltip": True, "legendDisplay": "show", "legendPosition": "right",
                "isDonut": True, "labels": labels}  # fmt: skip
    m = panel.metric
    label = f"{_METRIC_LABEL[m.type]}{' of ' + m.field if m.field else ''}"
    return {
        "type": panel.vis,
        "grid": {"categoryLines": False},
        "categoryAxes": [{"id": "CategoryAxis-1", "type": "category", "position": "bottom", "show": True,
                          "scale": {"type": "linear"}, "labels": {"show": True, "filter": True, "truncate": 100},
                          "title": {}}],
        "valueAxes": [{"id": "ValueAxis-1", "name": "LeftAxis-1", "type": "value", "position": "left", "show": True,
                       "scale": {"type": "linear", "mode": "normal"},
                       "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100},
                       "title": {"text": label}}],
        "seriesParams": [{"show": True, "type": panel.vis, "mode": "normal", "data": {"label": label, "id": "1"},
                          "valueAxis": "ValueAxis-1", "drawLinesBetweenPoints": True, "lineWidth": 2,
                          "showCircles": True, "interpolate": "linear"}],
        "addTooltip": True,
        "addLegend": True,
        "legendPosition": "right",
        "times": [],
        "addTimeMarker": False,
    }  # fmt: skip


def dashboard(prefix: str, dash: Dashboard) -> dict[str, Any]:
    panels, refs = [], []
    for n, pid in enumerate(dash.panels):
        panels.append(
            {
                "panelIndex": str(n + 1),
                "gridData": {"x": (n % 2) * 24, "y": (n // 2) * 15, "w": 24, "h": 15, "i": str(n + 1)},
                "version": KIBANA_VERSION,
                "type": "visualization",
                "panelRefName": f"panel_{n}",
                "embeddableConfig": {},
            }
        )
        refs.append({"name": f"panel_{n}", "type": "visualization", "id": f"{prefix}-{pid}"})
    search_source = {"query": {"query": "", "language": "kuery"}, "filter": []}
    return {
        "type": "dashboard",
        "id": f"{prefix}-{dash.id}",
        "attributes": {
            "title": dash.title,
            "description": dash.description,
            "panelsJSON": json.dumps(panels, sort_keys=True),
            "optionsJSON": json.dumps({"useMargins": True, "hidePanelTitles": False}),
            "timeRestore": False,
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(search_source, sort_keys=True)},
        },
        "references": refs,
        "coreMigrationVersion": KIBANA_VERSION,
    }


def saved_objects(prefix: str = "onionwatch") -> list[dict[str, Any]]:
    """Every object, referenced ones first (data views, visualisations, dashboards)."""
    indices = sorted({p.index for p in PANELS})
    return (
        [data_view(prefix, i) for i in indices]
        + [visualization(prefix, p) for p in PANELS]
        + [dashboard(prefix, d) for d in DASHBOARDS]
    )


def to_ndjson(objects: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(o, sort_keys=True, ensure_ascii=False) + "\n" for o in objects)


def es_aggregation(panel: Panel) -> dict[str, Any]:
    """The aggregation Kibana runs for this panel (buckets nest in order; the metric at the leaf)."""
    m = panel.metric
    leaf: dict[str, Any] = {}
    if m.type == "median":
        leaf = {"1": {"percentiles": {"field": m.field, "percents": [50]}}}
    elif m.type != "count":
        leaf = {"1": {m.type: {"field": m.field}}}
    aggs = leaf
    for i, b in reversed(list(enumerate(panel.buckets, start=2))):
        if b.type == "date_histogram":
            body: dict[str, Any] = {"date_histogram": {"field": b.field, "calendar_interval": _ES_INTERVAL[b.interval],
                                                       "min_doc_count": 1, "time_zone": "UTC"}}  # fmt: skip
        else:
            order = {"_count": "desc"} if m.type == "count" else {"1" if m.type != "median" else "1.50": "desc"}
            body = {"terms": {"field": b.field, "size": b.size, "order": order}}
        if aggs:
            body["aggs"] = aggs
        aggs = {str(i): body}
    return aggs


def panel(panel_id: str) -> Panel:
    return next(p for p in PANELS if p.id == panel_id)
