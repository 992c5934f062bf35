"""Exports of a finished dataset to other trainers' formats (YOLO, KITTI), without re-rendering.

Before an export writes anything it resolves every image it will copy inside the dataset
directory (`simgen.dataset.view.resolve_inside`) and checks that no two images map to the
same output name, so a hostile or broken `file_name` stops it (exit 2) with nothing written,
and one output never overwrites another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from simgen.dataset.view import DatasetView
from simgen.errors import DatasetError


def plan_copies(view: DatasetView, target_stem: Callable[[Path], str]) -> list[tuple[dict, Path, str]]:
    """(image entry, source file inside the dataset, output stem) per image, checked up front.

    Args:
        target_stem: output file stem of a resolved source path.

    Raises:
        DatasetError: a file name outside the dataset, or two images with one output stem.
    """
    plan, seen = [], {}
    for image in view.images:
        source = view.image_path(image)
        stem = target_stem(source)
        if stem in seen:
            raise DatasetError(f"dataset {str(view.root)!r}: images {seen[stem]} and {image['id']} would both be "
                               f"exported as {stem!r} (file_name {image.get('file_name')!r}); allowed: distinct file "
                               "names (a simgen dataset names images/NNNNNN.png by frame index)")
        seen[stem] = image["id"]
        plan.append((image, source, stem))
    return plan
