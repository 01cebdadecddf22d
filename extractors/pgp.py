"""PGP public key blocks parsed with pgpy: fingerprint (40 hex) and key id (16 hex) of the primary key."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
END = "-----END PGP PUBLIC KEY BLOCK-----"
MAX_BLOCK = 64_000  # larger "keys" are not parsed (bounded time on hostile pages)


@dataclass
class PgpKey:
    fingerprint: str  # 40 hex, uppercase
    key_id: str  # 16 hex, uppercase
    user_ids: list[str]


def _repair(block: str) -> str:
    """Undo what HTML pages do to armour: <br>, &nbsp;, indentation, CRLF."""
    block = re.sub(r"<br\s*/?>", "\n", block, flags=re.I).replace("&nbsp;", " ").replace("\r", "")
    lines = [ln.strip() for ln in block.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln.startswith("-----") or out and out[-1].startswith("-----BEGIN") or ln:
            out.append(ln)
    # armour needs one blank line between the header (and optional headers) and the base64 body
    head, body = out[0], [ln for ln in out[1:] if ln]
    hdrs = [ln for ln in body if ":" in ln and not ln.startswith("=") and " " in ln]
    rest = [ln for ln in body if ln not in hdrs]
    return "\n".join([head, *hdrs, "", *rest]) + "\n"


def _blocks(text: str) -> list[str]:
    """Armoured blocks, BEGIN to the first END after it, in one linear scan (a regex `BEGIN.*?END` rescans
    the rest of the text for every BEGIN that has no END: quadratic on a page of repeated BEGIN lines)."""
    blocks, pos = [], 0
    while (start := text.find(BEGIN, pos)) >= 0:
        end = text.find(END, start + len(BEGIN))
        if end < 0:
            break  # no END after this BEGIN: none after any later BEGIN either
        pos = end + len(END)
        blocks.append(text[start:pos])
    return blocks


def parse_public_key(text: str) -> PgpKey | None:
    """The first parseable public key block in text, else None (never raises on junk)."""
    import pgpy

    for block in _blocks(text[: MAX_BLOCK * 4]):
        if len(block) > MAX_BLOCK:
            continue
        for candidate in (block, _repair(block)):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    key, _ = pgpy.PGPKey.from_blob(candidate)
            except Exception:  # pgpy raises many types on malformed armour; junk is expected here
                continue
            fp = str(key.fingerprint).replace(" ", "").upper()
            if len(fp) != 40:
                continue
            uids = [str(u.userid) if hasattr(u, "userid") else str(u) for u in key.userids]
            return PgpKey(fp, fp[-16:], uids)
    return None


_FPR = re.compile(r"(?<![0-9A-Fa-f])((?:[0-9A-Fa-f]{4}[ \u00a0]{0,2}){9}[0-9A-Fa-f]{4})(?![0-9A-Fa-f])")


def normalize_fingerprint(text: str | None) -> str | None:
    """A v4 fingerprint shown as text ("AB12 CD34 ...", "0xab12cd34...", with or without spaces) as 40
    uppercase hex; None when the text shows none (a 16-hex key id is not a fingerprint)."""
    if not text:
        return None
    m = _FPR.search(text[:2000].replace("0x", " ").replace("0X", " "))
    return re.sub(r"\s", "", m.group(1)).upper() if m else None
