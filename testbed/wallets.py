"""Well-formed cryptocurrency addresses from seeded bytes: BTC (bech32, base58check) and Monero."""

from __future__ import annotations

import hashlib

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + out


def btc_base58(version: int, payload20: bytes) -> str:
    """P2PKH (version 0, "1...") or P2SH (version 5, "3...") address with its checksum."""
    raw = bytes([version]) + payload20
    return _b58encode(raw + hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4])


def _polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _convertbits(data: bytes, frombits: int = 8, tobits: int = 5) -> list[int]:
    acc = bits = 0
    out = []
    for b in data:
        acc = (acc << frombits) | b
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & ((1 << tobits) - 1))
    if bits:
        out.append((acc << (tobits - bits)) & ((1 << tobits) - 1))
    return out


def btc_bech32(program20: bytes, hrp: str = "bc") -> str:
    """A segwit v0 P2WPKH address ("bc1q...") with a valid bech32 checksum."""
    data = [0, *_convertbits(program20)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    poly = _polymod(expanded + data + [0] * 6) ^ 1
    checksum = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32[d] for d in data + checksum)


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


_XMR_BLOCK_CHARS = {0: 0, 1: 2, 2: 3, 3: 5, 4: 6, 5: 7, 6: 9, 7: 10, 8: 11}


def _xmr_b58(data: bytes) -> str:
    out = []
    for off in range(0, len(data), 8):
        block = data[off : off + 8]
        n = int.from_bytes(block, "big")
        chars = ""
        while n:
            n, r = divmod(n, 58)
            chars = _B58[r] + chars
        out.append(chars.rjust(_XMR_BLOCK_CHARS[len(block)], "1"))
    return "".join(out)


def xmr_address(spend32: bytes, view32: bytes) -> str:
    """A 95-char Monero standard address ("4...") with its Keccak checksum."""
    raw = b"\x12" + spend32 + view32
    return _xmr_b58(raw + keccak256(raw)[:4])
