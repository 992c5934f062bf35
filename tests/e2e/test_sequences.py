"""Sequences end to end (issue 16): the commands of docs/labels-extra.md as written (at a tiny
size), a 2-shard sweep of sequences merging byte for byte into what a single run writes, flow
and panoptic files included; COCO video fields and tracks follow the sequences."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import numpy as np
import pytest

from tests.e2e.test_sweeps import simgen

pytestmark = [pytest.mark.blender, pytest.mark.slow]

DOC = Path(__file__).resolve().parents[2] / "docs" / "labels-extra.md"
TINY = ["seed=11", "render.resolution=[64,48]", "render.samples=2", "render.denoise=false", "output.progress=false",
        "traffic.cars=4", "traffic.pedestrians=3"]


def doc_commands() -> list[list[str]]:
    """The command block of docs/labels-extra.md: render, validate, preview (argv without `simgen`)."""
    (block,) = re.findall(r"<!-- labels-extra-command -->\n```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    commands = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert [c[:2] for c in commands] == [["simgen", "frames=4"], ["simgen", "validate"], ["simgen", "preview"]]
    return [c[1:] for c in commands]


RENDER, VALIDATE, PREVIEW = doc_commands()
DOC_DIR = next(a.split("=", 1)[1] for a in RENDER if a.startswith("output.dir="))
ARGS = [a for a in RENDER if not a.startswith("output.dir=")] + TINY


def _at(command: list[str], root: Path) -> list[str]:
    """A documented command with its dataset path replaced by `root`."""
    return [str(root) if a == DOC_DIR else a for a in command]


def _data_files(root: Path) -> dict[str, bytes]:
    files = {name: (root / name).read_bytes() for name in ("annotations.json", "panoptic.json")}
    for folder in ("images", "depth", "semantic", "panoptic", "flow"):
        files |= {f"{folder}/{p.name}": p.read_bytes() for p in sorted((root / folder).iterdir())}
    return files


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seq_single") / "ds"
    result = simgen(*ARGS, f"output.dir={out}", cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_two_shard_sweep_of_sequences_merges_byte_identically(single, tmp_path):
    out = tmp_path / "ds"
    for shard in (1, 0):
        result = simgen(*ARGS, "frames_per_shard=2", f"shard={shard}", f"output.dir={out}", cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
    merged = simgen("merge", str(out), cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr[-3000:]
    assert _data_files(out) == _data_files(single)


def test_sequence_outputs_video_fields_tracks_and_flow(single):
    coco = json.loads((single / "annotations.json").read_text())
    assert [v["id"] for v in coco["videos"]] == [0, 1]
    assert [(i["video_id"], i["frame_id"]) for i in coco["images"]] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    by_image = {i: {a["instance_id"]: a for a in coco["annotations"] if a["image_id"] == i} for i in range(4)}
    for first, second in ((0, 1), (2, 3)):
        assert all(a["track_id"] is None for a in by_image[first].values())
        both = set(by_image[first]) & set(by_image[second])
        assert both and all(by_image[second][i]["track_id"] == i for i in both)
    assert all(a["track_id"] is None for a in by_image[2].values())  # a new sequence, new tracks
    for index in range(4):
        record = json.loads((single / "frames" / f"{index:06d}.json").read_text())
        expected = {"flow_fwd", "flow_fwd_status"} if index % 2 == 0 else {"flow_bwd", "flow_bwd_status"}
        assert expected <= set(record["files"]) and not ({"flow_fwd", "flow_bwd"} - expected) & set(record["files"])
        flow = np.load(single / record["files"]["flow_fwd" if index % 2 == 0 else "flow_bwd"])
        assert flow.dtype == np.float32 and flow.shape == (48, 64, 2) and np.isfinite(flow).all()


def test_validate_checks_and_preview_draws_the_new_labels(single, tmp_path):
    import shutil

    import cv2

    from simgen.qa.validate import validate_dataset

    result = simgen(*_at(VALIDATE, single), cwd=single.parent)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert all(summary["checks"][name]["ok"] for name in ("keypoints", "panoptic", "flow"))
    broken = tmp_path / "broken"
    shutil.copytree(single, broken)
    coco = json.loads((broken / "annotations.json").read_text())
    person = next(a for a in coco["annotations"] if a.get("num_keypoints"))
    person["num_keypoints"] += 1
    (broken / "annotations.json").write_text(json.dumps(coco))
    panoptic = json.loads((broken / "panoptic.json").read_text())
    panoptic["annotations"][0]["segments_info"][0]["area"] += 1
    (broken / "panoptic.json").write_text(json.dumps(panoptic))
    (broken / "flow" / "000000_fwd.npy").unlink()
    report = validate_dataset(broken)
    assert {"keypoints", "panoptic", "flow"} <= set(report.failed)
    preview = simgen(*_at(PREVIEW, single), "--out", str(tmp_path / "preview"), cwd=single.parent)
    assert preview.returncode == 0, preview.stderr[-3000:]
    sheet = cv2.imread(str(tmp_path / "preview" / "contact_sheet.png"))
    assert sheet is not None
    # image | depth | panoptic | flow | parameters: two panels more than a plain tile (5 x 64 px wide at 320 px)
    assert sheet.shape[1] > 2 * (4 * 320 + 300)
