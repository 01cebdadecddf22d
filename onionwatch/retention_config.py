"""config/retention.yaml (periods per data class) and the legal holds file, validated as `file: field: problem`.

Holds come from one function, `holds()`: today a YAML file (`--holds`, $ONIONWATCH_HOLDS_FILE, else
<config dir>/holds.yaml); later a case table can supply the same `Holds` through it. A holds file names
markets, listings (`market:listing_id`) and vendors (`market:vendor_id`), each entry with its case and reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from onionwatch.config_errors import check_cron, read_yaml, validate
from onionwatch.errors import ConfigError
from onionwatch.indexer.store import HeldKeys
from onionwatch.paths import CONFIG_DIR, user_config_dir

DEFAULT_RETENTION = CONFIG_DIR / "retention.yaml"
DATA_CLASSES = ("listings", "vendor_personal", "archives", "reports", "spool")
MAX_DAYS = 36_500


class RetentionError(ConfigError):
    """config/retention.yaml or the holds file is unreadable or invalid; str() is `file: field: problem`."""


class Periods(BaseModel):
    model_config = ConfigDict(extra="forbid")
    listings: int | None = Field(None, ge=1, le=MAX_DAYS)
    vendor_personal: int | None = Field(None, ge=1, le=MAX_DAYS)
    archives: int | None = Field(None, ge=1, le=MAX_DAYS)
    reports: int | None = Field(None, ge=1, le=MAX_DAYS)
    spool: int | None = Field(None, ge=1, le=MAX_DAYS)

    @field_validator("*", mode="before")
    @classmethod
    def _days(cls, v: Any) -> Any:
        if isinstance(v, bool) or (v is not None and not isinstance(v, int)):
            raise ValueError(f"expected a number of days or null, got {v!r:.40}")
        return v


class RetentionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    periods: Periods
    schedule: str | None = "30 3 * * *"

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        if v is None:
            return None
        return check_cron(v)


@dataclass(frozen=True)
class Retention:
    periods: dict[str, int | None]
    schedule: str | None
    source: str

    def cutoff(self, data_class: str, now: datetime) -> datetime | None:
        """The moment before which `data_class` is past its period (None: kept forever)."""
        days = self.periods.get(data_class)
        return None if days is None else now - timedelta(days=days)


def load_retention(path: Path | None = None) -> Retention:
    path = Path(path or DEFAULT_RETENTION)
    raw = read_yaml(path, RetentionError)
    if not isinstance(raw, dict):
        raise RetentionError(f"{path}: (top level): expected a mapping with `periods` and `schedule`")
    parsed: RetentionFile = validate(RetentionFile, raw, path, RetentionError)
    return Retention(periods=parsed.periods.model_dump(), schedule=parsed.schedule, source=str(path))


# --- legal holds ------------------------------------------------------------------------------------------


def _pair(v: Any) -> str:
    if not isinstance(v, str) or v.count(":") < 1 or not all(v.split(":", 1)):
        raise ValueError(f"expected MARKET:ID, got {v!r:.60}")
    return v


class Hold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)
    markets: list[str] = []
    listings: list[str] = []
    vendors: list[str] = []

    @field_validator("listings", "vendors", mode="before")
    @classmethod
    def _pairs(cls, v: Any) -> Any:
        return [_pair(x) for x in v] if isinstance(v, list) else v

    @field_validator("markets")
    @classmethod
    def _markets(cls, v: list[str]) -> list[str]:
        if any(not m.strip() for m in v):
            raise ValueError("empty market name")
        return v


class HoldsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    holds: list[Hold]


@dataclass(frozen=True)
class Holds:
    """Everything on legal hold, and for each held key the cases holding it (for the deletion log)."""

    keys: HeldKeys = field(default_factory=HeldKeys)
    cases: dict[str, list[str]] = field(default_factory=dict)  # "market:M" / "listing:M:ID" / "vendor:M:ID"
    source: str = "(no holds)"

    def case_for(self, kind: str, market: str, ident: str | None = None) -> str:
        found = self.cases.get(f"{kind}:{market}:{ident}", []) + self.cases.get(f"market:{market}", [])
        return ", ".join(sorted(set(found))) or "held via a held listing or vendor"


def holds_file() -> Path:
    env = os.environ.get("ONIONWATCH_HOLDS_FILE")
    return Path(env) if env else user_config_dir() / "holds.yaml"


def case_holds() -> list[tuple[str, str, str, str]]:
    """(kind, market, id, case) of every listing and vendor filed in a dashboard case on legal hold
    (dashboards/cases.py); none when no account database exists yet. Read-only: creates nothing."""
    import sqlite3

    from onionwatch.dashboards.accounts import default_path

    path = default_path()
    if not path.exists():
        return []
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT i.kind, i.key, c.id FROM case_items i JOIN cases c ON c.id = i.case_id"
                              " WHERE c.legal_hold = 1 AND i.kind IN ('listing', 'vendor')").fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:  # holds unknown: retention must not run as if nothing were held
        raise RetentionError(f"{path}: cannot read the cases on legal hold ({exc})") from None
    return [(kind, *key.split(":", 1), f"case {case_id}") for kind, key, case_id in rows if ":" in key]


def holds(path: Path | None = None) -> Holds:
    """The material on legal hold: the holds file and every dashboard case on legal hold. Without a file (none
    given, none at the default place) only the cases. A file given explicitly (argument or
    $ONIONWATCH_HOLDS_FILE) must exist."""
    explicit = path is not None or bool(os.environ.get("ONIONWATCH_HOLDS_FILE"))
    path = Path(path) if path is not None else holds_file()
    markets: set[str] = set()
    listings: set[tuple[str, str]] = set()
    vendors: set[tuple[str, str]] = set()
    cases: dict[str, list[str]] = {}
    sources = []
    if path.exists() or explicit:
        raw = read_yaml(path, RetentionError)
        if not isinstance(raw, dict):
            raise RetentionError(f"{path}: (top level): expected a mapping with `holds`")
        parsed: HoldsFile = validate(HoldsFile, raw, path, RetentionError)
        sources.append(str(path))
        for hold in parsed.holds:
            for m in hold.markets:
                markets.add(m)
                cases.setdefault(f"market:{m}", []).append(hold.case)
            for kind, target in (("listing", listings), ("vendor", vendors)):
                for item in getattr(hold, f"{kind}s"):
                    market, ident = item.split(":", 1)
                    target.add((market, ident))
                    cases.setdefault(f"{kind}:{market}:{ident}", []).append(hold.case)
    held_cases = case_holds()
    if held_cases:
        sources.append("dashboard cases on legal hold")
    for kind, market, ident, case in held_cases:
        (listings if kind == "listing" else vendors).add((market, ident))
        cases.setdefault(f"{kind}:{market}:{ident}", []).append(case)
    if not sources:
        return Holds()
    keys = HeldKeys(frozenset(markets), frozenset(listings), frozenset(vendors))
    return Holds(keys=keys, cases=cases, source=" + ".join(sources))
