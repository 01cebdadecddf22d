"""Contact handles in vendor text: Telegram, Session, Wickr, Jabber/XMPP, Threema, Signal, email."""

from __future__ import annotations

import re

_TG_LINK = re.compile(
    r"(?:https?://)?(?:t\.me|telegram\.me|telegram\.dog)/(?:joinchat/|\+)?@?([A-Za-z0-9_]{4,32})", re.I
)
_TG = re.compile(
    r"(?:telegram|tg|телеграм+|телега|тг|тележка|telega)\s*(?:[:=\-–—]|-?\s*@|\s)\s*@?([A-Za-z][A-Za-z0-9_]{3,31})",
    re.I,
)
_TG_WORD = r"(?:telegram|tg|телеграм+\w*|телег[аеиу]|тг|тележк[аеиу]|telega)"
# "@handle (Telegram)", "@handle - tg", "@handle in/on telegram", "@handle в телеграм(е)": the handle comes first
_TG_AFTER = re.compile(
    rf"(?<![\w@.+-])@([A-Za-z][A-Za-z0-9_]{{3,31}})(?![\w@.])\s*(?:[(\[]\s*|[-–—:,]\s*|(?:in|on|at|в|во)\s+)?"
    rf"{_TG_WORD}(?![^\W\d_])",
    re.I,
)
_SESSION = re.compile(r"(?<![0-9a-fA-F])(05[0-9a-fA-F]{64})(?![0-9a-fA-F])")
_WICKR = re.compile(r"wickr(?:\s*me)?\s*(?:id)?\s*[:=\-–—]?\s*@?([A-Za-z0-9_.\-]{3,32})", re.I)
_THREEMA = re.compile(r"threema\s*(?:id)?\s*[:=\-–—]?\s*([A-Z0-9*][A-Z0-9]{7})\b", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,200}\.[A-Za-z]{2,24})(?![\w-])")
_JABBER_HINT = re.compile(
    r"(?:jabber|xmpp|jid|джаббер|жаба)\s*(?:id)?\s*[:=\-–—]?\s*([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,24})",
    re.I,
)
# "shop@xmpp.example (jabber)", "shop@host - xmpp": an address labelled after it
_JABBER_AFTER = re.compile(
    r"([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,24})\s*(?:[(\[]\s*|[-–—:,]\s*)?"
    r"(?:jabber|xmpp|jid|джаббер|жаба)(?![^\W\d_])",
    re.I,
)
_JABBER_DOMAINS = re.compile(
    r"@(?:jabber\.\w+|xmpp\.\w+|exploit\.im|404\.city|jabb\.im|thesecure\.biz|xmpp\.jp|dukgo\.com|"
    r"jabber\.calyxinstitute\.org|creep\.im|jabbim\.\w+|conversations\.im|draugr\.de|jabbers\.one|"
    r"0nl1ne\.at|sure\.im|chatterboxtown\.us|blah\.im|home\.zom\.im)$",
    re.I,
)
_SIGNAL = re.compile(r"signal\s*[:=\-–—]?\s*(\+\d[\d\s\-]{7,16}\d|@?[A-Za-z][A-Za-z0-9_.]{2,31}\.\d{2})", re.I)
_TG_STOP = {"channel", "group", "bot", "only", "contact", "chat", "support", "account", "канал", "чат", "бот"}


def _add(out: dict[str, list[str]], kind: str, value: str) -> None:
    vals = out.setdefault(kind, [])
    if value not in vals:
        vals.append(value)


def find_contacts(text: str) -> dict[str, list[str]]:
    """{"telegram": ["@name"], "session": [...], "wickr": [...], "jabber": [...], "email": [...] ...}."""
    text = text[:100_000]
    out: dict[str, list[str]] = {}
    tg = sorted((m.start(), m.group(1).lower()) for rx in (_TG_LINK, _TG, _TG_AFTER) for m in rx.finditer(text))
    for _, name in tg:
        if name not in _TG_STOP:
            _add(out, "telegram", "@" + name)
    for m in _SESSION.finditer(text):
        _add(out, "session", m.group(1).lower())
    for m in _WICKR.finditer(text):
        _add(out, "wickr", m.group(1).lower())
    for m in _THREEMA.finditer(text):
        _add(out, "threema", m.group(1).upper())
    for m in _SIGNAL.finditer(text):
        _add(out, "signal", re.sub(r"[\s\-]", "", m.group(1)).lower())
    jabber = {m.group(1).lower() for rx in (_JABBER_HINT, _JABBER_AFTER) for m in rx.finditer(text)}
    for m in _EMAIL.finditer(text):
        addr = m.group(1).lower()
        if addr in jabber or _JABBER_DOMAINS.search(addr):
            _add(out, "jabber", addr)
        else:
            _add(out, "email", addr)
    for addr in sorted(jabber):
        _add(out, "jabber", addr)
    return out
