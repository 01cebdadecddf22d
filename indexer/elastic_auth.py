"""Elasticsearch credentials: from the environment or a 0600 file, never from a URL that gets printed.

Order: ONIONWATCH_ES_USERNAME with ONIONWATCH_ES_PASSWORD, or with ONIONWATCH_ES_PASSWORD_FILE (a file
only its owner can read; its first line is the password); else `user:password@` in the store URL (accepted,
but shown everywhere as `***@`). The password never appears in a message, a log line or a repr.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from onionwatch.errors import StoreError

USER_ENV = "ONIONWATCH_ES_USERNAME"
PASSWORD_ENV = "ONIONWATCH_ES_PASSWORD"
PASSWORD_FILE_ENV = "ONIONWATCH_ES_PASSWORD_FILE"


@dataclass(frozen=True)
class BasicAuth:
    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:  # never print the secret
        return f"BasicAuth(username={self.username!r}, password='***')"

    def pair(self) -> tuple[str, str]:
        return self.username, self.password


def _password_file(path: Path) -> str:
    try:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise StoreError(f"{PASSWORD_FILE_ENV}={path}: other users can access it (mode {mode:04o}); "
                             f"run chmod 600 {path}")
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise StoreError(f"{PASSWORD_FILE_ENV}={path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise StoreError(f"{PASSWORD_FILE_ENV}={path}: not UTF-8 text") from None
    if not lines or not lines[0]:
        raise StoreError(f"{PASSWORD_FILE_ENV}={path}: empty (the first line is the password)")
    return lines[0]


def es_auth(url: str) -> BasicAuth | None:
    """The credentials to send to the Elasticsearch server at `url`, or None for an open cluster."""
    user = os.environ.get(USER_ENV)
    if user:
        if os.environ.get(PASSWORD_FILE_ENV):
            return BasicAuth(user, _password_file(Path(os.environ[PASSWORD_FILE_ENV])))
        if os.environ.get(PASSWORD_ENV) is not None:
            return BasicAuth(user, os.environ[PASSWORD_ENV])
        raise StoreError(f"{USER_ENV} is set but neither {PASSWORD_ENV} nor {PASSWORD_FILE_ENV}")
    from onionwatch.indexer.es_url import credentials

    given = credentials(url)  # works for a list of hosts too (urlsplit does not)
    return BasicAuth(*given) if given and given[0] else None
