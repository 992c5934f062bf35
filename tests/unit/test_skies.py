"""Sky models and procedural clouds (`lighting.sky_model`, `cloud_coverage`, `cloud_type`):
the pure sampling side (the renders are tests/blender/test_textures_skies.py)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.sampling.frame import sample_frame
from simgen.sampling.lighting import CLOUD_TYPES, SKY_MODELS, sample_lighting
from simgen.specs import spec_dict


def _lighting(seed: int = 0, **lighting):
    return sample_lighting(load_config({"lighting": lighting}).lighting, np.random.default_rng(seed))


def test_no_clouds_by_default_and_the_default_sky_is_hosek_wilkie():
    spec = _lighting()
    assert spec.clouds is None and spec.sky_model == "hosek_wilkie"


@pytest.mark.parametrize("cloud_type", sorted(CLOUD_TYPES))
def test_clouds_are_drawn_in_their_type_ranges_and_leave_the_rest_of_the_lighting_alone(cloud_type):
    for seed in range(5):
        clear, cloudy = _lighting(seed), _lighting(seed, cloud_coverage="uniform(0.2, 0.8)", cloud_type=cloud_type)
        assert dataclasses.replace(cloudy, clouds=None) == clear  # drawn last, from the same stream
        clouds = cloudy.clouds
        assert clouds.cloud_type == cloud_type and 0.2 <= clouds.coverage <= 0.8
        for name, (low, high) in CLOUD_TYPES[cloud_type].items():
            assert low <= getattr(clouds, name) <= high
        assert 0.0 <= clouds.wind_deg < 360.0
        assert cloudy == _lighting(seed, cloud_coverage="uniform(0.2, 0.8)", cloud_type=cloud_type)


def test_a_choice_of_types_is_drawn_per_frame_and_recorded():
    cfg = load_config({"seed": 1, "lighting": {"cloud_coverage": 0.5, "sky_model": "multiple_scattering"}})
    catalog = load_catalog()
    types = set()
    for index in range(12):
        record = json.loads(json.dumps(spec_dict(sample_frame(cfg, catalog, index))))["lighting"]
        assert record["sky_model"] == "multiple_scattering" and record["clouds"]["coverage"] == 0.5
        assert record["sun_azimuth_deg"] is not None  # the sun direction stays recorded
        types.add(record["clouds"]["cloud_type"])
    assert types == set(CLOUD_TYPES)


def test_an_hdri_frame_has_no_procedural_clouds():
    from simgen.catalog.environments import Environment

    env = Environment("sky.hdr", "/x/sky.hdr", 64, 32, "0" * 64, 10.0, 40.0)
    cfg = load_config({"lighting": {"cloud_coverage": 0.5}}).lighting
    assert sample_lighting(cfg, np.random.default_rng(0), None, (env,)).clouds is None


@pytest.mark.parametrize("field, value, expected", [
    ("sky_model", "nishita", "one of hosek_wilkie, preetham, single_scattering, multiple_scattering"),
    ("cloud_type", "cumulonimbus", "did you mean 'cumulus'?"),
    ("cloud_type", {"choice": ["stratus", "fog"]}, "got 'fog'"),
    ("cloud_coverage", 1.5, "values in [0.0, 1.0]"),
])
def test_bad_sky_fields_are_config_errors(field, value, expected):
    with pytest.raises(ConfigError) as error:
        load_config({"lighting": {field: value}})
    assert error.value.field == f"lighting.{field}" and expected in str(error.value)



def test_the_schema_names_the_sky_models_and_cloud_types_the_sampler_knows():
    from simgen.config.schema import LightingConfig

    names = {f.name: f.metadata for f in dataclasses.fields(LightingConfig)}
    assert SKY_MODELS == ("hosek_wilkie", "preetham", "single_scattering", "multiple_scattering")
    assert set(names["cloud_type"]["names"]) == set(CLOUD_TYPES)
