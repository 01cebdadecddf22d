"""Kibana saved objects: structure and references, the committed NDJSON in sync with its generator, the
export/import commands (import against a local stand-in that checks the request), and every panel's
aggregation run against the real Elasticsearch server with the contract dataset loaded."""

from __future__ import annotations

import email.parser
import email.policy
import http.server
import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onionwatch.dashboards.kibana.objects import DASHBOARDS, PANELS, es_aggregation, panel, saved_objects, to_ndjson
from onionwatch.indexer.elastic_templates import (
    Capabilities,
    leaf_types,
    listing_mapping,
    observation_mapping,
    vendor_mapping,
)

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "dashboards" / "kibana" / "onionwatch.ndjson"
MAPPINGS = {"observations": observation_mapping, "listings": listing_mapping, "vendors": vendor_mapping}
AGGREGATABLE = {"keyword", "date", "double", "long", "scaled_float"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "onionwatch.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_committed_ndjson_is_what_the_generator_writes() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == to_ndjson(saved_objects("onionwatch")), (
        "regenerate: onionwatch kibana export -o dashboards/kibana/onionwatch.ndjson"
    )


def test_objects_are_unique_and_every_reference_resolves() -> None:
    objects = [json.loads(line) for line in COMMITTED.read_text(encoding="utf-8").splitlines()]
    keys = [(o["type"], o["id"]) for o in objects]
    assert len(keys) == len(set(keys))
    assert {t for t, _ in keys} == {"index-pattern", "visualization", "dashboard"}
    seen: set[tuple[str, str]] = set()
    for o in objects:  # referenced objects come first, so an import never meets a dangling reference
        for ref in o["references"]:
            assert (ref["type"], ref["id"]) in seen, f"{o['id']}: unresolved reference {ref}"
        seen.add((o["type"], o["id"]))
    dashboards = [o for o in objects if o["type"] == "dashboard"]
    assert {d["attributes"]["title"] for d in dashboards} == {
        "onionwatch: substance trends",
        "onionwatch: vendor activity",
    }
    for d in dashboards:
        panels = json.loads(d["attributes"]["panelsJSON"])
        names = {r["name"] for r in d["references"]}
        assert panels and all(p["panelRefName"] in names for p in panels)


@pytest.mark.parametrize("p", PANELS, ids=lambda p: p.id)
def test_every_panel_uses_aggregatable_fields_of_its_index(p) -> None:
    vis = next(o for o in saved_objects() if o["id"] == f"onionwatch-{p.id}")
    state = json.loads(vis["attributes"]["visState"])
    types = leaf_types(MAPPINGS[p.index](Capabilities()))
    for agg in state["aggs"]:
        f = agg["params"].get("field")
        if f is not None:
            assert types.get(f) in AGGREGATABLE, f"{p.id}: field {f} is {types.get(f)} in {p.index}"
    search = json.loads(vis["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    [ref] = vis["references"]
    assert ref["name"] == search["indexRefName"] and ref["id"] == f"onionwatch-{p.index}"


def test_prefix_changes_data_view_titles_and_ids() -> None:
    objs = saved_objects("ops")
    views = [o for o in objs if o["type"] == "index-pattern"]
    assert {v["attributes"]["title"] for v in views} == {"ops-observations", "ops-vendors"}
    assert all(r["id"].startswith("ops-") for o in objs for r in o["references"])


def test_export_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "k.ndjson"
    proc = run_cli("kibana", "export", "-o", str(out), "--prefix", "ops")
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8") == to_ndjson(saved_objects("ops"))
    bad = run_cli("kibana", "export", "--prefix", "Bad Prefix")
    assert bad.returncode != 0 and "--prefix" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


class FakeKibana(http.server.BaseHTTPRequestHandler):
    """Stands in for Kibana's import endpoint and records what it was sent."""

    received: list[dict[str, Any]] = []
    answer: dict[str, Any] = {}

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers["content-length"])
        raw = self.rfile.read(length)
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"content-type: " + self.headers["content-type"].encode() + b"\r\n\r\n" + raw
        )
        files = {part.get_param("name", header="content-disposition"): part.get_content() for part in msg.iter_parts()}
        FakeKibana.received.append({"path": self.path, "xsrf": self.headers.get("kbn-xsrf"), "files": files})
        body = json.dumps(FakeKibana.answer).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_kibana() -> Iterator[str]:
    FakeKibana.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), FakeKibana)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_import_posts_the_ndjson_with_xsrf_and_overwrite(fake_kibana: str) -> None:
    n = len(saved_objects())
    FakeKibana.answer = {"success": True, "successCount": n, "errors": []}
    proc = run_cli("kibana", "import", "--url", fake_kibana, "--space", "ops")
    assert proc.returncode == 0, proc.stderr
    assert f"imported {n} saved objects" in proc.stdout
    [req] = FakeKibana.received
    assert req["path"] == "/s/ops/api/saved_objects/_import?overwrite=true"
    assert req["xsrf"] == "true"
    sent = req["files"]["file"]
    sent = sent.decode() if isinstance(sent, bytes) else sent
    assert sent == to_ndjson(saved_objects())


