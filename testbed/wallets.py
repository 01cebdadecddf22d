"""Well-formed cryptocurrency addresses from seeded bytes: BTC (bech32, base58check) and Monero."""

from __future__ import annotations

import hashlib

from onionwatch.extractors.crypto_addresses import B58, BECH32, bech32_hrp_expand, bech32_polymod, keccak256


def _b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + out


def btc_base58(version: int, payload20: bytes) -> str:
    """P2PKH (version 0, "1...") or P2SH (version 5, "3...") address with its checksum."""
    raw = bytes([version]) + payload20
    return _b58encode(raw + hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4])


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
    poly = bech32_polymod(bech32_hrp_expand(hrp) + data + [0] * 6) ^ 1
    checksum = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data + checksum)


_XMR_BLOCK_CHARS = {0: 0, 1: 2, 2: 3, 3: 5, 4: 6, 5: 7, 6: 9, 7: 10, 8: 11}


def _xmr_b58(data: bytes) -> str:
    out = []
    for off in range(0, len(data), 8):
        block = data[off : off + 8]
        n = int.from_bytes(block, "big")
        chars = ""
        while n:
            n, r = divmod(n, 58)
            chars = B58[r] + chars
        out.append(chars.rjust(_XMR_BLOCK_CHARS[len(block)], "1"))
    return "".join(out)


def xmr_address(spend32: bytes, view32: bytes) -> str:
    """A 95-char Monero standard address ("4...") with its Keccak checksum."""
    raw = b"\x12" + spend32 + view32
    return _xmr_b58(raw + keccak256(raw)[:4])
