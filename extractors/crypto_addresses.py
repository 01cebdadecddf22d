"""Cryptocurrency address validation by checksum: BTC base58check and bech32/bech32m, Monero base58."""

from __future__ import annotations

import hashlib
import re

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58)}
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(BECH32)}

BTC_CANDIDATE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{8,87}|BC1[02-9AC-HJ-NP-Z]{8,87})(?![0-9A-Za-z])"
)
XMR_CANDIDATE_RE = re.compile(
    r"(?<![0-9A-Za-z])[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?(?![0-9A-Za-z])"
)


def _b58decode(s: str) -> bytes | None:
    n = 0
    for c in s:
        if c not in _B58_INDEX:
            return None
        n = n * 58 + _B58_INDEX[c]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    return b"\x00" * pad + body


def is_btc_base58(addr: str) -> bool:
    """P2PKH (1...) / P2SH (3...) with a valid double-SHA256 checksum."""
    raw = _b58decode(addr)
    if raw is None or len(raw) != 25 or raw[0] not in (0x00, 0x05):
        return False
    check = hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4]
    return check == raw[-4:]


def bech32_polymod(values: list[int]) -> int:
    """BIP-173 checksum polymod (1 for a valid bech32 string, 0x2BC830A3 for bech32m)."""
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32_hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def is_btc_bech32(addr: str) -> bool:
    """Segwit v0 (bech32) and v1+ taproot (bech32m) addresses on mainnet (bc1...)."""
    if addr.lower() != addr and addr.upper() != addr:
        return False
    addr = addr.lower()
    if not addr.startswith("bc1") or not 14 <= len(addr) <= 90:
        return False
    data = [_BECH32_INDEX.get(c, -1) for c in addr[3:]]
    if -1 in data:
        return False
    const = bech32_polymod(bech32_hrp_expand("bc") + data)
    witver = data[0]
    if witver == 0:
        return const == 1 and len(addr) in (42, 62)
    return const == 0x2BC830A3 and witver <= 16


def is_btc_address(addr: str) -> bool:
    return is_btc_bech32(addr) if addr.lower().startswith("bc1") else is_btc_base58(addr)


# ---- Monero: base58 in 8-byte blocks and a Keccak-256 checksum (pure-Python Keccak-f[1600]) ----
_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
_M64 = (1 << 64) - 1
# pi step on a flat lane list (index x + 5y): destination index and rotation for every source lane
_PI = [(y + 5 * ((2 * x + 3 * y) % 5), _ROT[x][y]) for y in range(5) for x in range(5)]


def _keccak_f(a: list[int]) -> None:
    for rc in _RC:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ (((c[(x + 1) % 5] << 1) | (c[(x + 1) % 5] >> 63)) & _M64) for x in range(5)]
        b = [0] * 25
        for i, (dest, rot) in enumerate(_PI):
            v = a[i] ^ d[i % 5]
            b[dest] = ((v << rot) | (v >> (64 - rot))) & _M64 if rot else v
        for y in range(0, 25, 5):
            b0, b1, b2, b3, b4 = b[y : y + 5]
            a[y] = b0 ^ (~b1 & b2)
            a[y + 1] = b1 ^ (~b2 & b3)
            a[y + 2] = b2 ^ (~b3 & b4)
            a[y + 3] = b3 ^ (~b4 & b0)
            a[y + 4] = b4 ^ (~b0 & b1)
        a[0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Original Keccak-256 (Monero's hash; differs from SHA3-256 only in the padding byte)."""
    rate = 136
    msg = bytearray(data) + b"\x01"
    msg += b"\x00" * (-len(msg) % rate)
    msg[-1] |= 0x80
    a = [0] * 25
    for off in range(0, len(msg), rate):
        for i in range(rate // 8):
            a[i] ^= int.from_bytes(msg[off + 8 * i : off + 8 * i + 8], "little")
        _keccak_f(a)
    return b"".join(a[i].to_bytes(8, "little") for i in range(4))


_XMR_BLOCK = {11: 8, 7: 5, 10: 7, 2: 1, 3: 2, 5: 3, 6: 4, 9: 6}


def _xmr_b58decode(s: str) -> bytes | None:
    out = bytearray()
    for i in range(0, len(s), 11):
        chunk = s[i : i + 11]
        size = _XMR_BLOCK.get(len(chunk))
        if size is None:
            return None
        n = 0
        for c in chunk:
            if c not in _B58_INDEX:
                return None
            n = n * 58 + _B58_INDEX[c]
        if n >= 1 << (8 * size):
            return None
        out += n.to_bytes(size, "big")
    return bytes(out)


def is_xmr_address(addr: str) -> bool:
    """Standard (4...), subaddress (8...) and integrated addresses with a valid Keccak checksum."""
    if len(addr) not in (95, 106) or addr[0] not in "48":
        return False
    raw = _xmr_b58decode(addr)
    if raw is None or len(raw) < 5:
        return False
    if raw[0] not in (18, 19, 42):  # mainnet: standard, integrated, subaddress
        return False
    return keccak256(raw[:-4])[:4] == raw[-4:]


def find_addresses(text: str) -> dict[str, list[str]]:
    """{"BTC": [...], "XMR": [...]} of checksum-valid addresses in text order, de-duplicated."""
    out: dict[str, list[str]] = {}
    for m in BTC_CANDIDATE_RE.finditer(text[:200_000]):
        a = m.group(0)
        if is_btc_address(a) and a not in out.get("BTC", []):
            out.setdefault("BTC", []).append(a)
    for m in XMR_CANDIDATE_RE.finditer(text[:200_000]):
        a = m.group(0)
        if is_xmr_address(a) and a not in out.get("XMR", []):
            out.setdefault("XMR", []).append(a)
    return out
