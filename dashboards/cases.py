"""Cases: a title, members, a legal-hold flag, and the listings, vendors and saved searches filed in them.

Stored in the auth database (dashboards/accounts.py). An analyst sees a case's material only when a member;
supervisors and admins see every case. :func:`held_keys` answers the retention code: the listing and vendor
keys (``market:id``) filed in cases on legal hold must not be deleted.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onionwatch.errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, title TEXT NOT NULL, legal_hold INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS case_members (case_id INTEGER NOT NULL, user TEXT NOT NULL, PRIMARY KEY (case_id, user));
CREATE TABLE IF NOT EXISTS case_items (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL, kind TEXT NOT NULL,
    key TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', added_by TEXT NOT NULL,
    added REAL NOT NULL);
CREATE TABLE IF NOT EXISTS saved_searches (id INTEGER PRIMARY KEY, owner TEXT, case_id INTEGER, name TEXT NOT NULL,
    query TEXT NOT NULL, CHECK ((owner IS NULL) != (case_id IS NULL)));
"""
KINDS = ("listing", "vendor", "search")
SEE_ALL = ("supervisor", "admin")
MAX_TEXT = 2000


@dataclass(frozen=True)
class Case:
    id: int
    title: str
    legal_hold: bool
    members: tuple[str, ...]


class Cases:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(self, title: str) -> Case:
        title = title.strip()
        if not 1 <= len(title) <= 200:
            raise InputError("case title: 1-200 characters")
        cur = self.db.execute("INSERT INTO cases (title, created) VALUES (?, ?)", (title, time.time()))
        return Case(int(cur.lastrowid or 0), title, False, ())

    def get(self, case_id: int) -> Case | None:
        row = self.db.execute("SELECT id, title, legal_hold FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            return None
        members = tuple(r[0] for r in self.db.execute(
            "SELECT user FROM case_members WHERE case_id = ? ORDER BY user", (case_id,)))
        return Case(row[0], row[1], bool(row[2]), members)

    def require(self, case_id: int) -> Case:
        case = self.get(case_id)
        if case is None:
            raise InputError(f"no case {case_id}")
        return case

    def all(self) -> list[Case]:
        ids = [r[0] for r in self.db.execute("SELECT id FROM cases ORDER BY id")]
        return [c for c in (self.get(i) for i in ids) if c is not None]

    def visible(self, user: str, role: str) -> list[Case]:
        return [c for c in self.all() if self.may_see(c, user, role)]

    @staticmethod
    def may_see(case: Case, user: str, role: str) -> bool:
        return role in SEE_ALL or (role == "analyst" and user in case.members)

    def member(self, case_id: int, user: str, remove: bool = False) -> None:
        self.require(case_id)
        if remove:
            self.db.execute("DELETE FROM case_members WHERE case_id = ? AND user = ?", (case_id, user))
        else:
            self.db.execute("INSERT OR IGNORE INTO case_members VALUES (?, ?)", (case_id, user))

    def hold(self, case_id: int, on: bool) -> None:
        self.require(case_id)
        self.db.execute("UPDATE cases SET legal_hold = ? WHERE id = ?", (int(on), case_id))

    def file(self, case_id: int, kind: str, key: str, tags: str, note: str, by: str) -> None:
        self.require(case_id)
        if kind not in KINDS:
            raise InputError(f"kind {kind[:20]!r}: one of {', '.join(KINDS)}")
        if not 1 <= len(key) <= 500 or len(tags) > 200 or len(note) > MAX_TEXT:
            raise InputError("key 1-500, tags up to 200, note up to 2000 characters")
        self.db.execute("INSERT INTO case_items (case_id, kind, key, tags, note, added_by, added)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)", (case_id, kind, key, tags, note, by, time.time()))

    def items(self, case_id: int) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT kind, key, tags, note, added_by, added FROM case_items WHERE case_id = ?"
                               " ORDER BY id", (case_id,))
        return [dict(zip(("kind", "key", "tags", "note", "added_by", "added"), r, strict=True)) for r in rows]

    def save_search(self, name: str, query: str, owner: str | None = None, case_id: int | None = None) -> None:
        """A saved search belongs to a user or to a case (exactly one)."""
        if (owner is None) == (case_id is None):
            raise InputError("a saved search belongs to a user or to a case")
        if case_id is not None:
            self.require(case_id)
        self.db.execute("INSERT INTO saved_searches (owner, case_id, name, query) VALUES (?, ?, ?, ?)",
                        (owner, case_id, name[:200], query[:MAX_TEXT]))

    def saved_searches(self, owner: str | None = None, case_id: int | None = None) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT name, query FROM saved_searches WHERE owner IS ? AND case_id IS ?"
                               " ORDER BY id", (owner, case_id))
        return [{"name": r[0], "query": r[1]} for r in rows]


def held_keys(path: Path | None = None) -> set[tuple[str, str]]:
    """(kind, "market:id") of every listing and vendor filed in a case on legal hold: retention keeps them."""
    from onionwatch.dashboards.accounts import open_db

    db = open_db(path)
    try:
        rows = db.execute("SELECT DISTINCT i.kind, i.key FROM case_items i JOIN cases c ON c.id = i.case_id"
                          " WHERE c.legal_hold = 1 AND i.kind IN ('listing', 'vendor')").fetchall()
    finally:
        db.close()
    return {(r[0], r[1]) for r in rows}
