"""What a run writes: the output directory and formats, the train/val/test split and the COCO info (run-only fields)."""

from __future__ import annotations

from dataclasses import dataclass

from simgen.config.fields import bounded, one_of


@dataclass
class SplitConfig:
    """Train/val/test fractions of the frames (`simgen.sampling.split`); they must sum to 1.

    Run-only: changing them re-assembles annotations_<split>.json without rendering anything.
    """

    train: float = bounded(0.8, 0.0, 1.0)
    val: float = bounded(0.1, 0.0, 1.0)
    test: float = bounded(0.1, 0.0, 1.0)


@dataclass
class InfoConfig:
    """COCO `info` and `licenses`, and the dataset card (DATASET.md). Run-only.

    `date_created` empty = the committer date of the simgen source commit (a git checkout), else
    the release date of this simgen version: never the wall clock, so the same inputs give the
    same bytes.
    """

    contributor: str = "simgen"
    url: str = ""
    date_created: str = ""
    """YYYY/MM/DD (COCO's own format); empty = derived as above."""
    license_name: str = "CC-BY-4.0"
    license_url: str = "https://creativecommons.org/licenses/by/4.0/"


@dataclass
class OutputConfig:
    """Where and what to write. `dir` defaults to outputs/<scenario>."""

    dir: str = "outputs/${scenario_name}"
    overwrite: bool = False
    depth_float: str = one_of("none", "none", "npy")
    instance_maps: bool = False
    """Write instance/NNNNNN.png: uint16 instance index per pixel (0 = background)."""
    semantic_maps: bool = False
    """Write semantic/NNNNNN.png: uint16 semantic class id per pixel, scenery and sky included
    (Cityscapes label ids, `simgen.catalog.classes`)."""
    panoptic: bool = False
    """Write COCO panoptic output: panoptic/NNNNNN.png and panoptic.json (`simgen.writers.panoptic`)."""
    progress: bool = True
