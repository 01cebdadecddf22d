"""Market credentials: from the environment or the user's credentials file, never from the repository.

Lookup for key K (a market definition's `login.credentials`):
1. env ONIONWATCH_CRED_<K>_USERNAME and ONIONWATCH_CRED_<K>_PASSWORD (K upper-cased, '-' -> '_');
2. <user config dir>/credentials.yaml: ``K: {username: ..., password: ...}`` (mode 0600, else refused).

A PGP 2FA login (``gates.pgp_2fa.key: K``) reads ``K: {pgp_key_file: PATH, pgp_passphrase: ...}`` (the key file
0600 as well) or ``K: {pgp_key: <armored private key>}`` from the same file: see :func:`get_pgp_secret`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from onionwatch.errors import CredentialsError
from onionwatch.paths import user_config_dir


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def __repr__(self) -> str:  # never print the secret
        return f"Credentials(username={self.username!r}, password='***')"


@dataclass(frozen=True)
class PgpSecret:
    armored: str  # the analyst's armored private key
    passphrase: str | None

    def __repr__(self) -> str:  # never print the secret
        return "PgpSecret(armored='***', passphrase='***')"


def credentials_file() -> Path:
    return user_config_dir() / "credentials.yaml"


def env_names(key: str) -> tuple[str, str]:
    k = key.upper().replace("-", "_")
    return f"ONIONWATCH_CRED_{k}_USERNAME", f"ONIONWATCH_CRED_{k}_PASSWORD"


def _private_file(path: Path, what: str) -> None:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:  # like ssh: secrets other local users can read (or replace) are not used
        raise CredentialsError(f"{path}: other users can access {what} (mode {mode:04o}); run chmod 600 {path}")


def _entry(key: str) -> dict[str, object] | None:
    path = credentials_file()
    if not path.is_file():
        return None
    _private_file(path, "it")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, AttributeError, RecursionError, yaml.YAMLError) as exc:  # ValueError: 2024-02-30
        raise CredentialsError(f"{path}: cannot read credentials ({exc.__class__.__name__})") from None
    entry = data.get(key) if isinstance(data, dict) else None
    return entry if isinstance(entry, dict) else None


def get_pgp_secret(key: str) -> PgpSecret:
    """The analyst's PGP private key for 2FA logins (entry K of credentials.yaml); CredentialsError otherwise."""
    path = credentials_file()
    entry = _entry(key) or {}
    armored, key_file, passphrase = entry.get("pgp_key"), entry.get("pgp_key_file"), entry.get("pgp_passphrase")
    if passphrase is not None and not isinstance(passphrase, (str, int)):
        raise CredentialsError(f"{path}: {key}: pgp_passphrase must be text")
    if isinstance(key_file, str) and key_file:
        kf = Path(key_file).expanduser()
        try:
            _private_file(kf, "the PGP key")
            armored = kf.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CredentialsError(f"{path}: {key}: pgp_key_file {kf}: cannot read ({exc.__class__.__name__})"
                                   ) from None
    if not isinstance(armored, str) or "PGP PRIVATE KEY BLOCK" not in armored:
        raise CredentialsError(f"no PGP private key for {key!r}: add '{key}: {{pgp_key_file: PATH, pgp_passphrase: "
                               f"...}}' to {path} (the key file mode 0600)")
    return PgpSecret(armored, None if passphrase is None else str(passphrase))


def get_credentials(key: str) -> Credentials:
    user_var, pass_var = env_names(key)
    if os.environ.get(user_var) and os.environ.get(pass_var):
        return Credentials(os.environ[user_var], os.environ[pass_var])
    path = credentials_file()
    entry = _entry(key)
    if entry is not None and entry.get("username") and entry.get("password"):
        username, password = entry["username"], entry["password"]
        if not all(isinstance(v, (str, int, float)) for v in (username, password)):  # lists, maps, aliases
            raise CredentialsError(f"{path}: {key}: username and password must be text")
        return Credentials(str(username), str(password))
    raise CredentialsError(
        f"no credentials for {key!r}: set {user_var} and {pass_var}, or add '{key}: "
        f"{{username: ..., password: ...}}' to {path}"
    )
