from __future__ import annotations

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog, sample_asset_params
from simgen.errors import AssetError


def test_packaged_catalog_loads_with_every_traffic_category():
    catalog = load_catalog()
    for category in ("car", "pedestrian", "cyclist", "traffic_cone"):
        assert catalog.by_category(category)
    assert len(catalog.sha256) == 64


def test_params_are_drawn_within_ranges():
    entry = load_catalog().get("sedan")
    params = sample_asset_params(entry, np.random.default_rng(0))
    assert 4.3 <= params["length_m"] <= 4.9


@pytest.mark.parametrize("text, match", [
    ("car1: {category: car, recipe: kar}", "did you mean 'car'"),
    ("car1: {category: car, recipe: car, params: {lenght_m: 4}}", "did you mean 'length_m'"),
    ("car1: {category: car, recipe: car, params: {length_m: [5, 4]}}", "low <= high"),
    ("car1: {category: car, recipe: car, params: {length_m: 900}}", "implausible size"),
    ("car1: {category: car, recipe: car, params: {length_m: -1}}", "length_m"),
    ("car1: {category: car}", "recipe"),
    ("- not a mapping", "must map"),
    ("car1: {category: car, recipe: car, colour: red}", "unknown keys"),
])
def test_bad_catalogs_name_the_entry(tmp_path, text, match):
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    with pytest.raises(AssetError, match=match):
        load_catalog(path)


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(AssetError, match="cannot read"):
        load_catalog(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: [unclosed")
    with pytest.raises(AssetError, match="cannot read"):
        load_catalog(bad)


def test_entry_weights_set_how_often_each_entry_of_a_category_is_picked(tmp_path):
    import numpy as np

    from simgen.catalog.entries import load_catalog, pick_entry

    user = tmp_path / "weights.yaml"
    user.write_text("rare_cone: {category: traffic_cone, recipe: traffic_cone, weight: 0.25}\n"
                    "common_cone: {category: traffic_cone, recipe: traffic_cone, weight: 0.75}\n")
    catalog = load_catalog(extra=user)
    entries = (catalog.get("rare_cone"), catalog.get("common_cone"))
    rng = np.random.default_rng(0)
    picks = [pick_entry(entries, rng).name for _ in range(4000)]
    assert abs(picks.count("rare_cone") / 4000 - 0.25) < 4.5 * (0.25 * 0.75 / 4000) ** 0.5
    pedestrians = {e.name: e.weight for e in load_catalog().by_category("pedestrian")}
    assert pedestrians == {"pedestrian_adult": 6.0, "pedestrian_child": 2.0, "pedestrian_runner": 1.0}


@pytest.mark.parametrize("weight", [0, -1, "often", float("nan")])
def test_a_bad_entry_weight_names_the_entry(tmp_path, weight):
    from simgen.catalog.entries import load_catalog
    from simgen.errors import AssetError

    user = tmp_path / "bad.yaml"
    user.write_text(f"odd_cone: {{category: traffic_cone, recipe: traffic_cone, weight: {weight}}}\n")
    with pytest.raises(AssetError, match="odd_cone.*weight"):
        load_catalog(extra=user)
