"""Dated exchange-rate table (config/fx.yaml): converts prices in any supported currency to USD."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator

from onionwatch.config_errors import read_yaml, validate
from onionwatch.errors import FxConfigError
from onionwatch.extractors.records import CURRENCIES
from onionwatch.paths import package_file

DEFAULT_FX_PATH = package_file("onionwatch.config", "fx.yaml")
GRAMS_PER_OZ = 28.0  # street ounce


def _iso_date(v: str) -> str:
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        raise ValueError("not an ISO date (YYYY-MM-DD)") from None
    return v


def _currency(v: str) -> str:
    if v.upper() not in CURRENCIES:
        raise ValueError(f"unknown currency (use {', '.join(CURRENCIES)})")
    return v.upper()


def _usd_value(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v < math.inf:
        raise ValueError("must be a positive number")
    return float(v)


IsoDate = Annotated[str, BeforeValidator(str), AfterValidator(_iso_date)]  # YAML reads 2020-01-01 as a date
Currency = Annotated[str, BeforeValidator(str), AfterValidator(_currency)]
UsdValue = Annotated[float, PlainValidator(_usd_value)]


class FxFile(BaseModel):
    """config/fx.yaml: `rates: {ISO date: {CURRENCY: USD value of one unit}}`."""

    model_config = ConfigDict(extra="forbid")
    rates: dict[IsoDate, dict[Currency, UsdValue]] = Field(min_length=1)


@dataclass
class FxTable:
    dates: list[str]  # ISO dates, ascending
    tables: list[dict[str, float]]  # USD value of one unit, per date

    @classmethod
    def load(cls, path: str | Path | None = None) -> FxTable:
        """Read and validate the table; FxConfigError lists every `file: field: problem`."""
        path = Path(path) if path else DEFAULT_FX_PATH
        data = read_yaml(path, FxConfigError)
        if not isinstance(data, dict):
            raise FxConfigError(f"{path}: (top level): must be a mapping with `rates`")
        parsed: FxFile = validate(FxFile, data, path, FxConfigError)
        dates = sorted(parsed.rates)
        return cls(dates, [parsed.rates[d] for d in dates])

    def rate(self, currency: str, on: str | None = None) -> float | None:
        """USD value of one unit of `currency` on date `on` (ISO date/datetime), None if unknown."""
        key = (currency, on[:10] if on else None)
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = self._rate(currency.upper(), key[1])
        return cache[key]  # type: ignore[no-any-return]

    def _rate(self, currency: str, on: str | None) -> float | None:
        idx = len(self.dates) - 1
        if on:
            idx = max(0, bisect.bisect_right(self.dates, on[:10]) - 1)
        # fall back to the nearest table that knows the currency (older first, then newer)
        order = list(range(idx, -1, -1)) + list(range(idx + 1, len(self.dates)))
        for i in order:
            if currency in self.tables[i]:
                return self.tables[i][currency]
        return None

    def to_usd(self, amount: float, currency: str, on: str | None = None) -> float | None:
        rate = self.rate(currency, on)
        return None if rate is None else round(amount * rate, 2)
