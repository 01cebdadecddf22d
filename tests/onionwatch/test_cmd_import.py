"""`onionwatch import telegram` end to end into real SQLite: offers, idempotent re-import, edits, hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onionwatch.cli import main
from onionwatch.indexer.store import open_store
from onionwatch.testbed.gen_telegram import generate


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(["import", "telegram", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, dict, list[dict]]:
    export, truth = generate(5, 60)
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path, export, truth


def test_import_writes_every_offer_and_reimport_updates_in_place(capsys, tmp_path: Path, exported) -> None:
    path, export, truth = exported
    url = f"sqlite:///{tmp_path}/s.sqlite"
    n_offers = sum(len(t["offers"]) for t in truth)
    code, out, err = run(capsys, str(path), "--source", "tg-almaty-shop", "--store", url, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["offers"] == summary["listings_new"] == n_offers > 50
    assert summary["messages"] == 60 and summary["vendors_new"] == 1
    store = open_store(url)
    try:
        assert store.counts("tg-almaty-shop")["listings"] == n_offers
        msg = next(t for t in truth if t["offers"])
        got = store.get_listing("tg-almaty-shop", f"{msg['id']}-0")
        want = msg["offers"][0]
        assert got["substance"] == want["substance"] and got["city"] == want["city"]
        assert got["price"] == want["price"] and got["quantity"] == want["quantity"]
        vendor = store.get_vendor("tg-almaty-shop", f"tg{export['id']}")
        assert vendor["name"] == export["name"] and any(h.endswith("_bot") for h in vendor["contacts"]["telegram"])
    finally:
        store.close()

    code, out, err = run(capsys, str(path), "--source", "tg-almaty-shop", "--store", url, "--json")
    again = json.loads(out)
    assert code == 0 and again["listings_new"] == 0 and again["vendors_new"] == 0
    store = open_store(url)
    try:
        assert store.counts("tg-almaty-shop")["listings"] == n_offers  # updated, not duplicated
    finally:
        store.close()


def test_an_edited_message_updates_its_offers(capsys, tmp_path: Path, exported) -> None:
    path, export, truth = exported
    url = f"sqlite:///{tmp_path}/s.sqlite"
    assert run(capsys, str(path), "--source", "tg", "--store", url)[0] == 0
    msg = next(m for m in export["messages"] if m["type"] == "message")
    msg["text"] = "Алматы: меф 1г — 99 000"
    msg["edited"], msg["edited_unixtime"] = "2030-01-01T00:00:00", "1893456000"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, str(path), "--source", "tg", "--store", url)
    assert code == 0, err
    store = open_store(url)
    try:
        got = store.get_listing("tg", f"{msg['id']}-0")
        assert got["price"] == {"amount": 99000.0, "currency": "KZT"} and got["substance"] == "mephedrone"
        assert got["observations"][-1]["observed_at"].startswith("2030-01-01")
    finally:
        store.close()


@pytest.mark.parametrize("content", [
    '{"name": "x", "messages": [{"id": 1, "type": "message", "date": "2024-01-01", "text": "Алматы: меф 1г — 1 000"},',
    '{"name": "x", "messages": [{"id": 1, "type": "message", "date": "2024-01-01", "text": "Алматы: меф 1г — 1 000"},'
    ' {"id": "two", "type": "message", "date": "2024-01-01", "text": "x"}]}',
    "not json at all",
])
def test_a_bad_export_is_one_line_and_writes_nothing(capsys, tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    url = f"sqlite:///{tmp_path}/s.sqlite"
    code, out, err = run(capsys, str(bad), "--source", "tg", "--store", url)
    assert code == 1 and err.startswith(f"onionwatch: error: {bad}: ") and err.count("\n") == 1
    store = open_store(url)
    try:
        assert store.counts("tg")["listings"] == 0 and store.counts()["vendors"] == 0
    finally:
        store.close()


def test_bad_options_and_no_offers_exit_non_zero(capsys, tmp_path: Path, exported) -> None:
    path, _, _ = exported
    url = f"sqlite:///{tmp_path}/s.sqlite"
    code, _, err = run(capsys, str(path), "--source", "Bad Name!", "--store", url)
    assert code == 1 and "--source 'Bad Name!'" in err
    code, _, err = run(capsys, str(path), "--source", "tg", "--store", url, "--currency", "XYZ")
    assert code == 1 and "--currency 'XYZ'" in err
    chatter = tmp_path / "chat.json"
    chatter.write_text(json.dumps({"name": "\x1b[31mred", "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "text": "привет"}]}), encoding="utf-8")
    code, out, err = run(capsys, str(chatter), "--source", "tg", "--store", url)
    assert code == 1 and "no offers found in 1 messages; nothing written" in err
    store = open_store(url)
    try:
        assert store.counts()["vendors"] == 0
    finally:
        store.close()


def test_whole_account_export_imports_the_chat_named_by_chat(capsys, tmp_path: Path) -> None:
    export, truth = generate(5, 30)
    personal = {"name": "Друг", "type": "personal_chat", "id": 5, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "text": "Алматы: меф 1г — 15 000"}]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"about": "", "chats": {"about": "", "list": [personal, export]}},
                               ensure_ascii=False), encoding="utf-8")
    url = f"sqlite:///{tmp_path}/s.sqlite"
    code, out, err = run(capsys, str(path), "--source", "tg-shop", "--store", f"sqlite:///{tmp_path}/all.sqlite",
                         "--json")
    assert code == 0, err  # no --chat: every chat with offers, each its own vendor, ids by chat
    every = json.loads(out)
    assert [c["name"] for c in every["chats"]] == ["Друг", export["name"]] and every["vendors_new"] == 2
    code, out, err = run(capsys, str(path), "--source", "tg-shop", "--store", url, "--chat", export["name"], "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["channel"] == export["name"] and summary["messages"] == 30
    assert summary["offers"] == sum(len(t["offers"]) for t in truth)  # the personal chat's offer is not read


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"


def test_a_whole_account_export_imports_every_chat_with_offers_and_says_so(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/s.sqlite"
    code, out, err = run(capsys, str(FIXTURES / "account.json"), "--source", "tg", "--store", url)
    assert code == 0, err
    assert "account export: 7 chats read; offers from 'Шоп Алматы' 6, 'Shop Bot' 1, 'Курилка' 1, 'Old KZ' 1" in out
    store = open_store(url)
    try:
        assert store.counts("tg")["listings"] == 9 and store.counts()["vendors"] == 4
        assert store.get_listing("tg", "c1987654321.2-0")["substance"] == "mephedrone"
    finally:
        store.close()


def test_the_chat_named_like_the_source_is_the_one_imported(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/s.sqlite"
    code, out, err = run(capsys, str(FIXTURES / "account.json"), "--source", "old-kz", "--store", url, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["channel"] == "Old KZ" and summary["offers"] == 1 and len(summary["chats"]) == 1
    store = open_store(url)
    try:
        assert store.get_listing("old-kz", "3-0")["city"] == "Астана"
    finally:
        store.close()
