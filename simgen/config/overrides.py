"""Command-line overrides as simgen reads them, before Hydra applies them.

Hydra applies `key={...}` by merging the mapping into the field's current value key by key, so
`camera.pitch_deg={normal:[-3,1.5]}` over `uniform(-6, -1)`'s mapping form would keep both
kinds. `rewrite_overrides` turns a mapping written for a distribution field into the field's
one-value spelling (`camera.pitch_deg='normal(-3, 1.5)'`), which Hydra assigns whole: the
override replaces the value, as an engineer expects. `sweep_variants` lists the single-run
override sets a multirun will launch, so that each can be checked before any job starts.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from simgen.config.distributions import format_distribution
from simgen.config.schema import SimgenConfig
from simgen.errors import ConfigError

_UNQUOTED_CALL = re.compile(r"^\+{0,2}([\w.]+)=((?:uniform|normal|loguniform|int_range)\(.*\))$", re.S)
MAX_SWEEP_CHECKS = 256
"""Most single-run compositions a multirun preflight makes (each swept value at least once)."""


def schema_field(path: str) -> tuple[type | None, dataclasses.Field | None]:
    """The schema dataclass holding dotted `path`'s last key, and that key's field (or None).

    `schema_field('camera.pitch_deg')` -> (CameraConfig, <field pitch_deg>);
    `schema_field('camera.nope')` -> (CameraConfig, None); `schema_field('x.y')` -> (None, None).
    """
    cls: Any = SimgenConfig
    parts = path.split(".")
    for depth, name in enumerate(parts):
        if not dataclasses.is_dataclass(cls):
            return None, None
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if name not in fields:
            return (cls, None) if depth == len(parts) - 1 else (None, None)
        if depth == len(parts) - 1:
            return cls, fields[name]
        cls = typing.get_type_hints(cls)[name]
    return None, None


def is_distribution_field(path: str) -> bool:
    _, f = schema_field(path)
    return f is not None and "dist" in f.metadata


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _hydra_text(value: Any, distribution: bool) -> str:
    """A Python value as Hydra override text; a mapping for a distribution in its one-value spelling."""
    if distribution and isinstance(value, Mapping):
        return _quoted(format_distribution(value))
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_hydra_text(v, False) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k}:{_hydra_text(v, False)}" for k, v in value.items()) + "}"
    return repr(value)


def rewrite_overrides(overrides: Sequence[str]) -> list[str]:
    """Overrides with every mapping for a distribution field rewritten to replace the value.

    `+key=`/`++key=` on a distribution field become `key=` (the field always exists). Text
    Hydra cannot parse is returned unchanged, for Hydra (and `simgen.config.diagnose`) to report.

    Raises:
        ConfigError: `key={}` on a mapping field (labels.categories, obstacles.rates, ...): a
            mapping override merges, so an empty one would silently change nothing.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import ChoiceSweep
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    out = []
    for text in overrides:
        call = _UNQUOTED_CALL.match(text)
        if call and is_distribution_field(call.group(1)):
            # `camera.pitch_deg=uniform(-6, -1)`: Hydra would read a sweep function; it is a value.
            out.append(f"{call.group(1)}={_quoted(call.group(2))}")
            continue
        try:
            override = parser.parse_override(text)
        except HydraException:
            out.append(text)
            continue
        key = override.key_or_group
        if override.package is not None or override.is_delete():
            out.append(text)
            continue
        if not is_distribution_field(key):
            _check_empty_mapping(key, override.value(), text)
            out.append(text)
            continue
        value = override.value()
        if isinstance(value, ChoiceSweep):
            text = f"{key}=" + ",".join(_hydra_text(v, True) for v in value.list)
        elif isinstance(value, Mapping):
            text = f"{key}={_hydra_text(value, True)}"
        elif override.is_add() or override.is_force_add():
            text = text.lstrip("+")
        out.append(text)
    return out


def _check_empty_mapping(key: str, value: Any, text: str) -> None:
    if not (isinstance(value, Mapping) and not value):
        return
    cls, f = schema_field(key)
    if cls is not None and f is not None and typing.get_origin(typing.get_type_hints(cls)[f.name]) is dict:
        raise ConfigError(key, {}, f"entries to add or change ({key}={{name:value}}); a mapping override merges "
                          f"into {key}, so {{}} would change nothing: remove an entry with ~{key}.NAME",
                          where="command line")


def sweep_variants(overrides: Sequence[str]) -> list[list[str]]:
    """The single-run override lists a multirun would launch, enough to check every swept value.

    The first list takes each sweep's first value; then each swept value of each key appears
    once with the other keys at their first value (a linear cover, not the product). A sweep
    over `shard` is represented by its first and last value (shards differ in nothing else).
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    fixed: list[str] = []
    swept: list[tuple[str, list[str]]] = []
    for text in overrides:
        try:
            override = parser.parse_override(text)
        except HydraException:
            fixed.append(text)
            continue
        if not override.is_sweep_override():
            fixed.append(text)
            continue
        values = list(override.sweep_string_iterator())
        if override.key_or_group == "shard" and len(values) > 2:
            values = [values[0], values[-1]]
        swept.append((override.get_key_element(), values))
    first = [f"{key}={values[0]}" for key, values in swept if values]
    variants = [[*fixed, *first]]
    for index, (key, values) in enumerate(swept):
        for value in values[1:]:
            if len(variants) >= MAX_SWEEP_CHECKS:
                return variants
            others = [item for j, item in enumerate(first) if j != index]
            variants.append([*fixed, *others, f"{key}={value}"])
    return variants
