"""Turn a plain (resolved) config mapping into validated, typed `SimgenConfig` dataclasses.

This is the config-to-spec edge: every bad value is reported here, as a `ConfigError` naming
the dotted field path, the value and what is allowed, before anything is rendered or written.
"""

from __future__ import annotations

import dataclasses
import math
import re
import typing
from collections.abc import Mapping
from typing import Any

from simgen.config.distributions import Distribution, check_support, parse_distribution
from simgen.config.schema import POLICY_FIELDS, QA_CHECKS, LabelsConfig, SimgenConfig
from simgen.contract import MAX_INSTANCES
from simgen.errors import ConfigError, closest_name

T = typing.TypeVar("T")


def load_config(data: Mapping[str, Any]) -> SimgenConfig:
    """Validate a resolved config mapping (e.g. from `OmegaConf.to_container(resolve=True)`).

    Raises:
        ConfigError: the first invalid field, with its path, value and allowed values.
    """
    config = _build(SimgenConfig, data, "")
    _check_cross_fields(config)
    _check_validate(config)
    return config


def _check_validate(config: SimgenConfig) -> None:
    allowed = (*QA_CHECKS, "all", "none")
    for name in config.validate.fail_on:
        if name not in allowed:
            raise ConfigError("validate.fail_on", config.validate.fail_on,
                              f"a list of {', '.join(allowed)}" + closest_name(str(name), allowed))


