"""User PBR texture sets (`materials.pbr_dir`): loading and checking the maps, and the sampler
that puts them on materials (pure; the Blender side is tests/blender/test_textures_skies.py)."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from simgen.annotations.identity import object_identity
from simgen.catalog.entries import load_catalog
from simgen.catalog.texture_sets import PBR_SLOTS, load_texture_sets, texture_sets_sha256
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.sampling.frame import sample_frame
from simgen.sampling.texture_sets import pbr_slot
from simgen.specs import spec_dict
from tests.unit.test_environments import write_exr

TINY = {"seed": 3, "traffic": {"cars": 3, "pedestrians": 1, "cyclists": 0, "traffic_cones": 0}}


def albedo(size=(16, 16), bgr=(40, 90, 200)) -> np.ndarray:
    image = np.zeros((*size, 3), np.uint8)
    image[...] = bgr
    return image


def flat_normal(size=(16, 16)) -> np.ndarray:
    image = np.zeros((*size, 3), np.uint8)
    image[...] = (255, 128, 128)  # BGR of (0.5, 0.5, 1.0): z up
    return image


def write_set(folder, prefix="", **maps) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, image in maps.items():
        assert cv2.imwrite(str(folder / f"{prefix}{kind}.png"), image)


def test_sets_are_grouped_by_prefix_per_slot(tmp_path):
    write_set(tmp_path / "road", albedo=albedo(), normal=flat_normal(), roughness=np.full((16, 16), 128, np.uint8))
    write_set(tmp_path / "paint", "red_", albedo=albedo(bgr=(0, 0, 255)))
    write_set(tmp_path / "paint", "blue_", albedo=albedo((8, 32), bgr=(255, 0, 0)))
    (tmp_path / "paint" / "README.txt").write_text("ignored")
    sets = load_texture_sets(tmp_path)
    assert sorted(sets) == ["paint", "road"]
    assert [s.label for s in sets["paint"]] == ["paint/blue", "paint/red"]
    (road,) = sets["road"]
    assert road.name == "default" and road.normal.endswith("normal.png") and road.roughness.endswith("roughness.png")
    assert sets["paint"][0].normal == "" and (sets["paint"][0].width_px, sets["paint"][0].height_px) == (32, 8)
    assert not road.albedo_linear and len(texture_sets_sha256(sets)) == 64
    assert load_texture_sets("") == {} and load_texture_sets(None) == {}


def test_an_exr_albedo_is_linear(tmp_path):
    (tmp_path / "facade").mkdir()
    write_exr(tmp_path / "facade" / "albedo.exr", np.full((16, 16, 3), 0.3, np.float32))
    (facade,) = load_texture_sets(tmp_path)["facade"]
    assert facade.albedo_linear


def _bad(tmp_path, case: str):
    root = tmp_path / case
    if case == "missing folder":
        return root
    slot = root / "road"
    if case == "unknown slot":
        write_set(root / "roads", albedo=albedo())
    elif case == "no albedo":
        write_set(slot, "worn_", normal=flat_normal())
    elif case == "misnamed map":
        write_set(slot, albedo=albedo())
        cv2.imwrite(str(slot / "diffuse.png"), albedo())
    elif case == "unreadable":
        slot.mkdir(parents=True)
        (slot / "albedo.png").write_bytes(b"not a png")
    elif case == "grey albedo":
        write_set(slot, albedo=np.full((16, 16), 90, np.uint8))
    elif case == "colour roughness":
        write_set(slot, albedo=albedo(), roughness=albedo())
    elif case == "albedo as normal":
        write_set(slot, albedo=albedo(), normal=albedo(bgr=(10, 200, 200)))
    elif case == "too small":
        write_set(slot, albedo=albedo((4, 4)))
    elif case == "sizes differ":
        write_set(slot, albedo=albedo(), normal=flat_normal((32, 32)))
    elif case == "empty slot":
        slot.mkdir(parents=True)
    elif case == "no slot folders":
        root.mkdir()
    return root


BAD = {"missing folder": "(this is not a folder)", "unknown slot": "did you mean 'road'?",
       "no albedo": "add worn_albedo.png", "misnamed map": "<set>_albedo", "unreadable": "cannot be read",
       "grey albedo": "1 channel(s)", "colour roughness": "grey roughness map",
       "albedo as normal": "not a tangent-space normal map", "too small": "at least 8 px",
       "sizes differ": "the size of its albedo", "empty slot": "holds none", "no slot folders": "holds none"}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_texture_sets_are_one_config_error_naming_the_field(tmp_path, case):
    with pytest.raises(ConfigError) as error:
        load_texture_sets(_bad(tmp_path, case))
    assert error.value.field == "materials.pbr_dir"
    assert BAD[case] in str(error.value)
    if case == "unknown slot":
        assert all(slot in str(error.value) for slot in PBR_SLOTS)


def _sampled(tmp_path, **materials):
    write_set(tmp_path / "pbr" / "road", albedo=albedo())
    write_set(tmp_path / "pbr" / "paint", "a_", albedo=albedo())
    write_set(tmp_path / "pbr" / "paint", "b_", albedo=albedo(bgr=(9, 9, 9)))
    cfg = load_config({**TINY, "materials": {"pbr_dir": str(tmp_path / "pbr"), **materials}})
    return cfg, load_catalog(pbr_dir=cfg.materials.pbr_dir)


def test_the_sets_go_on_their_slots_and_leave_everything_else_as_it_was(tmp_path):
    cfg, catalog = _sampled(tmp_path, pbr_tile_m="uniform(1.0, 3.0)")
    plain_cfg = load_config(TINY)
    plain_catalog = load_catalog()
    assert catalog.sha256 != plain_catalog.sha256  # the maps are part of the run's lineage
    names = set()
    for index in range(3):
        spec, plain = sample_frame(cfg, catalog, index), sample_frame(plain_cfg, plain_catalog, index)
        assert spec == sample_frame(cfg, catalog, index)  # deterministic
        assert spec.camera == plain.camera and spec.lighting == plain.lighting
        for prop, before in zip(spec.layout.scenery + spec.objects, plain.layout.scenery + plain.objects, strict=True):
            assert prop.name == before.name and prop.location_m == before.location_m
            for slot, material in prop.materials.items():
                kind = pbr_slot(prop, slot)
                if kind in ("road", "paint"):
                    assert material.pbr is not None and material.pbr.name.startswith(kind + "/")
                    assert 1.0 <= material.pbr.tile_m <= 3.0
                    names.add(material.pbr.name)
                    assert dict(spec_dict(material))["pbr"]["albedo_path"] == material.pbr.albedo_path
                else:
                    assert material == before.materials[slot]
    assert names == {"road/default", "paint/a", "paint/b"}


def test_pbr_probability_zero_keeps_the_procedural_surfaces(tmp_path):
    cfg, catalog = _sampled(tmp_path, pbr_probability=0.0)
    spec = sample_frame(cfg, catalog, 0)
    assert spec == sample_frame(load_config(TINY), load_catalog(), 0)


def test_frames_without_sets_record_and_hash_exactly_as_before():
    """The new spec fields (a material's `pbr`, the lighting's `sky_model` and `clouds`) are left
    out of the frame record and of the instance-id hash while they hold their defaults."""
    spec = sample_frame(load_config(TINY), load_catalog(), 0)
    text = json.dumps(spec_dict(spec))
    assert '"pbr"' not in text and '"sky_model"' not in text and '"clouds"' not in text
    car = next(o for o in spec.objects if o.category == "car")
    assert "pbr" not in object_identity(car)["materials"]["paint"]
