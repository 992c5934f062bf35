"""The dataset card: DATASET.md, written beside annotations.json by every assembly.

It states what a user of the data needs before training on it: the classes and their counts
(positives and ignore regions), the splits, the command and config hash that made it, the
license, the label policy in force, the intended use and the size caveat. Pure text from the
config and the assembly pass: no clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simgen import contract
from simgen.config.schema import POLICY_FIELDS, LabelsConfig

INTENDED_USE = (
    "Training and evaluating 2D/3D object detectors, instance segmentation and depth models for street "
    "scenes, alone or mixed with real images (`simgen mix`). The images are synthetic: measure on real "
    "data before trusting a model trained on them (`simgen fidelity` compares the two)."
)


def size_caveat(frames: int) -> str:
    """The size caveat for a dataset of `frames` images."""
    if frames < 1000:
        return (f"{frames} images is a smoke-test size: enough to check that a training pipeline runs, far too "
                "few for a detector to generalise (real driving datasets have 7k-100k images). AP measured on "
                "it is not a benchmark.")
    return (f"{frames} images from one generator share its asset catalog and scene layouts: diversity is "
            "bounded by the catalog, whatever the image count.")


def policy_lines(labels: LabelsConfig) -> list[str]:
    """The label policy as Markdown bullet lines."""
    lines = [f"- `{name}`: {getattr(labels, name)}" for name in POLICY_FIELDS]
    for category, overrides in sorted(labels.category_overrides.items()):
        lines.append(f"- {category}: " + ", ".join(f"`{k}` {v}" for k, v in overrides.items()))
    return lines


def card_text(title: str, command: str, facts: Mapping[str, Any], labels: LabelsConfig,
              label_counts: Mapping[str, Mapping[str, int]], splits: Mapping[str, int]) -> str:
    """DATASET.md for one dataset.

    Args:
        title: e.g. "simgen dataset, scenario urban_day".
        command: the shell command that regenerates the dataset.
        facts: ordered {name: value} shown as a table (frames, seed, config hash, license...).
        labels: the categories and label policy in force.
        label_counts: {category: {"kept": n, "ignored": m}} over the dataset.
        splits: {split: frame count}.
    """
    out = [f"# {title}", "", "| | |", "|---|---|"]
    out += [f"| {name} | {value} |" for name, value in facts.items()]
    out += ["", "## Classes", "", "| id | class | positives | ignore regions (iscrowd=1) |", "|---|---|---|---|"]
    for name, category_id in sorted(labels.categories.items(), key=lambda kv: kv[1]):
        counts = label_counts.get(name, {})
        out.append(f"| {category_id} | {name} | {counts.get('kept', 0)} | {counts.get('ignored', 0)} |")
    out += ["", "## Splits", ""]
    out += [f"- {name}: {splits.get(name, 0)} frames (`{contract.split_annotations_file(name)}`)"
            for name in contract.SPLIT_ORDER]
    out += ["", "## Label policy", "", "A visible instance failing any threshold is an `iscrowd: 1` ignore region "
            "(its visible mask), never deleted; see docs/training.md.", "", *policy_lines(labels)]
    out += ["", "## Intended use", "", INTENDED_USE, "", "## Size caveat", "", size_caveat(int(facts.get("frames", 0)))]
    out += ["", "## Generating command", "", "Every content field explicit, so it does not depend on the installed "
            "scenario files:", "", "```", command, "```", ""]
    return "\n".join(out)
