"""Typed config -> plain YAML-ready dict (the inverse of `load_config`), for lineage and diffs."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from simgen.config.distributions import Choice, Constant, IntRange, LogUniform, Normal, Uniform


def config_to_plain(value: Any) -> Any:
    """Plain dicts/lists/scalars, with distributions back in their YAML syntax."""
    if isinstance(value, Constant):
        return value.value
    if isinstance(value, Uniform):
        return {"uniform": [value.low, value.high]}
    if isinstance(value, LogUniform):
        return {"loguniform": [value.low, value.high]}
    if isinstance(value, IntRange):
        return {"int_range": [value.low, value.high]}
    if isinstance(value, Normal):
        out: dict[str, Any] = {"normal": [value.mean, value.std]}
        if value.clip is not None:
            out["clip"] = list(value.clip)
        return out
    if isinstance(value, Choice):
        return {"choice": list(value.options), "weights": list(value.probabilities)}
    if dataclasses.is_dataclass(value):
        return {f.name: config_to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): config_to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [config_to_plain(v) for v in value]
    return value


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': 1}} -> {'a.b': 1}; lists and distributions stay whole leaves."""
    if isinstance(value, dict) and not any(k in value for k in ("uniform", "normal", "loguniform",
                                                                "choice", "int_range")):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def config_hash(plain: Any) -> str:
    """sha256 of the canonical JSON of a plain config."""
    return hashlib.sha256(json.dumps(plain, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
