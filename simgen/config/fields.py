"""The field kinds of the config schemas (`simgen.config.schema`): each records, as dataclass
field metadata, what `simgen.config.load` checks a value against (a numeric range, a set of
choices, or the support of a distribution)."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from simgen.config.distributions import format_distribution


def dist(default: Any, low: float, high: float, *, integer: bool = False) -> Any:
    """A distribution-valued field with its allowed value range [low, high].

    A mapping default is stored in its one-value spelling ('uniform(1.3, 1.6)'), so that a
    mapping written over it in a YAML file replaces it instead of merging into it.
    """
    text = format_distribution(default) if isinstance(default, dict) else default
    return field(default=text, metadata={"dist": (low, high), "integer": integer})


def dist_of_names(default: Any, *names: str) -> Any:
    """A distribution-valued field over names (a constant name or a `choice` of them), each one
    of `names`."""
    text = format_distribution(default) if isinstance(default, dict) else default
    return field(default=text, metadata={"dist": (0.0, 0.0), "names": names})


def bounded(default: Any, low: float, high: float) -> Any:
    """A plain numeric field with its allowed range [low, high]."""
    return field(default=default, metadata={"range": (low, high)})


def one_of(default: str, *choices: str) -> Any:
    """A string field restricted to `choices`."""
    return field(default=default, metadata={"choices": choices})
