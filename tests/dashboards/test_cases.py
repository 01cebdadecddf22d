"""Cases (dashboards/cases.py): members, legal hold, filed items, saved searches, held_keys for retention."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.cases import Cases, held_keys
from onionwatch.errors import InputError


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "auth.sqlite"


def test_visibility_by_membership_and_role(db: Path) -> None:
    cases = Cases(Accounts(db).db)
    one, two = cases.add("Op One"), cases.add("Op Two")
    cases.member(one.id, "ana")
    assert [c.id for c in cases.visible("ana", "analyst")] == [one.id]
    assert [c.id for c in cases.visible("bob", "analyst")] == []
    assert [c.id for c in cases.visible("sue", "supervisor")] == [one.id, two.id]
    assert cases.visible("aud", "auditor") == []
    cases.member(one.id, "ana", remove=True)
    assert cases.visible("ana", "analyst") == []


def test_held_keys_only_from_cases_on_hold(db: Path) -> None:
    cases = Cases(Accounts(db).db)
    held, free = cases.add("held"), cases.add("free")
    cases.file(held.id, "listing", "alpha:a1", "tag", "note", "ana")
    cases.file(held.id, "vendor", "alpha:v-green", "", "", "ana")
    cases.file(held.id, "search", "mdma", "", "", "ana")
    cases.file(free.id, "listing", "alpha:a2", "", "", "ana")
    assert held_keys(db) == set()
    cases.hold(held.id, True)
    assert held_keys(db) == {("listing", "alpha:a1"), ("vendor", "alpha:v-green")}
    cases.hold(held.id, False)
    assert held_keys(db) == set()


def test_saved_searches_belong_to_a_user_or_a_case(db: Path) -> None:
    cases = Cases(Accounts(db).db)
    case = cases.add("c")
    cases.save_search("mine", "ice", owner="ana")
    cases.save_search("case's", "mdma", case_id=case.id)
    assert cases.saved_searches(owner="ana") == [{"name": "mine", "query": "ice"}]
    assert cases.saved_searches(case_id=case.id) == [{"name": "case's", "query": "mdma"}]
    with pytest.raises(InputError):
        cases.save_search("both", "x", owner="ana", case_id=case.id)
    with pytest.raises(InputError):
        cases.save_search("neither", "x")


@pytest.mark.parametrize(("kind", "key", "why"), [("photo", "a:b", "kind"), ("listing", "", "key 1-500"),
                                                  ("listing", "a:" + "x" * 600, "key 1-500")])
def test_bad_items_refused(db: Path, kind: str, key: str, why: str) -> None:
    cases = Cases(Accounts(db).db)
    case = cases.add("c")
    with pytest.raises(InputError, match=why):
        cases.file(case.id, kind, key, "", "", "ana")
    with pytest.raises(InputError, match="no case 99"):
        cases.file(99, "listing", "a:b", "", "", "ana")
    assert cases.items(case.id) == []
