"""`onionwatch case add|list|member|hold`: investigation cases (dashboards/cases.py); changes are audited."""

from __future__ import annotations

from typing import Any

import click


def _cases() -> Any:
    from onionwatch.dashboards.accounts import Accounts
    from onionwatch.dashboards.cases import Cases

    accounts = Accounts()
    return accounts, Cases(accounts.db)


def _record(action: str, case_id: int, details: dict[str, Any] | None = None) -> None:
    from onionwatch.audit import record

    record(action, str(case_id), {**(details or {}), "via": "cli"})


@click.group()
def case() -> None:
    """Cases: members, legal hold, and the listings, vendors and searches filed in them."""


@case.command("add")
@click.argument("title")
def add(title: str) -> None:
    """Open a case titled TITLE; prints its number."""
    _, cases = _cases()
    new = cases.add(title)
    _record("case.add", new.id, {"title": new.title})
    click.echo(f"case {new.id} opened")


@case.command("list")
def list_cases() -> None:
    """Every case: number, legal hold, members, title."""
    _, cases = _cases()
    for c in cases.all():
        click.echo(f"{c.id}\t{'hold' if c.legal_hold else '-'}\t{','.join(c.members) or '-'}\t{c.title}")


@case.command("member")
@click.argument("case_id", type=int)
@click.argument("name")
@click.option("--remove", is_flag=True, help="Take NAME off the case instead.")
def member(case_id: int, name: str, remove: bool) -> None:
    """Add NAME (a dashboard user) to case CASE_ID, or --remove them."""
    from onionwatch.errors import InputError

    accounts, cases = _cases()
    cases.require(case_id)
    if accounts.get(name) is None:
        raise InputError(f"no user {name[:64]!r}")
    _record("case.member.remove" if remove else "case.member.add", case_id, {"user": name})
    cases.member(case_id, name, remove)
    click.echo(f"case {case_id}: {name} {'removed' if remove else 'added'}")


@case.command("hold")
@click.argument("case_id", type=int)
@click.option("--release", is_flag=True, help="Lift the legal hold instead.")
def hold(case_id: int, release: bool) -> None:
    """Put case CASE_ID on legal hold (retention keeps its listings and vendors), or --release it."""
    _, cases = _cases()
    cases.require(case_id)
    _record("case.release" if release else "case.hold", case_id)
    cases.hold(case_id, not release)
    click.echo(f"case {case_id}: legal hold {'off' if release else 'on'}")
