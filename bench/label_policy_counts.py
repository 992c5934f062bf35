"""How the label policy changes the counts of a dataset: keep_all vs the training default.

Reads a dataset rendered with `labels=keep_all` (every visible instance a positive) and applies
each policy of configs/labels/ to its annotations offline (the thresholds need only the stored
area, box height, visible fraction, truncation and fog transmittance), so one render gives both
columns. Prints one Markdown table: positives and ignore regions per category and policy.

    simgen frames=16 render.samples=1 render.denoise=false labels=keep_all output.dir=outputs/policy
    python bench/label_policy_counts.py outputs/policy
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import yaml

from simgen.annotations.policy import LabelPolicy, ignore_reasons

POLICIES = ("keep_all", "training")


def load_policy(name: str) -> LabelPolicy:
    text = resources.files("simgen.configs").joinpath("labels", f"{name}.yaml").read_text()
    return LabelPolicy(**yaml.safe_load(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    args = parser.parse_args()
    coco = json.loads((args.dataset / "annotations.json").read_text())
    names = {c["id"]: c["name"] for c in coco["categories"]}
    counts: dict[str, Counter] = {name: Counter() for name in POLICIES}
    for policy_name in POLICIES:
        policy = load_policy(policy_name)
        for ann in coco["annotations"]:
            failed = ignore_reasons(policy, ann["area"], ann["visible_fraction"], ann["truncation"], ann["bbox"][3],
                                    ann.get("fog_transmittance", 1.0))
            counts[policy_name][(names[ann["category_id"]], "ignored" if failed else "kept")] += 1
            counts[policy_name][("all", "ignored" if failed else "kept")] += 1
    used = sorted({name for name, _ in counts["keep_all"]} - {"all"}) + ["all"]
    size = f"{coco['images'][0]['width']}x{coco['images'][0]['height']}"
    sys.stdout.write(f"{len(coco['images'])} images, {size}\n\n| class | keep_all positives | training positives | "
                     "training ignore regions |\n|---|---|---|---|\n")
    for name in used:
        sys.stdout.write(f"| {name} | {counts['keep_all'][(name, 'kept')]} | {counts['training'][(name, 'kept')]} | "
                         f"{counts['training'][(name, 'ignored')]} |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
