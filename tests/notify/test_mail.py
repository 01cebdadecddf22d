"""onionwatch/notify/mail.py against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from onionwatch.errors import DeliveryError
from onionwatch.notify.config import load
from onionwatch.notify.mail import build, one_line, send_mail
from tests.notify.servers import free_port, smtp_server

pytestmark = [pytest.mark.integration,
              pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")]  # loopback only


def config(tmp_path: Path, port: int, extra: str = "") -> Path:
    p = tmp_path / "notify.yaml"
    p.write_text(f"smtp: {{host: 127.0.0.1, port: {port}, security: none, from: ow@example.org,"
                 f" recipients: [duty@example.org]{extra}}}\n", encoding="utf-8")
    return p


def test_send_mail_reaches_the_server(tmp_path: Path) -> None:
    with smtp_server() as box:
        cfg = load(config(tmp_path, box.port))
        assert cfg is not None
        report = tmp_path / "report.pdf"
        report.write_bytes(b"%PDF-1.4 fake")
        mid = send_mail(cfg, ["a@example.org", "b@example.org"], "Weekly report", "plain body",
                        "<p>html body</p>", [report, ("table.csv", b"a;b\n", "text/csv")])
    assert len(box.messages) == 1
    msg = box.messages[0]
    assert msg["Message-ID"] == mid and msg["Subject"] == "Weekly report"
    assert box.envelopes == [("ow@example.org", ["a@example.org", "b@example.org"])]
    assert msg.get_body(("plain",)).get_content().strip() == "plain body"
    assert "<p>html body</p>" in msg.get_body(("html",)).get_content()
    names = sorted(part.get_filename() for part in msg.iter_attachments())
    assert names == ["report.pdf", "table.csv"]


def test_login_with_the_password_file(tmp_path: Path) -> None:
    pw = tmp_path / "pw"
    pw.write_text("hunter2\n", encoding="utf-8")
    os.chmod(pw, 0o600)
    with smtp_server(users={"alerts": "hunter2"}) as box:
        cfg = load(config(tmp_path, box.port, f", username: alerts, password_file: {pw}"))
        assert cfg is not None
        send_mail(cfg, ["duty@example.org"], "s", "t")
    assert box.logins == [("alerts", "hunter2")] and len(box.messages) == 1


def test_wrong_password_is_one_line_without_the_secret(tmp_path: Path) -> None:
    pw = tmp_path / "pw"
    pw.write_text("wrong-secret\n", encoding="utf-8")
    os.chmod(pw, 0o600)
    with smtp_server(users={"alerts": "hunter2"}) as box:
        cfg = load(config(tmp_path, box.port, f", username: alerts, password_file: {pw}"))
        assert cfg is not None
        with pytest.raises(DeliveryError) as info:
            send_mail(cfg, ["duty@example.org"], "s", "t")
    assert "login refused" in str(info.value) and "wrong-secret" not in str(info.value)
    assert box.messages == []


def test_no_server_is_a_delivery_error(tmp_path: Path) -> None:
    cfg = load(config(tmp_path, free_port()))
    assert cfg is not None
    with pytest.raises(DeliveryError, match=r"SMTP 127.0.0.1:\d+: cannot connect"):
        send_mail(cfg, ["duty@example.org"], "s", "t")


def test_subjects_and_recipients_cannot_inject_headers() -> None:
    hostile = "MDMA 1g\r\nBcc: everyone@example.org\nX-Evil: 1\u202e"
    msg = build("ow@example.org", ["duty@example.org"], hostile, "body")
    raw = msg.as_bytes()
    assert b"\nBcc:" not in raw and b"\nX-Evil" not in raw
    assert msg["Subject"] == "MDMA 1g Bcc: everyone@example.org X-Evil: 1"
    assert one_line("a" * 500).endswith("…") and len(one_line("a" * 500)) == 200


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_a_verified_certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, security: str) -> None:
    from tests.notify.servers import self_signed, tls_smtp_server

    cert, key = self_signed(tmp_path)
    with tls_smtp_server(cert, key, implicit=security == "ssl") as box:
        p = tmp_path / "notify.yaml"
        p.write_text(f"smtp: {{host: 127.0.0.1, port: {box.port}, security: {security}, from: ow@example.org,"
                     f" recipients: [duty@example.org]}}\n", encoding="utf-8")
        cfg = load(p)
        assert cfg is not None
        with pytest.raises(DeliveryError, match="cannot connect.*(CERTIFICATE_VERIFY_FAILED|certificate)"):
            send_mail(cfg, ["duty@example.org"], "s", "t")  # an unknown certificate is refused
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now the tests' CA is trusted
        send_mail(cfg, ["duty@example.org"], "over TLS", "t")
    assert [m["Subject"] for m in box.messages] == ["over TLS"]
