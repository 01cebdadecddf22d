"""Where onionwatch keeps user data and config (never inside the repository)."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def package_file(package: str, *parts: str) -> Path:
    """A data file shipped inside an onionwatch package (importlib.resources; the package is on disk)."""
    return Path(str(files(package).joinpath(*parts)))


CONFIG_DIR = package_file("onionwatch.config")
MARKETS_DIR = CONFIG_DIR / "markets"


def markets_dir() -> Path:
    """$ONIONWATCH_MARKETS_DIR (extra/alternative definitions), else config/markets/ in the project."""
    env = os.environ.get("ONIONWATCH_MARKETS_DIR")
    return Path(env) if env else MARKETS_DIR


def data_dir() -> Path:
    """$ONIONWATCH_DATA_DIR, else $XDG_DATA_HOME/onionwatch, else ~/.local/share/onionwatch."""
    env = os.environ.get("ONIONWATCH_DATA_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "onionwatch"


def user_config_dir() -> Path:
    """$ONIONWATCH_CONFIG_DIR, else $XDG_CONFIG_HOME/onionwatch: credentials and cookies live here."""
    env = os.environ.get("ONIONWATCH_CONFIG_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "onionwatch"


def default_store_url() -> str:
    return os.environ.get("ONIONWATCH_STORE") or f"sqlite:///{data_dir() / 'onionwatch.sqlite'}"
