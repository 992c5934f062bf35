"""Fault injection on a shared dataset directory: overlapping runs, symlinked lock and output
files, traversal file names, corrupted files. Each case asserts the refusal and that no byte of
the dataset changed (the whole tree, hidden files included, is hashed before and after).

One tiny real dataset is rendered per module; every test works on its own copy. Runs that must
be refused are driven in-process (`render_dataset` with a renderer that fails the test if it is
ever started, `run_subcommand` for the commands) so that the matrix stays cheap; the issue's
reproductions run the real `simgen` command.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from simgen.cli import run_subcommand
from simgen.config.load import load_config
from simgen.contract import shard_range
from simgen.errors import OutputError
from simgen.pipeline import render_dataset
from tests.e2e.tiny import TINY, copy_dataset, render_tiny, run_simgen
from tests.unit.test_locking import hold_in_subprocess
from tests.unit.test_pipeline_resume import FakeRenderer

pytestmark = pytest.mark.blender

FRAMES = 8
PER_SHARD = (0, 2, 3, 4)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return render_tiny(tmp_path_factory.mktemp("shared_fs") / "ds", "seed=41", "traffic.pedestrians=1", frames=4)


@pytest.fixture
def copy(dataset, tmp_path) -> Path:
    return copy_dataset(dataset, tmp_path / "ds")


def tree_digest(root: Path) -> dict[str, str]:
    """Every entry under `root` (hidden ones too, symlinks not followed) -> sha256 or link target."""
    digest = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                digest[key] = "-> " + os.readlink(path)
            elif path.is_file():
                digest[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                digest[key] = "dir"
    return digest


def config_of(root: Path, **fields) -> object:
    """The dataset's own config (run.json) with run-only fields changed."""
    plain = json.loads((root / "run.json").read_text())["config"]
    return load_config({**plain, "shard": 0, "output": {**plain["output"], "dir": str(root)}, **fields})


def must_not_render(_render_config):
    pytest.fail("a refused run started the renderer")


def _first_shard_over(frames: range, per_shard: int) -> int:
    return frames.start // per_shard if per_shard else 0


@pytest.mark.parametrize("holder_per_shard", PER_SHARD)
def test_overlapping_runs_are_refused_whatever_their_frames_per_shard(copy, holder_per_shard):
    """A live run (another process) holds one shard; a run of every split whose frames overlap it
    is refused with the holder's pid, host, start time and frames; nothing in the dataset changes."""
    held = shard_range(1 if holder_per_shard else 0, FRAMES, holder_per_shard)
    holder = hold_in_subprocess(copy, held)
    try:
        before = tree_digest(copy)
        for per_shard in PER_SHARD:
            shard = _first_shard_over(held, per_shard)
            cfg = config_of(copy, frames=FRAMES, frames_per_shard=per_shard, shard=shard)
            with pytest.raises(OutputError) as refused:
                render_dataset(cfg, renderer_factory=must_not_render)
            message = str(refused.value)
            assert f"pid {holder.pid} on host" in message and "started 20" in message, message
            assert f"frames {held.start}..{held.stop - 1}" in message, message
            assert tree_digest(copy) == before, per_shard
    finally:
        holder.communicate("")


