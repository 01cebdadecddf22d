"""Reading user-written YAML files and reporting their problems as `file: field: problem`, one per line.

Shared by the market definitions, config/schedule.yaml, config/fx.yaml and the lexicon data. Imports no
pydantic or YAML at module level (the CLI imports error classes without loading either).
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onionwatch.errors import ConfigError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

MAX_CONFIG_BYTES = 5_000_000  # a config or data file larger than this is refused unread
MAX_KEY_SHOWN = 80  # characters of a user-written key shown in a message
_PLAIN = {  # pydantic's wording for a wrong container type, in YAML terms
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "list_type": "expected a list",
}


_STRICT_LOADER: Any = None


def _strict_loader() -> Any:
    """A safe YAML loader (libyaml's parser when present) that refuses a key written twice in one mapping.

    PyYAML keeps the last of two equal keys without a word, so a market definition with a second `listing:` or a
    lexicon with a second `cannabis:` entry would silently lose the first; a merge key (`<<`) may still override."""
    global _STRICT_LOADER
    if _STRICT_LOADER is None:
        import yaml
        from yaml.constructor import ConstructorError, SafeConstructor

        def mapping(loader: Any, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = loader.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: the constructor below refuses it as before
                    continue
                if first is not None:
                    shown = str(key)[:MAX_KEY_SHOWN]
                    raise ConstructorError(None, None, f"duplicate key {shown!r} (first on line {first + 1})",
                                           key_node.start_mark)
                seen[key] = key_node.start_mark.line
            return SafeConstructor.construct_mapping(loader, node, deep)

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        _STRICT_LOADER = type("StrictSafeLoader", (base,), {"construct_mapping": mapping})
    return _STRICT_LOADER


def read_yaml(path: Path, error: type[ConfigError], max_bytes: int = MAX_CONFIG_BYTES) -> Any:
    """The parsed YAML of `path`; `error` (`file: where: problem`) when it cannot be read or parsed, or when a
    mapping has a key twice."""
    import yaml

    try:
        if path.stat().st_size > max_bytes:
            raise error(f"{path}: (file): larger than {max_bytes} bytes")
        text = path.read_text(encoding="utf-8")
        try:
            return yaml.load(text, Loader=_strict_loader())
        except (ValueError, TypeError, AttributeError) as exc:  # a scalar YAML cannot build: 2024-02-30 (a date),
            message = str(exc)  # an integer of 5000 digits, "!!timestamp x"
            problem = "an integer of more than 4300 digits" if "4300 digits" in message else message[:100]
            raise error(f"{path}: (file): malformed YAML (a value that cannot be read: {problem!r})") from None
    except OSError as exc:
        raise error(f"{path}: (file): cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise error(f"{path}: (file): not UTF-8 text") from None
    except RecursionError:
        raise error(f"{path}: (file): malformed YAML (nested too deeply)") from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "malformed YAML"
        if "nesting depth" in problem:  # libyaml's limit: the same error as the pure-Python RecursionError
            raise error(f"{path}: (file): malformed YAML (nested too deeply)") from None
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise error(f"{path}: {where}: malformed YAML ({problem})") from None


def validate(model: type[BaseModel], raw: Any, source: str | Path, error: type[ConfigError]) -> Any:
    """`model.model_validate(raw)`, or `error` listing every problem (nothing is half-loaded)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error(format_validation_error(source, exc, model)) from None
    except RecursionError:
        raise error(f"{source}: (file): nested too deeply") from None


def format_validation_error(source: str | Path, exc: ValidationError, model: type[BaseModel] | None = None) -> str:
    """One `file: field: problem` line per error of `exc` (an unknown key gets a "did you mean")."""
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")
        where = dotted(loc) or "(top level)"
        msg = str(err["msg"])
        pairs = [(where, msg)]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
            # model-level validators put the field name at the start of the message, one problem a line
            pairs = [_at(where, m, bool(loc)) for m in msg.splitlines() or [msg]]
        if err["type"] == "extra_forbidden":
            pairs = [(where, "unknown field" + _did_you_mean(model, loc))]
        elif err["type"] in _PLAIN:
            pairs = [(where, f"{_PLAIN[err['type']]}, got {_kind(err.get('input'))}")]
        for at, problem in pairs:
            line = f"{source}: {at}: {problem}"
            if line not in lines:
                lines.append(line)
    return "\n".join(lines)


def _at(where: str, msg: str, located: bool) -> tuple[str, str]:
    if located or ": " not in msg:
        return where, msg
    field, problem = msg.split(": ", 1)
    return field, problem


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "nothing"}.get(
        type(value), f"{type(value).__name__} {value!r:.40}"
    )


def dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not (name := str(part)).isprintable() or not name.strip() or len(name) > MAX_KEY_SHOWN:
            out += f"[{name[:MAX_KEY_SHOWN]!r}]"  # a key with a newline or escape stays on its line, visible
        else:
            out += f".{name}" if out else name
    return out


def _did_you_mean(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> str:
    if model is None or not loc:
        return ""
    known = _known_keys(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _known_keys(model: Any, path: tuple[Any, ...]) -> list[str]:
    """Field names (or aliases) of the model reached by following `path` from `model`; [] if unknown."""
    node: Any = model
    for part in path:
        node = _step(node, part)
        if node is None:
            return []
    fields = getattr(node, "model_fields", None)
    if not isinstance(fields, dict):
        return []
    return [f.alias or name for name, f in fields.items()]


def _step(node: Any, part: Any) -> Any:
    fields = getattr(node, "model_fields", None)
    if isinstance(fields, dict) and set(fields) == {"root"}:  # a RootModel: its loc skips "root"
        return _step(_unwrap(fields["root"].annotation), part)
    if isinstance(fields, dict):
        info = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        return _unwrap(info.annotation) if info is not None else None
    origin = typing.get_origin(node)
    args = typing.get_args(node)
    if origin in (list, tuple) and args:
        return _unwrap(args[0])
    if origin is dict and len(args) == 2:
        return _unwrap(args[1])
    return None


def _unwrap(tp: Any) -> Any:
    """`X | None` -> X; Annotated[X, ...] -> X."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(rest) != 1:
                return tp
            tp = rest[0]
        else:
            return tp


def check_cron(v: str) -> str:
    """A five-field crontab string (UTC) that parses and fires at least once (not "0 7 31 2 *"), else ValueError
    with a one-line reason for a config field validator."""
    from datetime import UTC, datetime

    from apscheduler.triggers.cron import CronTrigger

    try:
        trigger = CronTrigger.from_crontab(v, timezone="UTC")
    except (ValueError, TypeError) as e:
        raise ValueError(f"bad cron string {v!r:.60}: {e}") from None
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:  # `next` was a traceback
        raise ValueError(f"cron string {v!r:.60} never fires (no such date)")
    return v
