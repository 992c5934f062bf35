"""HDRI environments (`lighting.hdri_dir`): loading and checking the files, the sun estimate, and
the sampler's use of them (pure; the Blender side is tests/blender/test_hdri.py)."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import OpenEXR
import pytest

from simgen.catalog.entries import load_catalog
from simgen.catalog.environments import direction_of_pixel, load_environments
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.sampling.frame import sample_frame
from simgen.sampling.lighting import sample_lighting


def sky_with_sun(azimuth_deg: float, elevation_deg: float, width: int = 256) -> np.ndarray:
    """(H, W, 3) float32 linear RGB: a dim blue gradient and a small bright sun disc at
    (azimuth, elevation), in the equirectangular convention of simgen.catalog.environments."""
    height = width // 2
    v, u = (np.mgrid[0:height, 0:width] + 0.5) / [[[height]], [[width]]]
    az = np.deg2rad((0.5 - u) * 360.0)
    el = np.deg2rad((0.5 - v) * 180.0)
    sun_az, sun_el = np.deg2rad(azimuth_deg), np.deg2rad(elevation_deg)
    cos_angle = np.sin(el) * np.sin(sun_el) + np.cos(el) * np.cos(sun_el) * np.cos(az - sun_az)
    sun = np.where(cos_angle > np.cos(np.deg2rad(3.0)), 5000.0, 0.0)
    sky = np.stack([0.2 + 0.1 * np.sin(el), 0.3 + 0.1 * np.sin(el), 0.6 + 0.2 * np.sin(el)], axis=-1)
    return (sky * (el > 0)[..., None] + 0.05 + sun[..., None]).astype(np.float32)


def _angle_deg(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Angle between two (azimuth, elevation) directions, degrees."""
    (az1, el1), (az2, el2) = np.deg2rad(a), np.deg2rad(b)
    cos = np.sin(el1) * np.sin(el2) + np.cos(el1) * np.cos(el2) * np.cos(az1 - az2)
    return float(np.rad2deg(np.arccos(np.clip(cos, -1.0, 1.0))))


def write_hdr(path, rgb: np.ndarray) -> None:
    assert cv2.imwrite(str(path), np.ascontiguousarray(rgb[..., ::-1]))


def write_exr(path, rgb: np.ndarray) -> None:
    channels = {c: np.ascontiguousarray(rgb[..., i]) for i, c in enumerate("RGB")}
    header = {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage}
    with OpenEXR.File(header, channels) as exr:
        exr.write(str(path))


@pytest.mark.parametrize("suffix, writer", [(".hdr", write_hdr), (".exr", write_exr)])
@pytest.mark.parametrize("azimuth, elevation", [(30.0, 40.0), (250.0, 12.0), (359.0, 70.0)])
def test_the_sun_of_an_environment_is_its_brightest_direction(tmp_path, suffix, writer, azimuth, elevation):
    writer(tmp_path / f"sky{suffix}", sky_with_sun(azimuth, elevation))
    (env,) = load_environments(tmp_path)
    assert env.name == f"sky{suffix}" and (env.width_px, env.height_px) == (256, 128) and len(env.sha256) == 64
    assert _angle_deg((env.sun_azimuth_deg, env.sun_elevation_deg), (azimuth, elevation)) < 0.5
    rotated_az, rotated_el = env.sun_deg(100.0)
    assert abs((rotated_az - (env.sun_azimuth_deg - 100.0)) % 360.0) < 1e-9 and rotated_el == env.sun_elevation_deg


def test_pixel_directions_follow_blenders_equirectangular_convention():
    assert direction_of_pixel(0.5, 0.5) == (0.0, 0.0)  # image centre: world +x on the horizon
    assert direction_of_pixel(0.25, 0.5) == (90.0, 0.0)  # +y
    assert direction_of_pixel(0.75, 0.25) == (270.0, 45.0)  # -y, 45 deg up


def test_files_load_by_name_and_other_files_are_ignored(tmp_path):
    write_hdr(tmp_path / "b.hdr", sky_with_sun(0, 30, 64))
    write_exr(tmp_path / "a.EXR", sky_with_sun(0, 30, 64))
    (tmp_path / "notes.txt").write_text("not an image")
    assert [e.name for e in load_environments(tmp_path)] == ["a.EXR", "b.hdr"]
    assert load_environments(None) == () and load_environments("") == ()


