"""Composing the simgen config with Hydra: the one path the CLI, `simgen plan`, `simgen check`,
`simgen slurm-script` and the contact sheets use.

    register_configs()                      schema + resolvers into Hydra's registries (idempotent)
    compose_dictconfig(overrides, dirs)     Hydra composition, no validation (hydra node removed)
    to_plain(dictconfig)                    interpolation policy, then resolution -> plain dict
    compose_config(overrides, dirs)         all of the above + `load_config` -> SimgenConfig

Every failure is a `ConfigError` (see `simgen.config.diagnose`). Interpolation policy: a value
may interpolate another field (`outputs/${scenario_name}`); `${oc.env:VAR}` is allowed only in
the path fields `ENV_FIELDS` (point output.dir at cluster scratch), never in values that end
up in a dataset's labels or identity; no other resolver is allowed in user configs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simgen.config.load import load_config
from simgen.config.overrides import rewrite_overrides
from simgen.config.schema import SimgenConfig
from simgen.errors import ConfigError

CONFIG_MODULE = "simgen.configs"
CONFIG_NAME = "config"
ENV_FIELDS = ("output.dir", "catalog")
"""Fields whose value may use `${oc.env:VAR}` (or `${oc.env:VAR,default}`)."""
_RESOLVER = re.compile(r"\$\{\s*([\w.]+)\s*:")


def register_configs() -> None:
    """Register the schema (`simgen_schema`) and the sweep resolvers with Hydra. Idempotent."""
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    from simgen.contract import launcher_state_dir, shard_count

    ConfigStore.instance().store(name="simgen_schema", node=SimgenConfig)
    if not OmegaConf.has_resolver("simgen_shard_count"):
        # `hydra/sweeper=shards` sweeps shard over range(0, simgen_shard_count(frames, frames_per_shard)).
        OmegaConf.register_new_resolver("simgen_shard_count", shard_count)
    if not OmegaConf.has_resolver("simgen_state_dir"):
        # the launchers' submitit folder: a per-user directory, never the shared output.dir (docs/safety.md)
        OmegaConf.register_new_resolver("simgen_state_dir", launcher_state_dir)


def compose_dictconfig(overrides: Sequence[str], config_dirs: Sequence[Path] = (), config_name: str = CONFIG_NAME):
    """Compose like `simgen [--config-dir DIR] OVERRIDES` does; the `hydra` node is dropped.

    Raises:
        ConfigError: composition failed (YAML error, unknown key or option, wrong type, ...).
    """
    import yaml
    from hydra import compose, initialize_config_module
    from hydra.errors import HydraException
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from simgen.config.diagnose import diagnose

    register_configs()
    overrides = rewrite_overrides(overrides)
    dirs = [Path(d).resolve() for d in config_dirs]
    extra = [f"hydra.searchpath=[{','.join(f'file://{d}' for d in dirs)}]"] if dirs else []
    try:
        with initialize_config_module(config_module=CONFIG_MODULE, version_base="1.3"):
            composed = compose(config_name=config_name, overrides=[*overrides, *extra])
        return OmegaConf.masked_copy(composed, [k for k in composed if k != "hydra"])
    except (HydraException, OmegaConfBaseException, yaml.YAMLError, ConfigError) as error:
        raise diagnose(error, overrides, dirs) from error


def to_plain(cfg: Any) -> dict[str, Any]:
    """A composed DictConfig (no hydra node) -> resolved plain dict, after the interpolation policy.

    Raises:
        ConfigError: a disallowed resolver, or an interpolation that does not resolve.
    """
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    raw = OmegaConf.to_container(cfg, resolve=False)
    _check_interpolations(raw, "")
    try:
        return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]
    except OmegaConfBaseException as error:
        key = str(getattr(error, "full_key", "") or "config")
        value = OmegaConf.select(cfg, key, throw_on_resolution_failure=False) if key != "config" else None
        value = _raw_at(raw, key) if value is None else value
        cause = str(error).splitlines()[0]
        raise ConfigError(key, value, "an interpolation of an existing field, e.g. ${scenario_name}, or "
                          f"${{oc.env:VAR}} of a set variable in {', '.join(ENV_FIELDS)} ({cause})") from error


def _raw_at(raw: Any, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(raw, dict) or part not in raw:
            return None
        raw = raw[part]
    return raw


def _check_interpolations(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _check_interpolations(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_interpolations(item, f"{path}[{index}]")
    elif isinstance(value, str):
        for resolver in _RESOLVER.findall(value):
            if resolver == "oc.env" and path in ENV_FIELDS:
                continue
            allowed = (f"${{oc.env:VAR}} only in {', '.join(ENV_FIELDS)}; elsewhere write the value itself "
                       "(an environment variable there would make the dataset depend on the launching shell)"
                       if resolver == "oc.env" else "no resolvers in simgen configs; interpolate a field "
                       "(${scenario_name}) or, in " + ", ".join(ENV_FIELDS) + ", ${oc.env:VAR}")
            raise ConfigError(path, value, allowed)


def compose_config(overrides: Sequence[str], config_dirs: Sequence[Path] = (),
                   config_name: str = CONFIG_NAME) -> SimgenConfig:
    """The validated typed config for these overrides, exactly as `simgen OVERRIDES` renders it.

    Raises:
        ConfigError: anything wrong with the files, the overrides or the values.
    """
    return load_config(to_plain(compose_dictconfig(overrides, config_dirs, config_name)))
