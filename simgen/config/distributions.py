"""Distributions written in YAML, parsed into typed, validated objects.

Syntax (any config field documented as a distribution accepts these). A distribution is one
value: a number, or a call `kind(args)`; the mapping spelling `{kind: args, ...}` means the same.

    1.4                                                      constant
    uniform(low, high)          {uniform: [low, high]}       continuous uniform on [low, high)
    normal(mean, std, clip=[low, high])   {normal: [mean, std], clip: [low, high]}   clip optional
    loguniform(low, high)       {loguniform: [low, high]}    log-uniform, 0 < low <= high
    choice([a, b, c], weights=[3, 1, 1])  {choice: [a, b, c], weights: [3, 1, 1]}  weights optional
    int_range(low, high)        {int_range: [low, high]}     integer uniform, both ends inclusive

The call spelling exists because Hydra merges a mapping into a mapping key by key: a scenario
that writes `{normal: ...}` over an option's `{uniform: ...}` would get both. The packaged
configs and the schema defaults use the call spelling, so a mapping (or call) written in a
scenario or on the command line replaces the value whole (see docs/configs.md).

Every parse error is a `ConfigError` naming the field path, the value and what is allowed.
Sampling takes an explicit `numpy.random.Generator` and never touches global state.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simgen.errors import ConfigError, closest_name

KINDS = ("uniform", "normal", "loguniform", "choice", "int_range")
_SYNTAX = ("a number, or one of uniform(low, high), normal(mean, std, clip=[low, high]), loguniform(low, high), "
           "choice([a, b], weights=[...]), int_range(low, high) (or the mapping spelling {uniform: [low, high]}, ...)")
_CALL = re.compile(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*$", re.S)


@dataclass(frozen=True)
class Constant:
    value: Any

    def sample(self, rng: np.random.Generator) -> Any:
        return self.value

    def support(self) -> tuple[float, float] | None:
        return (self.value, self.value) if _is_number(self.value) else None


@dataclass(frozen=True)
class Uniform:
    low: float
    high: float

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)


@dataclass(frozen=True)
class Normal:
    mean: float
    std: float
    clip: tuple[float, float] | None = None

    def sample(self, rng: np.random.Generator) -> float:
        value = float(rng.normal(self.mean, self.std))
        if self.clip is not None:
            value = min(max(value, self.clip[0]), self.clip[1])
        return value

    def support(self) -> tuple[float, float]:
        return self.clip if self.clip is not None else (-math.inf, math.inf)


@dataclass(frozen=True)
class LogUniform:
    low: float
    high: float

    def sample(self, rng: np.random.Generator) -> float:
        return float(math.exp(rng.uniform(math.log(self.low), math.log(self.high))))

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)


@dataclass(frozen=True)
class Choice:
    options: tuple[Any, ...]
    probabilities: tuple[float, ...]

    def sample(self, rng: np.random.Generator) -> Any:
        index = int(rng.choice(len(self.options), p=np.asarray(self.probabilities)))
        return self.options[index]

    def support(self) -> tuple[float, float] | None:
        if all(_is_number(o) for o in self.options):
            return (min(self.options), max(self.options))
        return None


@dataclass(frozen=True)
class IntRange:
    low: int
    high: int

    def sample(self, rng: np.random.Generator) -> int:
        return int(rng.integers(self.low, self.high + 1))

    def support(self) -> tuple[float, float]:
        return (self.low, self.high)


Distribution = Constant | Uniform | Normal | LogUniform | Choice | IntRange


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _pair(value: Any, field: str, what: str) -> tuple[float, float]:
    if (not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2
            or not all(_is_number(v) and math.isfinite(v) for v in value)):
        raise ConfigError(field, value, f"a list of two finite numbers [{what}]")
    return float(value[0]), float(value[1])


def parse_distribution(value: Any, field: str) -> Distribution:
    """Parse a YAML value (scalar or one-key mapping) into a Distribution.

    Args:
        value: the plain value from the config (numbers, strings, lists, dicts).
        field: the dotted config path, used in error messages (e.g. 'camera.height_m').

    Raises:
        ConfigError: unknown kind, wrong arity, low > high, non-positive log bounds, bad weights.
    """
    if isinstance(value, str):
        value = parse_distribution_text(value, field)
    if not isinstance(value, Mapping):
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(field, value, "a finite number")
        if isinstance(value, (Sequence,)) and not isinstance(value, str):
            raise ConfigError(field, value, _SYNTAX)
        return Constant(value)
    kinds = [k for k in value if k in KINDS]
    extra = [k for k in value if k not in KINDS and k not in ("clip", "weights")]
    if len(kinds) > 1 and not extra:
        raise ConfigError(field, dict(value), f"one distribution kind, not {' and '.join(kinds)}: two config files "
                          "wrote this field as mappings and Hydra merged them key by key; write the later one as "
                          f"one value, e.g. {format_distribution({kinds[-1]: value[kinds[-1]]})}")
    if len(kinds) != 1 or extra:
        unknown = (extra or [""])[0]
        raise ConfigError(field, dict(value), f"exactly one of {', '.join(KINDS)}; {_SYNTAX}"
                          + closest_name(str(unknown), KINDS))
    kind = kinds[0]
    if "clip" in value and kind != "normal":
        raise ConfigError(f"{field}.clip", value["clip"], "clip only with normal")
    if "weights" in value and kind != "choice":
        raise ConfigError(f"{field}.weights", value["weights"], "weights only with choice")
    args = value[kind]
    if kind == "choice":
        return _parse_choice(args, value.get("weights"), field)
    if kind == "normal":
        mean, std = _pair(args, f"{field}.normal", "mean, std")
        if std < 0:
            raise ConfigError(f"{field}.normal", list(args), "std >= 0")
        clip = None
        if value.get("clip") is not None:
            clip = _pair(value["clip"], f"{field}.clip", "low, high")
            if clip[0] > clip[1]:
                raise ConfigError(f"{field}.clip", list(value["clip"]), "low <= high")
        return Normal(mean, std, clip)
    low, high = _pair(args, f"{field}.{kind}", "low, high")
    if low > high:
        raise ConfigError(f"{field}.{kind}", list(args), "low <= high")
    if kind == "uniform":
        return Uniform(low, high)
    if kind == "loguniform":
        if low <= 0:
            raise ConfigError(f"{field}.loguniform", list(args), "0 < low <= high")
        return LogUniform(low, high)
    if low != int(low) or high != int(high):
        raise ConfigError(f"{field}.int_range", list(args), "two integers low <= high")
    return IntRange(int(low), int(high))


def parse_distribution_text(text: str, field: str) -> Any:
    """The one-value spelling 'normal(0, 2, clip=[-6, 6])' -> {normal: [0, 2], clip: [-6, 6]}.

    Arguments are Python/YAML literals (numbers, lists); nothing is evaluated. A string that
    is not a call is returned unchanged (a constant, rejected later where numbers are needed).

    Raises:
        ConfigError: a call whose arguments are not literals.
    """
    match = _CALL.match(text)
    if not match:
        return text
    kind = match.group(1)
    try:
        call = ast.parse(f"f({match.group(2)})", mode="eval").body
        if not isinstance(call, ast.Call) or any(k.arg is None for k in call.keywords):
            raise ValueError(text)
        args = [ast.literal_eval(a) for a in call.args]
        keywords = {str(k.arg): ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError, TypeError, RecursionError) as error:
        raise ConfigError(field, text, _SYNTAX) from error
    first = args[0] if kind == "choice" and len(args) == 1 else args
    return {kind: first, **keywords}


def format_distribution(value: Mapping[str, Any]) -> str:
    """{normal: [0, 2], clip: [-6, 6]} -> 'normal(0, 2, clip=[-6, 6])': the one-value spelling.

    The inverse of `parse_distribution_text` for any mapping (valid or not), so a mapping
    written on the command line keeps its meaning and its error messages.
    """
    items = list(value.items())
    if not items:
        return "{}"
    kind, args = items[0]
    if kind != "choice" and isinstance(args, (list, tuple)):
        parts = [_literal(a) for a in args]
    else:
        parts = [_literal(args)]
    parts += [f"{key}={_literal(item)}" for key, item in items[1:]]
    return f"{kind}({', '.join(parts)})"


def _literal(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _parse_choice(options: Any, weights: Any, field: str) -> Choice:
    if not isinstance(options, Sequence) or isinstance(options, str) or len(options) == 0:
        raise ConfigError(f"{field}.choice", options, "a non-empty list of options")
    if weights is None:
        weights = [1.0] * len(options)
    if (not isinstance(weights, Sequence) or len(weights) != len(options)
            or not all(_is_number(w) and math.isfinite(w) and w >= 0 for w in weights)):
        raise ConfigError(f"{field}.weights", weights,
                          f"{len(options)} non-negative numbers, one per option")
    total = float(sum(weights))
    if total <= 0:
        raise ConfigError(f"{field}.weights", list(weights), "weights with a positive sum")
    return Choice(tuple(options), tuple(float(w) / total for w in weights))


def check_support(dist: Distribution, field: str, low: float, high: float) -> None:
    """Raise ConfigError unless every value `dist` can produce lies in [low, high]."""
    support = dist.support()
    if support is None:
        raise ConfigError(field, dist, f"numbers in [{low}, {high}]")
    if support[0] < low or support[1] > high:
        shown = dist.value if isinstance(dist, Constant) else support
        raise ConfigError(field, shown, f"values in [{low}, {high}]")
