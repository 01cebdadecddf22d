"""The report delivery hook: nothing without config; configured, the report reaches a real local SMTP server;
a configured delivery that cannot be sent never passes silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.errors import ReportOutputError
from onionwatch.reports.delivery import attachments, deliver_report
from tests.notify.servers import free_port, smtp_server

NAMES = [f"2026-03-02_2026-03-08{s}" for s in (".html", ".pdf", ".json", ".xlsx", "_growth.csv")]
FILES = [Path("/r") / n for n in NAMES]


def _report(tmp_path: Path) -> list[Path]:
    out = []
    for name in NAMES:
        p = tmp_path / name
        p.write_bytes(b"%PDF-1.4 x" if name.endswith(".pdf") else b"content")
        out.append(p)
    return out


def _notify(tmp_path: Path, port: int) -> Path:
    p = tmp_path / "notify.yaml"
    p.write_text(f"smtp: {{host: 127.0.0.1, port: {port}, security: none, from: ow@example.org,"
                 f" recipients: [duty@example.org]}}\n", encoding="utf-8")
    return p


def test_no_delivery_configured_sends_nothing() -> None:
    assert deliver_report(FILES, None) == []


def test_attachments_follow_the_config() -> None:
    assert [p.suffix for p in attachments(FILES, {"attach": ["pdf", "xlsx"]})] == [".pdf", ".xlsx"]
    assert [p.name for p in attachments(FILES, {"attach": ["csv"]})] == ["2026-03-02_2026-03-08_growth.csv"]


@pytest.mark.integration
def test_the_report_reaches_the_smtp_server(tmp_path: Path) -> None:
    files = _report(tmp_path)
    with smtp_server() as box:
        sent = deliver_report(files, {"mail_to": ["analyst@unit.kz"], "attach": ["pdf", "xlsx"]},
                              _notify(tmp_path, box.port))
    assert sent == ["analyst@unit.kz"] and len(box.messages) == 1
    msg = box.messages[0]
    assert msg["Subject"] == "onionwatch: emerging substances 2026-03-02 to 2026-03-08"
    assert box.envelopes[0][1] == ["analyst@unit.kz"]
    assert sorted(a.get_filename() for a in msg.iter_attachments()) == [
        "2026-03-02_2026-03-08.pdf", "2026-03-02_2026-03-08.xlsx"]


def test_configured_delivery_without_notify_config_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(ReportOutputError, match="analyst@unit.kz failed: .*no such file"):
        deliver_report(FILES, {"mail_to": ["analyst@unit.kz"], "attach": ["pdf"]}, tmp_path / "none.yaml")


@pytest.mark.integration
def test_a_refused_delivery_fails_loudly(tmp_path: Path) -> None:
    files = _report(tmp_path)
    with pytest.raises(ReportOutputError, match="analyst@unit.kz failed"):
        deliver_report(files, {"mail_to": ["analyst@unit.kz"], "attach": ["pdf"]}, _notify(tmp_path, free_port()))
