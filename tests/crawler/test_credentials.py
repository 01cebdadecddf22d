"""Credentials come from the environment or the user's credentials file, never the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.credentials import CredentialsError, get_credentials


def test_env_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("ONIONWATCH_CRED_MY_MARKET_USERNAME", "u")
    monkeypatch.setenv("ONIONWATCH_CRED_MY_MARKET_PASSWORD", "p")
    creds = get_credentials("my-market")
    assert (creds.username, creds.password) == ("u", "p")
    assert "p'" not in repr(creds)


def test_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    (tmp_path / "credentials.yaml").write_text("abyss: {username: a, password: b}\n")
    assert get_credentials("abyss").username == "a"
    with pytest.raises(CredentialsError, match="no credentials for 'other': set ONIONWATCH_CRED_OTHER_USERNAME"):
        get_credentials("other")


def test_broken_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    (tmp_path / "credentials.yaml").write_text("abyss: [unclosed\n")
    with pytest.raises(CredentialsError, match=r"credentials.yaml: cannot read credentials"):
        get_credentials("abyss")
