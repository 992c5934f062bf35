"""Compose every option of every config group with Hydra, and validate it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from hydra import compose, initialize_config_module
from omegaconf import OmegaConf

from simgen.catalog.entries import load_catalog
from simgen.config.compose import register_configs
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.sampling.frame import sample_frame
from simgen.sampling.obstacles import is_quota_frame

register_configs()

CONFIGS = Path(str(resources.files("simgen.configs")))
CATALOG = load_catalog()
GROUPS = ["camera", "lighting", "weather", "layout", "traffic", "obstacles", "sensor", "motion", "scenario"]


# A layout without parking strips refuses parked cars (a ConfigError by design, pinned below), so
# these layouts are sampled with the traffic option of their own scenario.
COMPANIONS = {("layout", "highway"): ["traffic=highway"], ("layout", "rural_road"): ["traffic=rural"]}


def _options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONFIGS / group).glob("*.yaml"))


def _compose(overrides: list[str]):
    with initialize_config_module(config_module="simgen.configs", version_base="1.3"):
        return compose(config_name="config", overrides=overrides)


@pytest.mark.parametrize("group, option", [(g, o) for g in GROUPS for o in _options(g)])
def test_every_option_composes_and_samples_a_valid_spec(group, option):
    """Each option composes, validates, and its first frame samples (no ConfigError or
    PlacementError) into a spec that agrees with the config: the configured resolution and
    scenario, labeled objects numbered 1..n with configured categories, the quota honoured."""
    cfg = _compose([f"{group}={option}", *COMPANIONS.get((group, option), []), "output.dir=/tmp/x"])
    config = load_config(OmegaConf.to_container(cfg, resolve=True))
    spec = sample_frame(config, CATALOG, 0)
    assert (spec.frame_index, spec.run_seed, spec.scenario) == (0, config.seed, config.scenario_name)
    assert [spec.camera.width_px, spec.camera.height_px] == list(config.render.resolution)
    labeled = spec.labeled_objects
    assert [o.instance_index for o in labeled] == list(range(1, len(labeled) + 1))
    assert {o.category for o in labeled} <= set(config.labels.categories)
    assert spec.quota_frame == is_quota_frame(0, config.obstacles.quota_fraction)


@pytest.mark.parametrize("layout", ["highway", "rural_road"])
def test_a_layout_without_parking_strips_refuses_parked_cars(layout):
    config = load_config(OmegaConf.to_container(_compose([f"layout={layout}", "output.dir=/tmp/x"]), resolve=True))
    with pytest.raises(ConfigError, match=f"traffic.parked_cars.*layout '{layout}' has no parking strip"):
        sample_frame(config, CATALOG, 0)


def test_default_output_dir_is_named_after_the_scenario():
    cfg = _compose([])
    assert OmegaConf.to_container(cfg, resolve=True)["output"]["dir"] == "outputs/urban_day"


def test_typo_fails_at_composition():
    from hydra.errors import ConfigCompositionException

    with pytest.raises(ConfigCompositionException):
        _compose(["camera.heigth_m=1.0"])
