"""`onionwatch users add|list|edit|disable|passwd|totp|role`: dashboard accounts (dashboards/accounts.py).

Passwords are read from the terminal (twice), or one line from standard input when it is not a terminal;
never from an argument. Every change is written to the audit trail first (as the Unix user)."""

from __future__ import annotations

import sys
from typing import Any

import click

from onionwatch.dashboards.accounts import ROLES

_ROLE = click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
_LANG_HELP = "Interface language of the dashboard: en or ru (default: $ONIONWATCH_LANG, else en)."


def _accounts() -> Any:
    from onionwatch.dashboards.accounts import Accounts

    return Accounts()


def _password() -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


def _record(action: str, name: str, details: dict[str, Any] | None = None) -> None:
    from onionwatch.audit import record

    record(action, name, {**(details or {}), "via": "cli"})


@click.group()
def users() -> None:
    """Dashboard accounts and roles (admin, supervisor, analyst, auditor)."""


@users.command("add")
@click.argument("name")
@_ROLE
@click.option("--lang", default=None, help=_LANG_HELP)
def add(name: str, role: str, lang: str | None) -> None:
    """Create NAME with ROLE; the password is read from the terminal or stdin."""
    from onionwatch.dashboards.accounts import check_name, hash_password
    from onionwatch.i18n import check_language

    accounts = _accounts()
    check_name(name)
    lang = None if lang is None else check_language(lang)
    password = _password()
    hash_password(password)  # refuse a short password before anything is written
    _record("user.add", name, {"role": role, **({"lang": lang} if lang else {})})
    accounts.add(name, role, password, lang)
    click.echo(f"user {name} added ({role}{', ' + lang if lang else ''})")


@users.command("edit")
@click.argument("name")
@click.option("--lang", required=True, help="Interface language of the dashboard: en or ru.")
def edit(name: str, lang: str) -> None:
    """Change NAME's settings: the dashboard language (users also switch it themselves in the header)."""
    from onionwatch.i18n import check_language

    accounts = _accounts()
    accounts._require(name)
    lang = check_language(lang)
    _record("user.lang", name, {"lang": lang})
    accounts.set_language(name, lang)
    click.echo(f"user {name}: language {lang}")


@users.command("list")
def list_users() -> None:
    """Every user: name, role, language, TOTP, disabled."""
    from onionwatch.i18n import default_language

    default = default_language()
    for u in _accounts().users():
        flags = [f for f, on in (("totp", u.totp), ("disabled", u.disabled)) if on]
        click.echo(f"{u.name}\t{u.role}\t{u.lang or default}\t{' '.join(flags)}".rstrip())


@users.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Refuse every further login of NAME (sessions of a running server end at their timeout)."""
    accounts = _accounts()
    accounts._require(name)
    _record("user.disable", name)
    accounts.disable(name)
    click.echo(f"user {name} disabled")


@users.command("passwd")
@click.argument("name")
def passwd(name: str) -> None:
    """Set a new password for NAME (read from the terminal or stdin)."""
    from onionwatch.dashboards.accounts import hash_password

    accounts = _accounts()
    accounts._require(name)
    password = _password()
    hash_password(password)
    _record("user.passwd", name)
    accounts.set_password(name, password)
    click.echo(f"password of {name} changed")


@users.command("role")
@click.argument("name")
@_ROLE
def role(name: str, role: str) -> None:
    """Give NAME another role."""
    accounts = _accounts()
    accounts._require(name)
    _record("user.role", name, {"role": role})
    accounts.set_role(name, role)
    click.echo(f"user {name} is now {role}")


@users.command("totp")
@click.argument("name")
def totp(name: str) -> None:
    """Enrol NAME for TOTP: prints the otpauth URI once (for the authenticator app); login then needs a code."""
    import pyotp

    accounts = _accounts()
    accounts._require(name)
    _record("user.totp", name)
    secret = accounts.enrol_totp(name)
    click.echo(pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="onionwatch"))
