"""notify.yaml: where alerts, digests and reports are delivered (SMTP, webhooks), validated as `file: field: problem`.

Location: $ONIONWATCH_NOTIFY_CONFIG, else notify.yaml in the user config dir (onionwatch/paths.py). No file:
nothing is delivered (alerts stay in the store and the dashboard). Example::

    smtp:
      host: mail.example.org
      port: 587                  # default: 465 with ssl, else 587 (25 for security: none)
      security: starttls         # starttls | ssl | none (none only to a loopback host)
      username: alerts           # optional; with password_file
      password_file: /etc/onionwatch/smtp-password   # 0600, outside the source tree; never printed
      from: onionwatch <alerts@example.org>
      recipients: [duty@example.org]                   # the default
    watches:                     # recipients per watch name (else smtp.recipients)
      nitazenes: [opioids-desk@example.org]
    webhooks:
      - name: soc
        url: https://soc.example.org/hooks/onionwatch
        token_file: /etc/onionwatch/soc-token            # optional: Authorization: Bearer <token>
        clearnet: true           # required for a host that is not loopback: an explicit choice
    immediate: true              # send each alert when a crawl's batch raises it (default true)
    dashboard_url: https://10.0.0.5:8443   # optional: mails link each alert to its listing page there

Secrets are read when the file is loaded (so a bad file fails at once), never logged or repr'd.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from onionwatch.config_errors import read_yaml, validate
from onionwatch.errors import NotifyConfigError

ENV = "ONIONWATCH_NOTIFY_CONFIG"
SECURITY = ("starttls", "ssl", "none")
_MAX_RECIPIENTS = 100


def _address(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"expected an e-mail address, got {v!r:.60}")
    text = v.strip()
    if any(c in text for c in "\r\n\0") or "@" not in text or len(text) > 320:
        raise ValueError(f"not an e-mail address: {text[:60]!r}")
    return text


def _addresses(v: Any) -> list[str]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v:
        raise ValueError("expected a list of e-mail addresses")
    if len(v) > _MAX_RECIPIENTS:
        raise ValueError(f"more than {_MAX_RECIPIENTS} recipients")
    return [_address(a) for a in v]


def _loopback(host: str) -> bool:
    from onionwatch.netguard import is_loopback

    return is_loopback(host)


class SmtpModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    host: str
    port: int | None = Field(default=None, ge=1, le=65535)
    security: str = "starttls"
    username: str | None = None
    password_file: str | None = None
    sender: str = Field(alias="from")
    recipients: list[str] = Field(default_factory=list)
    timeout: float = Field(default=30.0, gt=0, le=600)

    _sender = field_validator("sender", mode="plain")(_address)

    @field_validator("recipients", mode="plain")
    @classmethod
    def _rcpt(cls, v: Any) -> list[str]:
        return [] if v is None else _addresses(v)

    @field_validator("host")
    @classmethod
    def _host(cls, v: str) -> str:
        if not v.strip() or any(c in v for c in "/:@ \r\n"):
            raise ValueError(f"expected a host name or address, got {v!r:.60}")
        return v.strip()

    @field_validator("security")
    @classmethod
    def _security(cls, v: str) -> str:
        if v not in SECURITY:
            raise ValueError(f"expected one of {', '.join(SECURITY)}, got {v!r:.40}")
        return v

    @model_validator(mode="after")
    def _plain_only_locally(self) -> SmtpModel:
        if self.security == "none" and not _loopback(self.host):
            raise ValueError("security: none is only allowed to a loopback host (use starttls or ssl)")
        if self.password_file and not self.username:
            raise ValueError("password_file: needs username")
        return self


class WebhookModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    url: str
    token_file: str | None = None
    clearnet: bool = False
    timeout: float = Field(default=15.0, gt=0, le=120)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
            raise ValueError(f"expected an http(s) URL without credentials, got {v[:80]!r}")
        return v

    @model_validator(mode="after")
    def _explicit_clearnet(self) -> WebhookModel:
        host = urlsplit(self.url).hostname or ""
        if not _loopback(host) and not self.clearnet:
            raise ValueError(f"url: {host} is not loopback: set clearnet: true to send alerts there")
        if not _loopback(host) and urlsplit(self.url).scheme != "https":
            raise ValueError("url: a webhook off this machine must use https")
        return self


class NotifyModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    smtp: SmtpModel | None = None
    webhooks: list[WebhookModel] = Field(default_factory=list)
    watches: dict[str, list[str]] = Field(default_factory=dict)
    immediate: bool = True
    dashboard_url: str | None = None

    @field_validator("dashboard_url")
    @classmethod
    def _dashboard(cls, v: str | None) -> str | None:
        if v is None:
            return None
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"expected the dashboard's http(s) base URL, got {v[:80]!r}")
        return v.rstrip("/")

    @field_validator("watches", mode="before")
    @classmethod
    def _watches(cls, v: Any) -> dict[str, list[str]]:
        if v is None:
            return {}
        if not isinstance(v, dict):
            raise ValueError("expected a mapping of watch name -> recipients")
        return {str(k): _addresses(a) for k, a in v.items()}


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0


@dataclass(frozen=True)
class Webhook:
    name: str
    url: str
    token: str | None = field(default=None, repr=False)
    timeout: float = 15.0

    @property
    def endpoint(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


@dataclass(frozen=True)
class NotifyConfig:
    """The validated notify.yaml, secrets read. ``source``: the file (for messages)."""

    source: str
    smtp: Smtp | None = None
    webhooks: tuple[Webhook, ...] = ()
    watch_recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)
    immediate: bool = True
    dashboard_url: str | None = None

    def recipients(self, watch_name: str | None = None) -> tuple[str, ...]:
        """The addresses for alerts of `watch_name` (its own list, else the default)."""
        if watch_name is not None and watch_name in self.watch_recipients:
            return self.watch_recipients[watch_name]
        return self.smtp.recipients if self.smtp else ()

    def endpoints(self) -> list[tuple[str, int]]:
        """Every host:port this configuration sends to (the egress guard allows exactly these)."""
        out = [(self.smtp.host, self.smtp.port)] if self.smtp else []
        return out + [w.endpoint for w in self.webhooks]


def default_path() -> Path:
    from onionwatch.paths import user_config_dir

    return Path(os.environ.get(ENV) or user_config_dir() / "notify.yaml")


def _secret(source: Path, where: str, path: str) -> str:
    from onionwatch.private import read_secret

    try:
        return read_secret(Path(path).expanduser())
    except ValueError as exc:
        raise NotifyConfigError(f"{source}: {where}: {path}: {exc}") from None


def load(path: Path | str | None = None, *, required: bool = False) -> NotifyConfig | None:
    """The configuration at `path` (default: default_path()); None when that file does not exist and
    `required` is false. NotifyConfigError (`file: field: problem`) when it is invalid."""
    p = Path(path) if path is not None else default_path()
    if not p.exists():
        if required:
            raise NotifyConfigError(f"{p}: (file): no such file (see README: Alerts and notifications)")
        return None
    raw = read_yaml(p, NotifyConfigError) or {}
    model: NotifyModel = validate(NotifyModel, raw, p, NotifyConfigError)
    smtp = None
    if model.smtp is not None:
        m = model.smtp
        port = m.port or (465 if m.security == "ssl" else 25 if m.security == "none" else 587)
        password = _secret(p, "smtp.password_file", m.password_file) if m.password_file else None
        smtp = Smtp(m.host, port, m.security, m.sender, tuple(m.recipients), m.username, password, m.timeout)
    if model.watches and smtp is None:
        raise NotifyConfigError(f"{p}: watches: recipients per watch need an smtp section")
    hooks = tuple(
        Webhook(w.name, w.url, _secret(p, f"webhooks[{i}].token_file", w.token_file) if w.token_file else None,
                w.timeout)
        for i, w in enumerate(model.webhooks)
    )
    names = [h.name for h in hooks]
    if len(set(names)) != len(names):
        raise NotifyConfigError(f"{p}: webhooks: names must be unique")
    return NotifyConfig(str(p), smtp, hooks, {k: tuple(v) for k, v in model.watches.items()}, model.immediate,
                        model.dashboard_url)
