"""Splits (simgen.sampling.split), their COCO files, the COCO info/licenses and YOLO's data.yaml."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml

from simgen.config.load import load_config
from simgen.config.schema import InfoConfig, SplitConfig
from simgen.errors import ConfigError
from simgen.export.yolo import data_yaml_text
from simgen.sampling.split import sample_splits, split_counts
from simgen.writers.assembly import assemble
from simgen.writers.coco import info_entry, licenses_entry


def test_splits_are_exact_deterministic_and_seeded():
    cfg = SplitConfig()
    first = sample_splits(cfg, 7, 200)
    assert first == sample_splits(cfg, 7, 200)
    assert Counter(first) == {"train": 160, "val": 20, "test": 20}
    assert first != sample_splits(cfg, 8, 200)
    assert Counter(sample_splits(cfg, 0, 48)) == {"train": 38, "val": 5, "test": 5}
    # Every split of positive fraction gets a frame as soon as there are enough frames.
    assert Counter(sample_splits(cfg, 0, 3)) == {"train": 1, "val": 1, "test": 1}
    assert sample_splits(cfg, 0, 1) == ["train"]
    assert split_counts({"train": 1.0, "val": 0.0, "test": 0.0}, 5) == {"train": 5, "val": 0, "test": 0}


def test_a_group_of_frames_is_never_split():
    groups = [i // 4 for i in range(40)]  # ten sequences of four frames
    splits = sample_splits(SplitConfig(), 3, 40, groups)
    for group in set(groups):
        assert len({s for s, g in zip(splits, groups, strict=True) if g == group}) == 1
    assert Counter(splits) == {"train": 32, "val": 4, "test": 4}


def test_bad_fractions_name_the_field():
    with pytest.raises(ConfigError, match="split.*train \\+ val \\+ test = 1"):
        sample_splits(load_config({"split": {"train": 0.8, "val": 0.3}}).split, 0, 10)
    with pytest.raises(ConfigError, match="split.train"):
        sample_splits(load_config({"split": {"train": 0.0, "val": 0.5, "test": 0.5}}).split, 0, 10)
    with pytest.raises(ConfigError, match="info.date_created"):
        load_config({"info": {"date_created": "2026-12-01"}})


def _records(count):
    return [{"frame_index": i, "image": {"id": i, "file_name": f"images/{i:06d}.png", "frame_seed": {}},
             "annotations": [{"image_id": i, "category_id": 1}] * (i + 1), "spec": {}, "timing": {}}
            for i in range(count)]


def test_split_files_hold_their_frames_with_the_global_annotation_ids(tmp_path):
    splits = ["train", "val", "train", "test", "train"]
    info = info_entry("d", "0.1.0", InfoConfig(), "2026/12/01", {"frames": 5})
    assemble(tmp_path / "annotations.json", tmp_path / "manifest.jsonl", iter(_records(5)), lambda r: info,
             {"car": 1}, splits=splits, licenses=licenses_entry(InfoConfig()))
    whole = json.loads((tmp_path / "annotations.json").read_text())
    assert {k: whole["info"][k] for k in ("year", "version", "date_created", "contributor", "url")} == {
        "year": 2026, "version": "0.1.0", "date_created": "2026/12/01", "contributor": "simgen", "url": ""}
    assert whole["licenses"] == [{"id": 1, "name": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}]
    assert all(image["license"] == 1 for image in whole["images"])
    ids = {}
    for name in ("train", "val", "test"):
        part = json.loads((tmp_path / f"annotations_{name}.json").read_text())
        assert [i["id"] for i in part["images"]] == [i for i, s in enumerate(splits) if s == name]
        assert part["categories"] == whole["categories"] and part["info"] == whole["info"]
        ids.update({a["id"]: a["image_id"] for a in part["annotations"]})
    assert ids == {a["id"]: a["image_id"] for a in whole["annotations"]}
    lines = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert [line["split"] for line in lines] == splits


def test_data_yaml_is_relative_with_real_val_and_ordered_names():
    data = yaml.safe_load(data_yaml_text({"train", "val", "test"}, {0: "car", 1: "pedestrian"}, "detect"))
    assert data == {"train": "images/train", "val": "images/val", "test": "images/test",
                    "names": {0: "car", 1: "pedestrian"}}
    only_train = yaml.safe_load(data_yaml_text({"train"}, {0: "car"}, "segment"))
    assert "path" not in only_train and only_train["val"] == "images/train" and "test" not in only_train