def test_issue_reproduction_a_shard_run_is_refused_while_a_single_run_renders_its_frames(tmp_path):
    out = tmp_path / "D"
    # Frames slow enough (about 1 s each here) that the single run still holds frames 4..7 when the
    # shard run has started up: a faster render would finish them first and the shard run would
    # rightly find them committed.
    common = ["seed=41", f"frames={FRAMES}", *TINY, "render.resolution=[128,96]", "render.samples=256",
              "traffic.pedestrians=0", f"output.dir={out}"]
    first = subprocess.Popen([sys.executable, "-m", "simgen", *common], cwd=tmp_path, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        deadline = time.monotonic() + 300
        while not list((out / "frames").glob("*.json")):
            assert first.poll() is None, first.communicate()[1][-2000:]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        second = run_simgen(*common, "frames_per_shard=4", "shard=1", cwd=tmp_path)
        assert second.returncode == 2, second.stderr[-2000:]
        assert f"pid {first.pid} on host" in second.stderr and "frames 0..7" in second.stderr
        assert "frames 4..7 wanted by this run" in second.stderr and "Traceback" not in second.stderr
    finally:
        first.send_signal(signal.SIGINT)  # enough shown: stop the first run after its current frame
        _, stderr = first.communicate(timeout=300)
    assert first.returncode in (0, 130), stderr[-2000:]
    records = [json.loads(path.read_text()) for path in (out / "frames").glob("*.json")]
    assert records and {r["provenance"]["frames_per_shard"] for r in records} == {0}  # none of the refused run
    assert not (out / "shards").exists() and not list(out.glob(".lock.run~*"))


def test_issue_reproduction_a_symlinked_old_lock_file_is_never_written(copy, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"someone else's file\n")
    (copy / ".lock.shard_00000").symlink_to(victim)
    before = tree_digest(copy)
    again = run_simgen("seed=41", "frames=4", *TINY, "traffic.pedestrians=1", f"output.dir={copy}", cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "all 4 frames 0..3 already committed" in again.stderr
    assert victim.read_bytes() == b"someone else's file\n"
    # run.json records the new output.dir of the copy; every other byte is as it was.
    assert {k: v for k, v in tree_digest(copy).items() if k != "run.json"} == \
        {k: v for k, v in before.items() if k != "run.json"}


@pytest.mark.parametrize("name", [".lock", ".lock.run~otherhost~77~1~0"])
def test_symlinked_lock_files_are_refused(copy, tmp_path, name):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    (copy / name).unlink(missing_ok=True)
    (copy / name).symlink_to(victim)
    before = tree_digest(copy)
    with pytest.raises(OutputError, match=rf"lock file {name} is a symbolic link"):
        render_dataset(config_of(copy, frames=5), renderer_factory=must_not_render)
    assert victim.read_bytes() == b"precious\n" and tree_digest(copy) == before


def test_symlinked_dataset_folders_are_refused_and_overwrite_deletes_nothing(copy, tmp_path):
    victim = tmp_path / "victim_qa"
    victim.mkdir()
    (victim / "keep.txt").write_bytes(b"precious\n")
    (copy / "qa").symlink_to(victim)
    before, victim_before = tree_digest(copy), tree_digest(victim)
    cfg = config_of(copy, seed=99, output={"dir": str(copy), "overwrite": True, "progress": False})
    with pytest.raises(OutputError, match="qa is a symbolic link"):
        render_dataset(cfg, renderer_factory=must_not_render)
    assert tree_digest(copy) == before and tree_digest(victim) == victim_before
    result = run_simgen("seed=99", "frames=4", *TINY, "output.overwrite=true", f"output.dir={copy}", cwd=tmp_path)
    assert result.returncode == 2 and "qa is a symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(copy) == before and tree_digest(victim) == victim_before


def test_overwrite_never_clears_a_dataset_another_run_writes_into(copy):
    holder = hold_in_subprocess(copy, range(100, 101))  # frames this run would not even render
    try:
        before = tree_digest(copy)
        cfg = config_of(copy, seed=99, output={"dir": str(copy), "overwrite": True, "progress": False})
        with pytest.raises(OutputError, match=rf"cannot clear .* pid {holder.pid} on host"):
            render_dataset(cfg, renderer_factory=lambda _: FakeRenderer())
        assert tree_digest(copy) == before
    finally:
        holder.communicate("")


def test_a_symlinked_output_file_is_replaced_never_written_through(copy, tmp_path):
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"not a frame\n")
    (copy / "frames" / "000003.json").unlink()  # frame 3 not committed: the next run writes it
    (copy / "images" / "000003.png").unlink()
    (copy / "images" / "000003.png").symlink_to(victim)
    render_dataset(config_of(copy, frames=4), renderer_factory=lambda _: FakeRenderer())
    assert victim.read_bytes() == b"not a frame\n"
    assert not (copy / "images" / "000003.png").is_symlink() and (copy / "frames" / "000003.json").exists()
    assert not list(copy.rglob("*.partial")) and not list(copy.glob(".lock.run~*"))


# --- paths named by the dataset's own files ------------------------------------------------------------

def _edit_json(path: Path, edit) -> None:
    value = json.loads(path.read_text())
    edit(value)
    path.write_text(json.dumps(value))


def _set_image(key: str, value_of):
    def corrupt(root: Path, secret: Path) -> None:
        value = value_of(root, secret)
        _edit_json(root / "annotations.json", lambda coco: coco["images"][1].update({key: value}))
        _edit_json(root / "frames" / "000001.json", lambda rec: rec["image"].update({key: value}))
    corrupt.__name__ = f"{key}_{value_of.__name__}"
    corrupt.field = key
    return corrupt


def traversal(root: Path, secret: Path) -> str:
    return os.path.relpath(secret, root)  # ../../secret.txt


def absolute_colliding(root: Path, secret: Path) -> str:
    return str(root / "images" / "000002.png")  # basename collides with image 2's


def symlink_out(root: Path, secret: Path) -> str:
    (root / "images" / "evil.png").symlink_to(secret)
    return "images/evil.png"


def instance_map_outside(root: Path, secret: Path) -> None:
    _edit_json(root / "frames" / "000001.json",
               lambda rec: rec["files"].update(instance_map=os.path.relpath(secret, root)))


instance_map_outside.field = "instance_map"
PATH_CORRUPTIONS = [_set_image("file_name", traversal), _set_image("file_name", absolute_colliding),
                    _set_image("file_name", symlink_out), _set_image("depth_file", traversal), instance_map_outside]
COMMANDS = {"export-yolo": ["export", "yolo"], "export-kitti": ["export", "kitti"], "preview": ["preview"],
            "report": ["report"], "lineage": ["lineage"], "validate": ["validate"], "merge": ["merge"]}
READS = {"file_name": set(COMMANDS), "depth_file": {"preview", "report", "validate", "merge"},
         "instance_map": {"validate", "merge"}}
"""Which commands read which corrupted field (lineage names file_name only; merge reads the records)."""


def _cases():
    for corrupt in PATH_CORRUPTIONS:
        for command in sorted(READS[corrupt.field]):
            yield pytest.param(corrupt, command, id=f"{corrupt.__name__}-{command}")


@pytest.mark.parametrize(("corrupt", "command"), list(_cases()))
def test_paths_outside_the_dataset_are_refused_with_exit_2(copy, tmp_path, corrupt, command, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"private\n")
    corrupt(copy, secret)
    before = tree_digest(copy)
    out = tmp_path / "out"
    argv = [*COMMANDS[command], str(copy)]
    argv += ["1"] if command == "lineage" else []
    argv += ["--out", str(out)] if command.startswith(("export", "preview", "report")) else []
    assert run_subcommand(argv[0], argv[1:]) == 2
    message = capsys.readouterr().err
    assert corrupt.field in message, message
    assert tree_digest(copy) == before and not out.exists()
    assert secret.read_bytes() == b"private\n"


def test_export_with_a_traversal_file_name_exits_2_through_the_command(copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"private\n")
    _set_image("file_name", traversal)(copy, secret)
    before = tree_digest(copy)
    result = run_simgen("export", "kitti", str(copy), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2 and "image 1 file_name" in result.stderr and "outside the dataset" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists() and tree_digest(copy) == before


def test_two_images_exported_to_one_name_are_refused(copy, tmp_path, capsys):
    _edit_json(copy / "annotations.json",
               lambda coco: coco["images"][1].update(file_name="images/../images/000002.png"))
    assert run_subcommand("export", ["yolo", str(copy), "--out", str(tmp_path / "out")]) == 2
    assert "images 1 and 2 would both be exported as '000002'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- what validate catches ------------------------------------------------------------------------------

def depth_png_8bit(root: Path) -> str:
    path = root / "depth" / "000001.png"
    cv2.imwrite(str(path), (cv2.imread(str(path), cv2.IMREAD_UNCHANGED) // 256).astype(np.uint8))
    return "depth/000001.png"


def nan_in_annotation(root: Path) -> str:
    _edit_json(root / "annotations.json", lambda coco: coco["annotations"][0].update(fog_transmittance=float("nan")))
    return "annotations.json"


def images_swapped(root: Path) -> str:
    a, b = root / "images" / "000000.png", root / "images" / "000002.png"
    data = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(data)
    return "images/000000.png"


def depth_saturated(root: Path) -> str:
    path = root / "depth" / "000002.png"
    raw = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    raw[:4] = 65535  # the far rows "clipped" to 255.99 m instead of stored as invalid
    cv2.imwrite(str(path), raw)
    return "depth/000002.png"


VALIDATE_CORRUPTIONS = [(depth_png_8bit, "maps"), (nan_in_annotation, "json"), (images_swapped, "content"),
                        (depth_saturated, "depth")]


@pytest.mark.parametrize(("corrupt", "check"), VALIDATE_CORRUPTIONS, ids=[c.__name__ for c, _ in VALIDATE_CORRUPTIONS])
def test_validate_fails_each_corruption_naming_the_file_and_the_check(copy, corrupt, check, capsys):
    assert run_subcommand("validate", [str(copy)]) == 0
    capsys.readouterr()
    name = corrupt(copy)
    before = tree_digest(copy)
    assert run_subcommand("validate", [str(copy)]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert check in summary["failed"], summary["checks"]
    assert any(name in example for example in summary["checks"][check]["examples"]), summary["checks"][check]
    assert tree_digest(copy) == before


@pytest.mark.parametrize("args", [["{missing}"], ["{file}"], ["{ds}", "--min-area-px", "-1"],
                                  ["{ds}", "--min-mask-depth-fraction", "1.5"], ["{ds}", "--fail-on", "contnet"],
                                  ["{empty}"]])
def test_validate_exits_2_for_a_bad_argument_or_a_path_that_is_not_a_dataset(copy, tmp_path, args):
    (tmp_path / "file").write_text("x")
    (tmp_path / "empty").mkdir()
    paths = {"missing": tmp_path / "nonexistent", "file": tmp_path / "file", "ds": copy, "empty": tmp_path / "empty"}
    before = tree_digest(copy)
    result = run_simgen("validate", *(a.format(**paths) for a in args), cwd=tmp_path)
    assert result.returncode == 2, result.stdout[-1000:] + result.stderr[-1000:]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert tree_digest(copy) == before


# --- sweeps ---------------------------------------------------------------------------------------------

def test_a_sweep_is_refused_before_launch_when_a_live_run_holds_a_shard(copy, tmp_path):
    """What a re-run meets when the launcher of a local sweep was killed and its shard workers
    still render: one clear message, no launcher traceback, nothing launched or written."""
    holder = hold_in_subprocess(copy, range(2, 4))
    try:
        before = tree_digest(copy)
        env_state = tmp_path / "state"
        result = subprocess.run([sys.executable, "-m", "simgen", "-m", "hydra/launcher=simgen_local",
                                 "hydra/sweeper=shards", "seed=41", "frames=4", "frames_per_shard=2", *TINY,
                                 "traffic.pedestrians=1", f"output.dir={copy}"], cwd=tmp_path, capture_output=True,
                                text=True, timeout=300, env={**os.environ, "PYTHONWARNINGS": "ignore",
                                                             "SIMGEN_STATE_DIR": str(env_state)})
        output = result.stdout + result.stderr  # Hydra's launcher logs to stdout
        assert result.returncode == 2, output[-3000:]
        assert "shard 1 of this sweep" in output and f"pid {holder.pid} on host" in output
        assert f"kill {holder.pid}" in output and "Traceback" not in output
        assert len(output.strip().splitlines()) <= 3, output
        assert tree_digest(copy) == before and not env_state.exists()
    finally:
        holder.communicate("")


# --- docs/safety.md -------------------------------------------------------------------------------------

SAFETY_DOC = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


def test_the_commands_in_docs_safety_exit_as_documented(copy, tmp_path):
    import re
    import shlex

    (block,) = re.findall(r"<!-- safety-commands -->\n```bash\n(.*?)```", SAFETY_DOC.read_text(), re.S)
    places = {"D": str(copy), "D-missing": str(tmp_path / "missing"), "D-yolo": str(tmp_path / "yolo")}
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) >= 4
    for line in lines:
        command, expected = line.split("# exit ")
        argv = [places.get(word, word) for word in shlex.split(command)]
        assert argv[0] == "simgen"
        result = run_simgen(*argv[1:], cwd=tmp_path)
        assert result.returncode == int(expected.split(":")[0]), f"{line}\n{result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_killing_the_launcher_of_a_local_sweep_then_rerunning_gives_one_clear_message(tmp_path):
    out = tmp_path / "D"
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "SIMGEN_STATE_DIR": str(tmp_path / "state")}
    sweep = ["-m", "hydra/launcher=simgen_local", "hydra/sweeper=shards", "seed=41", "frames=40", "frames_per_shard=20",
             *TINY, "render.resolution=[64,48]", "render.samples=1", f"output.dir={out}"]
    launcher = subprocess.Popen([sys.executable, "-m", "simgen", *sweep], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    states = [out / f"shards/shard_{s:05d}/state.json" for s in (0, 1)]
    workers = []
    try:
        deadline = time.monotonic() + 300
        while not all(state.exists() for state in states):
            assert launcher.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        workers = [json.loads(state.read_text())["pid"] for state in states]
        launcher.send_signal(signal.SIGKILL)  # only the launcher: its shard workers keep rendering
        launcher.wait()
        rerun = subprocess.run([sys.executable, "-m", "simgen", *sweep], cwd=tmp_path, env=env, capture_output=True,
                               text=True, timeout=300)
        output = rerun.stdout + rerun.stderr
        assert rerun.returncode == 2, output[-3000:]
        assert any(f"pid {pid} on host" in output and f"kill {pid}" in output for pid in workers), output
        assert "Traceback" not in output and len(output.strip().splitlines()) <= 3, output
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if launcher.poll() is None:
            launcher.kill()
