"""Real Telegram Desktop export layouts: chat types, whole-account exports chat by chat, entity lists, struck-through
offers, media with captions, service messages, text_entities-only messages (golden files in tests/fixtures/telegram)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onionwatch.extractors import telegram_export
from onionwatch.extractors.telegram_export import TelegramExportError, _struck, read_chats, read_export

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"


def _write(tmp_path: Path, obj: object) -> Path:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def test_channel_fixture_reads_every_message_shape() -> None:
    ((chat, messages),) = list((c, list(m)) for c, m in read_chats(FIXTURES / "channel.json"))
    by_id = {m.id: m for m in messages}
    assert (chat.name, chat.type, chat.id) == ("Шоп Алматы", "public_channel", "1987654321")
    assert 1 not in by_id and 17 not in by_id  # service messages (channel created, pin) are skipped
    assert by_id[4].media == "photo" and by_id[4].text.startswith("Алматы Медеу")  # a photo's caption is its text
    assert all(by_id[i].text == "" for i in (5, 6, 7, 8, 9, 15))  # file, sticker, poll, location, contact, video
    assert by_id[6].media == "sticker" and by_id[5].media == "document"
    assert by_id[10].forwarded_from == "Шоп Астана"
    assert by_id[11].edited == "2025-03-02T10:00:00Z" and by_id[11].date == "2025-03-01T12:11:00Z"
    assert by_id[16].author is None  # "from": null (a deleted account)
    assert by_id[19].text == "Алматы: мяу 1г — 15 000"  # only text_entities, no "text"
    m3 = by_id[3]
    assert "шишки 1г — 9 000" in m3.text and "❌ шишки 1г — 9 000" in m3.for_offers  # struck: sold out
    assert m3.mentions == ["@almaty_shop_bot"] and m3.links == ["https://t.me/almaty_reserve"]
    assert "/start" in m3.text and "#Алматы" in m3.text and "Оператор" in m3.text and "промокод" in m3.text
    assert by_id[12].for_offers == "Алматы: меф 1г —  15 000 🔥"  # a struck old price is dropped
    assert by_id[14].for_offers.startswith("Шымкент: ск 0.5г — 6 000, \n")  # a struck offer inside a line: dropped
    assert by_id[2].offer_text is None and by_id[2].for_offers is by_id[2].text


def test_channel_fixture_reads_the_same_through_read_export_and_tiny_chunks(monkeypatch) -> None:
    whole = [(m.id, m.for_offers) for m in read_export(FIXTURES / "channel.json")[1]]
    monkeypatch.setattr(telegram_export, "CHUNK_CHARS", 5)
    (_, messages), = [(c, [(m.id, m.for_offers) for m in ms]) for c, ms in read_chats(FIXTURES / "channel.json")]
    assert messages == whole and len(whole) == 19


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 6, 7, 11, 64])
def test_a_chunk_boundary_inside_a_literal_is_no_error(monkeypatch, chunk: int) -> None:
    # "closed": false, "from": null split across reads ("fal" | "se") was read as invalid JSON
    monkeypatch.setattr(telegram_export, "CHUNK_CHARS", chunk)
    got = [(c.name, len(list(ms))) for c, ms in read_chats(FIXTURES / "account.json")]
    assert len(got) == 7 and ("Шоп Алматы", 3) in got


def test_account_fixture_yields_every_chat_with_messages(monkeypatch) -> None:
    monkeypatch.setattr(telegram_export, "CHUNK_CHARS", 7)
    got = [(c.name, c.type, c.id, [m.id for m in ms]) for c, ms in read_chats(FIXTURES / "account.json")]
    assert got == [("Мама", "personal_chat", "5", [1]), ("", "saved_messages", "1", []),
                   ("Шоп Алматы", "private_channel", "1987654321", [2, 3, 4]), ("Shop Bot", "bot_chat", "7", [1]),
                   ("Курилка", "private_supergroup", "9", [1]), ("", "personal_chat", "11", [1]),
                   ("Old KZ", "public_supergroup", "8", [3])]  # left_chats last


def test_account_chats_left_unread_are_still_checked(tmp_path: Path) -> None:
    text = (FIXTURES / "account.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: text.rindex("Астана: меф") + 5], encoding="utf-8")
    with pytest.raises(TelegramExportError, match=r"left_chats\.list\[0\]\.messages"):
        for _chat, _messages in read_chats(path):  # nothing read: every message is still parsed
            pass


@pytest.mark.parametrize("kind", ["public_channel", "private_channel", "public_supergroup", "private_supergroup",
                                  "personal_chat", "bot_chat", "private_group", "saved_messages"])
def test_every_chat_type_reads(tmp_path: Path, kind: str) -> None:
    msg = {"id": 1, "type": "message", "date": "2025-01-01T00:00:00", "from": "X", "from_id": "user1", "text": "a"}
    ((chat, ids),) = [(c, [m.id for m in ms]) for c, ms in read_chats(_write(tmp_path, {
        "name": "X", "type": kind, "id": 4, "messages": [msg]}))]
    assert chat.type == kind and ids == [1]


@pytest.mark.parametrize(("piece", "line_start", "want"), [
    ("18 000", False, ""), ("18 000 ₸", True, ""), ("15к", False, ""),  # an old price
    ("шишки 1г — 9 000", True, "❌ шишки 1г — 9 000"),  # a sold-out line
    ("2г — 28 000", False, ""),  # a sold-out offer inside a line
    ("Астана: меф 1г\nшишки 1г — 9к\n", True, "❌ Астана: меф 1г\n❌ шишки 1г — 9к\n"),
    ("x\nгаш 1г — 9к", False, "\n❌ гаш 1г — 9к"),
    ("   ", True, ""),
])
def test_struck_parts(piece: str, line_start: bool, want: str) -> None:
    assert _struck(piece, line_start) == want


@pytest.mark.parametrize(("obj", "where"), [
    ({"about": "x", "chats": {"about": "", "list": []}, "left_chats": {"list": []}}, "chats: no chat with messages"),
    ({"name": "x"}, "messages: missing"),
    ({"chats": {"list": [{"name": "A", "id": 1, "messages": [{"id": -1, "date": "2025-01-01", "text": ""}]}]}},
     r"chats.list[0].messages[0].id: expected a non-negative integer"),
    ({"chats": {"list": [{"name": 5, "id": 1, "messages": []}]}}, "chats.list[0].name: expected a string"),
    ({"name": "x", "messages": [{"id": 1, "date": "2025-01-01", "text_entities": 3}]}, "messages[0].text_entities:"),
])
def test_wrong_shapes_are_one_line_errors_naming_the_field(tmp_path: Path, obj: dict, where: str) -> None:
    path = _write(tmp_path, obj)
    with pytest.raises(TelegramExportError) as info:
        for _chat, messages in read_chats(path):
            list(messages)
    assert str(info.value).startswith(f"{path}: ") and where in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("content", ["[]", '"x"', "null", "{", "", '{"messages": [] }}'])
def test_wrong_top_level_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TelegramExportError, match=rf"^{path}: \(top level\)|^{path}: messages"):
        for _chat, messages in read_chats(path):
            list(messages)


def test_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    text = (FIXTURES / "channel.json").read_text(encoding="utf-8")
    path.write_text("\ufeff" + text, encoding="utf-8")
    assert len(list(read_export(path)[1])) == len([c for c, ms in read_chats(path) for m in ms]) == 19


def test_inline_button_urls_are_links(tmp_path: Path) -> None:
    msg = {"id": 1, "type": "message", "date": "2025-01-01T00:00:00", "text": "Алматы: меф 1г — 15 000",
           "inline_bot_buttons": [[{"type": "url", "text": "Оператор", "data": "https://t.me/almaty_op"},
                                   {"type": "callback", "text": "Цены", "data": "cHJpY2U="}], "junk", [7]]}
    (m,) = read_export(_write(tmp_path, {"name": "X", "type": "public_channel", "id": 1, "messages": [msg]}))[1]
    assert m.links == ["https://t.me/almaty_op"]
