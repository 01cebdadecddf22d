"""Market credentials: from the environment or the user's credentials file, never from the repository.

Lookup for key K (a market definition's `login.credentials`):
1. env ONIONWATCH_CRED_<K>_USERNAME and ONIONWATCH_CRED_<K>_PASSWORD (K upper-cased, '-' -> '_');
2. <user config dir>/credentials.yaml: ``K: {username: ..., password: ...}`` (mode 0600, else refused).
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


def credentials_file() -> Path:
    return user_config_dir() / "credentials.yaml"


def env_names(key: str) -> tuple[str, str]:
    k = key.upper().replace("-", "_")
    return f"ONIONWATCH_CRED_{k}_USERNAME", f"ONIONWATCH_CRED_{k}_PASSWORD"


def get_credentials(key: str) -> Credentials:
    user_var, pass_var = env_names(key)
    if os.environ.get(user_var) and os.environ.get(pass_var):
        return Credentials(os.environ[user_var], os.environ[pass_var])
    path = credentials_file()
    if path.is_file():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:  # like ssh: secrets other local users can read (or replace) are not used
            raise CredentialsError(f"{path}: other users can access it (mode {mode:04o}); run chmod 600 {path}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError) as exc:
            raise CredentialsError(f"{path}: cannot read credentials ({exc.__class__.__name__})") from None
        entry = data.get(key) if isinstance(data, dict) else None
        if isinstance(entry, dict) and entry.get("username") and entry.get("password"):
            username, password = entry["username"], entry["password"]
            if not all(isinstance(v, (str, int, float)) for v in (username, password)):  # lists, maps, aliases
                raise CredentialsError(f"{path}: {key}: username and password must be text")
            return Credentials(str(username), str(password))
    raise CredentialsError(
        f"no credentials for {key!r}: set {user_var} and {pass_var}, or add '{key}: "
        f"{{username: ..., password: ...}}' to {path}"
    )
