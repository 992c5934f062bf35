"""Sweeps end to end on real Cycles renders: launchers, SIGKILL + resume, preemption, merge.

Every dataset here is 8 tiny frames (seed 5); the reference is one uninterrupted single run,
and each sweep must reproduce its annotations.json, images and depth maps byte for byte.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from pycocotools.coco import COCO

pytestmark = pytest.mark.blender

FRAMES, PER_SHARD = 8, 4
TINY = ["seed=5", "render.resolution=[64,48]", "render.samples=2", "render.denoise=false", "output.progress=false"]
ENV = {**os.environ, "PYTHONWARNINGS": "ignore", "RAY_AUTH_MODE": "disabled"}
LAUNCH_TIMEOUT_S = 300


def simgen_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "simgen", *args]


def simgen(*args: str, cwd: Path, timeout: float = LAUNCH_TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run(simgen_args(*args), cwd=cwd, capture_output=True, text=True, env=ENV, timeout=timeout)


def data_files(root: Path) -> dict[str, bytes]:
    """Every dataset file whose bytes must not depend on how the frames were split."""
    files = {"annotations.json": (root / "annotations.json").read_bytes()}
    for folder in ("images", "depth"):
        for path in sorted((root / folder).iterdir()):
            files[f"{folder}/{path.name}"] = path.read_bytes()
    return files


def shard_json(root: Path, shard: int, name: str) -> dict:
    return json.loads((root / f"shards/shard_{shard:05d}/{name}").read_text())


def assert_merges_to(root: Path, reference: Path) -> None:
    merged = simgen("merge", str(root), cwd=root.parent)
    assert merged.returncode == 0, merged.stderr[-3000:]
    assert data_files(root) == data_files(reference)
    coco = COCO(str(root / "annotations.json"))
    assert sorted(coco.imgs) == list(range(FRAMES))
    assert len(coco.anns) == len({a["id"] for a in coco.dataset["annotations"]}) > 0
    assert not list(root.rglob("*.partial"))


@pytest.fixture(scope="module", autouse=True)
def state_dir(tmp_path_factory) -> Path:
    """The per-user launcher state dir (submitit's job pickles and logs), private to this module."""
    state = tmp_path_factory.mktemp("state")
    ENV["SIMGEN_STATE_DIR"] = str(state)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIMGEN_STATE_DIR", str(state))
        yield state
    del ENV["SIMGEN_STATE_DIR"]


def submitit_folder(out: Path) -> Path:
    from simgen.contract import launcher_state_dir

    return Path(launcher_state_dir(str(out))) / "submitit"


@pytest.fixture(scope="module")
def single_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single") / "ds"
    result = simgen(f"frames={FRAMES}", f"output.dir={out}", *TINY, cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def submitit_sweep(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("submitit") / "ds"
    result = simgen("-m", "hydra/launcher=simgen_local", "hydra/sweeper=shards", f"frames={FRAMES}",
                    f"frames_per_shard={PER_SHARD}", f"output.dir={out}", *TINY, cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_submitit_local_sweep_and_merge_equal_a_single_run(submitit_sweep, single_run):
    out = submitit_sweep
    assert not (out / "annotations.json").exists()  # shards never assemble; merge does
    for shard in (0, 1):
        manifest = shard_json(out, shard, "manifest.json")
        assert manifest["frames"] == f"{shard * PER_SHARD}..{shard * PER_SHARD + PER_SHARD - 1}"
        assert manifest["device"] == "CPU" and manifest["frames_rendered"] == PER_SHARD
        assert manifest["env"]["CUDA_VISIBLE_DEVICES"] == ""  # the submitit_local trap, recorded
        assert manifest["timing"]["median_s_per_frame"] > 0
    assert (out / ".sweep" / "shard_1").is_dir()  # Hydra's logs live beside the data
    # submitit's job pickles (which the jobs unpickle) live in the per-user state dir, not in the dataset
    assert not list(out.rglob("*.pkl")) and len(list(submitit_folder(out).glob("*/*_submitted.pkl"))) == 2
    assert_merges_to(out, single_run)
    before = (out / "annotations.json").read_bytes()
    again = simgen("merge", str(out), cwd=out.parent)
    assert again.returncode == 0 and (out / "annotations.json").read_bytes() == before


def test_merge_names_the_missing_shard_and_frame_then_a_rerun_fills_it(submitit_sweep, single_run, tmp_path):
    out = tmp_path / "ds"
    shutil.copytree(submitit_sweep, out)
    (out / "annotations.json").unlink(missing_ok=True)
    (out / "frames" / "000006.json").unlink()  # frame 6 of shard 1 never committed
    result = simgen("merge", str(out), cwd=tmp_path)
    assert result.returncode == 3
    assert "shard 1 (frames 4..7): missing 1 frame(s): 6" in result.stderr
    assert not (out / "annotations.json").exists()
    rerun = simgen("shard=1", f"frames={FRAMES}", f"frames_per_shard={PER_SHARD}", f"output.dir={out}", *TINY,
                   cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "rendering 1 of 4 frames" in rerun.stderr
    assert_merges_to(out, single_run)


def wait_for(path: Path, proc: subprocess.Popen, timeout_s: float = 120) -> bool:
    """Poll until `path` exists (True) or the process ends first (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if path.exists():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    proc.kill()
    raise TimeoutError(f"{path} did not appear within {timeout_s} s")


@pytest.mark.slow
def test_sigkill_at_random_points_then_resume_gives_the_same_dataset(single_run, tmp_path):
    rng = np.random.default_rng(20261122)
    out = tmp_path / "ds"
    mid_run_kills = 0
    for shard in (0, 1):
        args = simgen_args(f"shard={shard}", f"frames={FRAMES}", f"frames_per_shard={PER_SHARD}",
                           f"output.dir={out}", *TINY)
        state = out / f"shards/shard_{shard:05d}/state.json"
        for _ in range(2):
            state.unlink(missing_ok=True)
            proc = subprocess.Popen(args, cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            if wait_for(state, proc):  # the renderer is up; kill somewhere in the next frames
                time.sleep(rng.uniform(0.0, 0.4))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    committed = sum((out / f"frames/{i:06d}.json").exists()
                                    for i in range(shard * PER_SHARD, (shard + 1) * PER_SHARD))
                    mid_run_kills += committed < PER_SHARD
            proc.wait(timeout=60)
        final = subprocess.run(args, cwd=tmp_path, env=ENV, capture_output=True, text=True,
                               timeout=LAUNCH_TIMEOUT_S)
        assert final.returncode == 0, final.stderr[-3000:]
    assert mid_run_kills >= 2, f"only {mid_run_kills} of 4 SIGKILLs landed before the shard was complete"
    assert sorted(p.name for p in (out / "images").iterdir()) == [f"{i:06d}.png" for i in range(FRAMES)]
    assert_merges_to(out, single_run)


@pytest.mark.slow
def test_ray_local_sweep_gives_each_shard_its_own_gpu(tmp_path):
    out = tmp_path / "ds"
    result = simgen("-m", "hydra/launcher=simgen_ray", "+hydra.launcher.ray.init.num_gpus=2",
                    "+hydra.launcher.ray.init.num_cpus=2", "hydra.launcher.ray.remote.num_gpus=1",
                    "frames=2", "frames_per_shard=1", "shard=0,1", f"output.dir={out}", *TINY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    manifests = [shard_json(out, shard, "manifest.json") for shard in (0, 1)]
    assert sorted(m["env"]["CUDA_VISIBLE_DEVICES"] for m in manifests) == ["0", "1"]
    assert manifests[0]["pid"] != manifests[1]["pid"]  # max_calls: 1, a fresh Blender per shard
    merged = simgen("merge", str(out), cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr[-3000:]


@pytest.mark.slow
def test_slurm_array_script_requeues_on_signal_and_its_shards_merge(single_run, tmp_path):
    out = tmp_path / "ds"
    script = tmp_path / "array.sbatch"
    made = simgen("slurm-script", f"--frames={FRAMES}", f"--frames-per-shard={PER_SHARD}", f"--output-dir={out}",
                  "--parallel=2", "-o", str(script), *TINY, cwd=tmp_path)
    assert made.returncode == 0, made.stderr[-3000:]
    text = script.read_text()
    assert (out / ".sweep" / "slurm").is_dir()  # sbatch --output needs it to exist
    for line in ("#SBATCH --array=0-1%2", "#SBATCH --gres=gpu:1", "#SBATCH --ntasks=1", "#SBATCH --requeue",
                 "#SBATCH --signal=B:USR1@300"):
        assert line in text.splitlines()
    fake_bin = tmp_path / "bin"  # stands in for Slurm's scontrol: records the requeue request
    fake_bin.mkdir()
    (fake_bin / "scontrol").write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/scontrol.log\n')
    (fake_bin / "scontrol").chmod(0o755)
    env = {**ENV, "PATH": f"{fake_bin}:{os.environ['PATH']}", "SLURM_ARRAY_JOB_ID": "77"}
    task0 = {**env, "SLURM_ARRAY_TASK_ID": "0"}
    proc = subprocess.Popen(["bash", str(script)], cwd=tmp_path, env=task0, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    assert wait_for(out / "shards/shard_00000/state.json", proc)
    proc.send_signal(signal.SIGUSR1)  # what Slurm sends to the batch shell before the time limit
    assert proc.wait(timeout=120) == 75
    assert (tmp_path / "scontrol.log").read_text().split() == ["requeue", "77_0"]
    state = shard_json(out, 0, "state.json")
    assert state["status"] == "preempted" and state["signal"] == "SIGUSR1"
    assert 0 < sum((out / f"frames/{i:06d}.json").exists() for i in range(PER_SHARD)) < PER_SHARD
    for task in ("0", "1"):  # the requeued task 0 resumes; task 1 runs
        done = subprocess.run(["bash", str(script)], cwd=tmp_path, env={**env, "SLURM_ARRAY_TASK_ID": task},
                              capture_output=True, text=True, timeout=LAUNCH_TIMEOUT_S)
        assert done.returncode == 0, done.stderr[-3000:]
    assert shard_json(out, 0, "state.json")["status"] == "complete"
    assert_merges_to(out, single_run)


def test_joblib_shards_in_one_process_start_from_a_clean_blender(single_run, tmp_path):
    # n_jobs=1 runs both shards one after the other in the same process: the second shard's
    # frames only match the reference if no Blender state leaks from the first.
    out = tmp_path / "ds"
    result = simgen("-m", "hydra/launcher=simgen_joblib", "hydra.launcher.n_jobs=1", "hydra/sweeper=shards",
                    f"frames={FRAMES}", f"frames_per_shard={PER_SHARD}", f"output.dir={out}", *TINY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert shard_json(out, 0, "manifest.json")["pid"] == shard_json(out, 1, "manifest.json")["pid"]
    assert_merges_to(out, single_run)


def test_preempted_submitit_job_finishes_its_frame_is_requeued_and_resumes(single_run, tmp_path):
    out = tmp_path / "ds"
    sweep = subprocess.Popen(simgen_args("-m", "hydra/launcher=simgen_local", f"frames={FRAMES}",
                                         f"frames_per_shard={FRAMES}", "shard=0", f"output.dir={out}", *TINY),
                             cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = out / "shards/shard_00000/state.json"
    assert wait_for(state, sweep)
    os.kill(shard_json(out, 0, "state.json")["pid"], signal.SIGUSR2)  # what submitit asks Slurm to send
    assert sweep.wait(timeout=LAUNCH_TIMEOUT_S) == 0
    (log,) = submitit_folder(out).glob("*/*_0_log.err")
    text = log.read_text()
    assert "received SIGUSR2: stopping after the current frame" in text
    assert "Requeued job" in text  # our handler passed the signal on to submitit's
    after_requeue = text.split("Requeued")[1]
    resumed = re.search(rf"rendering (\d+) of {FRAMES} frames into .* \((\d+) already committed\)", after_requeue)
    assert resumed and 0 < int(resumed.group(2)) < FRAMES
    assert shard_json(out, 0, "state.json")["status"] == "complete"
    assert_merges_to(out, single_run)
