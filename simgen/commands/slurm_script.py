"""`simgen slurm-script`: write a plain `sbatch --array` script, one shard per array task.

For sweeps too large to keep a Hydra launcher process alive on a login node (or larger than the
cluster's MaxArraySize in one Hydra array): submit the script with `sbatch`, and each array task
runs `simgen ... shard=$SLURM_ARRAY_TASK_ID` as a plain single run. When Slurm signals the task
(USR1 before the time limit, TERM on preemption), the script passes the signal to simgen, which
stops after the current frame and exits 75; the script then requeues its own array task, and the
requeued task resumes at the first missing frame. Run `simgen merge OUTPUT_DIR` at the end.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from simgen.contract import SWEEP_LOG_DIR, shard_count
from simgen.dataset.preemption import EXIT_PREEMPTED
from simgen.errors import ConfigError

SLURM_LOG_DIR = f"{SWEEP_LOG_DIR}/slurm"

TEMPLATE = """#!/bin/bash
# Written by `simgen slurm-script`: {shards} shard(s) of {frames_per_shard} frame(s), {frames} frames in all.
# Submit with `sbatch {name}`; when every task is done, run `simgen merge {output_dir_q}`.
#SBATCH --job-name={job_name}
#SBATCH --array=0-{last}%{parallel}
#SBATCH --ntasks=1
{gres}#SBATCH --cpus-per-task={cpus}
#SBATCH --mem={mem_gb}G
#SBATCH --time={time_min}
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --signal=B:USR1@{signal_s}
#SBATCH --output={log_dir}/%A_%a.out
{extra}
set -u
{setup}
SHARD="${{SLURM_ARRAY_TASK_ID:?run this script with sbatch (or set SLURM_ARRAY_TASK_ID)}}"
{command} "shard=$SHARD" &
child=$!
# bash runs traps only between commands, so simgen runs in the background and we wait for it.
trap 'kill -USR1 "$child" 2>/dev/null' USR1
trap 'kill -TERM "$child" 2>/dev/null' TERM
while true; do
  wait "$child"; rc=$?
  kill -0 "$child" 2>/dev/null || break
done
if [ "$rc" -eq {exit_preempted} ]; then
  # simgen stopped between two frames after a signal: put this array task back in the queue.
  scontrol requeue "${{SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}}_$SHARD"
fi
exit "$rc"
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="simgen slurm-script", description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, required=True, help="frames in the whole dataset")
    parser.add_argument("--frames-per-shard", type=int, required=True, help="frames per array task")
    parser.add_argument("--output-dir", required=True, help="output.dir on a filesystem every node sees")
    parser.add_argument("--parallel", type=int, default=64, help="array tasks running at once (%%N)")
    parser.add_argument("--time-min", type=int, default=240, help="time limit of one task, minutes")
    parser.add_argument("--signal-s", type=int, default=300, help="seconds before the limit to send USR1")
    parser.add_argument("--gpus", type=int, default=1)
    parser.add_argument("--cpus", type=int, default=8)
    parser.add_argument("--mem-gb", type=int, default=32)
    parser.add_argument("--partition", default=None)
    parser.add_argument("--job-name", default="simgen")
    parser.add_argument("--setup", action="append", default=[], help="shell line run before simgen (repeat)")
    parser.add_argument("--python", default=sys.executable, help="interpreter with simgen installed")
    parser.add_argument("--config-dir", type=Path, default=None,
                        help="a folder of your own configs, as for `simgen --config-dir` (on a shared filesystem)")
    parser.add_argument("-o", "--output", type=Path, default=Path("simgen_array.sbatch"), help="script path")
    parser.add_argument("overrides", nargs="*", help="more simgen overrides, e.g. scenario=urban_day seed=7")
    return parser


def run_overrides(args: argparse.Namespace) -> list[str]:
    """The overrides every array task runs with (its shard comes on top)."""
    output_dir = str(Path(args.output_dir).absolute())
    return [f"frames={args.frames}", f"frames_per_shard={args.frames_per_shard}", f"output.dir={output_dir}",
            "output.progress=false", *args.overrides]


def render_script(args: argparse.Namespace) -> str:
    """The sbatch script text for the parsed arguments.

    Raises:
        ConfigError: fewer than one frame or frame per shard.
    """
    for name, value in (("--frames", args.frames), ("--frames-per-shard", args.frames_per_shard)):
        if value < 1:
            raise ConfigError(name, value, "an integer >= 1")
    shards = shard_count(args.frames, args.frames_per_shard)
    output_dir = str(Path(args.output_dir).absolute())
    words = [args.python, "-m", "simgen", *run_overrides(args)]
    if args.config_dir:
        words[3:3] = ["--config-dir", str(args.config_dir.absolute())]
    return TEMPLATE.format(
        shards=shards, frames_per_shard=args.frames_per_shard, frames=args.frames, name=args.output.name,
        output_dir_q=shlex.quote(output_dir), job_name=args.job_name, last=shards - 1,
        parallel=max(1, args.parallel), gres=f"#SBATCH --gres=gpu:{args.gpus}\n" if args.gpus else "",
        cpus=args.cpus, mem_gb=args.mem_gb,
        time_min=args.time_min, signal_s=args.signal_s, log_dir=f"{output_dir}/{SLURM_LOG_DIR}",
        extra=f"#SBATCH --partition={args.partition}" if args.partition else "",
        setup="\n".join(args.setup), command=" ".join(shlex.quote(w) for w in words),
        exit_preempted=EXIT_PREEMPTED)


def main(argv: list[str]) -> int:
    from simgen.commands.check import check_run

    args = build_parser().parse_args(argv)
    script = render_script(args)
    # The same check `simgen check` makes: a config that would fail on the cluster fails here.
    check_run(run_overrides(args), [args.config_dir] if args.config_dir else [], sampled_frames=1)
    # Slurm does not create the --output directory; a job whose log cannot be opened fails.
    (Path(args.output_dir).absolute() / SLURM_LOG_DIR).mkdir(parents=True, exist_ok=True)
    args.output.write_text(script, encoding="utf-8")
    args.output.chmod(0o755)
    sys.stdout.write(f"wrote {args.output}: sbatch it, then `simgen merge {shlex.quote(args.output_dir)}`\n")
    return 0
