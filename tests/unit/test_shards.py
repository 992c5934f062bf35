"""Sweep bookkeeping with a fake renderer: shards, signals, concurrent run.json, merge reports.

The acceptance claims themselves are shown on real Cycles renders in tests/e2e/test_sweeps.py.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from simgen.contract import shard_count, shard_range
from simgen.dataset.directory import check_output_dir, open_output_dir
from simgen.dataset.merge import IncompleteSweepError, merge_dataset
from simgen.dataset.preemption import PreemptionGuard
from simgen.dataset.shards import describe_missing
from simgen.errors import OutputError, ShardPreempted
from simgen.pipeline import render_dataset
from simgen.writers.atomic import remove_partials, temp_path
from tests.unit.test_pipeline_resume import FakeRenderer


class SignallingRenderer(FakeRenderer):
    """Sends itself `sig` while "rendering" frame `on`, as Slurm would mid-render."""

    def __init__(self, sig: int, on: int) -> None:
        super().__init__()
        self.sig, self.on = sig, on

    def render(self, spec):
        if spec.frame_index == self.on:
            os.kill(os.getpid(), self.sig)
        return super().render(spec)


def test_shard_ranges_cover_every_frame_once():
    for frames, per_shard in [(10, 3), (9, 3), (1, 5), (7, 0)]:
        covered = [i for s in range(shard_count(frames, per_shard)) for i in shard_range(s, frames, per_shard)]
        assert covered == list(range(frames))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2])
def test_stop_signal_finishes_the_current_frame_then_stops(make_config, sig):
    cfg = make_config(frames=6, frames_per_shard=4, shard=0)
    renderer = SignallingRenderer(sig, on=1)
    before = signal.getsignal(sig)
    with pytest.raises(ShardPreempted, match=signal.Signals(sig).name):
        render_dataset(cfg, renderer_factory=lambda _: renderer)
    assert renderer.rendered == [0, 1]  # frame 1 was finished and committed, frame 2 never started
    assert signal.getsignal(sig) is before
    state = json.loads((Path(cfg.output.dir) / "shards/shard_00000/state.json").read_text())
    assert state["status"] == "preempted" and state["signal"] == signal.Signals(sig).name
    again = FakeRenderer()
    render_dataset(cfg, renderer_factory=lambda _: again)
    assert again.rendered == [2, 3]


def test_signal_is_passed_on_to_the_launchers_handler(make_config):
    calls = []
    previous = signal.signal(signal.SIGUSR2, lambda signum, frame: calls.append(signum))
    try:
        with pytest.raises(ShardPreempted):
            render_dataset(make_config(frames=3), renderer_factory=lambda _: SignallingRenderer(signal.SIGUSR2, 0))
        assert calls == [signal.SIGUSR2]
    finally:
        signal.signal(signal.SIGUSR2, previous)


def test_guard_outside_the_main_thread_leaves_handlers_alone():
    import threading

    seen = []
    thread = threading.Thread(target=lambda: seen.append(PreemptionGuard().__enter__()._previous))
    thread.start()
    thread.join()
    assert seen == [{}]


def test_concurrent_shards_share_run_json_and_a_different_config_is_refused(make_config):
    from simgen.config.dump import config_to_plain

    a, b = make_config(frames=4, frames_per_shard=2, shard=0), make_config(frames=4, frames_per_shard=2, shard=1)
    root = Path(a.output.dir)
    # Both shards pass the check before either writes (they start at the same moment).
    for cfg in (a, b):
        assert check_output_dir(root, config_to_plain(cfg), False) is False
    open_output_dir(root, config_to_plain(a), False, {}, {"000000", "000001"})
    first = (root / "run.json").read_bytes()
    open_output_dir(root, config_to_plain(b), False, {}, {"000002", "000003"})
    assert (root / "run.json").read_bytes() == first and "shard" not in json.loads(first)["config"]
    other = config_to_plain(make_config(frames=4, frames_per_shard=2, shard=1, seed=99))
    with pytest.raises(OutputError, match="seed"):
        open_output_dir(root, other, False, {}, {"000002", "000003"})
    assert not [p for p in root.iterdir() if p.name.endswith(".partial")]


def test_hydra_sweep_logs_do_not_make_the_directory_foreign(make_config):
    cfg = make_config(frames=2)
    (Path(cfg.output.dir) / ".sweep" / "shard_0").mkdir(parents=True)
    # a concurrent shard is creating run.json right now
    (Path(cfg.output.dir) / ".run.json~otherhost~99.partial").write_bytes(b"{")
    render_dataset(cfg, renderer_factory=lambda _: FakeRenderer())
    assert (Path(cfg.output.dir) / "annotations.json").exists()


def test_temp_names_are_per_process_and_cleanup_is_per_shard(tmp_path):
    target = tmp_path / "images" / "000003.png"
    assert str(os.getpid()) in temp_path(target).name
    target.parent.mkdir()
    for stem in ("000003", "000009"):
        (target.parent / f".{stem}.png~otherhost~123.partial").write_bytes(b"half")
    assert remove_partials(tmp_path, {"000003"}) == 1
    assert [p.name for p in target.parent.iterdir()] == [".000009.png~otherhost~123.partial"]


def test_merge_reports_missing_shards_and_frames(make_config):
    for shard in (0, 2):
        render_dataset(make_config(frames=7, frames_per_shard=3, shard=shard),
                       renderer_factory=lambda _: FakeRenderer())
    root = Path(make_config().output.dir)
    (root / "frames" / "000001.json").unlink()
    with pytest.raises(IncompleteSweepError) as info:
        merge_dataset(root)
    assert info.value.missing == {0: [1], 1: [3, 4, 5]}
    assert "shard 0 (frames 0..2): missing 1 frame(s): 1" in str(info.value)
    assert "shard=0,1" in str(info.value)
    assert not (root / "annotations.json").exists()
    assert describe_missing({3: list(range(40))}, 400, 100).count(",") > 10
