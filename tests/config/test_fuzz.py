"""Property-based fuzzing of config overrides: the only outcomes are a valid frame plan or a
clean, named error (Hydra's composition error or a SimgenError), never another exception."""

from __future__ import annotations

from hydra import compose, initialize_config_module
from hydra.errors import HydraException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from simgen.catalog.entries import load_catalog
from simgen.config.compose import register_configs
from simgen.config.load import load_config
from simgen.errors import SimgenError
from simgen.sampling.frame import sample_frame

register_configs()

CATALOG = load_catalog()
FIELDS = [
    "frames", "seed", "render.samples", "render.resolution", "render.device", "render.denoise",
    "camera.height_m", "camera.pitch_deg", "camera.yaw_deg", "camera.focal_length_mm", "camera.sensor_width_mm",
    "lighting.sun_elevation_deg", "lighting.sky_turbidity", "layout.lanes_per_direction", "layout.lane_width_m",
    "layout.tree_probability", "layout.name", "traffic.cars", "traffic.pedestrians", "traffic.min_distance_m",
    "traffic.max_distance_m", "traffic.clearance_m", "labels.depth_kind", "output.depth_float", "shard",
    "frames_per_shard",
]
numbers = st.one_of(st.integers(-5, 400), st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 3)))
scalars = st.one_of(numbers, st.sampled_from(["abc", "true", "cpu", "ray", "planar", "urban_street", "null"]))
distributions = st.one_of(
    st.tuples(st.sampled_from(["uniform", "loguniform", "int_range", "normal"]), numbers, numbers).map(
        lambda t: f"{{{t[0]}:[{t[1]},{t[2]}]}}"),
    st.lists(numbers, min_size=1, max_size=3).map(lambda xs: "{choice:[" + ",".join(map(str, xs)) + "]}"),
    st.tuples(numbers, numbers).map(lambda t: f"[{t[0]},{t[1]}]"),
)
overrides = st.lists(st.tuples(st.sampled_from(FIELDS), st.one_of(scalars.map(str), distributions)),
                     min_size=1, max_size=4)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides)
def test_random_overrides_give_a_plan_or_a_named_error(pairs):
    args = [f"{key}={value}" for key, value in pairs] + ["output.dir=/tmp/simgen-fuzz-never-written"]
    try:
        with initialize_config_module(config_module="simgen.configs", version_base="1.3"):
            cfg = compose(config_name="config", overrides=args)
        config = load_config(OmegaConf.to_container(cfg, resolve=True))
        sample_frame(config, CATALOG, 0)
    except (HydraException, OmegaConfBaseException, SimgenError) as error:
        assert str(error)
