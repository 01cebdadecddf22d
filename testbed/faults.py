"""Which faults a testbed market server runs with: a `FaultPlan` (fault names, grouped in families) and one small
adapter per family that turns its names into `MarketServer` arguments.

Families (`FAMILIES`; adding a family is one line there):

- ``gates`` (testbed/gates.py): ``queue`` (a DDoS queue, meta refresh), ``captcha`` (after the queue, bound to
  its ticket), ``age`` (an 18+ form), ``login-captcha``, ``2fa`` (PGP 2FA after the password: needs the
  analyst's public key), ``expiry`` (queue passes and login sessions last ``expire_after`` requests).
- ``network`` (testbed/netfaults.py: 429/503 with Retry-After, timeouts, truncated HTML, a mirror going down).
  While that module is not installed the family offers no fault names and changes nothing; when it is, its
  ``FAULT_NAMES`` and ``server_kwargs(names, plan)`` are used.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from onionwatch.testbed.gates import GateFaults


class FaultFamily(Protocol):
    names: tuple[str, ...]

    def server_kwargs(self, on: frozenset[str], plan: FaultPlan) -> dict[str, Any]: ...


class GateFamily:
    names: tuple[str, ...] = ("queue", "captcha", "age", "login-captcha", "2fa", "expiry")

    def server_kwargs(self, on: frozenset[str], plan: FaultPlan) -> dict[str, Any]:
        if not on:
            return {}
        if "2fa" in on and not plan.pgp_public_key:
            raise ValueError("fault 2fa: needs the analyst's PGP public key (--pgp-public-key FILE)")
        expire = plan.expire_after if "expiry" in on else None
        return {"gates": GateFaults(
            queue_seconds=plan.queue_seconds if "queue" in on else None, captcha="captcha" in on,
            pass_expire_after=expire, age_gate="age" in on, login_captcha="login-captcha" in on,
            pgp_2fa_public_key=plan.pgp_public_key if "2fa" in on else None, expire_after=expire)}


class NetworkFamily:
    """testbed/netfaults.py when installed; without it: no names, no arguments."""

    def __init__(self) -> None:
        self._module: Any = None
        if importlib.util.find_spec("onionwatch.testbed.netfaults") is not None:
            self._module = importlib.import_module("onionwatch.testbed.netfaults")
        self.names: tuple[str, ...] = tuple(getattr(self._module, "FAULT_NAMES", ()))

    def server_kwargs(self, on: frozenset[str], plan: FaultPlan) -> dict[str, Any]:
        if not on or self._module is None:
            return {}
        return dict(self._module.server_kwargs(on, plan))


FAMILIES: dict[str, FaultFamily] = {"gates": GateFamily(), "network": NetworkFamily()}


def known_faults() -> tuple[str, ...]:
    return tuple(name for family in FAMILIES.values() for name in family.names)


@dataclass(frozen=True)
class FaultPlan:
    """The faults one market server runs with, and their settings."""

    faults: frozenset[str] = field(default_factory=frozenset)
    queue_seconds: float = 2.0  # the DDoS queue's wait
    expire_after: int = 200  # requests a queue pass or a login session lasts (fault `expiry`)
    pgp_public_key: str | None = None  # armored: the challenge of fault `2fa` is encrypted to it

    @classmethod
    def parse(cls, text: str | Iterable[str], **settings: Any) -> FaultPlan:
        """`"queue,captcha,2fa"` (or a list of names) -> a plan; ValueError naming an unknown fault."""
        names = [n.strip() for n in (text.split(",") if isinstance(text, str) else text) if n.strip()]
        known = known_faults()
        for name in names:
            if name not in known:
                raise ValueError(f"unknown fault {name!r} (known: {', '.join(known)})")
        return cls(frozenset(names), **settings)

    def by_family(self) -> dict[str, frozenset[str]]:
        return {f: self.faults & frozenset(family.names) for f, family in FAMILIES.items()}

    def server_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `MarketServer` (ValueError when a fault lacks what it needs)."""
        kwargs: dict[str, Any] = {}
        for name, on in self.by_family().items():
            kwargs.update(FAMILIES[name].server_kwargs(on, self))
        return kwargs

    def describe(self) -> str:
        return ",".join(n for n in known_faults() if n in self.faults) or "none"
