"""Deterministic OpenPGP v4 Ed25519 public keys (armoured, self-signed) built packet by packet."""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_ED25519_OID = bytes.fromhex("2b06010401da470f01")
_ALGO_EDDSA = 22
_HASH_SHA256 = 8


@dataclass(frozen=True)
class PgpKey:
    fingerprint: str  # 40 upper hex
    key_id: str  # 16 upper hex (last 8 bytes of the fingerprint)
    user_id: str
    armored: str


def _packet(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 192:
        length = bytes([n])
    elif n < 8384:
        n -= 192
        length = bytes([(n >> 8) + 192, n & 0xFF])
    else:
        length = b"\xff" + struct.pack(">I", n)
    return bytes([0xC0 | tag]) + length + body


def _mpi(data: bytes) -> bytes:
    data = data.lstrip(b"\x00")
    bits = len(data) * 8 - (8 - data[0].bit_length()) if data else 0
    return struct.pack(">H", bits) + data


def _subpacket(kind: int, data: bytes) -> bytes:
    return bytes([len(data) + 1, kind]) + data


def _crc24_table() -> list[int]:
    table = []
    for i in range(256):
        crc = i << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
        table.append(crc & 0xFFFFFF)
    return table


_CRC24 = _crc24_table()


def crc24(data: bytes) -> int:
    """OpenPGP armour checksum (RFC 4880 6.1), table driven."""
    crc = 0xB704CE
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFF) ^ _CRC24[((crc >> 16) ^ byte) & 0xFF]
    return crc


def armor(data: bytes, kind: str = "PUBLIC KEY BLOCK") -> str:
    b64 = base64.b64encode(data).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    checksum = base64.b64encode(crc24(data).to_bytes(3, "big")).decode()
    return "\n".join([f"-----BEGIN PGP {kind}-----", "", *lines, "=" + checksum, f"-----END PGP {kind}-----"])


def make_key(seed: bytes, user_id: str, created: int) -> PgpKey:
    """Build a self-signed Ed25519 public key from a 32-byte seed; same inputs give the same bytes."""
    secret = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())
    pub = secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_body = (
        bytes([4]) + struct.pack(">I", created) + bytes([_ALGO_EDDSA, len(_ED25519_OID)]) + _ED25519_OID
        + _mpi(b"\x40" + pub)
    )
    fpr = hashlib.sha1(b"\x99" + struct.pack(">H", len(key_body)) + key_body).digest()
    uid = user_id.encode("utf-8")
    hashed = (
        _subpacket(2, struct.pack(">I", created))
        + _subpacket(27, b"\x03")
        + _subpacket(33, b"\x04" + fpr)
    )
    sig_head = bytes([4, 0x13, _ALGO_EDDSA, _HASH_SHA256]) + struct.pack(">H", len(hashed)) + hashed
    digest = hashlib.sha256(
        b"\x99" + struct.pack(">H", len(key_body)) + key_body
        + b"\xb4" + struct.pack(">I", len(uid)) + uid
        + sig_head + b"\x04\xff" + struct.pack(">I", len(sig_head))
    ).digest()
    signature = secret.sign(digest)
    unhashed = _subpacket(16, fpr[-8:])
    sig_body = (
        sig_head + struct.pack(">H", len(unhashed)) + unhashed + digest[:2]
        + _mpi(signature[:32]) + _mpi(signature[32:])
    )
    data = _packet(6, key_body) + _packet(13, uid) + _packet(2, sig_body)
    return PgpKey(fpr.hex().upper(), fpr[-8:].hex().upper(), user_id, armor(data))