def test_import_reports_rejected_objects_and_unreachable_kibana(fake_kibana: str) -> None:
    FakeKibana.answer = {
        "success": False,
        "successCount": 0,
        "errors": [{"type": "visualization", "id": "x", "error": {"type": "missing_references"}}],
    }
    proc = run_cli("kibana", "import", "--url", fake_kibana)
    assert proc.returncode != 0 and "visualization/x" in proc.stderr
    down = run_cli("kibana", "import", "--url", "http://127.0.0.1:1", "--timeout", "3")
    assert down.returncode != 0 and "unreachable" in down.stderr
    assert len(down.stderr.strip().splitlines()) == 1


# --- every panel's aggregation against the real server


@pytest.fixture(scope="module")
def loaded_store() -> Iterator[Any]:
    from onionwatch.indexer.elastic import ElasticStore
    from tests.indexer import data
    from tests.indexer.test_elastic import require_es

    url = require_es()
    store = ElasticStore(f"{url}/?index_prefix=ow-kibana-{uuid.uuid4().hex[:8]}")
    for listings, vendors in data.batches():
        store.write_batch(listings, vendors)
    yield store
    store.drop()
    store.close()


def _buckets(agg: dict[str, Any]) -> list[dict[str, Any]]:
    return agg.get("buckets", [])


@pytest.mark.elasticsearch
@pytest.mark.parametrize("p", PANELS, ids=lambda p: p.id)
def test_every_panel_aggregation_runs_on_the_server(loaded_store, p) -> None:
    res = loaded_store.client.search(index=f"{loaded_store.names.prefix}-{p.index}", size=0, aggs=es_aggregation(p))
    top = _buckets(res["aggregations"]["2"])
    assert top, f"{p.id}: no buckets"


def _series(res: dict[str, Any], value) -> dict[tuple[str, str], Any]:
    out = {}
    for b in _buckets(res["aggregations"]["2"]):
        for s in _buckets(b["3"]):
            out[(b["key_as_string"][:10], s["key"])] = value(s)
    return out


def _per_observation(docs: list[dict[str, Any]], interval: str, key: str, value: str) -> dict[tuple[str, str], Any]:
    """The panels' semantics in Python: one value per (period of observed_at, key) over observation documents
    (with change-only recrawls these are changes, not the store's carried-forward trends)."""
    from onionwatch.indexer.query import median, period_start

    groups: dict[tuple[str, str], list[Any]] = {}
    for d in docs:
        if d.get(key) and (value == "key" or d.get(value) is not None):
            groups.setdefault((period_start(d["observed_at"], interval), d[key]), []).append(d[value])
    if value == "price_per_gram_usd":
        return {k: median(v) for k, v in groups.items()}
    return {k: len(set(v)) for k, v in groups.items()}


@pytest.mark.elasticsearch
def test_trend_panels_aggregate_the_observation_documents(loaded_store) -> None:
    client, prefix = loaded_store.client, loaded_store.names.prefix
    docs = [h["_source"] for h in client.search(index=f"{prefix}-observations", size=1000)["hits"]["hits"]]
    assert len(docs) == loaded_store.counts()["observations"]
    for pid, interval, key, field, value in (
        ("ow-listings-per-substance-week", "week", "substance", "key", lambda s: int(s["1"]["value"])),
        ("ow-median-price-per-gram-month", "month", "substance", "price_per_gram_usd",
         lambda s: s["1"]["values"]["50.0"]),
        ("ow-active-vendors-week", "week", "market", "vendor_key", lambda s: int(s["1"]["value"])),
    ):  # fmt: skip
        p = panel(pid)
        res = client.search(index=f"{prefix}-observations", size=0, aggs=es_aggregation(p))
        assert _series(res, value) == _per_observation(docs, interval, key, field), pid
    assert len(DASHBOARDS) == 2
