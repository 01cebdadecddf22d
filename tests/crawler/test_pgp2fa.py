"""crawler/pgp2fa.py and the PGP key in the credentials store: decrypt the challenge, never leak the key."""

from __future__ import annotations

import warnings
from pathlib import Path

import pgpy
import pytest

from onionwatch.crawler.credentials import PgpSecret, get_pgp_secret
from onionwatch.crawler.pgp2fa import ChallengeError, solve
from onionwatch.errors import CredentialsError
from onionwatch.testbed.gates import analyst_keypair

CODE_RX = r"(?i)code\W{0,5}([A-Za-z0-9-]{4,64})"


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return analyst_keypair()


def _encrypt(public: str, text: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key, _ = pgpy.PGPKey.from_blob(public)
        return str(key.encrypt(pgpy.PGPMessage.new(text)))


def test_solve_finds_the_code(keys: tuple[str, str]) -> None:
    private, public = keys
    assert solve(_encrypt(public, "Your code: 7f3a9c21\n"), PgpSecret(private, None), CODE_RX) == "7f3a9c21"


def test_solve_refuses_what_it_cannot_answer(keys: tuple[str, str]) -> None:
    private, public = keys
    other_private, other_public = analyst_keypair()
    with pytest.raises(ChallengeError, match="not an armored PGP message"):
        solve("<script>x</script>", PgpSecret(private, None), CODE_RX)
    with pytest.raises(ChallengeError):
        solve("-----BEGIN PGP MESSAGE-----\n\ngarbage\n-----END PGP MESSAGE-----", PgpSecret(private, None), CODE_RX)
    with pytest.raises(ChallengeError, match="not encrypted to the analyst's key"):
        solve(_encrypt(other_public, "code: 1234abcd"), PgpSecret(private, None), CODE_RX)
    with pytest.raises(ChallengeError, match="no code found"):
        solve(_encrypt(public, "hello"), PgpSecret(private, None), CODE_RX)
    with pytest.raises(CredentialsError, match="cannot be read"):
        solve(_encrypt(public, "code: 1234abcd"), PgpSecret("junk", None), CODE_RX)


def test_secret_never_in_repr(keys: tuple[str, str]) -> None:
    assert "PRIVATE" not in repr(PgpSecret(keys[0], "pw")) and "pw" not in repr(PgpSecret(keys[0], "pw"))


def test_key_file_must_be_private(keys: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONIONWATCH_CONFIG_DIR", str(tmp_path))
    key_file = tmp_path / "k.asc"
    key_file.write_text(keys[0])
    creds = tmp_path / "credentials.yaml"
    creds.write_text(f"m: {{pgp_key_file: {key_file}, pgp_passphrase: pw}}\n")
    creds.chmod(0o600)
    key_file.chmod(0o644)
    with pytest.raises(CredentialsError, match="other users can access the PGP key"):
        get_pgp_secret("m")
    key_file.chmod(0o600)
    assert get_pgp_secret("m") == PgpSecret(keys[0], "pw")
    with pytest.raises(CredentialsError, match="no PGP private key for 'other'"):
        get_pgp_secret("other")
