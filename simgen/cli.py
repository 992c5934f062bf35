"""The `simgen` command: Hydra composes the config, the library does the rest.

`simgen [OVERRIDE ...]` renders a dataset (a Hydra app: `--help`, `--cfg job`, `-m` work as
Hydra users expect). `simgen <subcommand> ...` runs one of `SUBCOMMANDS`, each a small
argparse program in `simgen/commands/`, for work on an existing dataset.

Hydra stops here: the composed `DictConfig` is resolved to plain data and validated into the
typed `SimgenConfig` that the library receives.

Exit codes: 0 done; 2 bad input (config, asset, output directory, device), with a message
that names the field, the value and what is allowed; 1 an unexpected failure, or the QA gate
(`validate.enabled=true`) found problems.
"""

from __future__ import annotations

import importlib
import logging
import sys

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from simgen.config.load import load_config
from simgen.config.schema import SimgenConfig
from simgen.dataset.preemption import EXIT_INTERRUPTED, EXIT_PREEMPTED
from simgen.dataset.shards import shard_count
from simgen.errors import ShardPreempted, SimgenError

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
    "slurm-script": "slurm_script",
    "plan": "plan",
    "contact-sheet": "contact_sheet",
    "fidelity": "fidelity",
}

ConfigStore.instance().store(name="simgen_schema", node=SimgenConfig)
# `hydra/sweeper=shards` sweeps shard over range(0, simgen_shard_count(frames, frames_per_shard)).
OmegaConf.register_new_resolver("simgen_shard_count", lambda frames, per_shard: shard_count(frames, per_shard),
                                replace=True)

_task_started = False
"""Set once Hydra has composed the config and called the task: an exit before that is bad input."""


@hydra.main(version_base="1.3", config_path="pkg://simgen.configs", config_name="config")
def _render(cfg: DictConfig) -> None:
    global _task_started
    _task_started = True
    from simgen.pipeline import render_dataset

    try:
        config = load_config(OmegaConf.to_container(cfg, resolve=True))
        summary = render_dataset(config)
    except ShardPreempted as error:
        log.warning("%s (%d frames committed by this run)", error, error.frames_rendered)
        sys.exit(EXIT_INTERRUPTED if error.signal_name == "SIGINT" else EXIT_PREEMPTED)
    except SimgenError as error:
        log.error("%s: %s", type(error).__name__, error)
        sys.exit(EXIT_BAD_INPUT)
    log.info("done: %s (%d frames rendered now, %d total, %d annotations, device %s)", summary.output_dir,
             summary.frames_rendered, summary.frames_total, summary.annotations, summary.device)
    if config.validate.enabled:
        from simgen.qa.gate import run_gate

        report = run_gate(summary.output_dir, config.validate)
        if report is not None and not report.ok:
            sys.exit(EXIT_QA_FAILED)


def run_subcommand(name: str, argv: list[str]) -> int:
    """Run `simgen <name> argv...`; SimgenErrors become exit status 2 with their message."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s][%(name)s][%(levelname)s] %(message)s")
    module = importlib.import_module(f"simgen.commands.{SUBCOMMANDS[name]}")
    try:
        return int(module.main(argv) or 0)
    except SimgenError as error:
        log.error("%s: %s", type(error).__name__, error)
        return EXIT_BAD_INPUT


def main() -> None:
    """Console-script entry point."""
    if len(sys.argv) > 1 and sys.argv[1] in SUBCOMMANDS:
        sys.exit(run_subcommand(sys.argv[1], sys.argv[2:]))
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
