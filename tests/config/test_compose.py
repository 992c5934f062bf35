"""Compose every option of every config group with Hydra, and validate it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from hydra import compose, initialize_config_module
from omegaconf import OmegaConf

from simgen.config.compose import register_configs
from simgen.config.load import load_config

register_configs()

CONFIGS = Path(str(resources.files("simgen.configs")))
GROUPS = ["camera", "lighting", "weather", "layout", "traffic", "obstacles", "sensor", "motion", "scenario"]


def _options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONFIGS / group).glob("*.yaml"))


def _compose(overrides: list[str]):
    with initialize_config_module(config_module="simgen.configs", version_base="1.3"):
        return compose(config_name="config", overrides=overrides)


@pytest.mark.parametrize("group, option", [(g, o) for g in GROUPS for o in _options(g)])
def test_every_option_composes_and_validates(group, option):
    cfg = _compose([f"{group}={option}", "output.dir=/tmp/x"])
    config = load_config(OmegaConf.to_container(cfg, resolve=True))
    assert config.frames >= 1


def test_default_output_dir_is_named_after_the_scenario():
    cfg = _compose([])
    assert OmegaConf.to_container(cfg, resolve=True)["output"]["dir"] == "outputs/urban_day"


def test_typo_fails_at_composition():
    from hydra.errors import ConfigCompositionException

    with pytest.raises(ConfigCompositionException):
        _compose(["camera.heigth_m=1.0"])
