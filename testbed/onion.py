"""Deterministic v3 onion identities for the testbed markets (fixed addresses, tor key files)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_SECRET_HEADER = b"== ed25519v1-secret: type0 ==\x00\x00\x00"
_PUBLIC_HEADER = b"== ed25519v1-public: type0 ==\x00\x00\x00"
_VERSION = b"\x03"


def market_seed(market: str) -> bytes:
    """The 32-byte ed25519 seed of a market's onion service."""
    return hashlib.sha256(b"onionwatch-testbed:" + market.encode()).digest()


def public_key(market: str) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(market_seed(market))
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def onion_checksum(pubkey: bytes) -> bytes:
    return hashlib.sha3_256(b".onion checksum" + pubkey + _VERSION).digest()[:2]


def address_from_pubkey(pubkey: bytes) -> str:
    raw = pubkey + onion_checksum(pubkey) + _VERSION
    return base64.b32encode(raw).decode().lower() + ".onion"


def onion_address(market: str) -> str:
    """The market's v3 onion hostname, e.g. ``abc...xyz.onion`` (56 base32 chars + .onion)."""
    return address_from_pubkey(public_key(market))


def onion_url(market: str) -> str:
    return f"http://{onion_address(market)}"


def is_valid_onion(address: str) -> bool:
    """True when a v3 onion hostname's checksum and version byte are right."""
    host = address.lower().removesuffix(".onion")
    if len(host) != 56:
        return False
    try:
        raw = base64.b32decode(host.upper())
    except ValueError:
        return False
    pubkey, checksum, version = raw[:32], raw[32:34], raw[34:]
    return version == _VERSION and checksum == onion_checksum(pubkey)


def expanded_secret_key(market: str) -> bytes:
    """tor's 64-byte expanded ed25519 secret: clamped sha512(seed)[:32] || sha512(seed)[32:]."""
    h = bytearray(hashlib.sha512(market_seed(market)).digest())
    h[0] &= 248
    h[31] &= 127
    h[31] |= 64
    return bytes(h)


def write_hs_dir(market: str, path: str | Path) -> Path:
    """Write tor's HiddenServiceDir files (secret/public key, hostname) for the market; return the dir."""
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    (directory / "hs_ed25519_secret_key").write_bytes(_SECRET_HEADER + expanded_secret_key(market))
    (directory / "hs_ed25519_public_key").write_bytes(_PUBLIC_HEADER + public_key(market))
    (directory / "hostname").write_text(onion_address(market) + "\n")
    for name in ("hs_ed25519_secret_key", "hs_ed25519_public_key", "hostname"):
        (directory / name).chmod(0o600)
    return directory
