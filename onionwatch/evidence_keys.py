"""The unit's evidence signing key (Ed25519): made once by `evidence keygen`, kept 0600 outside the repository.

``<config dir>/evidence/signing.key`` (PKCS#8 PEM, 0600 in a 0700 directory) signs bundle manifests; the
public half goes into every bundle (``signer.pub``) and beside the key (``signing.pub``) to hand to a court
or a supervisor. The private key is never printed or logged; only the public key's fingerprint is shown.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from onionwatch.errors import EvidenceError
from onionwatch.paths import user_config_dir


def key_path() -> Path:
    return user_config_dir() / "evidence" / "signing.key"


def fingerprint(public: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, hex, shown as ed25519:<hex>."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def generate(path: Path | None = None) -> Ed25519PublicKey:
    """Write a new key (never over an existing one); return its public half."""
    path = path or key_path()
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise EvidenceError(f"{path}: a signing key exists already (kept; move it away to make a new one)") from None
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot write ({exc.strerror or exc})") from None
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    pub = path.with_suffix(".pub")
    pub.write_bytes(public_pem(key.public_key()))
    os.chmod(pub, 0o600)
    return key.public_key()


def load(path: Path | None = None) -> Ed25519PrivateKey:
    """The unit's private key; EvidenceError when missing, too open or not an Ed25519 key."""
    path = path or key_path()
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except FileNotFoundError:
        raise EvidenceError(f"{path}: no signing key; run `onionwatch evidence keygen` first") from None
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise EvidenceError(f"{path}: readable by others (mode {oct(mode & 0o777)}); chmod 600 it")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise EvidenceError(f"{path}: not a readable private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise EvidenceError(f"{path}: not an Ed25519 key")
    return key


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return base64.b64encode(key.sign(data)) + b"\n"


def load_public(data: bytes, name: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise EvidenceError(f"{name}: not a readable public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise EvidenceError(f"{name}: not an Ed25519 public key")
    return key


def check(public: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        public.verify(base64.b64decode(signature.strip(), validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True
