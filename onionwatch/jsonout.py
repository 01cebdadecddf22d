"""JSON as the commands print it (`--json`): UTF-8 kept readable, hidden characters escaped.

``ensure_ascii=False`` keeps every letter as itself (Cyrillic "мефедрон", not ``\\u043c...``). The characters
onionwatch/visible.py calls hidden (controls, bidi overrides, zero-width, unassigned, lone surrogates) are
still written as ``\\uXXXX`` escapes: scraped text printed as JSON cannot reorder or rewrite the terminal,
and a JSON parser reads back exactly the original string.
"""

from __future__ import annotations

import json
import re
from typing import Any

from onionwatch.visible import hidden

_CANDIDATE = re.compile(r"[^\x00-\x7e]|\x7f")  # json.dumps already escapes C0 controls, quotes, backslashes


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if not hidden(ch):
        return ch
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # astral: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **options)`` with hidden characters escaped (see above)."""
    return _CANDIDATE.sub(_escape, json.dumps(value, ensure_ascii=False, **options))
