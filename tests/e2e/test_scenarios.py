"""Every scenario preset renders (tiny, one Hydra multirun), and each shows what it promises:
night, rain, fog, snow, layouts, and a visible rare obstacle in a quota frame."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from pycocotools.coco import COCO

from tests.e2e.test_cli import TINY, simgen

pytestmark = pytest.mark.blender

PRESETS = sorted(p.stem for p in Path(str(resources.files("simgen.configs"))).joinpath("scenario").glob("*.yaml"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("presets")
    result = simgen("-m", f"scenario={','.join(PRESETS)}", "frames=2", "seed=4",
                    f"output.dir={root}/${{scenario_name}}", f"hydra.sweep.dir={root}/.sweep", *TINY, cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def _record(root: Path, preset: str, index: int = 0) -> dict:
    return json.loads((root / preset / "frames" / f"{index:06d}.json").read_text())


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_renders_a_valid_dataset(rendered, preset):
    coco = COCO(str(rendered / preset / "annotations.json"))
    assert len(coco.imgs) == 2 and len(coco.anns) > 0
    for ann in coco.anns.values():
        assert 0.0 <= ann["fog_transmittance"] <= 1.0


@pytest.mark.parametrize("preset, layout, time_of_day, conditions", [
    ("urban_day", "urban_street", "day", {"clear"}),
    ("urban_night_rain", "urban_street", "night", {"rain", "rain+fog"}),
    ("highway_fog", "highway", "day", {"fog"}),
    ("rural_snow", "rural_road", "day", {"snow", "snow+fog"}),
    ("intersection_dusk", "intersection", "dusk", None),
])
def test_presets_sample_what_they_promise(rendered, preset, layout, time_of_day, conditions):
    spec = _record(rendered, preset)["spec"]
    assert spec["layout"]["name"] == layout and spec["lighting"]["time_of_day"] == time_of_day
    if conditions:
        assert spec["weather"]["condition"] in conditions
    if time_of_day == "night":
        assert spec["lighting"]["lamp_locations_m"] and spec["lighting"]["vehicle_light_strength"] > 0


def test_fog_transmittance_drops_in_fog(rendered):
    fogged = _record(rendered, "highway_fog")["annotations"]
    assert min(a["fog_transmittance"] for a in fogged) < 0.9
    assert all(a["fog_transmittance"] == 1.0 for a in _record(rendered, "urban_day")["annotations"])


def test_rare_obstacle_quota_frame_has_a_visible_labeled_obstacle(rendered):
    record = _record(rendered, "rare_obstacles")
    assert record["spec"]["quota_frame"] and not _record(rendered, "rare_obstacles", 1)["spec"]["quota_frame"]
    quota = [o for o in record["obstacles"] if o["quota"]]
    assert len(quota) == 1 and quota[0]["planned_visible_fraction"] >= 0.6
    assert quota[0]["measured_visible_fraction"] > 0.3, quota  # few pixels at 96x72: edges dominate
    annotation = next(a for a in record["annotations"] if a["object_name"] == quota[0]["name"])
    categories = json.loads((rendered / "rare_obstacles" / "run.json").read_text())
    assert annotation["category_id"] == _category_ids(categories)[quota[0]["category"]]


def _category_ids(run: dict) -> dict:
    def find(node):
        if isinstance(node, dict):
            if "categories" in node and isinstance(node["categories"], dict):
                return node["categories"]
            for value in node.values():
                found = find(value)
                if found:
                    return found
        return None

    return find(run)


def test_the_dashcam_preset_blurs_moving_objects_and_records_by_how_much(rendered):
    record = _record(rendered, "urban_dashcam")
    assert 0.001 <= record["image"]["shutter_s"] <= 0.02 and record["image"]["ego_velocity_m_s"][1] >= 0.0
    assert record["spec"]["motion"]["object_velocities_m_s"]
    blurs = [a["motion_blur_px"] for a in record["annotations"]]
    assert all(b is None or b >= 0.0 for b in blurs) and any(b for b in blurs)
    plain = _record(rendered, "urban_day")
    assert plain["image"]["shutter_s"] == 0.0 and all(a["motion_blur_px"] == 0.0 for a in plain["annotations"])
