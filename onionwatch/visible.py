"""Hidden characters in scraped text made visible: one rule for the terminal and the dashboard.

Scraped text is attacker-controlled. Bidi overrides and isolates (U+202A–202E, U+2066–2069) can reorder
what an analyst reads ("gnp.exe" shown as "exe.png"), ANSI escape sequences can rewrite a terminal, C0/C1
controls and zero-width characters hide text or split words. `segments` finds them all; the terminal
drops them (`terminal_safe`), HTML shows each as a marker such as ``⟨U+202E⟩`` (`reveal_text`, and
`reveal_html` in a ``<span class="ctl">``). The store keeps the raw text: this is display only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup, escape

ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # controls, format (bidi, zero-width), unassigned
KEEP = frozenset("\t\n\r")  # layout whitespace: shown as whitespace


@functools.lru_cache(maxsize=8192)
def hidden(ch: str) -> bool:
    """True for a character that is invisible or changes how the text around it is shown."""
    return ch not in KEEP and unicodedata.category(ch) in HIDDEN_CATEGORIES


def _plain(s: str) -> bool:
    """Fast path: no hidden character at all (every hidden category is also non-printable to Python)."""
    return s.isprintable() or s.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()


_CANDIDATE = re.compile(r"[^\x20-\x7e]")  # only these need a look-up


def _name(ch: str) -> str:
    return "ESC" if ch == "\x1b" else f"U+{ord(ch):04X}"


def segments(text: Any) -> Iterator[tuple[str, bool]]:
    """(piece, is_marker) in order: plain text as it is, each hidden character run or ANSI sequence as the
    marker that shows it (``⟨U+202E⟩``, ``⟨U+200B ×3⟩``, ``⟨ESC[31m⟩``)."""
    s = "" if text is None else str(text)
    pos = 0
    for m in ANSI.finditer(s):
        yield from _chars(s[pos : m.start()])
        seq = "".join(_name(c) if hidden(c) else c for c in m.group())
        yield f"⟨{seq}⟩", True
        pos = m.end()
    yield from _chars(s[pos:])


def _chars(s: str) -> Iterator[tuple[str, bool]]:
    if _plain(s):
        if s:
            yield s, False
        return
    start = 0
    n = len(s)
    for m in _CANDIDATE.finditer(s):
        i = m.start()
        if i < start or not hidden(s[i]):
            continue
        if start < i:
            yield s[start:i], False
        j = i + 1
        while j < n and s[j] == s[i]:
            j += 1
        count = j - i
        yield (f"⟨{_name(s[i])}⟩" if count == 1 else f"⟨{_name(s[i])} ×{count}⟩"), True
        start = j
    if start < n:
        yield s[start:], False


def terminal_safe(text: Any) -> str:
    """Scraped text fit for a terminal: ANSI/OSC sequences removed, other control and format
    characters (C0, C1, bidi overrides, zero-width) dropped, whitespace runs collapsed."""
    s = "".join(piece for piece, marker in segments(text) if not marker)
    return " ".join(s.split())


def reveal_text(text: Any) -> str:
    """Plain text with every hidden character shown as its marker (still to be escaped for HTML)."""
    return "".join(piece for piece, _ in segments(text))


def reveal_html(text: Any) -> Markup:
    """Escaped HTML with every hidden character shown as ``<span class="ctl" title=…>⟨U+202E⟩</span>``.

    Already-safe Markup (a search highlight) keeps its own tags; only its hidden characters are replaced."""
    if isinstance(text, Markup):
        return Markup("".join(_span(p) if m else p for p, m in _chars(str(text))))
    return Markup("".join(_span(p) if m else str(escape(p)) for p, m in segments(text)))


def _span(marker: str) -> str:
    return f'<span class="ctl" title="hidden character in the scraped text">{escape(marker)}</span>'


def finalize(value: Any) -> Any:
    """Jinja `finalize`: every ``{{ … }}`` shows hidden characters. Plain strings get text markers (safe in
    any context, attributes and <title> included: autoescape runs next); Markup gets styled spans."""
    if isinstance(value, Markup):
        return reveal_html(value) if any(hidden(c) for c in value) else value
    if isinstance(value, str):
        return reveal_text(value)
    return value
