"""The `simgen` command: Hydra composes the config, the library does the rest.

`simgen [OVERRIDE ...]` renders a dataset (a Hydra app: `--help`, `--cfg job`, `-m` work as
Hydra users expect). `simgen <subcommand> ...` runs one of `SUBCOMMANDS`, each a small
argparse program in `simgen/commands/`, for work on an existing dataset.

Hydra stops here: the composed `DictConfig` is resolved to plain data and validated into the
typed `SimgenConfig` that the library receives.

Before Hydra runs, `preflight` composes and validates the same overrides (every swept value of
a multirun), so a config mistake is one message and exit 2, never a Hydra traceback or a
failed cluster job; `--debug` (or HYDRA_FULL_ERROR=1) shows tracebacks.

Exit codes: 0 done; 2 bad input (config, asset, output directory, device, frames held by
another run), with a message that names the field, the value and what is allowed; 1 an
unexpected failure, or the QA gate (`validate.enabled=true`) found problems.

Sweeps (`-m`): `SweepLockCheck` refuses a sweep whose frames a live run holds before any job
starts, and launcher state (submitit's job pickles and logs) lives in a per-user directory,
`launcher_state_dir`, never in the shared output.dir (see docs/safety.md).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import hydra
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from simgen.config.compose import compose_dictconfig, register_configs, to_plain
from simgen.config.load import load_config
from simgen.config.overrides import rewrite_overrides, sweep_variants
from simgen.contract import launcher_state_dir, shard_count, shard_range
from simgen.dataset.preemption import EXIT_INTERRUPTED, EXIT_PREEMPTED
from simgen.errors import OutputError, ShardPreempted, SimgenError

log = logging.getLogger("simgen")

EXIT_BAD_INPUT = 2
EXIT_QA_FAILED = 1

SUBCOMMANDS: dict[str, str] = {
    # name -> module in simgen.commands with `main(argv: list[str]) -> int`
    "list": "inventory",
    "preview": "preview",
    "report": "report",
    "validate": "validate",
    "lineage": "lineage",
    "export": "export",
    "merge": "merge",
    "mix": "mix",
    "slurm-script": "slurm_script",
    "plan": "plan",
    "contact-sheet": "contact_sheet",
    "fidelity": "fidelity",
    "check": "check",
}
DEBUG_FLAG = "--debug"



class SweepLockCheck(Callback):
    """Before a sweep launches any job, refuse it (exit 2, one message) when a live run holds
    frames that one of its shards would render: typically the shard workers of an earlier sweep
    whose launcher was killed, which keep rendering. Without this check each job would be
    refused by the lock inside a long launcher traceback."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from simgen.dataset.locking import FramesHeldError, check_frames_free

        try:
            root = Path(str(config.output.dir))
            for shard, frames in sweep_frame_ranges(config):
                check_frames_free(root, frames, f"shard {shard} of this sweep")
        except OutputError as error:
            hint = ""
            if isinstance(error, FramesHeldError):
                hint = (" If it is a shard of an earlier sweep whose launcher was stopped, it keeps rendering: wait "
                        f"for it to finish (or stop it: `kill {error.holder.pid}` on host {error.holder.host}), then "
                        "run this command again; committed frames are kept.")
            log.error("%s: %s%s", type(error).__name__, error, hint)
            sys.exit(EXIT_BAD_INPUT)
        os.makedirs(launcher_state_dir(str(config.output.dir)), mode=0o700, exist_ok=True)


