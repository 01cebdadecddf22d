"""Archived pages and evidence bundles in the dashboard (dashboards/archive_views.py), in-process over a real
crawl of the kladmen testbed market with the archive on: the sandboxed frame's headers, case limits, audit
entries, and a downloaded bundle that `onionwatch evidence verify` accepts."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from onionwatch import evidence_keys
from onionwatch.dashboards.app import DashboardApp
from onionwatch.dashboards.archive_views import RAW_CSP
from onionwatch.indexer.store import open_store
from tests.dashboards.client import call, form_token, login
from tests.evidence_crawl import Crawled, cli, crawled_fixture  # noqa: F401 - the fixture "crawled"

pytestmark = pytest.mark.integration


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.fixture
def app(crawled: Crawled, config_dir: Path) -> Iterator[DashboardApp]:
    store = open_store(crawled.store, create=False)
    yield DashboardApp(store, archive_root=crawled.archive)
    store.close()


def _audit(app: DashboardApp) -> list[tuple[str, str, str]]:
    return [(e["actor"], e["action"], e["target"]) for e in app.audit.entries()]


def test_archive_page_and_sandboxed_frame(app: DashboardApp, crawled: Crawled) -> None:
    query = {"market": "kladmen", "id": crawled.listing}
    listing = call(app, "/listing", query)
    assert listing.status == 200
    link = f"/archive?market=kladmen&amp;kind=listing&amp;id={crawled.listing}"
    assert link in listing.text and 'action="/evidence/bundle"' not in listing.text  # no case: no bundle form

    page = call(app, "/archive", {"market": "kladmen", "kind": "listing", "id": crawled.listing})
    assert page.status == 200, page.text[:500]
    assert "frame-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    frame = f"/archive/raw?market=kladmen&amp;kind=listing&amp;id={crawled.listing}&amp;n=1"
    assert f'<iframe class="archive-frame" sandbox="" src="{frame}"' in page.text
    assert f"{crawled.mirror}/tovar/{crawled.listing}" in page.text and "urn:uuid:" in page.text
    assert " UTC" in page.text

    raw = call(app, "/archive/raw", {"market": "kladmen", "kind": "listing", "id": crawled.listing, "n": "1"})
    assert raw.status == 200
    assert raw.headers["content-security-policy"] == RAW_CSP
    assert RAW_CSP.startswith("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
    assert "frame-ancestors 'self'" in RAW_CSP
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert raw.headers["x-frame-options"] == "SAMEORIGIN"
    assert raw.headers["content-type"].startswith("text/html")
    assert "<html" in raw.text.lower()

    assert call(app, "/archive", {"market": "kladmen", "kind": "listing", "id": crawled.listing, "n": "9"}).status == 400
    assert call(app, "/archive", {"market": "kladmen", "kind": "listing", "id": "nope"}).status == 404
    assert call(app, "/archive", {"market": "kladmen", "kind": "other", "id": "x"}).status == 400
    vendor = call(app, "/archive", {"market": "kladmen", "kind": "vendor", "id": crawled.vendor})
    assert vendor.status == 200

    views = [a for a in _audit(app) if a[1] == "view.archive"]
    assert views == [("analyst1", "view.archive", f"kladmen:{crawled.listing}")] * 2 + [
        ("analyst1", "view.archive", f"kladmen:vendor:{crawled.vendor}")]  # fmt: skip


def test_auditor_sees_no_archive(app: DashboardApp, crawled: Crawled) -> None:
    q = {"market": "kladmen", "kind": "listing", "id": crawled.listing}
    assert call(app, "/archive", q, user="aud", role="auditor").status == 403
    assert call(app, "/archive/raw", q, user="aud", role="auditor").status == 403
    c = login(app, "aud", "auditor")
    r = c.post("/evidence/bundle", data={**q, "case": "1", "csrf": "x"})
    assert r.status_code == 403


def test_bundle_download_verifies(app: DashboardApp, crawled: Crawled, tmp_path: Path, config_dir: Path) -> None:
    evidence_keys.generate()
    cases = app.cases.cases
    mine, other = cases.add("Operation Kladmen"), cases.add("Someone else's")
    login(app, "analyst1", "analyst")
    cases.member(mine.id, "analyst1")
    c = login(app, "analyst1", "analyst")
    page = c.get(f"/listing?market=kladmen&id={crawled.listing}")
    assert "Evidence bundle for case" in page.text and f'<option value="{mine.id}">' in page.text
    assert f'<option value="{other.id}">' not in page.text
    token = form_token(page.text)
    form = {"csrf": token, "market": "kladmen", "kind": "listing", "id": crawled.listing}

    refused = c.post("/evidence/bundle", data={**form, "case": str(other.id)})  # another case, by hand
    assert refused.status_code == 403 and "not a member of this case" in refused.text
    stale = c.post("/evidence/bundle", data={**form, "csrf": "forged", "case": str(mine.id)})
    assert stale.status_code == 403
    assert c.get("/evidence/bundle").status_code == 405

    r = c.post("/evidence/bundle", data={**form, "case": str(mine.id)})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].startswith('attachment; filename="kladmen_listing_')
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        zf.extractall(out)
    (bundle,) = out.iterdir()
    env = {**crawled.env(tmp_path), "ONIONWATCH_CONFIG_DIR": str(config_dir)}
    ok = cli(env, "evidence", "verify", str(bundle), "--key", str(config_dir / "evidence" / "signing.pub"))
    assert ok.returncode == 0, ok.stderr
    assert f"item kladmen:{crawled.listing}, case {mine.id}, operator analyst1" in ok.stdout

    trail = _audit(app)
    item = f"kladmen:{crawled.listing}"
    assert ("analyst1", "evidence.refused", item) in trail
    assert trail[-2:] == [("analyst1", "evidence.export", item), ("analyst1", "evidence.download", item)]
    assert ("analyst1", "csrf.refused", "/evidence/bundle") in trail


def test_bundle_refused_without_key_or_archive(app: DashboardApp, crawled: Crawled, tmp_path: Path) -> None:
    cases = app.cases.cases
    case = cases.add("Op")
    c = login(app, "sup", "supervisor")  # supervisors see every case
    token = form_token(c.get(f"/vendor?market=kladmen&id={crawled.vendor}").text)
    form = {"csrf": token, "market": "kladmen", "kind": "vendor", "id": crawled.vendor, "case": str(case.id)}
    r = c.post("/evidence/bundle", data=form)
    assert r.status_code == 409 and "onionwatch evidence keygen" in r.text
    evidence_keys.generate()
    app.archive.root = tmp_path / "empty-archive"
    r = c.post("/evidence/bundle", data=form)
    assert r.status_code == 404 and "no archived page" in r.text and str(tmp_path) not in r.text
    assert not [a for a in _audit(app) if a[1] in ("evidence.export", "evidence.download")]
