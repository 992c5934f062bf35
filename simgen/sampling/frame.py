"""The frame sampler: one `FrameSpec` from the config, the catalog and the frame index."""

from __future__ import annotations

import dataclasses

from simgen.catalog.entries import Catalog, check_catalog_categories
from simgen.config.schema import SimgenConfig
from simgen.errors import ConfigError
from simgen.sampling.camera import sample_camera
from simgen.sampling.layouts import get_layout
from simgen.sampling.lighting import sample_lighting
from simgen.sampling.motion import sample_motion
from simgen.sampling.obstacles import check_obstacle_classes, is_quota_frame, sample_obstacles
from simgen.sampling.sensor import sample_sensor
from simgen.sampling.sequence import sample_sequence_frame
from simgen.sampling.texture_sets import sample_texture_sets
from simgen.sampling.traffic import POSE_SAMPLERS, category_of, sample_traffic
from simgen.sampling.weather import sample_weather
from simgen.seeds import concern_rng, cycles_seed
from simgen.specs import FrameSpec


def check_categories(cfg: SimgenConfig, catalog: Catalog) -> None:
    """Every category that traffic places must have a COCO id in labels.categories.

    Raises:
        ConfigError: naming the missing category.
        AssetError: a catalog entry's category is neither a label category nor a packaged one.
    """
    check_catalog_categories(catalog, cfg.labels.categories)
    for category in map(category_of, POSE_SAMPLERS):
        if catalog.by_category(category) and category not in cfg.labels.categories:
            raise ConfigError("labels.categories", cfg.labels.categories,
                              f"an id for every placed category, including {category!r}")
    check_obstacle_classes(cfg.obstacles, catalog, cfg.labels)


def sample_frame(cfg: SimgenConfig, catalog: Catalog, frame_index: int) -> FrameSpec:
    """Sample every random value of one frame, each concern from its own stream; with
    `sequence.frames` > 1, the frame of its sequence (`simgen.sampling.sequence`).

    Deterministic in (cfg, catalog, cfg.seed, frame_index) only.

    Raises:
        ConfigError, PlacementError: the config cannot produce this frame.
    """
    if cfg.sequence.frames > 1:
        return sample_sequence_frame(cfg, catalog, frame_index, sample_single_frame)
    return sample_single_frame(cfg, catalog, frame_index)


def sample_single_frame(cfg: SimgenConfig, catalog: Catalog, frame_index: int) -> FrameSpec:
    """One independent frame (`sample_frame` without sequences)."""
    seed = cfg.seed
    layout = get_layout(cfg.layout.name)(cfg.layout, catalog, concern_rng(seed, frame_index, "layout"))
    resolution = (cfg.render.resolution[0], cfg.render.resolution[1])
    camera = sample_camera(cfg.camera, resolution, layout, concern_rng(seed, frame_index, "camera"))
    lighting = sample_lighting(cfg.lighting, concern_rng(seed, frame_index, "lighting"), layout,
                               catalog.environments)
    weather = sample_weather(cfg.weather, concern_rng(seed, frame_index, "weather"))
    objects = sample_traffic(cfg.traffic, layout, catalog, concern_rng(seed, frame_index, "placement"),
                             concern_rng(seed, frame_index, "materials"), camera.location_m[0])
    obstacle_props, obstacles = sample_obstacles(cfg.obstacles, layout, camera, catalog, objects, frame_index,
                                                 concern_rng(seed, frame_index, "obstacles"), len(objects) + 1)
    quota = cfg.obstacles.quota_fraction > 0 and is_quota_frame(frame_index, cfg.obstacles.quota_fraction)
    sensor = sample_sensor(cfg.sensor, camera, concern_rng(seed, frame_index, "sensor"))
    motion = sample_motion(cfg.motion, objects + obstacle_props, concern_rng(seed, frame_index, "motion"))
    if catalog.texture_sets:
        textures = concern_rng(seed, frame_index, "textures")
        scenery = sample_texture_sets(cfg.materials, layout.scenery, catalog.texture_sets, textures)
        layout = dataclasses.replace(layout, scenery=scenery)
        objects = sample_texture_sets(cfg.materials, objects, catalog.texture_sets, textures)
        obstacle_props = sample_texture_sets(cfg.materials, obstacle_props, catalog.texture_sets, textures)
    return FrameSpec(frame_index=frame_index, run_seed=seed, cycles_seed=cycles_seed(seed, frame_index),
                     scenario=cfg.scenario_name, camera=camera, lighting=lighting, layout=layout,
                     objects=objects + obstacle_props, obstacles=obstacles, quota_frame=quota,
                     weather=weather, sensor=sensor, motion=motion)
