"""Pipeline bookkeeping driven by a fake renderer (the real one is covered in tests/e2e)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from simgen.pipeline import render_dataset
from simgen.render.camera import render_camera
from simgen.render.passes import RenderPasses


class FakeRenderer:
    device = "FAKE"

    def __init__(self, fail_on: int | None = None) -> None:
        self.rendered: list[int] = []
        self.fail_on = fail_on

    def render(self, spec):
        if spec.frame_index == self.fail_on:
            raise KeyboardInterrupt  # stands in for a kill mid-render
        self.rendered.append(spec.frame_index)
        camera = render_camera(spec)  # a renderer renders the frame's render camera
        h, w = camera.height_px, camera.width_px
        index = np.zeros((h, w), np.int32)
        index[: h // 2, : w // 2] = 1
        return RenderPasses(np.zeros((h, w, 3), np.uint8), np.full((h, w), 5.0, np.float32), index,
                            camera=camera), {"build_s": 0.0, "render_s": 0.0, "readback_s": 0.0}

    def close(self) -> None:
        pass


def test_interrupted_run_resumes_without_rerendering(make_config):
    cfg = make_config(frames=4)
    first = FakeRenderer(fail_on=2)
    with pytest.raises(KeyboardInterrupt):
        render_dataset(cfg, renderer_factory=lambda _: first)
    assert first.rendered == [0, 1]
    assert not (Path(cfg.output.dir) / "annotations.json").exists()
    second = FakeRenderer()
    summary = render_dataset(cfg, renderer_factory=lambda _: second)
    assert second.rendered == [2, 3] and summary.frames_rendered == 2
    coco = json.loads((summary.output_dir / "annotations.json").read_text())
    assert [image["id"] for image in coco["images"]] == [0, 1, 2, 3]
    assert [a["id"] for a in coco["annotations"]] == [1, 2, 3, 4]
    third = FakeRenderer()
    render_dataset(cfg, renderer_factory=lambda _: third)
    assert third.rendered == []


def test_increasing_frames_extends_the_dataset(make_config):
    render_dataset(make_config(frames=2), renderer_factory=lambda _: FakeRenderer())
    more = FakeRenderer()
    render_dataset(make_config(frames=3), renderer_factory=lambda _: more)
    assert more.rendered == [2]


def test_shards_render_their_frame_range_and_merge_assembles(make_config):
    from simgen.dataset.merge import merge_dataset
    from simgen.errors import ConfigError

    renderers = []
    for shard in (1, 0):
        renderer = FakeRenderer()
        renderers.append(renderer)
        summary = render_dataset(make_config(frames=5, frames_per_shard=3, shard=shard),
                                 renderer_factory=lambda _, r=renderer: r)
        assert not (summary.output_dir / "annotations.json").exists()  # a sweep is finished by merge
        assert json.loads((summary.output_dir / f"shards/shard_{shard:05d}/manifest.json").read_text())["device"] \
            == "FAKE"
    assert renderers[0].rendered == [3, 4] and renderers[1].rendered == [0, 1, 2]
    merged = merge_dataset(summary.output_dir)
    assert (merged.frames, merged.shards, merged.annotations) == (5, 2, 5)
    with pytest.raises(ConfigError, match="shard"):
        make_config(frames=5, frames_per_shard=3, shard=2)


class FlakyRenderer(FakeRenderer):
    """Fails `failures` times on one frame, then renders."""

    def __init__(self, frame: int, failures: int) -> None:
        super().__init__()
        self.frame, self.failures = frame, failures

    def render(self, spec):
        from simgen.errors import RenderError

        if spec.frame_index == self.frame and self.failures:
            self.failures -= 1
            raise RenderError("Cycles crashed")
        return super().render(spec)


def test_a_failed_render_is_retried_once(make_config):
    renderer = FlakyRenderer(frame=1, failures=1)
    summary = render_dataset(make_config(frames=3), renderer_factory=lambda _: renderer)
    assert renderer.rendered == [0, 1, 2] and summary.frames_rendered == 3


def test_a_frame_failing_twice_is_reported_with_its_seed(make_config):
    from simgen.errors import RenderError

    renderer = FlakyRenderer(frame=1, failures=2)
    with pytest.raises(RenderError, match=r"frame 1 failed twice \(run seed 3.*shard=1"):
        render_dataset(make_config(frames=3), renderer_factory=lambda _: renderer)
    assert renderer.rendered == [0]


class StopAfter(FakeRenderer):
    """Records when each frame's render began; stops the run (as Ctrl-C would) at frame `stop`."""

    def __init__(self, stop: int) -> None:
        super().__init__(fail_on=stop)
        self.started: list[float] = []

    def render(self, spec):
        import time

        self.started.append(time.perf_counter())
        return super().render(spec)


def test_a_long_run_starts_rendering_at_once_and_samples_lazily(make_config):
    """The plan is streamed: frames=100000 renders its first frame within 3 s of the call (the
    catalog, loaded once whatever `frames` is, is loaded before; bench/first_frame.py measures
    the whole launch), and each spec is committed with its frame."""
    import time

    from simgen.catalog.entries import load_catalog

    cfg = make_config(frames=100_000)
    catalog = load_catalog()
    renderer = StopAfter(stop=3)
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        render_dataset(cfg, renderer_factory=lambda _: renderer, catalog=catalog)
    assert renderer.started[0] - start < 3.0
    records = sorted((Path(cfg.output.dir) / "frames").glob("*.json"))
    assert [p.stem for p in records] == ["000000", "000001", "000002"]
    assert json.loads(records[0].read_text())["spec"]["frame_index"] == 0  # the spec is committed with its frame


def test_frames_in_flight_commit_in_order_with_one_frame_behind(make_config):
    """Labels and writing of frame i run on the post thread while frame i+1 renders: when frame
    i+1's render starts, frame i may still be uncommitted, but every frame before it is."""
    cfg = make_config(frames=6)
    seen: list[tuple[int, int]] = []

    class Watching(FakeRenderer):
        def render(self, spec):
            seen.append((spec.frame_index, len(list((Path(cfg.output.dir) / "frames").glob("*.json")))))
            return super().render(spec)

    summary = render_dataset(cfg, renderer_factory=lambda _: Watching())
    assert summary.frames_rendered == 6
    assert all(index - 2 <= committed <= index for index, committed in seen)
    assert {"labels_s", "plan_s", "write_s"} <= set(summary.stage_medians())
