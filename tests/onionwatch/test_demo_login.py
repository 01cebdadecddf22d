"""The demo's dashboard login: an admin `demo` account whose password is only in a 0600 file."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_demo_login_made_once_password_only_in_a_private_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from onionwatch.cmd_demo import _demo_login
    from onionwatch.dashboards.accounts import Accounts

    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path / "data"))
    _demo_login()
    path = tmp_path / "data" / "auth" / "demo-login.txt"
    assert path.stat().st_mode & 0o777 == 0o600
    password = path.read_text(encoding="utf-8").split("password: ", 1)[1].strip()
    err = capsys.readouterr().err
    assert str(path) in err and password not in err
    accounts = Accounts()
    try:
        assert accounts.login("demo", password).role == "admin"
        assert [u.name for u in accounts.users()] == ["demo"]
    finally:
        accounts.close()
    _demo_login()  # an account exists: nothing made, nothing rewritten
    assert path.read_text(encoding="utf-8").endswith(f"password: {password}\n")
    assert "log in with your onionwatch account" in capsys.readouterr().err
