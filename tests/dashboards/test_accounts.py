"""Accounts (dashboards/accounts.py): argon2id hashes, roles, lock-out with an injectable clock, TOTP, 0600."""

from __future__ import annotations

import stat
from pathlib import Path

import pyotp
import pytest

from onionwatch.dashboards.accounts import MAX_FAILURES, WINDOW, Accounts, LoginRefused
from onionwatch.errors import InputError

PW = "long enough password"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(tmp_path: Path, clock: Clock) -> Accounts:
    return Accounts(tmp_path / "auth" / "auth.sqlite", clock=clock)


def test_hash_is_argon2id_and_file_is_private(accounts: Accounts, tmp_path: Path) -> None:
    accounts.add("ana", "analyst", PW)
    digest = accounts.db.execute("SELECT hash FROM users").fetchone()[0]
    assert digest.startswith("$argon2id$") and PW not in digest
    assert stat.S_IMODE((tmp_path / "auth" / "auth.sqlite").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "auth").stat().st_mode) == 0o700
    assert accounts.login("ana", PW).role == "analyst"


@pytest.mark.parametrize(("name", "role", "password", "why"), [
    ("ana", "superuser", PW, "--role"),
    ("bad name", "analyst", PW, "user name"),
    ("ana", "analyst", "short", "at least 10"),
])
def test_bad_input_refused(accounts: Accounts, name: str, role: str, password: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        accounts.add(name, role, password)
    assert accounts.users() == []


def test_duplicate_refused(accounts: Accounts) -> None:
    accounts.add("ana", "analyst", PW)
    with pytest.raises(InputError, match="already exists"):
        accounts.add("ana", "admin", PW)


def test_lock_out_after_failures_then_window_passes(accounts: Accounts, clock: Clock) -> None:
    accounts.add("ana", "analyst", PW)
    for i in range(MAX_FAILURES):
        with pytest.raises(LoginRefused) as refused:
            accounts.login("ana", "wrong password")
        assert ("locked-out" in refused.value.reason) == (i == MAX_FAILURES - 1)
    with pytest.raises(LoginRefused, match="locked-out"):
        accounts.login("ana", PW)  # the right password does not help while locked
    clock.now += WINDOW + 1
    assert accounts.login("ana", PW).name == "ana"


def test_success_clears_failures(accounts: Accounts) -> None:
    accounts.add("ana", "analyst", PW)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefused):
            accounts.login("ana", "nope nope nope")
    accounts.login("ana", PW)
    assert accounts.failures("ana") == 0


def test_disabled_and_unknown_refused(accounts: Accounts) -> None:
    accounts.add("ana", "analyst", PW)
    accounts.disable("ana")
    with pytest.raises(LoginRefused, match="disabled"):
        accounts.login("ana", PW)
    with pytest.raises(LoginRefused, match="unknown-user"):
        accounts.login("nobody", PW)


def test_totp_needed_once_enrolled(accounts: Accounts, clock: Clock) -> None:
    accounts.add("ana", "analyst", PW)
    secret = accounts.enrol_totp("ana")
    with pytest.raises(LoginRefused, match="bad-totp"):
        accounts.login("ana", PW)
    with pytest.raises(LoginRefused, match="bad-totp"):
        accounts.login("ana", PW, "000000" if pyotp.TOTP(secret).at(clock.now) != "000000" else "111111")
    assert accounts.login("ana", PW, pyotp.TOTP(secret).at(clock.now)).totp


def test_password_and_role_change(accounts: Accounts) -> None:
    accounts.add("ana", "analyst", PW)
    accounts.set_password("ana", "another long password")
    with pytest.raises(LoginRefused):
        accounts.login("ana", PW)
    accounts.set_role("ana", "supervisor")
    assert accounts.login("ana", "another long password").role == "supervisor"