def _build(cls: type[T], data: Any, path: str) -> T:
    if not isinstance(data, Mapping):
        raise ConfigError(path or "<root>", data, f"a mapping of {cls.__name__} fields")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            raise ConfigError(_join(path, str(key)), data[key],
                              f"a field of {cls.__name__}: {', '.join(fields)}"
                              + closest_name(str(key), fields))
    hints = typing.get_type_hints(cls)
    values = {}
    for name, f in fields.items():
        if name in data:
            raw = data[name]
        elif f.default is not dataclasses.MISSING:
            raw = f.default
        else:
            raw = f.default_factory()  # type: ignore[misc]
        if dataclasses.is_dataclass(raw):
            raw = {}
        values[name] = _convert(raw, hints[name], f, _join(path, name))
    return cls(**values)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _convert(value: Any, hint: Any, f: dataclasses.Field, path: str) -> Any:
    if "dist" in f.metadata:
        return _convert_dist(value, f, path)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path)
    origin = typing.get_origin(hint)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(path, value, "true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(path, value, "an integer" + _range_text(f))
        _check_range(value, f, path)
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(path, value, "a finite number" + _range_text(f))
        _check_range(value, f, path)
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(path, value, "a string")
        choices = f.metadata.get("choices")
        if choices and value not in choices:
            raise ConfigError(path, value, "one of " + ", ".join(choices) + closest_name(value, choices))
        return value
    if origin is list:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(path, value, "a list")
        return list(value)
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(path, value, "a mapping")
        return dict(value)
    return value


def _range_text(f: dataclasses.Field) -> str:
    bounds = f.metadata.get("range")
    return f" in [{bounds[0]}, {bounds[1]}]" if bounds else ""


def _check_range(value: float, f: dataclasses.Field, path: str) -> None:
    bounds = f.metadata.get("range")
    if bounds and not bounds[0] <= value <= bounds[1]:
        raise ConfigError(path, value, f"values in [{bounds[0]}, {bounds[1]}]")


def _convert_dist(value: Any, f: dataclasses.Field, path: str) -> Distribution:
    if isinstance(value, bool) or (not isinstance(value, (Mapping, int, float, str))):
        raise ConfigError(path, value, "a number or a distribution (uniform(low, high), {uniform: [low, high]}, ...)")
    distribution = parse_distribution(value, path)
    names = f.metadata.get("names")
    if names:
        drawn = getattr(distribution, "options", None) or (getattr(distribution, "value", None),)
        for name in drawn:
            if name not in names:
                raise ConfigError(path, name, "one of " + ", ".join(names) + " (a name or choice([...]) of them)"
                                  + closest_name(str(name), names))
        return distribution
    low, high = f.metadata["dist"]
    check_support(distribution, path, low, high)
    if f.metadata.get("integer"):
        support = distribution.support()
        if support is None or any(float(v) != int(v) for v in support):
            raise ConfigError(path, value, "integers (a constant, {int_range: [low, high]} or {choice: [...]})")
        if type(distribution).__name__ in ("Uniform", "Normal", "LogUniform"):
            raise ConfigError(path, value, "an integer distribution: a constant, int_range or choice")
    return distribution


SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def _check_cross_fields(config: SimgenConfig) -> None:
    """Checks that involve more than one field."""
    if not SCENARIO_NAME.fullmatch(config.scenario_name) or ".." in config.scenario_name:
        raise ConfigError("scenario_name", config.scenario_name, "a name: letters, digits, '_', '-', '.' (at most "
                          "128, no '..', no '/'); it names the default output.dir outputs/<scenario_name>")
    resolution = config.render.resolution
    if (len(resolution) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in resolution)
            or not all(8 <= v <= 16384 for v in resolution)):
        raise ConfigError("render.resolution", resolution, "[width, height], integers in [8, 16384]")
    if config.frames_per_shard and config.shard * config.frames_per_shard >= config.frames:
        last = (config.frames - 1) // config.frames_per_shard
        raise ConfigError("shard", config.shard, f"0..{last} for frames={config.frames} and "
                          f"frames_per_shard={config.frames_per_shard}")
    if not config.frames_per_shard and config.shard:
        raise ConfigError("shard", config.shard, "0 unless frames_per_shard > 0")
    length = config.sequence.frames
    if config.frames % length:
        raise ConfigError("frames", config.frames, f"a multiple of sequence.frames={length} (whole sequences)")
    if config.frames_per_shard % length:
        raise ConfigError("frames_per_shard", config.frames_per_shard,
                          f"a multiple of sequence.frames={length} (a sequence is never split across shards)")
    traffic = config.traffic
    if traffic.min_distance_m >= traffic.max_distance_m:
        raise ConfigError("traffic.max_distance_m", traffic.max_distance_m,
                          f"greater than traffic.min_distance_m ({traffic.min_distance_m})")
    for name, rate in config.obstacles.rates.items():
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
            raise ConfigError(f"obstacles.rates.{name}", rate, "a probability in [0, 1]")
    if config.obstacles.quota_fraction > 0 and not any(config.obstacles.rates.values()):
        raise ConfigError("obstacles.rates", config.obstacles.rates,
                          "at least one positive rate when obstacles.quota_fraction > 0 (quota classes are "
                          "drawn with the rates as weights)")
    categories = config.labels.categories
    if not categories:
        raise ConfigError("labels.categories", categories, "at least one category name -> id")
    ids = list(categories.values())
    for name, category_id in categories.items():
        if isinstance(category_id, bool) or not isinstance(category_id, int) or not 1 <= category_id <= 65535:
            raise ConfigError(f"labels.categories.{name}", category_id, "an integer id in [1, 65535]")
    if len(set(ids)) != len(ids):
        raise ConfigError("labels.categories", categories, "distinct ids, one per category")
    most = sum(int(dist.support()[1]) for dist in
               (traffic.cars, traffic.pedestrians, traffic.cyclists, traffic.traffic_cones, traffic.trucks,
                traffic.buses, traffic.motorcycles))
    if most > MAX_INSTANCES:
        raise ConfigError("traffic", most, f"at most {MAX_INSTANCES} labeled objects per frame "
                          "(Cycles clamps Object.pass_index at 32767)")
    _check_category_overrides(config.labels)
    date = config.info.date_created
    if date and not (len(date) == 10 and date[4] == date[7] == "/" and (date[:4] + date[5:7] + date[8:]).isdigit()):
        raise ConfigError("info.date_created", date, "YYYY/MM/DD (COCO's format), or empty for the source date")
    if not config.output.dir:
        raise ConfigError("output.dir", config.output.dir, "a directory path")


def _check_category_overrides(labels: LabelsConfig) -> None:
    """labels.category_overrides.<category>.<policy field>: known names, typed, in range."""
    fields = {f.name: f for f in dataclasses.fields(LabelsConfig)}
    hints = typing.get_type_hints(LabelsConfig)
    for category, overrides in labels.category_overrides.items():
        path = f"labels.category_overrides.{category}"
        if category not in labels.categories:
            raise ConfigError(path, overrides, "a category of labels.categories: " + ", ".join(labels.categories)
                              + closest_name(str(category), labels.categories))
        if not isinstance(overrides, Mapping):
            raise ConfigError(path, overrides, "a mapping of policy fields: " + ", ".join(POLICY_FIELDS))
        for name, value in overrides.items():
            if name not in POLICY_FIELDS:
                raise ConfigError(f"{path}.{name}", value, "a policy field: " + ", ".join(POLICY_FIELDS)
                                  + closest_name(str(name), POLICY_FIELDS))
        labels.category_overrides[category] = {name: _convert(value, hints[name], fields[name], f"{path}.{name}")
                                               for name, value in overrides.items()}
