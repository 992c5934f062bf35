"""How specs are recorded: `spec_dict` (the JSON-ready dict of a spec, as written beside each
frame) and `when_set` (fields recorded only once they leave their default)."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import field

RECORDED_WHEN_SET = {"recorded_when_set": True}
"""Field metadata: `spec_dict` leaves the field out while it holds its default. For fields added
after datasets exist (a PBR texture set, clouds, the sky model): a frame that does not use them
is recorded, and its objects hashed (`simgen.annotations.identity`), byte for byte as before."""


def when_set(default: object) -> object:
    """A spec field recorded only when it differs from `default` (`RECORDED_WHEN_SET`)."""
    return field(default=default, metadata=RECORDED_WHEN_SET)


_ATOMIC = frozenset({float, int, str, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[tuple[str, bool, object], ...]] = {}


def _recorded_fields(kind: type) -> tuple[tuple[str, bool, object], ...]:
    """(name, recorded only when set, default) of each field of dataclass `kind`."""
    return tuple((f.name, bool(f.metadata.get("recorded_when_set")), f.default) for f in dataclasses.fields(kind))


def spec_dict(value: object) -> object:
    """`dataclasses.asdict` of a spec (or any plain value), equal to it and several times faster.

    Specs hold plain values only, so the recursion needs no deep copies: immutable leaves, and
    tuples of them, are shared; dataclasses become dicts, other tuples stay tuples, lists and
    dicts are copied. Any other leaf is deep-copied, as `asdict` does. Fields marked
    `RECORDED_WHEN_SET` are left out while they hold their default.
    """
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if kind is tuple:
        for item in value:  # type: ignore[attr-defined]
            if type(item) not in _ATOMIC:
                return tuple(spec_dict(item) for item in value)  # type: ignore[attr-defined]
        return value
    if kind is dict:
        return {key if type(key) is str else spec_dict(key): spec_dict(item)
                for key, item in value.items()}  # type: ignore[attr-defined]
    if kind is list:
        return [spec_dict(item) for item in value]  # type: ignore[attr-defined]
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELD_NAMES.setdefault(kind, _recorded_fields(kind))
    if names is not None:
        out = {}
        for name, optional, default in names:
            item = getattr(value, name)
            if not (optional and item == default):
                out[name] = spec_dict(item)
        return out
    return copy.deepcopy(value)
