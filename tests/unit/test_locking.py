"""Frame locks and temp files on a shared dataset directory (no renders: see tests/e2e/test_shared_fs.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from simgen.contract import shard_range
from simgen.dataset.locking import GUARD_NAME, LOCK_PREFIX, check_frames_free, frame_lock, read_holders
from simgen.errors import OutputError
from simgen.writers.atomic import host_name, process_token, remove_partials, temp_path, write_bytes_atomic

FRAMES = 8
PER_SHARD = (0, 2, 3, 4)

HOLD = """
import sys
from pathlib import Path
from simgen.dataset.locking import frame_lock
with frame_lock(Path(sys.argv[1]), range(int(sys.argv[2]), int(sys.argv[3])), shard=1, frames_per_shard=4):
    print("held", flush=True)
    sys.stdin.read()
"""


def hold_in_subprocess(root: Path, frames: range) -> subprocess.Popen:
    """Another process holding a lock on `frames` until its stdin closes."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(root), str(frames.start), str(frames.stop)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def shards_of(per_shard: int) -> list[range]:
    count = -(-FRAMES // per_shard) if per_shard else 1
    return [shard_range(s, FRAMES, per_shard) for s in range(count)]


@pytest.mark.parametrize("holder_per_shard", PER_SHARD)
@pytest.mark.parametrize("other_per_shard", PER_SHARD)
def test_two_runs_conflict_exactly_when_their_frames_overlap(tmp_path, holder_per_shard, other_per_shard):
    held = shards_of(holder_per_shard)[-1]
    with frame_lock(tmp_path, held, shard=0, frames_per_shard=holder_per_shard):
        for frames in shards_of(other_per_shard):
            if set(frames) & set(held):
                with pytest.raises(OutputError, match=rf"pid {os.getpid()} on host .*started .*frames "
                                                      rf"{held.start}\.\.{held.stop - 1}"):
                    with frame_lock(tmp_path, frames):
                        pass
            else:
                with frame_lock(tmp_path, frames):  # disjoint shards run side by side
                    assert len(read_holders(tmp_path)) == 2
    assert read_holders(tmp_path) == []


def test_the_holder_is_named_to_another_process_and_released_when_it_ends(tmp_path):
    holder = hold_in_subprocess(tmp_path, range(4, 8))
    try:
        with pytest.raises(OutputError) as refused:
            check_frames_free(tmp_path, range(0, 5))
        message = str(refused.value)
        assert f"pid {holder.pid} on host {host_name()}" in message and "frames 4..7" in message
        assert "shard 1 of frames_per_shard 4" in message and "started 20" in message
        check_frames_free(tmp_path, range(0, 4))
    finally:
        holder.communicate("")
    check_frames_free(tmp_path, range(0, 8))
    assert not list(tmp_path.glob(f"{LOCK_PREFIX}*"))


def test_a_stale_lock_of_a_killed_process_on_this_host_is_reclaimed(tmp_path, caplog):
    holder = hold_in_subprocess(tmp_path, range(0, 8))
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    (stale,) = tmp_path.glob(f"{LOCK_PREFIX}*")
    check_frames_free(tmp_path, range(0, 8))  # a dead holder does not count
    with frame_lock(tmp_path, range(0, 8)):
        assert not stale.exists()
    assert "reclaiming the stale lock" in caplog.text


def _planted_lock(root: Path, host: str, pid: int, token: str, frames: range) -> Path:
    path = root / f"{LOCK_PREFIX}{host}~{pid}~{token}~0"
    path.write_text(json.dumps({"pid": pid, "host": host, "frames": [frames.start, frames.stop],
                                "started": "2026-12-01T00:00:00Z"}))
    return path


def test_a_reused_pid_is_stale_and_a_lock_from_another_host_is_honoured(tmp_path):
    reused = _planted_lock(tmp_path, host_name(), os.getpid(), "1", range(0, 4))  # our pid, another start time
    assert process_token(os.getpid()) != "1"
    remote = _planted_lock(tmp_path, "node-17.cluster", 4242, "99", range(6, 8))
    with frame_lock(tmp_path, range(0, 6)):
        assert not reused.exists()
    with pytest.raises(OutputError, match="pid 4242 on host node-17.cluster"):
        check_frames_free(tmp_path, range(0, 8))
    assert remote.exists()  # never reclaimed from here: its process cannot be checked


def test_a_lock_left_on_another_node_by_an_earlier_incarnation_of_this_slurm_job_is_reclaimed(tmp_path,
                                                                                                monkeypatch):
    for key, value in {"SLURM_CLUSTER_NAME": "c1", "SLURM_JOB_ID": "77", "SLURM_STEP_ID": "0",
                       "SLURM_PROCID": "0"}.items():
        monkeypatch.setenv(key, value)
    before_requeue = _planted_lock(tmp_path, "node-3", 4242, "99", range(0, 4))
    before_requeue.write_text(json.dumps({**json.loads(before_requeue.read_text()), "slurm_job": "c1:77.0.0"}))
    other_job = _planted_lock(tmp_path, "node-4", 4343, "99", range(4, 8))
    other_job.write_text(json.dumps({**json.loads(other_job.read_text()), "slurm_job": "c1:78.0.0"}))
    with frame_lock(tmp_path, range(0, 4)):
        assert not before_requeue.exists()
    with pytest.raises(OutputError, match="pid 4343 on host node-4"):
        check_frames_free(tmp_path, range(0, 8))


def test_an_unreadable_lock_of_a_live_process_holds_every_frame(tmp_path):
    (tmp_path / f"{LOCK_PREFIX}{host_name()}~{os.getpid()}~{process_token(os.getpid())}~99").write_text("")
    with pytest.raises(OutputError, match="unreadable lock file"):
        check_frames_free(tmp_path, range(1000, 1001))


@pytest.mark.parametrize("name", [GUARD_NAME, f"{LOCK_PREFIX}{host_name()}~1~1~0"])
def test_symlinked_lock_files_are_refused_and_never_followed(tmp_path, name):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    root = tmp_path / "ds"
    root.mkdir()
    (root / name).symlink_to(victim)
    for attempt in (lambda: check_frames_free(root, range(0, 1)), lambda: frame_lock(root, range(0, 1)).__enter__()):
        with pytest.raises(OutputError, match="symbolic link"):
            attempt()
    assert victim.read_bytes() == b"precious" and (root / name).is_symlink()
    assert sorted(p.name for p in root.iterdir()) == [name]


def test_atomic_writes_never_follow_a_symlink_at_the_target_or_the_temp_name(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    target = tmp_path / "ds" / "000003.png"
    target.parent.mkdir()
    target.symlink_to(victim)
    temp_path(target).symlink_to(victim)
    write_bytes_atomic(target, b"frame")
    assert victim.read_bytes() == b"precious"
    assert not target.is_symlink() and target.read_bytes() == b"frame"
    assert sorted(p.name for p in target.parent.iterdir()) == ["000003.png"]


def test_a_failed_write_removes_its_temp_file(tmp_path):
    target = tmp_path / "annotations.json"
    (target / "in_the_way").mkdir(parents=True)  # os.replace onto a non-empty directory fails
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.json"]


def test_cleanup_removes_only_temp_files_that_no_live_writer_owns(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    names = {"own frame": ".000001.png~elsewhere~7.partial",        # a frame this run holds the lock of
             "dead writer": f".run.json~{host_name()}~{dead.stdout.strip()}.partial",
             "live writer": f".run.json~{host_name()}~1.partial",    # pid 1 runs
             "remote writer": ".manifest.jsonl~elsewhere~7.partial",
             "other frame": ".000009.png~elsewhere~7.partial"}
    for name in names.values():
        (tmp_path / name).write_bytes(b"half")
    assert remove_partials(tmp_path, {"000001"}) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        names[k] for k in ("live writer", "remote writer", "other frame"))
