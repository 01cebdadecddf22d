"""Unknown-substance candidates kept over time (SQLite): counted per name for the emerging-substances report."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.records import Listing

_SCHEMA = """
CREATE TABLE IF NOT EXISTS candidate_sighting (
    name TEXT NOT NULL,
    cls TEXT NOT NULL,
    confidence REAL NOT NULL,
    market TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    surface TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (name, market, listing_id, seen_at)
);
CREATE INDEX IF NOT EXISTS candidate_sighting_seen ON candidate_sighting (seen_at);
"""


@dataclass
class CandidateCount:
    name: str
    cls: str
    first_seen: str
    last_seen: str
    sightings: int  # observations (a listing seen on two crawls counts twice)
    listings: int  # distinct market listings
    markets: int
    max_confidence: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def default_path() -> Path:
    from onionwatch.paths import data_dir

    return data_dir() / "candidates.sqlite"


class CandidateLog:
    """Append-only log of unknown-substance sightings; `counts()` aggregates them per name."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path))
        self.db.executescript(_SCHEMA)

    def record(self, listings: Iterable[Listing]) -> int:
        """Store the candidates (Substance.known == False) of normalised listings; returns rows added."""
        rows = [
            (s.canonical, s.cls, s.confidence, li.market, li.listing_id, s.text[:200], li.scraped_at or "")
            for li in listings
            for s in li.substances
            if not s.known
        ]
        with self.db:
            before = self.db.total_changes
            self.db.executemany("INSERT OR IGNORE INTO candidate_sighting VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            return self.db.total_changes - before

    def counts(
        self, since: str | None = None, until: str | None = None, min_confidence: float = 0.0
    ) -> list[CandidateCount]:
        """Candidates first seen in [since, until), most listings first."""
        sql = """
            SELECT name, MAX(cls), MIN(seen_at), MAX(seen_at), COUNT(*),
                   COUNT(DISTINCT market || ':' || listing_id), COUNT(DISTINCT market), MAX(confidence)
            FROM candidate_sighting GROUP BY name HAVING MAX(confidence) >= ?"""
        out = [CandidateCount(*row) for row in self.db.execute(sql, (min_confidence,))]
        out = [c for c in out if (since is None or c.first_seen >= since) and (until is None or c.first_seen < until)]
        return sorted(out, key=lambda c: (-c.listings, -c.sightings, c.name))

    def close(self) -> None:
        self.db.close()
