"""`onionwatch evidence`: a real crawl of the kladmen testbed market over plain HTTP with the archive on, then
export -> verify -> tamper -> verify names what was changed; keys, bad input and the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onionwatch.audit import AuditLog
from tests.browser import BROWSER_MARKS
from tests.evidence_crawl import Crawled, cli, crawled_fixture  # noqa: F401 - the fixture "crawled"

pytestmark = pytest.mark.integration


def _export(env: dict[str, str], crawled: Crawled, item: str, out: Path, *extra: str) -> Path:
    proc = cli(env, "evidence", "export", item, "--case", "OP-17", "--store", crawled.store, "--out", str(out),
               "--operator", "insp.meyer", *extra)
    assert proc.returncode == 0, proc.stderr
    (bundle,) = out.iterdir()
    return bundle


def test_keygen_writes_a_private_key_and_prints_only_the_fingerprint(tmp_path: Path, crawled: Crawled) -> None:
    env = crawled.env(tmp_path)
    proc = cli(env, "evidence", "keygen")
    assert proc.returncode == 0, proc.stderr
    key = tmp_path / "config" / "evidence" / "signing.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600" and oct(key.parent.stat().st_mode & 0o777) == "0o700"
    secret = key.read_text()
    assert "PRIVATE KEY" in secret and secret.splitlines()[1] not in proc.stdout + proc.stderr
    assert "fingerprint ed25519:" in proc.stdout
    again = cli(env, "evidence", "keygen")
    assert again.returncode == 1 and "exists already" in again.stderr and key.read_text() == secret
    key.chmod(0o644)
    proc = cli(env, "evidence", "export", f"kladmen:{crawled.listing}", "--case", "C1", "--store", crawled.store,
               "--no-render")
    assert proc.returncode == 1 and "readable by others" in proc.stderr


def test_export_verify_tamper(tmp_path: Path, crawled: Crawled) -> None:
    env = crawled.env(tmp_path)
    assert cli(env, "evidence", "keygen").returncode == 0
    bundle = _export(env, crawled, f"kladmen:{crawled.listing}", tmp_path / "out", "--no-render")
    meta = json.loads((bundle / "metadata.json").read_text())
    (cap,) = meta["captures"]
    assert (meta["item"], meta["case"], meta["operator"], meta["market"]) == (
        f"kladmen:{crawled.listing}", "OP-17", "insp.meyer", "kladmen")
    assert cap["mirror"] == crawled.mirror and cap["transport"] == "direct" and cap["capture_time"].endswith("Z")
    assert cap["target_uri"] == f"{crawled.mirror}/tovar/{crawled.listing}"
    assert json.loads((bundle / "record.json").read_text())["listing_id"] == crawled.listing
    raw = (bundle / "warc" / "001.warc.gz").read_bytes()
    source = crawled.root / "data" / "archive" / "kladmen" / cap["source_archive"]
    assert source.read_bytes()[cap["source_offset"]:cap["source_offset"] + len(raw)] == raw  # byte for byte
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in bundle.rglob("*") if p.is_file())

    ok = cli(env, "evidence", "verify", str(bundle), "--key", str(tmp_path / "config" / "evidence" / "signing.pub"))
    assert ok.returncode == 0 and ": OK, 3 files match, signature valid" in ok.stdout

    entries = list(AuditLog(tmp_path / "data" / "audit" / "audit.jsonl").entries())
    assert [(e["actor"], e["action"], e["target"], e["details"]["case"]) for e in entries] == [
        ("insp.meyer", "evidence.export", f"kladmen:{crawled.listing}", "OP-17")]

    warc = bundle / "warc" / "001.warc.gz"
    data = bytearray(raw)
    data[len(data) // 2] ^= 0x01
    warc.write_bytes(bytes(data))
    bad = cli(env, "evidence", "verify", str(bundle))
    assert bad.returncode == 1
    assert (f"evidence: warc/001.warc.gz: SHA-256 differs from the manifest: tampered (record "
            f"{cap['warc_record_id']} of {cap['target_uri']})") in bad.stderr
    warc.write_bytes(raw)

    manifest = bundle / "manifest.json"
    good = manifest.read_bytes()
    manifest.write_bytes(good.replace(b'"OP-17"', b'"OP-18"'))
    bad = cli(env, "evidence", "verify", str(bundle))
    assert bad.returncode == 1 and "manifest.json: signature does not match" in bad.stderr
    manifest.write_bytes(good)

    (bundle / "record.json").unlink()
    (bundle / "extra.html").write_text("<p>planted</p>")
    bad = cli(env, "evidence", "verify", str(bundle))
    assert "evidence: record.json: missing" in bad.stderr and "extra.html: not in the manifest (added)" in bad.stderr

    (bundle / "record.json").symlink_to(tmp_path / "elsewhere.json")
    bad = cli(env, "evidence", "verify", str(bundle))
    assert "evidence: record.json: a symbolic link, not the file itself" in bad.stderr
    (bundle / "record.json").unlink()

    other = tmp_path / "other.pub"
    from onionwatch import evidence_keys

    other.write_bytes(evidence_keys.public_pem(evidence_keys.Ed25519PrivateKey.generate().public_key()))
    (bundle / "extra.html").unlink()
    bad = cli(env, "evidence", "verify", str(bundle), "--key", str(other))
    assert bad.returncode == 1 and "not by the expected key" in bad.stderr


@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_vendor_export_with_renderings(tmp_path: Path, crawled: Crawled) -> None:
    env = crawled.env(tmp_path)
    assert cli(env, "evidence", "keygen").returncode == 0
    bundle = _export(env, crawled, f"kladmen:vendor:{crawled.vendor}", tmp_path / "out")
    png = (bundle / "render" / "001.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000
    meta = json.loads((bundle / "metadata.json").read_text())
    assert meta["rendered"] and meta["captures"][0]["rendering"] == "render/001.png"
    assert isinstance(meta["captures"][0]["blocked_requests"], int)
    ok = cli(env, "evidence", "verify", str(bundle))
    assert ok.returncode == 0, ok.stderr
    (bundle / "render" / "001.png").write_bytes(png[:-1] + bytes([png[-1] ^ 1]))
    bad = cli(env, "evidence", "verify", str(bundle))
    assert bad.returncode == 1 and "render/001.png: SHA-256 differs from the manifest: tampered" in bad.stderr


def test_export_refused_when_audit_fails_leaves_nothing(tmp_path: Path, crawled: Crawled) -> None:
    env = crawled.env(tmp_path)
    assert cli(env, "evidence", "keygen").returncode == 0
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "audit").write_text("not a folder")
    out = tmp_path / "out"
    proc = cli(env, "evidence", "export", f"kladmen:{crawled.listing}", "--case", "C1", "--store", crawled.store,
               "--out", str(out), "--no-render")
    assert proc.returncode == 1 and "audit trail" in proc.stderr and "action refused" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize(("item", "case", "message"), [
    ("kladmen", "C1", "expected MARKET:LISTING_ID or MARKET:vendor:VENDOR_ID"),
    ("kladmen:no-such-listing", "C1", "kladmen:no-such-listing: no such listing in the store"),
    ("kladmen:vendor:nobody", "C1", "kladmen:vendor:nobody: no such vendor in the store"),
    ("kladmen:1", "../etc", "--case '../etc': letters, digits"),
])  # fmt: skip
def test_bad_input_one_line(tmp_path: Path, crawled: Crawled, item: str, case: str, message: str) -> None:
    env = crawled.env(tmp_path)
    assert cli(env, "evidence", "keygen").returncode == 0
    proc = cli(env, "evidence", "export", item, "--case", case, "--store", crawled.store, "--no-render")
    assert proc.returncode == 1 and message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_verify_not_a_bundle(tmp_path: Path, crawled: Crawled) -> None:
    proc = cli(crawled.env(tmp_path), "evidence", "verify", str(tmp_path))
    assert proc.returncode == 1 and "manifest.json: missing" in proc.stderr
