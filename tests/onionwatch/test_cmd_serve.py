"""`onionwatch serve` / `demo` on a port that cannot be bound: one error line naming the option, exit 1, fast."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield sock.getsockname()[1]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_STORE": ""}
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_serve_port_in_use(taken_port: int, tmp_path: Path) -> None:
    from onionwatch.indexer.sqlite import SQLiteStore

    SQLiteStore(f"sqlite:///{tmp_path / 'data' / 'onionwatch.sqlite'}").close()  # serve only reads a store
    proc = _run(["serve", "--port", str(taken_port)], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"onionwatch: error: --port {taken_port}: cannot listen on 127.0.0.1:{taken_port}: "
                                   "Address already in use")


def test_demo_port_in_use_fails_before_the_crawl(taken_port: int, tmp_path: Path) -> None:
    t0 = time.perf_counter()
    proc = _run(["demo", "--port", str(taken_port), "--listings", "50", "--vendors", "5"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        f"onionwatch: error: --port {taken_port}: cannot listen on 127.0.0.1:{taken_port}: Address already in use")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "data" / "onionwatch.sqlite").exists()  # nothing crawled or indexed
    assert time.perf_counter() - t0 < 10


def test_serve_refuses_a_non_loopback_host_without_tls(tmp_path: Path) -> None:
    proc = _run(["serve", "--host", "0.0.0.0", "--port", "0"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("onionwatch: error: --host 0.0.0.0: not a loopback address")
    assert len(proc.stderr.strip().splitlines()) == 1


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def test_serve_over_tls(tmp_path: Path, private_data_dir: Path) -> None:
    """With a certificate the server speaks HTTPS (here on loopback) and its session cookie is Secure."""
    import ssl
    import threading

    import httpx

    from onionwatch.dashboards.accounts import Accounts
    from onionwatch.dashboards.web import build_server
    from onionwatch.indexer.store import open_store

    Accounts().add("ana", "analyst", "long enough password")
    cert, key = _self_signed(tmp_path)
    open_store(f"sqlite://{tmp_path}/s.sqlite").close()  # serve never creates a store
    server = build_server(f"sqlite://{tmp_path}/s.sqlite", "127.0.0.1", 0, tls_cert=str(cert), tls_key=str(key))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        context = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=f"https://127.0.0.1:{server.server_port}", verify=context, timeout=10) as c:
            page = c.get("/login")
            assert page.status_code == 200
            token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            r = c.post("/login", data={"csrf": token, "user": "ana", "password": "long enough password"})
            assert r.status_code == 303
            assert "secure" in r.headers["set-cookie"].lower() and "httponly" in r.headers["set-cookie"].lower()
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{server.server_port}/login", timeout=5)  # plain HTTP is not spoken
    finally:
        server.shutdown()
        server.server_close()


def test_serve_refuses_a_missing_store_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "store.sqlite"
    proc = _run(["serve", "--port", "0", "--store", f"sqlite:///{missing}"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"onionwatch: error: store {missing}: no such store file (check --store or ONIONWATCH_STORE)"
    assert not missing.parent.exists()
