"""onionwatch/notify/digest.py: immediate alerts and the daily digest, through real SQLite, aiosmtpd and HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from onionwatch.errors import DeliveryError
from onionwatch.indexer.store import Store, open_store
from onionwatch.notify.config import load
from onionwatch.notify.digest import send_digest, send_immediate
from tests.indexer import data
from tests.notify.servers import free_port, smtp_server, webhook_server

pytestmark = pytest.mark.integration


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(f"sqlite:///{tmp_path}/s.sqlite")
    s.add_watch({"name": "mdma", "substance": "mdma"})
    s.add_watch({"name": "stims", "substance_class": "stimulant"})
    for listings, vendors in data.batches():
        s.write_batch(listings, vendors)
    return s


def cfg_file(tmp_path: Path, port: int, hook: str | None = None) -> Path:
    p = tmp_path / "notify.yaml"
    text = (f"smtp: {{host: 127.0.0.1, port: {port}, security: none, from: ow@example.org,"
            f" recipients: [duty@example.org]}}\nwatches: {{mdma: [mdma-desk@example.org]}}\n")
    if hook:
        text += f"webhooks: [{{name: local, url: '{hook}'}}]\n"
    p.write_text(text, encoding="utf-8")
    return p


def test_digest_mails_unacknowledged_alerts_once(store: Store, tmp_path: Path) -> None:
    rows = store.alerts()
    store.acknowledge_alerts([rows[0]["id"]], "anna")
    with smtp_server() as box:
        cfg = load(cfg_file(tmp_path, box.port))
        assert cfg is not None
        first = send_digest(store, cfg)
        again = send_digest(store, cfg)
    assert (first.alerts, first.mails) == (len(rows) - 1, 1)
    assert (again.alerts, again.mails) == (0, 0)
    [msg] = box.messages
    assert box.envelopes[0][1] == ["duty@example.org"]
    text = msg.get_body(("plain",)).get_content()
    assert rows[1]["title"] in text
    assert sum(line.startswith("[") for line in text.splitlines()) == len(rows) - 1  # the acknowledged one left out
    assert {a["digest_at"] is None for a in store.alerts()} == {True, False}


def test_a_failed_digest_marks_nothing(store: Store, tmp_path: Path) -> None:
    cfg = load(cfg_file(tmp_path, free_port()))
    assert cfg is not None
    with pytest.raises(DeliveryError):
        send_digest(store, cfg)
    assert all(a["digest_at"] is None for a in store.alerts())


def test_immediate_goes_to_each_watchs_recipients_and_webhooks(store: Store, tmp_path: Path) -> None:
    rows = store.alerts()
    now = datetime.strptime(rows[-1]["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    with smtp_server() as box, webhook_server() as sink:
        cfg = load(cfg_file(tmp_path, box.port, sink.url))
        assert cfg is not None
        sent = send_immediate(store, cfg, now=now)
        assert send_immediate(store, cfg, now=now).alerts == 0
    assert (sent.alerts, sent.mails, sent.webhooks) == (len(rows), 2, 1)
    rcpts = sorted(tuple(r) for _, r in box.envelopes)
    assert rcpts == [("duty@example.org",), ("mdma-desk@example.org",)]
    assert len(sink.requests[0]["json"]["alerts"]) == len(rows)
    assert all(a["notified_at"] for a in store.alerts())


def test_immediate_failure_keeps_alerts_for_the_next_try(store: Store, tmp_path: Path) -> None:
    with webhook_server(status=503) as sink, smtp_server() as box:
        cfg = load(cfg_file(tmp_path, box.port, sink.url))
        assert cfg is not None
        with pytest.raises(DeliveryError, match="HTTP 503"):
            send_immediate(store, cfg)
    assert all(a["notified_at"] is None for a in store.alerts())
