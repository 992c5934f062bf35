"""Render cost of two checkouts of simgen, alternating frame by frame in one run.

Starts one worker process per checkout (this script with `--worker`, `PYTHONPATH` and working
directory set to the checkout, so each samples and renders with its own code) and asks them in
turn, A B B A ..., to sample and render frame i of the same config and seed; machine load drifts
hit both alike. Only one worker renders at a time. Prints the median seconds per frame (sampling
excluded) and the ratio B / A.

    git archive <commit> | tar -x -C /tmp/simgen_old
    # checkouts whose configs/assets/scenes live at the top level (before the restructure):
    # for d in configs assets scenes; do ln -s ../$d /tmp/simgen_old/simgen/$d; done
    .venv/bin/python bench/checkout_ab.py /tmp/simgen_old . --frames 4 --width 640 --samples 16
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

log = logging.getLogger("checkout_ab")


def worker(width: int, samples: int, seed: int) -> int:
    """Read frame indices from stdin, one a line; render each and answer its seconds as JSON."""
    from simgen.blender.renderer import CyclesRenderer
    try:
        from simgen.catalog.entries import load_catalog
    except ImportError:  # checkouts before the package restructure (simgen/catalog.py)
        from simgen.catalog import load_catalog
    from simgen.config.load import load_config
    from simgen.config.schema import RenderConfig
    from simgen.sampling.frame import sample_frame

    cfg = load_config({"render": {"resolution": [width, width * 3 // 4]}, "seed": seed})
    catalog = load_catalog()
    renderer = CyclesRenderer(RenderConfig(samples=samples, device="cpu", denoise=True))
    for line in sys.stdin:
        spec = sample_frame(cfg, catalog, int(line))
        start = time.perf_counter()
        renderer.render(spec)
        sys.stdout.write(json.dumps({"s": time.perf_counter() - start}) + "\n")
        sys.stdout.flush()
    renderer.close()
    return 0


def _start(checkout: Path, args) -> subprocess.Popen:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--width", str(args.width),
               "--samples", str(args.samples), "--seed", str(args.seed)]
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    return subprocess.Popen(command, cwd=checkout, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)


def _ask(proc: subprocess.Popen, index: int) -> float:
    proc.stdin.write(f"{index}\n")
    proc.stdin.flush()
    while True:  # skip whatever else the worker prints (Blender writes to stdout)
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("worker ended early")
        if line.startswith('{"s":'):
            return float(json.loads(line)["s"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout_a", type=Path, nargs="?")
    parser.add_argument("checkout_b", type=Path, nargs="?")
    parser.add_argument("--frames", type=int, default=4)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.width, args.samples, args.seed)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    procs = {"A": _start(args.checkout_a, args), "B": _start(args.checkout_b, args)}
    seconds: dict[str, list[float]] = {"A": [], "B": []}
    for index in range(args.frames):
        for kind in ("A", "B") if index % 2 == 0 else ("B", "A"):
            seconds[kind].append(_ask(procs[kind], index))
    for proc in procs.values():
        proc.stdin.close()
        proc.wait()
    a, b = np.median(seconds["A"]), np.median(seconds["B"])
    log.info("%dx%d, %d spp, %d frames: median A (%s) %.2f s/frame, B (%s) %.2f s/frame, ratio B/A %.3f",
             args.width, args.width * 3 // 4, args.samples, args.frames, args.checkout_a, a, args.checkout_b, b, b / a)
    log.info("per frame A %s B %s", np.round(seconds["A"], 2), np.round(seconds["B"], 2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
