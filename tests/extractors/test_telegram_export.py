"""The Telegram Desktop export reader: message shapes, streaming across chunk boundaries, hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.extractors import telegram_export
from onionwatch.extractors.telegram_export import TelegramExportError, read_export

MESSAGES = [
    {"id": 1, "type": "service", "date": "2024-03-01T10:00:00", "action": "pin_message", "text": ""},
    {"id": 2, "type": "message", "date": "2024-03-01T12:00:00", "date_unixtime": "1709294400",
     "from": "Shop KZ", "text": "Алматы: меф 1г — 15 000"},
    {"id": 3, "type": "message", "date": "2024-03-01T13:00:00", "edited": "2024-03-02T12:00:00",
     "edited_unixtime": "1709380800", "forwarded_from": "Алексей", "photo": "photos/1.jpg",
     "text": ["Бот: ", {"type": "mention", "text": "@shop_bot"}, " ", {"type": "bold", "text": "шишки"},
              " ", {"type": "text_link", "text": "сайт", "href": "https://t.me/shopkz"},
              " ", {"type": "link", "text": "t.me/reserve_kz"}]},
]


def write(tmp_path: Path, obj: object, name: str = "result.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def export(messages: list = MESSAGES, **extra: object) -> dict:
    return {"name": "Shop KZ", "type": "public_channel", "id": 777, **extra, "messages": messages}


def test_reads_header_messages_entities_and_dates(tmp_path: Path) -> None:
    chat, messages = read_export(write(tmp_path, export()))
    msgs = list(messages)
    assert (chat.name, chat.type, chat.id) == ("Shop KZ", "public_channel", "777")
    assert [m.id for m in msgs] == [2, 3]  # the service message is skipped
    assert msgs[0].date == "2024-03-01T12:00:00Z" and msgs[0].author == "Shop KZ" and msgs[0].edited is None
    m = msgs[1]
    assert m.text == "Бот: @shop_bot шишки сайт t.me/reserve_kz"
    assert m.mentions == ["@shop_bot"] and m.links == ["https://t.me/shopkz", "t.me/reserve_kz"]
    assert m.edited == "2024-03-02T12:00:00Z" and m.forwarded_from == "Алексей" and m.media == "photo"
    assert m.date == "2024-03-01T13:00:00Z"  # no unixtime: the local time is taken as UTC


def test_keys_after_messages_and_tiny_chunks_read_the_same(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, {"messages": MESSAGES, "name": "Later", "id": 5})
    whole = [m.text for m in read_export(path)[1]]
    monkeypatch.setattr(telegram_export, "CHUNK_CHARS", 3)
    chat, messages = read_export(path)
    assert [m.text for m in messages] == whole and len(whole) == 2
    assert chat.name == ""  # the header is what precedes "messages"


def test_fields_are_capped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(telegram_export, "MAX_TEXT_CHARS", 50)
    long = {"id": 9, "type": "message", "date": "2024-01-01T00:00:00", "text": ["x" * 40, "y" * 40, "z" * 40]}
    (msg,) = read_export(write(tmp_path, export([long], name="N" * 1000)))[1]
    assert msg.text == "x" * 40 + "y" * 10
    assert len(read_export(write(tmp_path, export([long], name="N" * 1000)))[0].name) == 200


@pytest.mark.parametrize(("content", "where"), [
    ("", "(top level): the file ends here"),
    ("[1, 2]", "(top level): expected '{'"),
    ('{"name": "x"}', 'messages: missing'),
    ('{"name": "x", "messages": {"a": 1}}', "messages: expected '['"),
    ('{"messages": [{"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "text": "a"}, {"id": 2,',
     "messages[1]: invalid JSON"),
    ('{"messages": [{"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "text": "a"}',
     "messages[0]: the file ends here"),
    ('{"messages": [{"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "text": "a"}]',
     "(top level): the file ends here"),
    ('{"messages": [{"id": "1", "type": "message", "date": "2024-01-01", "text": "a"}]}',
     "messages[0].id: expected a non-negative integer"),
    ('{"messages": [{"id": 1, "type": "message", "date": "yesterday", "text": "a"}]}', "messages[0].date:"),
    ('{"messages": [{"id": 1, "type": "message", "date": "2024-01-01", "text": 42}]}', "messages[0].text:"),
    ('{"messages": [{"id": 1, "type": "message", "date": "2024-01-01", "text": ["a", {"type": "bold"}]}]}',
     "messages[0].text[1]:"),
    ('{"messages": [7]}', "messages[0]: expected an object"),
    ('{"messages": [{"id": 1, "type": "message", "date": "2024-01-01", "text": "a"} {"id": 2}]}',
     "messages[0]: expected ',' or ']'"),
    ('{"messages": []} trailing', "(top level): text after the end"),
    ('{"name": ' + "[" * 100_000 + "]" * 100_000 + ', "messages": []}', "name: nested too deeply"),
    ("\x00\xff garbage", "(top level): expected '{'"),
    # an integer over Python's 4300-digit limit raised a bare ValueError (a traceback) from the JSON decoder
    ('{"messages": [{"id": ' + "1" * 5000 + ', "date": "2024-01-01", "text": "a"}]}', "messages[0]: invalid JSON"),
    ('{"name": ' + "9" * 4301 + ', "messages": []}', "name: invalid JSON"),
    # an aware date that falls before year 1 in UTC raised OverflowError from astimezone()
    ('{"messages": [{"id": 1, "date": "0001-01-01T00:00:00+01:00", "text": "a"}]}', "messages[0].date: expected"),
    # a key from the file was printed raw: a newline forged a second error line, an escape reached the terminal
    ('{"x\\nresult.json: messages: forged\\u001b[2J": [1,', "'x\\nresult.json: messages: forged\\x1b[2J': invalid"),
    ('{"' + "k" * 5000 + '": [1,', repr("k" * 200) + ": invalid JSON"),
])
def test_malformed_files_name_the_file_and_the_json_path(tmp_path: Path, content: str, where: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    with pytest.raises(TelegramExportError) as info:
        chat, messages = read_export(path)
        list(messages)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and where in message and "\n" not in message


def test_a_huge_message_is_refused_not_buffered(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(telegram_export, "MAX_MESSAGE_CHARS", 10_000)
    monkeypatch.setattr(telegram_export, "CHUNK_CHARS", 1_000)
    big = {"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "text": "a" * 50_000}
    with pytest.raises(TelegramExportError, match=r"messages\[0\]: value longer than 10,000 characters"):
        list(read_export(write(tmp_path, export([big])))[1])


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(TelegramExportError, match="nope.json: cannot read"):
        read_export(tmp_path / "nope.json")


def account(chats: list[dict], left: list[dict] | None = None) -> dict:
    """A whole-account export ("Export Telegram data"): profile sections, then the chats' list."""
    return {"about": "Here is the data you requested.", "personal_information": {"first_name": "A"},
            "contacts": {"about": "", "list": [{"first_name": "B", "phone_number": "+7"}]},
            "chats": {"about": "chats", "list": chats},
            "left_chats": {"about": "left", "list": left or []}, "other_data": {"x": [1, 2]}}


