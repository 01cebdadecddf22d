"""Credentials come from the environment or the user's credentials file, never the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.crawler.credentials import CredentialsError, get_credentials


def _write(path: Path, content: str | bytes, mode: int = 0o600) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    path.chmod(mode)


def test_env_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("ONIONWATCH_CRED_MY_MARKET_USERNAME", "u")
    monkeypatch.setenv("ONIONWATCH_CRED_MY_MARKET_PASSWORD", "p")
    creds = get_credentials("my-market")
    assert (creds.username, creds.password) == ("u", "p")
    assert "p'" not in repr(creds)


def test_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    _write(tmp_path / "credentials.yaml", "abyss: {username: a, password: b}\n")
    assert get_credentials("abyss").username == "a"
    with pytest.raises(CredentialsError, match="no credentials for 'other': set ONIONWATCH_CRED_OTHER_USERNAME"):
        get_credentials("other")


def test_broken_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    _write(tmp_path / "credentials.yaml", "abyss: [unclosed\n")
    with pytest.raises(CredentialsError, match=r"credentials.yaml: cannot read credentials"):
        get_credentials("abyss")


@pytest.mark.parametrize("content", ["abyss: {username: u, password: p, since: 2024-02-30}\n",
                                     "abyss: {username: u, password: " + "9" * 5000 + "}\n",
                                     "abyss: {username: u, password: !!timestamp x}\n"])
def test_value_yaml_cannot_build_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  content: str) -> None:
    """A date that does not exist, a 5000-digit integer, a bad tag: ValueError/AttributeError from the YAML
    loader were tracebacks."""
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    _write(tmp_path / "credentials.yaml", content)
    with pytest.raises(CredentialsError, match=r"credentials.yaml: cannot read credentials \((Value|Attribute)Error\)"):
        get_credentials("abyss")


def test_binary_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    _write(tmp_path / "credentials.yaml", b"\xff\xfe\x00\x81garbage\x00" * 1000)
    with pytest.raises(CredentialsError, match=r"credentials.yaml: cannot read credentials"):
        get_credentials("abyss")


def test_alias_bomb_is_refused_quickly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """YAML aliases load as shared references; turning such a value into a string must not explode."""

    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
              f"*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 9)]
    lines.append("abyss: {username: *a8, password: *a8}")
    _write(tmp_path / "credentials.yaml", "\n".join(lines) + "\n")
    with pytest.raises(CredentialsError, match=r"credentials.yaml: abyss: username and password must be text"):
        get_credentials("abyss")  # refused without expanding the 10**8 aliases (expanding would not finish)


def test_deeply_nested_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    _write(tmp_path / "credentials.yaml", "abyss: " + "[" * 50_000 + "]" * 50_000)
    with pytest.raises(CredentialsError, match=r"credentials.yaml: cannot read credentials \(RecursionError\)"):
        get_credentials("abyss")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_file_other_users_can_access_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: int) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    _write(tmp_path / "credentials.yaml", "abyss: {username: a, password: b}\n", mode)
    with pytest.raises(CredentialsError, match=rf"credentials.yaml: other users can access it \(mode {mode:04o}\); "
                                               r"run chmod 600 "):
        get_credentials("abyss")
