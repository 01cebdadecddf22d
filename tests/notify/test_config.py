"""onionwatch/notify/config.py: notify.yaml validated with one-line `file: field: problem` errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from onionwatch.errors import NotifyConfigError
from onionwatch.notify.config import load


def secret(tmp_path: Path, text: str = "s3cret-pw", mode: int = 0o600) -> Path:
    p = tmp_path / f"secret-{mode:o}"
    p.write_text(text + "\n", encoding="utf-8")
    os.chmod(p, mode)
    return p


def cfg(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "notify.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_full_file_loads_with_defaults(tmp_path: Path) -> None:
    pw, token = secret(tmp_path), secret(tmp_path, "tok", 0o400)
    c = load(cfg(tmp_path, f"""
smtp:
  host: mail.example.org
  username: alerts
  password_file: {pw}
  from: onionwatch <alerts@example.org>
  recipients: [duty@example.org]
watches:
  nitazenes: [opioids@example.org, chief@example.org]
webhooks:
  - name: soc
    url: https://soc.example.org/hook
    token_file: {token}
    clearnet: true
  - name: local
    url: http://127.0.0.1:8099/x
dashboard_url: https://10.0.0.5:8443/
"""))
    assert c is not None and c.smtp is not None
    assert (c.smtp.port, c.smtp.security, c.smtp.password) == (587, "starttls", "s3cret-pw")
    assert c.recipients("nitazenes") == ("opioids@example.org", "chief@example.org")
    assert c.recipients("other") == ("duty@example.org",)
    assert c.webhooks[0].token == "tok" and c.dashboard_url == "https://10.0.0.5:8443"
    assert sorted(c.endpoints()) == [("127.0.0.1", 8099), ("mail.example.org", 587), ("soc.example.org", 443)]
    assert "s3cret" not in repr(c) and "tok'" not in repr(c)


def test_no_file_means_no_delivery(tmp_path: Path) -> None:
    assert load(tmp_path / "absent.yaml") is None
    with pytest.raises(NotifyConfigError, match="absent.yaml: \\(file\\): no such file"):
        load(tmp_path / "absent.yaml", required=True)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("smtp: {host: mail.example.org, from: a@b.c, security: tls}", "smtp.security"),
        ("smtp: {host: mail.example.org, from: a@b.c, security: none}", "only allowed to a loopback host"),
        ("smtp: {host: 127.0.0.1, from: a@b.c, port: 70000}", "smtp.port"),
        ("smtp: {host: 127.0.0.1, from: \"a@b.c\\r\\nBcc: x@y.z\"}", "smtp.from"),
        ("smtp: {host: 127.0.0.1, from: a@b.c, recipients: [nobody]}", "smtp.recipients"),
        ("smtp: {host: 127.0.0.1, from: a@b.c, colour: red}", "smtp.colour"),
        ("webhooks: [{name: x, url: 'https://hooks.example.org/'}]", "set clearnet: true"),
        ("webhooks: [{name: x, url: 'http://hooks.example.org/', clearnet: true}]", "must use https"),
        ("webhooks: [{name: x, url: 'ftp://127.0.0.1/'}]", "webhooks[0].url"),
        ("watches: {w: [a@b.c]}", "need an smtp section"),
        ("- just a list", "expected a mapping"),
    ],
)
def test_bad_files_fail_with_one_line_naming_the_field(tmp_path: Path, body: str, problem: str) -> None:
    with pytest.raises(NotifyConfigError) as info:
        load(cfg(tmp_path, body))
    message = str(info.value)
    assert str(tmp_path / "notify.yaml") in message and problem in message


def test_secret_files_must_be_private_and_outside_the_tree(tmp_path: Path) -> None:
    loose = secret(tmp_path, mode=0o644)
    with pytest.raises(NotifyConfigError, match="smtp.password_file: .*other users can access it"):
        load(cfg(tmp_path, f"smtp: {{host: 127.0.0.1, from: a@b.c, username: u, password_file: {loose}}}"))
    inside = Path(__file__).resolve().parents[2] / "pyproject.toml"
    with pytest.raises(NotifyConfigError, match="inside the source tree|other users"):
        load(cfg(tmp_path, f"webhooks: [{{name: x, url: 'http://127.0.0.1:1/', token_file: {inside}}}]"))
    with pytest.raises(NotifyConfigError, match="cannot read"):
        load(cfg(tmp_path, f"smtp: {{host: 127.0.0.1, from: a@b.c, username: u, password_file: {tmp_path}/no}}"))
