"""Dashboard accounts: users, roles, argon2id password hashes, optional TOTP and the login lock-out.

One small SQLite file, ``<data dir>/auth/auth.sqlite`` (0600 in a 0700 folder), apart from the listings store
(which may be Elasticsearch). The cases (dashboards/cases.py) live in the same file. Passwords are never
stored or logged, only their argon2id hash; a TOTP secret is shown once, at enrolment.

Lock-out: ``MAX_FAILURES`` failed logins for a name within ``WINDOW`` seconds refuse that name (even with the
right password) until the window has passed. The clock is injectable (tests).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from onionwatch.errors import InputError
from onionwatch.paths import data_dir

ROLES = ("admin", "supervisor", "analyst", "auditor")
MAX_FAILURES = 5
WINDOW = 15 * 60
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, totp TEXT, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (name TEXT NOT NULL, at REAL NOT NULL);
"""
Clock = Callable[[], float]


class LoginRefused(Exception):
    """A login attempt is refused; ``reason`` is for the audit trail, the user sees one generic message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool
    totp: bool
    lang: str | None = None  # interface language (onionwatch/i18n.py); None: the default


def default_path() -> Path:
    return data_dir() / "auth" / "auth.sqlite"


def check_name(name: str) -> str:
    if not (1 <= len(name) <= 64 and name.replace("-", "").replace("_", "").replace(".", "").isalnum()
            and name.isascii()):  # fmt: skip
        raise InputError(f"user name {name[:64]!r}: 1-64 letters, digits, '.', '-' or '_'")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        from onionwatch.i18n import gettext as _

        raise InputError(_("--role %(role)r: one of %(roles)s") % {"role": role[:30], "roles": ", ".join(ROLES)})
    return role


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, the library's current recommended parameters


def hash_password(password: str) -> str:
    if len(password) < 10:
        raise InputError("password: at least 10 characters")
    return str(_hasher().hash(password))


def open_db(path: Path | None = None) -> sqlite3.Connection:
    """The auth database, created 0600 in a 0700 folder on first use."""
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    conn.executescript(SCHEMA)
    if "lang" not in {row[1] for row in conn.execute("PRAGMA table_info(users)")}:  # files made before it
        conn.execute("ALTER TABLE users ADD COLUMN lang TEXT")  # NULL: the default ($ONIONWATCH_LANG or en)
    from onionwatch.dashboards.cases import SCHEMA as CASES

    conn.executescript(CASES)
    return conn


class Accounts:
    """The users table. One SQLite connection per thread (the dashboard checks passwords in worker threads)."""

    def __init__(self, path: Path | None = None, clock: Clock = time.time) -> None:
        self.path = path or default_path()
        self.clock = clock
        self._local = threading.local()
        self.db  # noqa: B018 - create the file (0600) now, not on first use

    @property
    def db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = open_db(self.path)
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def get(self, name: str) -> User | None:
        row = self.db.execute("SELECT name, role, disabled, totp, lang FROM users WHERE name = ?",
                              (name,)).fetchone()  # fmt: skip
        return None if row is None else User(row[0], row[1], bool(row[2]), row[3] is not None, row[4])

    def add(self, name: str, role: str, password: str, lang: str | None = None) -> User:
        from onionwatch.i18n import check_language

        check_name(name)
        check_role(role)
        lang = None if lang is None else check_language(lang)
        digest = hash_password(password)
        try:
            self.db.execute("INSERT INTO users (name, role, hash, created, lang) VALUES (?, ?, ?, ?, ?)",
                            (name, role, digest, self.clock(), lang))
        except sqlite3.IntegrityError:
            raise InputError(f"user {name!r} already exists") from None
        return User(name, role, False, False, lang)

    def users(self) -> list[User]:
        rows = self.db.execute("SELECT name, role, disabled, totp, lang FROM users ORDER BY name").fetchall()
        return [User(r[0], r[1], bool(r[2]), r[3] is not None, r[4]) for r in rows]

    def set_language(self, name: str, lang: str) -> None:
        """The user's interface language (en, ru): the dashboard's header form and `users edit --lang`."""
        from onionwatch.i18n import check_language

        self._require(name)
        self.db.execute("UPDATE users SET lang = ? WHERE name = ?", (check_language(lang), name))

    def _require(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise InputError(f"no user {name[:64]!r}")
        return user

    def disable(self, name: str) -> None:
        self._require(name)
        self.db.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))

    def set_password(self, name: str, password: str) -> None:
        self._require(name)
        self.db.execute("UPDATE users SET hash = ? WHERE name = ?", (hash_password(password), name))

    def set_role(self, name: str, role: str) -> None:
        self._require(name)
        self.db.execute("UPDATE users SET role = ? WHERE name = ?", (check_role(role), name))

    def enrol_totp(self, name: str) -> str:
        """A new TOTP secret for ``name`` (returned once, for the authenticator app); login then needs a code."""
        import pyotp

        self._require(name)
        secret = pyotp.random_base32()
        self.db.execute("UPDATE users SET totp = ? WHERE name = ?", (secret, name))
        return str(secret)

    def failures(self, name: str) -> int:
        since = self.clock() - WINDOW
        row = self.db.execute("SELECT COUNT(*) FROM login_failures WHERE name = ? AND at > ?", (name, since))
        return int(row.fetchone()[0])

    def login(self, name: str, password: str, code: str = "") -> User:
        """The user, when name/password (and TOTP code, if enrolled) are right; else LoginRefused.

        A locked-out name is refused before its password is checked; every failure counts toward lock-out."""
        from argon2.exceptions import InvalidHashError, VerificationError

        if self.failures(name) >= MAX_FAILURES:
            raise LoginRefused("locked-out")
        row = self.db.execute("SELECT role, hash, disabled, totp FROM users WHERE name = ?", (name,)).fetchone()
        reason = None
        if row is None:
            _hasher().hash(password or "x")  # similar time for unknown names
            reason = "unknown-user"
        else:
            try:
                _hasher().verify(row[1], password)
            except (VerificationError, InvalidHashError):
                reason = "bad-password"
            if reason is None and row[2]:
                reason = "disabled"
            if reason is None and row[3] is not None and not _totp_ok(row[3], code, self.clock()):
                reason = "bad-totp"
        if reason is not None:
            now = self.clock()
            self.db.execute("DELETE FROM login_failures WHERE at <= ?", (now - WINDOW,))  # stays small
            self.db.execute("INSERT INTO login_failures (name, at) VALUES (?, ?)", (name[:64], now))
            if self.failures(name) >= MAX_FAILURES:
                reason += ", now locked-out"
            raise LoginRefused(reason)
        self.db.execute("DELETE FROM login_failures WHERE name = ?", (name,))
        return User(name, row[0], False, row[3] is not None)


def _totp_ok(secret: str, code: str, now: float) -> bool:
    import pyotp

    return bool(code) and bool(pyotp.TOTP(secret).verify(code.strip(), for_time=int(now), valid_window=1))