def test_account_export_reads_the_picked_chat_only(tmp_path: Path, monkeypatch) -> None:
    other = {"name": "Мама", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-01T00:00:00", "text": "привет"}]}
    shop = export()
    gone = {"name": "Old shop", "type": "public_channel", "id": 9, "messages": MESSAGES}
    path = write(tmp_path, account([other, shop, {"name": "Empty", "id": 3}], [gone]))
    monkeypatch.setattr(telegram_export, "CHUNK_CHARS", 7)  # every structure split across reads
    chat, messages = read_export(path, chat="shop kz")  # case-insensitive
    assert (chat.name, chat.type, chat.id) == ("Shop KZ", "public_channel", "777")
    assert [m.id for m in messages] == [2, 3]
    chat, messages = read_export(path, chat="Old shop")  # a chat left is read too
    assert chat.id == "9" and [m.id for m in messages] == [2, 3]


def test_account_export_without_a_pick_names_its_chats(tmp_path: Path) -> None:
    path = write(tmp_path, account([{"name": "Мама", "id": 1, "messages": []}, export()]))
    with pytest.raises(TelegramExportError, match=r"whole-account export: pick one with --chat \(chats: 'Мама', "
                                                  r"'Shop KZ'\)"):
        read_export(path)
    with pytest.raises(TelegramExportError, match=r"no chat named 'Nope' \(chats: 'Мама', 'Shop KZ'\)"):
        read_export(path, chat="Nope")


def test_truncated_account_export_is_an_error_after_the_picked_chat(tmp_path: Path) -> None:
    text = json.dumps(account([export(), {"name": "Later", "id": 2, "messages": MESSAGES}]), ensure_ascii=False)
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index('"Later"') + 30], encoding="utf-8")
    chat, messages = read_export(path, chat="Shop KZ")
    with pytest.raises(TelegramExportError, match="the file ends here"):
        list(messages)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                     max_leaves=10)
_FIELD = st.sampled_from(["id", "type", "date", "date_unixtime", "text", "from", "edited", "edited_unixtime",
                          "forwarded_from", "media_type", "photo"])
_MESSAGE = st.dictionaries(_FIELD, _JSON | st.sampled_from(["message", "2024-01-01T00:00:00", "0001-01-01T00:00+01:00",
                                                            "1709294400", [{"type": "mention", "text": "@x"}]]),
                           max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(_MESSAGE, max_size=4), st.dictionaries(st.sampled_from(["name", "type", "id", "chats", "x\n"]), _JSON,
                                                       max_size=3), st.none() | st.integers(0, 300))
def test_any_wrong_typed_or_truncated_export_is_one_line_error(tmp_path_factory: pytest.TempPathFactory,
                                                               messages: list, header: dict, cut: int | None) -> None:
    text = json.dumps({**header, "messages": messages}, ensure_ascii=False)
    path = tmp_path_factory.mktemp("fuzz") / "result.json"
    path.write_text(text if cut is None else text[:cut], encoding="utf-8")
    try:
        _, found = read_export(path)
        list(found)
    except TelegramExportError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
