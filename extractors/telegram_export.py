"""Read a Telegram Desktop export (result.json of one channel or chat) as a stream of typed messages.

The export is one JSON object ``{"name", "type", "id", "messages": [...]}``. It is read in chunks and each
message is decoded on its own (``json.JSONDecoder.raw_decode``), so a large export is never held whole, neither
as text nor as objects; every field is capped. Anything malformed raises `TelegramExportError` naming the file
and the JSON path ("result.json: messages[12].text[3]: expected a string or an object with "text"").
A message's ``text`` is a string or a list of strings and entity objects ``{"type", "text", "href"?}``.
A whole-account export (``{"chats": {"list": [chat, ...]}, "left_chats": {...}, ...}``) is read the same way
once one chat is picked by name (``read_export(path, chat="Shop KZ")``, ``--chat``); the other chats are
skipped message by message, never held; without a name it is refused with the names of its chats.
``read_chats(path)`` reads every chat of either kind of export one after another, each streamed the same way.
Struck-through text is what a shop no longer sells: ``TgMessage.for_offers`` is the text with struck lines marked
sold out and struck prices or offers inside a line dropped (``text`` keeps the message as written).
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from onionwatch.errors import InputError

CHUNK_CHARS = 1 << 20
MAX_MESSAGE_CHARS = 4_000_000  # one message's JSON; a longer one is junk, not a shop post
MAX_HEADER_CHARS = 100_000  # a top-level value other than "messages"
MAX_TEXT_CHARS = 20_000  # text kept per message
MAX_PARTS = 2_000  # text parts (strings, entities) read per message
MAX_NAME_CHARS = 200
MAX_LINKS = 50
_WS = " \t\r\n"
MAX_LITERAL = 10  # "-Infinity": the longest JSON word the decoder reads


class TelegramExportError(InputError):
    """The export cannot be read; str() is `file: json.path: problem`."""


@dataclass
class TgChat:
    name: str
    type: str  # "public_channel", "private_channel", "private_supergroup", "personal_chat", ...
    id: str


@dataclass
class TgMessage:
    id: int
    date: str  # ISO 8601 UTC
    text: str
    author: str | None = None  # "from": the channel or the member who wrote it
    edited: str | None = None  # ISO 8601 UTC of the last edit
    forwarded_from: str | None = None
    links: list[str] = field(default_factory=list)  # hrefs and bare links in entities
    mentions: list[str] = field(default_factory=list)  # "@handle" entities (bots included)
    media: str | None = None  # "photo", a media_type, or None
    offer_text: str | None = None  # the text offers are read from when it differs (struck-through parts)

    @property
    def for_offers(self) -> str:
        """The text to segment into offers: struck-through prices dropped, struck-through offers marked sold out."""
        return self.text if self.offer_text is None else self.offer_text


class _Stream:
    """A window on the file: `buf[pos:]` is what is not yet consumed; earlier text is dropped on refill."""

    def __init__(self, fh: IO[str], name: str) -> None:
        self.fh, self.name = fh, name
        self.buf, self.pos, self.eof = "", 0, False
        self.decoder = json.JSONDecoder()

    def fail(self, path: str, problem: str) -> TelegramExportError:
        if not path.isprintable() or len(path) > MAX_NAME_CHARS:  # a key from the file: "a\nforged: line"
            path = repr(path[:MAX_NAME_CHARS])
        return TelegramExportError(f"{self.name}: {path}: {problem}")

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK_CHARS)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self, path: str) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                raise self.fail(path, "the file ends here (truncated export?)")

    def expect(self, char: str, path: str) -> None:
        got = self.peek(path)
        if got != char:
            raise self.fail(path, f"expected {char!r}, found {got!r}")
        self.pos += 1

    def value(self, path: str, limit: int) -> Any:
        """Decode one JSON value; reads more of the file until it is complete (or over `limit` chars)."""
        self.peek(path)
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # the value may go on in the next chunk: a string, or a literal cut short ("fal|se", "nu|ll")
                incomplete = exc.pos >= len(self.buf) - MAX_LITERAL or exc.msg.startswith("Unterminated string")
                if incomplete and self._grow(path, limit):
                    continue
                raise self.fail(path, f"invalid JSON: {exc.msg}") from None
            except RecursionError:
                raise self.fail(path, "nested too deeply") from None
            except ValueError:  # an integer of more than 4300 digits (sys.get_int_max_str_digits)
                raise self.fail(path, "invalid JSON: a number too long") from None
            if end == len(self.buf) and self._grow(path, limit):  # a number may go on in the next chunk
                continue
            self.pos = end
            return obj

    def end(self) -> None:
        """Only white space may follow the top-level object."""
        while True:
            if self.buf[self.pos :].strip(_WS):
                raise self.fail("(top level)", "text after the end of the export")
            if not self._more():
                return

    def _grow(self, path: str, limit: int) -> bool:
        if len(self.buf) - self.pos > limit:
            raise self.fail(path, f"value longer than {limit:,} characters")
        return self._more()


ACCOUNT_SECTIONS = ("chats", "left_chats")  # a whole-account export lists its chats under these keys
MAX_NAMES_SHOWN = 20


def read_export(path: str | Path, chat: str | None = None) -> tuple[TgChat, Iterator[TgMessage]]:
    """The chat header (keys before "messages") and an iterator over its messages, in file order; `chat`: the
    name of the chat to read from a whole-account export (case-insensitive).

    Raises TelegramExportError (file and JSON path) on an unreadable or malformed file, also while iterating;
    keys after "messages" are checked too, so a truncated file is always an error."""
    fh, s = _open(path)
    try:
        header, nested = _header(s, chat)
    except BaseException:
        fh.close()
        raise
    return _chat(s, header), _messages(s, fh, nested)


def _open(path: str | Path) -> tuple[IO[str], _Stream]:
    """The export opened for reading, and a stream over it; TelegramExportError (naming the file) if it cannot be."""
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8-sig", errors="replace")  # a BOM (a file saved again on Windows) is no error
    except OSError as exc:
        raise TelegramExportError(f"{p}: cannot read: {exc.strerror or exc}") from None
    return fh, _Stream(fh, str(p))


def _key(s: _Stream, path: str) -> str | None:
    """The next key of the top-level object, or None at its end."""
    c = s.peek(path)
    if c == "}":
        s.pos += 1
        return None
    if c == ",":
        s.pos += 1
    key = s.value(path, MAX_NAME_CHARS * 10)
    if not isinstance(key, str):
        raise s.fail(path, "expected a key")
    s.expect(":", key)
    return key


def _header(s: _Stream, want: str | None) -> tuple[dict[str, Any], bool]:
    """(the chat's header, whether it is nested in an account export), the stream left inside its messages."""
    s.expect("{", "(top level)")
    header: dict[str, Any] = {}
    names: list[str] = []
    while True:
        key = _key(s, "(top level)")
        if key is None:
            if names or want is not None:
                more = ", ..." if len(names) > MAX_NAMES_SHOWN else ""
                shown = ", ".join(repr(n) for n in names[:MAX_NAMES_SHOWN]) + more
                what = f"no chat named {want!r}" if want is not None else "a whole-account export: pick one with --chat"
                raise s.fail("chats", f"{what} (chats: {shown or 'none'})")
            raise s.fail("messages", 'missing: export one channel or chat ("Export chat history", JSON)')
        if key == "messages" and not names:
            s.expect("[", "messages")
            return header, False
        if key in ACCOUNT_SECTIONS and s.peek(key) == "{":
            found = _section(s, key, want, names)
            if found is not None:
                return found, True
            continue
        value = s.value(key, MAX_HEADER_CHARS if key in ("name", "type", "id") else MAX_MESSAGE_CHARS)
        if key in ("name", "type", "id"):
            header[key] = value  # an account export's other sections (contacts, sessions ...) are not kept


def _section_chats(s: _Stream, section: str) -> Iterator[tuple[dict[str, Any], bool, str]]:
    """Walk `{"about": ..., "list": [chat, ...]}`: each chat's header, whether the stream stands inside its
    messages, and its path. A consumer given True reads or skips the messages to the end of their array before
    it asks for the next chat; one that stops early leaves the stream inside them."""
    s.expect("{", section)
    while (key := _key(s, section)) is not None:
        if key != "list":
            s.value(f"{section}.{key}", MAX_HEADER_CHARS)
            continue
        where = f"{section}.list"
        s.expect("[", where)
        if s.peek(where) == "]":
            s.pos += 1
            continue
        i = 0
        while True:
            at = f"{where}[{i}]"
            header, in_messages = _chat_header(s, at)
            yield header, in_messages, at
            if in_messages:
                _finish_object(s, at)
            if _next_item(s, at):
                break
            i += 1


def _section(s: _Stream, section: str, want: str | None, names: list[str]) -> dict[str, Any] | None:
    """The header of the chat named `want` in an account section (the stream left inside its messages), else
    None with every chat skipped and its name added to `names`."""
    for header, in_messages, at in _section_chats(s, section):
        name = header.get("name")
        names.append(_cap(name, MAX_NAME_CHARS) if isinstance(name, str) else "")
        if want is not None and in_messages and isinstance(name, str) and name.casefold() == want.casefold():
            return header
        if in_messages:
            _skip_messages(s, at)
    return None


def _chat_header(s: _Stream, where: str) -> tuple[dict[str, Any], bool]:
    """A chat object's keys before "messages" (then True, inside the array) or up to its end (False)."""
    s.expect("{", where)
    header: dict[str, Any] = {}
    while (key := _key(s, where)) is not None:
        if key == "messages":
            s.expect("[", f"{where}.messages")
            return header, True
        header[key] = s.value(f"{where}.{key}", MAX_HEADER_CHARS)
    return header, False


def _skip_messages(s: _Stream, where: str) -> None:
    """Consume the rest of a messages array one message at a time (none is kept)."""
    i = 0
    if s.peek(where) == "]":
        s.pos += 1
        return
    while True:
        s.value(f"{where}.messages[{i}]", MAX_MESSAGE_CHARS)
        if _next_item(s, f"{where}.messages[{i}]"):
            return
        i += 1


def _next_item(s: _Stream, where: str) -> bool:
    """After an array item: True at the array's end, False before another item."""
    c = s.peek(where)
    s.pos += 1
    if c == "]":
        return True
    if c != ",":
        raise s.fail(where, f"expected ',' or ']' after it, found {c!r}")
    return False


def _finish_object(s: _Stream, where: str) -> None:
    while (key := _key(s, where)) is not None:
        s.value(f"{where}.{key}", MAX_HEADER_CHARS)


def _finish_account(s: _Stream) -> None:
    """After the picked chat's messages: the rest of its object, of its list and section, and of the file."""
    _finish_object(s, "chat")
    if not _next_item(s, "chats.list"):
        while True:
            _, in_messages = _chat_header(s, "chats.list")
            if in_messages:
                _skip_messages(s, "chats.list")
                _finish_object(s, "chats.list")
            if _next_item(s, "chats.list"):
                break
    _finish_object(s, "chats")
    while (key := _key(s, "(top level)")) is not None:
        if key in ACCOUNT_SECTIONS and s.peek(key) == "{":
            _section(s, key, None, [])
        else:
            s.value(key, MAX_HEADER_CHARS)


def _chat(s: _Stream, header: dict[str, Any], where: str = "") -> TgChat:
    name = header.get("name")
    kind = header.get("type")
    cid = header.get("id")
    at = f"{where}." if where else ""
    if name is not None and not isinstance(name, str):
        raise s.fail(f"{at}name", "expected a string")
    if cid is not None and (not isinstance(cid, (int, str)) or isinstance(cid, bool)):
        raise s.fail(f"{at}id", "expected a number")
    return TgChat(_cap(name or "", MAX_NAME_CHARS), _cap(kind if isinstance(kind, str) else "", 40),
                  _cap(str(cid) if cid is not None else "", 40))


def _messages(s: _Stream, fh: IO[str], nested: bool = False) -> Iterator[TgMessage]:
    try:
        yield from _each_message(s, "messages")
        if nested:
            _finish_account(s)
        else:
            while (key := _key(s, "(top level)")) is not None:
                s.value(key, MAX_HEADER_CHARS)
        s.end()
    finally:
        fh.close()


def _each_message(s: _Stream, where: str) -> Iterator[TgMessage]:
    """The messages of the array the stream is inside, up to and past its "]"."""
    i = 0
    if s.peek(where) == "]":
        s.pos += 1
        return
    while True:
        at = f"{where}[{i}]"
        obj = s.value(at, MAX_MESSAGE_CHARS)
        msg = parse_message(obj, at, s.fail)
        if msg is not None:
            yield msg
        i += 1
        c = s.peek(at)
        s.pos += 1
        if c == "]":
            return
        if c != ",":
            raise s.fail(at, f"expected ',' or ']' after the message, found {c!r}")


def read_chats(path: str | Path) -> Iterator[tuple[TgChat, Iterator[TgMessage]]]:
    """Every chat of an export with its messages, in file order: the one chat of a chat export, or each chat of a
    whole-account export that has messages (``chats`` then ``left_chats``). Each chat's messages must be read
    before the next chat is (a chat left unread is skipped). Errors as `read_export`, the JSON path in full
    ("chats.list[3].messages[12].text")."""
    fh, s = _open(path)
    with fh:
        s.expect("{", "(top level)")
        header: dict[str, Any] = {}
        seen = 0
        account = False
        while (key := _key(s, "(top level)")) is not None:
            if key == "messages" and not account:
                s.expect("[", "messages")
                seen += 1
                yield from _yield_chat(s, _chat(s, header), "messages")
            elif key in ACCOUNT_SECTIONS and s.peek(key) == "{":
                account = True
                seen += yield from _account_section(s, key)
            else:
                value = s.value(key, MAX_HEADER_CHARS if key in ("name", "type", "id") else MAX_MESSAGE_CHARS)
                if key in ("name", "type", "id"):
                    header[key] = value
        s.end()
        if not seen:
            what = "no chat with messages in this account export" if account else \
                'missing: export one channel or chat ("Export chat history", JSON)'
            raise s.fail("chats" if account else "messages", what)


def _yield_chat(s: _Stream, chat: TgChat, where: str) -> Iterator[tuple[TgChat, Iterator[TgMessage]]]:
    messages = _each_message(s, where)
    yield chat, messages
    for _ in messages:  # the caller stopped early: the rest is still checked, not kept
        pass


def _account_section(s: _Stream, section: str) -> Generator[tuple[TgChat, Iterator[TgMessage]], None, int]:
    """The chats with messages of `{"about": ..., "list": [chat, ...]}`; returns how many there were."""
    seen = 0
    for header, in_messages, at in _section_chats(s, section):
        if in_messages:
            seen += 1
            yield from _yield_chat(s, _chat(s, header, at), f"{at}.messages")
    return seen


def parse_message(obj: Any, where: str, fail: Any) -> TgMessage | None:
    """One element of messages[] as a TgMessage; None for service messages (joins, pins) and empty ones."""
    if not isinstance(obj, dict):
        raise fail(where, "expected an object")
    if obj.get("type", "message") != "message":
        return None
    mid = obj.get("id")
    if not isinstance(mid, int) or isinstance(mid, bool) or mid < 0:
        raise fail(f"{where}.id", "expected a non-negative integer")
    date = _date(obj.get("date_unixtime"), obj.get("date"))
    if date is None:
        raise fail(f"{where}.date", "expected an ISO date or date_unixtime")
    edited = _date(obj.get("edited_unixtime"), obj.get("edited")) if "edited" in obj else None
    key = "text" if "text" in obj or "text_entities" not in obj else "text_entities"  # an export with entities only
    text, links, mentions, offer_text = _text(obj.get(key, ""), f"{where}.{key}", fail,
                                              reply="reply_to_message_id" in obj)
    links += _button_links(obj.get("inline_bot_buttons"), MAX_LINKS - len(links))
    return TgMessage(
        id=mid, date=date, text=text, author=_opt_str(obj.get("from")) or _opt_str(obj.get("author")),
        edited=edited, forwarded_from=_opt_str(obj.get("forwarded_from")), links=links, mentions=mentions,
        media=_opt_str(obj.get("media_type")) or ("photo" if "photo" in obj else None),
        offer_text=offer_text if offer_text != text else None,
    )


_PRICE_ONLY = re.compile(r"[\W_]*\d[\d\s.,]*(?:[кk]|тыс\.?)?\s*(?:₸|₽|\$|€|тг|тенге|руб\.?|р\.?|сом|сум|usdt?)?[\W_]*",
                         re.I)


def _struck(piece: str, line_start: bool) -> str:
    """What a struck-through part becomes in the offer text. Shops strike out what is gone: an old price beside
    the new one ("~~18 000~~ 15 000") or a struck offer inside a line ("меф 1г — 15 000, ~~2г — 28 000~~") is
    dropped; struck lines ("~~шишки 1г — 9 000~~") are sold out (bench/corpus/README.md, ru_dev2026f: not an
    offer) and marked so the segmenter skips them ("❌"), not read as the product above them."""
    if not piece.strip() or _PRICE_ONLY.fullmatch(piece):
        return ""
    lines = piece.split("\n")
    head = "" if not line_start else (f"❌ {lines[0]}" if lines[0].strip() else lines[0])
    return "\n".join([head, *(f"❌ {x}" if x.strip() else x for x in lines[1:])])


def _text(value: Any, where: str, fail: Any, reply: bool = False) -> tuple[str, list[str], list[str], str]:
    """(text, links, mentions, the text offers are read from). In a reply a blockquote is the message it quotes
    ("> меф 1г — 1 200 грн" / "теперь 1 100 грн"): kept in the text, not read for offers (issue 14, tg_dev2026q)."""
    if isinstance(value, str):
        text = _cap(value, MAX_TEXT_CHARS)
        return text, [], [], text
    if not isinstance(value, list):
        raise fail(where, "expected a string or a list of strings and entities")
    out: list[str] = []
    offer: list[str] = []
    size = 0
    links: list[str] = []
    mentions: list[str] = []
    for j, part in enumerate(value[:MAX_PARTS]):
        if isinstance(part, str):
            piece = part
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            piece = part["text"]
            kind = part.get("type")
            href = part.get("href")
            if isinstance(href, str) and len(links) < MAX_LINKS:
                links.append(_cap(href, 500))
            elif kind in ("link", "text_link") and len(links) < MAX_LINKS:
                links.append(_cap(piece, 500))
            elif kind == "mention" and len(mentions) < MAX_LINKS:
                mentions.append(_cap(piece, 64))
        else:
            raise fail(f"{where}[{j}]", 'expected a string or an object with "text"')
        out.append(piece[: MAX_TEXT_CHARS - size])
        size += len(out[-1])
        if reply and isinstance(part, dict) and part.get("type") == "blockquote":
            offer.append("\n" if out[-1] else "")
        elif isinstance(part, dict) and part.get("type") == "strikethrough":
            at_start = not offer or offer[-1].endswith("\n") or not "".join(offer).rsplit("\n", 1)[-1].strip()
            offer.append(_struck(out[-1], at_start))
        else:
            offer.append(out[-1])
        if size >= MAX_TEXT_CHARS:
            break
    return "".join(out), links, mentions, "".join(offer)


def _button_links(rows: Any, room: int) -> list[str]:
    """The URLs of a post's inline buttons (`[[{"type": "url", "text": "Оператор", "data": "https://t.me/op"}]]`):
    a shop's operator and bot links; anything else in them is ignored."""
    out: list[str] = []
    for row in rows[:20] if isinstance(rows, list) else ():
        for button in row[:20] if isinstance(row, list) else ():
            data = button.get("data") if isinstance(button, dict) else None
            if isinstance(data, str) and data.startswith(("https://", "http://", "tg://", "t.me/")) and len(out) < room:
                out.append(_cap(data, 500))
    return out


def _date(unix: Any, iso: Any) -> str | None:
    if isinstance(unix, (str, int)) and not isinstance(unix, bool):
        try:
            return datetime.fromtimestamp(int(unix), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, OverflowError, OSError):
            return None
    if isinstance(iso, str) and len(iso) <= 40:
        try:  # Telegram writes local time without a zone; taken as UTC when no unixtime is given
            when = datetime.fromisoformat(iso)
        except ValueError:
            return None
        if when.tzinfo is not None:
            try:
                when = when.astimezone(UTC)
            except OverflowError:  # "0001-01-01T00:00:00+01:00" is before year 1 in UTC
                return None
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def _opt_str(value: Any) -> str | None:
    return _cap(value, MAX_NAME_CHARS) if isinstance(value, str) and value.strip() else None


def _cap(value: str, limit: int) -> str:
    return value[:limit]
