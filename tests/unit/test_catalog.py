from __future__ import annotations

import numpy as np
import pytest

from simgen.catalog import load_catalog, sample_asset_params
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