def sweep_frame_ranges(config: DictConfig) -> list[tuple[int, range]]:
    """(shard, its frame range) for every shard a sweep will run; [] when frames,
    frames_per_shard or output.dir are themselves swept (each job then checks its own lock)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    params = OmegaConf.to_container(config.hydra.sweeper.get("params") or {}, resolve=True) or {}
    texts = [f"{key}={value}" for key, value in params.items()] + list(config.hydra.overrides.task)
    values: dict[str, list[Any]] = {}
    for override in OverridesParser.create().parse_overrides(texts):  # command line after sweeper params
        key = override.key_or_group
        values[key] = list(override.sweep_iterator()) if override.is_sweep_override() else [override.value()]
    if any(len(values.get(key, [None])) > 1 for key in ("frames", "frames_per_shard", "output.dir")):
        return []
    frames, per_shard = int(config.frames), int(config.frames_per_shard)
    shards = sorted({int(s) for s in values.get("shard", [config.shard])})
    return [(s, shard_range(s, frames, per_shard)) for s in shards if s < shard_count(frames, per_shard)]

_task_started = False
"""Set once Hydra has composed the config and called the task: an exit before that is bad input."""


@hydra.main(version_base="1.3", config_path="pkg://simgen.configs", config_name="config")
def _render(cfg: DictConfig) -> None:
    global _task_started
    _task_started = True
    from simgen.pipeline import render_dataset

    try:
        config = load_config(to_plain(cfg))
        summary = render_dataset(config)
    except ShardPreempted as error:
        log.warning("%s (%d frames committed by this run)", error, error.frames_rendered)
        sys.exit(EXIT_INTERRUPTED if error.signal_name == "SIGINT" else EXIT_PREEMPTED)
    except SimgenError as error:
        report_error(error, _debug([]))
        sys.exit(EXIT_BAD_INPUT)
    log.info("done: %s (%d frames rendered now, %d total, %d annotations, device %s)", summary.output_dir,
             summary.frames_rendered, summary.frames_total, summary.annotations, summary.device)
    if config.validate.enabled:
        from simgen.qa.gate import run_gate

        report = run_gate(summary.output_dir, config.validate)
        if report is not None and not report.ok:
            sys.exit(EXIT_QA_FAILED)


def _debug(argv: list[str]) -> bool:
    return DEBUG_FLAG in argv or os.environ.get("HYDRA_FULL_ERROR") == "1"


def report_error(error: SimgenError, debug: bool) -> None:
    """One line on stderr naming the error; its traceback too with --debug / HYDRA_FULL_ERROR=1."""
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    sys.stderr.write(f"simgen: {type(error).__name__}: {error}\n")


def run_subcommand(name: str, argv: list[str]) -> int:
    """Run `simgen <name> argv...`; SimgenErrors become exit status 2 with their message."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s][%(name)s][%(levelname)s] %(message)s")
    debug = _debug(argv)
    argv = [a for a in argv if a != DEBUG_FLAG]
    module = importlib.import_module(f"simgen.commands.{SUBCOMMANDS[name]}")
    try:
        return int(module.main(argv) or 0)
    except SimgenError as error:
        report_error(error, debug)
        return EXIT_BAD_INPUT


def preflight(argv: list[str]) -> list[str]:
    """Check a render command line before Hydra runs it; return it with overrides rewritten.

    Composes and validates the overrides as the run will (each swept value of a multirun, see
    `sweep_variants`); `--cfg`/`--info` only compose; `--help` is left to Hydra.

    Raises:
        ConfigError: the first problem, naming file/line or command line, field and value.
    """
    from hydra._internal.utils import get_args_parser  # Hydra's own parser of its command line

    args = get_args_parser().parse_args(argv)
    if args.help or args.hydra_help or args.shell_completion or args.config_path:
        return argv
    rewritten = rewrite_overrides(args.overrides)
    multirun = args.multirun or any(o.replace(" ", "") == "hydra.mode=MULTIRUN" for o in args.overrides)
    dirs = [Path(args.config_dir)] if args.config_dir else []
    for index, overrides in enumerate(sweep_variants(rewritten) if multirun else [rewritten]):
        composed = compose_dictconfig(overrides, dirs, args.config_name or "config")
        if args.cfg is None and args.info is None:
            config = load_config(to_plain(composed))
            if multirun and index == 0:  # what each job checks first, checked once before any job starts
                from simgen.blender import import_asset_mesh
                from simgen.catalog.entries import run_catalog
                from simgen.sampling.frame import check_categories

                catalog = run_catalog(config, import_mesh=import_asset_mesh)
                check_categories(config, catalog)
    replaced = dict(zip(args.overrides, rewritten, strict=True))
    return [replaced.get(a, a) for a in argv]


def main() -> None:
    """Console-script entry point."""
    if len(sys.argv) > 1 and sys.argv[1] in SUBCOMMANDS:
        sys.exit(run_subcommand(sys.argv[1], sys.argv[2:]))
    argv = sys.argv[1:]
    debug = _debug(argv)
    argv = [a for a in argv if a != DEBUG_FLAG]
    if debug:
        os.environ["HYDRA_FULL_ERROR"] = "1"
    register_configs()
    try:
        argv = preflight(argv)
    except SimgenError as error:
        report_error(error, debug)
        sys.exit(EXIT_BAD_INPUT)
    sys.argv = [sys.argv[0], *argv]
    try:
        _render()
    except SystemExit as exit_:
        # Hydra reports a failed composition (unknown group option, typo in a key, a value of
        # the wrong type) and exits 1 before our task runs; that is bad input, status 2.
        if exit_.code == 1 and not _task_started:
            sys.exit(EXIT_BAD_INPUT)
        raise


if __name__ == "__main__":
    main()
