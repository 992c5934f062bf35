"""Hydra, OmegaConf and YAML failures -> one `ConfigError` an engineer can act on.

Composition fails in many libraries' words ("Key 'carz' not in 'TrafficConfig'", a YAML
scanner error, "Could not find 'camera/dashcamm'"). `diagnose` reads the exception chain and
says it once: the file and line (or "command line"), the field path, the value, what is
allowed, and the closest valid name.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from simgen.config.overrides import schema_field
from simgen.errors import ConfigError, closest_name

PACKAGE_HEADER = re.compile(r"^#\s*@package\s+(\S+)", re.M)


def describe_field(cls: type, f: dataclasses.Field) -> str:
    """What a schema field accepts, in words ('an integer in [1, 100000000]')."""
    if f.metadata.get("names"):
        return "one of " + ", ".join(f.metadata["names"]) + " or a choice([...]) of them"
    if "dist" in f.metadata:
        low, high = f.metadata["dist"]
        kinds = "int_range(low, high) or choice([...])" if f.metadata.get("integer") else \
            "uniform(low, high), normal(mean, std, clip=[low, high]), loguniform(low, high), choice([...])"
        return f"a number or a distribution ({kinds}) with values in [{low}, {high}]"
    hint = typing.get_type_hints(cls)[f.name]
    bounds = f.metadata.get("range")
    span = f" in [{bounds[0]}, {bounds[1]}]" if bounds else ""
    if hint is bool:
        return "true or false"
    if hint is int:
        return "an integer" + span
    if hint is float:
        return "a number" + span
    if hint is str:
        choices = f.metadata.get("choices")
        return "one of " + ", ".join(choices) if choices else "a string"
    if dataclasses.is_dataclass(hint):
        return f"a mapping of {hint.__name__} fields: " + ", ".join(x.name for x in dataclasses.fields(hint))
    origin = typing.get_origin(hint)
    return {list: "a list", dict: "a mapping"}.get(origin, str(hint))


def _chain(error: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while error is not None and error not in out:
        out.append(error)
        error = error.__cause__ or error.__context__
    return out


def diagnose(error: BaseException, overrides: Sequence[str], search_dirs: Sequence[Path]) -> ConfigError:
    """The one-message ConfigError for a failed composition or resolution."""
    from hydra.errors import MissingConfigException, OverrideParseException
    from omegaconf.errors import OmegaConfBaseException

    chain = _chain(error)
    for item in chain:
        if isinstance(item, ConfigError):
            return item
        if isinstance(item, yaml.MarkedYAMLError):
            return _yaml_error(item)
        if isinstance(item, MissingConfigException):
            return _missing_option(str(item), overrides)
        if isinstance(item, OverrideParseException):
            return _parse_error(str(item), overrides)
    text = str(error)
    append = re.search(r"An item is already at '([^']+)'", text)
    if append:
        key = append.group(1)
        return ConfigError(key, _override_value(key, overrides), f"{key}=VALUE without '+' (the field exists)",
                           where="command line")
    for item in chain:
        if isinstance(item, OmegaConfBaseException) and getattr(item, "full_key", None):
            return _field_error(item, text, overrides, search_dirs)
    first = next((line for line in text.splitlines() if line.strip()), type(error).__name__)
    return ConfigError("config", first, "a config Hydra can compose (see docs/configs.md)")


def _yaml_error(error: yaml.MarkedYAMLError) -> ConfigError:
    mark = error.problem_mark or error.context_mark
    file = mark.name if mark else "<yaml>"
    line = mark.line + 1 if mark else 0
    try:
        lines = Path(file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    field = _key_path_at_line(lines, line - 1) or "<file>"
    problem = error.problem or str(error)
    if "\t" in problem or "'\\t'" in problem:
        value, allowed = "\t", "spaces for indentation (YAML forbids tabs)"
    elif "duplicate key" in problem:
        value = lines[line - 1].strip() if 0 < line <= len(lines) else problem
        allowed = "each key once per mapping (the second would silently win)"
    elif "constructor for the tag" in problem:
        value = re.sub(r".*tag '([^']+)'.*", r"\1", problem)
        allowed = "plain YAML values: numbers, strings, lists, mappings (no !!python tags: configs are data)"
    else:
        value, allowed = lines[line - 1].strip() if 0 < line <= len(lines) else problem, f"valid YAML ({problem})"
    return ConfigError(field, value, allowed, where=f"{file} line {line}")


def _key_path_at_line(lines: list[str], index: int) -> str:
    """The dotted key path of block-YAML line `index` (0-based), from indentation; '' if none."""
    if not 0 <= index < len(lines):
        return ""
    match = re.match(r"^([ \t]*)([\w.-]+)\s*:", lines[index])
    if not match:
        return ""
    path, indent = [match.group(2)], len(match.group(1).expandtabs(2))
    for line in reversed(lines[:index]):
        parent = re.match(r"^([ \t]*)([\w.-]+)\s*:\s*(#.*)?$", line)
        if parent and len(parent.group(1).expandtabs(2)) < indent:
            path.insert(0, parent.group(2))
            indent = len(parent.group(1).expandtabs(2))
    return ".".join(path)


def _missing_option(text: str, overrides: Sequence[str]) -> ConfigError:
    found = re.search(r"Could not find '([^']+)'", text)
    if not found:
        return ConfigError("defaults", text.splitlines()[0], "an option that exists")
    group, _, option = found.group(1).rpartition("/")
    options = re.findall(r"^\t(\S+)$", text.split("Config search path")[0], re.M)
    where = "command line" if any(o.lstrip("+").startswith(f"{group}=") for o in overrides) else "defaults list"
    if not group:
        return ConfigError("defaults", option, "a config that exists in the search path", where=where)
    return ConfigError(group, option, "one of " + ", ".join(options) + closest_name(option, options), where=where)


def _parse_error(text: str, overrides: Sequence[str]) -> ConfigError:
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser, bad = OverridesParser.create(), overrides[-1] if overrides else ""
    for override in overrides:
        try:
            parser.parse_override(override)
        except HydraException:
            bad = override
            break
    key, _, value = bad.partition("=")
    return ConfigError(key or bad, value or bad, "key=value, with lists as [a,b] and mappings as {k:v}; quote "
                       f"values with spaces or special characters ({text.splitlines()[0]})", where="command line")


def _override_value(key: str, overrides: Sequence[str]) -> Any:
    for override in overrides:
        name, _, value = override.partition("=")
        if name.lstrip("+~") == key:
            return value
    return None


def _field_error(error: Any, text: str, overrides: Sequence[str], search_dirs: Sequence[Path]) -> ConfigError:
    full_key = str(error.full_key)
    in_file = re.search(r"In '([^']+)'", text)
    where, value = "command line", _override_value(full_key, overrides)
    if in_file:
        where, value = _file_location(in_file.group(1), full_key, search_dirs)
        if in_file.group(1).startswith("scenario/") and full_key.split(".")[0] == "scenario":
            return ConfigError("scenario", in_file.group(1), "a scenario file whose first line is "
                               "'# @package _global_' (without it its keys land under 'scenario.')", where=where)
    cls, f = schema_field(full_key)
    message = str(getattr(error, "msg", "") or text)
    if f is None and cls is not None:
        names = [x.name for x in dataclasses.fields(cls)]
        leaf = full_key.rsplit(".", 1)[-1]
        return ConfigError(full_key, value, f"a field of {cls.__name__}: {', '.join(names)}"
                           + closest_name(leaf, names), where=where)
    if f is not None and cls is not None:
        return ConfigError(full_key, value, describe_field(cls, f), where=where)
    return ConfigError(full_key, value, message.splitlines()[0], where=where)


def _file_location(config_path: str, full_key: str, search_dirs: Sequence[Path]) -> tuple[str, Any]:
    """'scenario/typo' -> ('DIR/scenario/typo.yaml line 3', value at that key) when found."""
    roots = [*search_dirs, Path(str(resources.files("simgen.configs")))]
    for root in roots:
        file = root / f"{config_path}.yaml"
        if not file.is_file():
            continue
        text = file.read_text(encoding="utf-8", errors="replace")
        header = PACKAGE_HEADER.search(text)
        package = header.group(1) if header else config_path.rpartition("/")[0].replace("/", ".")
        parts = full_key.split(".")
        if package != "_global_" and package and full_key.startswith(package + "."):
            parts = full_key[len(package) + 1:].split(".")
        line, value = _find_key(text, parts)
        return (f"{file} line {line}" if line else str(file)), value
    return config_path, None


def _find_key(text: str, parts: list[str]) -> tuple[int, Any]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 0, None
    line, value = 0, None
    for part in parts:
        if not isinstance(node, yaml.MappingNode):
            break
        match = next(((k, v) for k, v in node.value if getattr(k, "value", None) == part), None)
        if match is None:
            break
        line, node = match[0].start_mark.line + 1, match[1]
        value = node.value if isinstance(node, yaml.ScalarNode) else yaml.safe_load(yaml.serialize(node))
    return line, value
