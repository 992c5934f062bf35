"""The `validate` group: the QA checks run on a dataset (`simgen/qa/`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from simgen.config.fields import bounded

QA_CHECKS = ("files", "ids", "categories", "rle", "boxes", "depth", "instances", "manifest", "keypoints",
             "panoptic", "flow", "content", "maps", "json")
"""Names of the dataset checks of `simgen.qa.validate`, as `--fail-on` and `validate.fail_on` take them."""


@dataclass
class ValidateConfig:
    """The QA gate at the end of a run (`simgen validate`, see `simgen.qa.validate`).

    With `enabled`, a run that assembles the dataset validates it, writes qa/validate.json and
    exits 1 when a check named in `fail_on` (check names, or "all" / "none") has problems.
    Run-only: changing these never changes the dataset's identity.
    """

    enabled: bool = False
    fail_on: list[str] = field(default_factory=lambda: ["all"])
    min_area_px: int = bounded(1, 0, 1_000_000_000)
    min_mask_depth_fraction: float = bounded(1.0, 0.0, 1.0)