def _bad(tmp_path, name: str, rgb: np.ndarray | None = None, raw: bytes | None = None):
    folder = tmp_path / "bad"
    folder.mkdir(exist_ok=True)
    if raw is not None:
        (folder / name).write_bytes(raw)
    elif rgb is not None:
        write_hdr(folder / name, rgb)
    return folder


@pytest.mark.parametrize("case, expected", [
    ("missing", "is not a folder"), ("empty", "holds none"), ("square", "32x32 px, not equirectangular"),
    ("black", "black everywhere"), ("corrupt", "cannot be read"), ("negative", "negative or non-finite"),
])
def test_bad_environments_are_one_config_error_naming_the_field(tmp_path, case, expected):
    folder = {
        "missing": lambda: tmp_path / "nowhere",
        "empty": lambda: _bad(tmp_path, "readme.txt", raw=b"x"),
        "square": lambda: _bad(tmp_path, "sq.hdr", np.ones((32, 32, 3), np.float32)),
        "black": lambda: _bad(tmp_path, "night.hdr", np.zeros((32, 64, 3), np.float32)),
        "corrupt": lambda: _bad(tmp_path, "broken.exr", raw=b"not an exr at all"),
        "negative": lambda: _exr_folder(tmp_path, np.full((32, 64, 3), -1.0, np.float32)),
    }[case]()
    with pytest.raises(ConfigError, match=expected) as error:
        load_environments(folder)
    assert str(error.value).startswith("lighting.hdri_dir: got ") and "allowed: " in str(error.value)


def _exr_folder(tmp_path, rgb):
    folder = tmp_path / "exr"
    folder.mkdir()
    write_exr(folder / "neg.exr", rgb)
    return folder


def test_the_sampler_lights_the_configured_share_of_frames_with_an_hdri(tmp_path):
    write_hdr(tmp_path / "noon.hdr", sky_with_sun(10.0, 60.0, 128))
    write_hdr(tmp_path / "evening.hdr", sky_with_sun(200.0, 3.0, 128))
    cfg = load_config({"lighting": {"hdri_dir": str(tmp_path), "hdri_probability": 0.5,
                                    "hdri_strength": "uniform(0.5, 2.0)"}})
    environments = load_environments(tmp_path)
    specs = [sample_lighting(cfg.lighting, np.random.default_rng(i), None, environments) for i in range(400)]
    lit = [s for s in specs if s.hdri is not None]
    assert 0.4 < len(lit) / len(specs) < 0.6
    assert {s.hdri.name for s in lit} == {"noon.hdr", "evening.hdr"}
    for spec in lit:
        env = next(e for e in environments if e.name == spec.hdri.name)
        assert (spec.sun_azimuth_deg, spec.sun_elevation_deg) == env.sun_deg(spec.hdri.rotation_deg)
        assert spec.sun_strength_w_m2 == 0.0 and 0.5 <= spec.hdri.strength <= 2.0
        assert spec.time_of_day == ("day" if spec.hdri.name == "noon.hdr" else "dusk")
        assert spec.lights_on == (spec.hdri.name == "evening.hdr")
    assert all(s.sun_strength_w_m2 > 0 for s in specs if s.hdri is None and s.sun_elevation_deg > 4)


def test_without_hdri_dir_the_lighting_stream_is_unchanged():
    cfg = load_config({})
    plain = sample_lighting(cfg.lighting, np.random.default_rng(7))
    assert plain == sample_lighting(cfg.lighting, np.random.default_rng(7), None, ())
    assert plain.hdri is None


def test_a_run_records_the_hdri_in_its_frame_specs_and_catalog_hash(tmp_path):
    write_hdr(tmp_path / "noon.hdr", sky_with_sun(10.0, 60.0, 64))
    cfg = load_config({"lighting": {"hdri_dir": str(tmp_path)}})
    catalog = load_catalog(hdri_dir=cfg.lighting.hdri_dir)
    assert catalog.sha256 != load_catalog().sha256 and len(catalog.environments) == 1
    spec = sample_frame(cfg, catalog, 0)
    assert spec.lighting.hdri.path == str((tmp_path / "noon.hdr").resolve())
    assert dataclasses.asdict(spec)["lighting"]["hdri"]["name"] == "noon.hdr"
