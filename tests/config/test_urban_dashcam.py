"""The urban_dashcam scenario: sensor model on, heavy vehicles in the traffic, placeable."""

from __future__ import annotations

from collections import Counter

from hydra import compose, initialize_config_module
from omegaconf import OmegaConf

from simgen.catalog.entries import load_catalog
from simgen.config.compose import register_configs
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame

register_configs()


def test_urban_dashcam_samples_distorting_frames_with_every_category():
    with initialize_config_module(config_module="simgen.configs", version_base="1.3"):
        cfg = load_config(OmegaConf.to_container(compose(config_name="config", overrides=[
            "scenario=urban_dashcam", "output.dir=/tmp/x"]), resolve=True))
    catalog = load_catalog()
    specs = [sample_frame(cfg, catalog, i) for i in range(40)]  # a PlacementError would fail here
    assert all(s.sensor.distorts and s.sensor.jpeg_quality for s in specs)
    categories = Counter(o.category for s in specs for o in s.labeled_objects)
    assert {"car", "pedestrian", "truck", "bus", "motorcycle"} <= set(categories)
