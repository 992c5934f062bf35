"""Faults during a run: a full disk stops cleanly and the run resumes to the same dataset."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

pytestmark = pytest.mark.blender

TINY = ["frames=12", "seed=4", "render.resolution=[64,48]", "render.samples=1", "render.denoise=false",
        "output.progress=false", "traffic.cars=2", "traffic.pedestrians=1"]


def simgen(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simgen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=600)


@pytest.fixture
def small_disk(tmp_path):
    """A 160 KiB tmpfs: room for run.json and a few frames, not for twelve."""
    mount_point = tmp_path / "small_disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {result.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=False)


def test_disk_full_stops_cleanly_and_resumes(tmp_path, small_disk):
    out = small_disk / "ds"
    result = simgen([*TINY, f"output.dir={out}"], tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "the disk is full" in result.stderr and "re-run the same command" in result.stderr
    assert "Traceback" not in result.stderr
    committed = sorted(int(p.stem) for p in (out / "frames").glob("*.json"))
    assert 0 < len(committed) < 12
    assert not list(out.rglob("*.partial"))  # the failed write removed its temp file
    for index in committed:  # every committed frame is whole
        record = json.loads((out / "frames" / f"{index:06d}.json").read_text())
        image = cv2.imread(str(out / record["image"]["file_name"]), cv2.IMREAD_UNCHANGED)
        assert image.shape == (48, 64, 3)
        assert cv2.imread(str(out / record["files"]["depth_png"]), cv2.IMREAD_UNCHANGED).shape == (48, 64)
    # Move the dataset to a disk with room and resume: the result equals an uninterrupted run.
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    resumed = simgen([*TINY, f"output.dir={moved}"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    clean = simgen([*TINY, f"output.dir={tmp_path / 'clean'}"], tmp_path)
    assert clean.returncode == 0, clean.stderr[-2000:]
    assert (moved / "annotations.json").read_bytes() == (tmp_path / "clean" / "annotations.json").read_bytes()
    assert not list(moved.rglob("*.partial"))


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "simgen", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def _wait_for_frames(out: Path, count: int, process: subprocess.Popen, timeout_s: float = 120.0) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while len(list((out / "frames").glob("*.json"))) < count:
        assert process.poll() is None, process.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the run committed too few frames in time"
        time.sleep(0.05)


LONG = ["frames=60", "seed=4", "render.resolution=[64,48]", "render.samples=1", "render.denoise=false",
        "output.progress=false", "traffic.cars=2", "traffic.pedestrians=1"]


def test_ctrl_c_stops_after_the_current_frame_with_a_summary(tmp_path):
    import signal

    out = tmp_path / "ds"
    process = _start([*LONG, f"output.dir={out}"], tmp_path)
    _wait_for_frames(out, 2, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr[-2000:]
    assert "stopped by SIGINT between frames" in stderr and "frames committed by this run" in stderr
    assert "Traceback" not in stderr
    committed = sorted(int(p.stem) for p in (out / "frames").glob("*.json"))
    assert committed == list(range(len(committed))) and 2 <= len(committed) < 60
    for index in committed:
        record = json.loads((out / "frames" / f"{index:06d}.json").read_text())
        assert (out / record["image"]["file_name"]).exists()


def test_a_second_run_on_the_same_frames_is_refused_while_the_first_renders(tmp_path):
    import signal

    out = tmp_path / "ds"
    first = _start([*LONG, f"output.dir={out}"], tmp_path)
    try:
        _wait_for_frames(out, 1, first)
        second = simgen([*LONG, f"output.dir={out}"], tmp_path)
        assert second.returncode == 2, second.stderr[-2000:]
        assert f"frames 0..59 wanted by this run overlap frames being written by pid {first.pid}" in second.stderr
        assert "Wait for that run to finish" in second.stderr and "Traceback" not in second.stderr
        assert first.poll() is None  # the first run is unaffected
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
    assert first.returncode == 130
