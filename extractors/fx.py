"""Dated exchange-rate table (config/fx.yaml): converts prices in any supported currency to USD."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from onionwatch.errors import FxConfigError
from onionwatch.extractors.records import CURRENCIES
from onionwatch.paths import package_file

DEFAULT_FX_PATH = package_file("onionwatch.config", "fx.yaml")
GRAMS_PER_OZ = 28.0  # street ounce


@dataclass
class FxTable:
    dates: list[str]  # ISO dates, ascending
    tables: list[dict[str, float]]  # USD value of one unit, per date

    @classmethod
    def load(cls, path: str | Path | None = None) -> FxTable:
        path = Path(path) if path else DEFAULT_FX_PATH
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise FxConfigError(f"{path}: cannot read FX table: {exc}".splitlines()[0]) from exc
        except UnicodeDecodeError:
            raise FxConfigError(f"{path}: cannot read FX table: not UTF-8 text") from None
        except RecursionError:
            raise FxConfigError(f"{path}: cannot read FX table: nested too deeply") from None
        rates = data.get("rates") if isinstance(data, dict) else None
        if not isinstance(rates, dict) or not rates:
            raise FxConfigError(f"{path}: rates: expected a mapping of ISO date -> {{CURRENCY: usd_value}}")
        parsed: dict[str, dict[str, float]] = {}
        for date, table in rates.items():
            key = str(date)
            try:
                dt.date.fromisoformat(key)
            except ValueError as exc:
                raise FxConfigError(f"{path}: rates.{key}: not an ISO date (YYYY-MM-DD)") from exc
            if not isinstance(table, dict):
                raise FxConfigError(f"{path}: rates.{key}: expected a mapping CURRENCY -> usd_value")
            parsed[key] = {}
            for cur, value in table.items():
                code = str(cur).upper()
                if code not in CURRENCIES:
                    raise FxConfigError(f"{path}: rates.{key}.{cur}: unknown currency (use {', '.join(CURRENCIES)})")
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
                    raise FxConfigError(f"{path}: rates.{key}.{cur}: must be a positive number")
                parsed[key][code] = float(value)
        dates = sorted(parsed)
        return cls(dates, [parsed[d] for d in dates])

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
