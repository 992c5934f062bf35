"""The QA gate at the end of a run (`validate.enabled=true`): validate, write qa/validate.json."""

from __future__ import annotations

import logging
from pathlib import Path

from simgen import contract
from simgen.config.schema import ValidateConfig
from simgen.qa import CHECKS
from simgen.qa.validate import Report, Thresholds, validate_dataset
from simgen.writers.atomic import write_json_atomic

log = logging.getLogger(__name__)

VALIDATE_FILE = f"{contract.QA_DIR}/validate.json"


def thresholds_from_config(cfg: ValidateConfig) -> Thresholds:
    """`validate.*` -> Thresholds ("all" and "none" expand to every check / none)."""
    names = tuple(cfg.fail_on)
    fail_on = CHECKS if "all" in names else () if "none" in names else tuple(n for n in CHECKS if n in names)
    return Thresholds(fail_on=fail_on, min_area_px=cfg.min_area_px,
                      min_mask_depth_fraction=cfg.min_mask_depth_fraction)


def run_gate(output_dir: Path, cfg: ValidateConfig) -> Report | None:
    """Validate the dataset in `output_dir` if it is assembled; None when it is not (a shard run).

    Writes OUTPUT_DIR/qa/validate.json (the `simgen validate` summary) and logs the outcome.
    """
    if not (Path(output_dir) / contract.ANNOTATIONS_FILE).is_file():
        log.info("validate: skipped, %s is not assembled yet (other shards pending)", output_dir)
        return None
    report = validate_dataset(Path(output_dir), thresholds_from_config(cfg))
    write_json_atomic(Path(output_dir) / VALIDATE_FILE, report.summary())
    if report.ok:
        log.info("validate: passed (%s)", Path(output_dir) / VALIDATE_FILE)
    else:
        details = "; ".join(f"{name}: {report.checks[name].problems} problem(s), e.g. {report.checks[name].examples[0]}"
                            for name in report.failed)
        log.error("validate: FAILED %s (%s)", details, Path(output_dir) / VALIDATE_FILE)
    return report
