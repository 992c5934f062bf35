"""A small set of real photos shipped inside a PyPI wheel: scikit-image's bundled test images.

`write_photo_patches` cuts the colour photographs that scikit-image ships in its wheel (no
download at run time: astronaut, coffee, chelsea, rocket, and the two views of its
motorcycle stereo pair) into patches of a chosen size, so `simgen fidelity` can be run and
tested without any photo collection. They are not street scenes; use your own photos for a
real decision. Needs `scikit-image` (a dev dependency of simgen).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from simgen.writers.atomic import write_bytes_atomic

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "motorcycle_left", "motorcycle_right")


def load_photo(name: str) -> np.ndarray:
    """(H, W, 3) uint8 RGB of one bundled scikit-image photo (read from the installed wheel)."""
    try:
        import skimage.data
    except ImportError as error:
        raise ImportError("the reference photos come from scikit-image: pip install scikit-image") from error
    if name.startswith("motorcycle_"):
        bgr = cv2.imread(str(Path(skimage.data.__file__).parent / f"{name}.png"), cv2.IMREAD_COLOR)
        return np.ascontiguousarray(bgr[..., ::-1])
    return np.ascontiguousarray(getattr(skimage.data, name)()[..., :3])


def photo_patches(photo: np.ndarray, patch_wh: tuple[int, int], grid: tuple[int, int] = (2, 2)) -> list[np.ndarray]:
    """Patches of (h, w) = patch_wh[::-1] from a photo first resized (area) so its width is
    grid[0] * patch width at most (never enlarged unless smaller than one patch), on an evenly
    spaced, possibly overlapping grid (cols, rows)."""
    width, height = patch_wh
    scale = min(1.0, grid[0] * width / photo.shape[1])
    scale = max(scale, width / photo.shape[1], height / photo.shape[0])
    size = (max(width, round(photo.shape[1] * scale)), max(height, round(photo.shape[0] * scale)))
    resized = cv2.resize(photo, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    xs = np.linspace(0, resized.shape[1] - width, grid[0]).round().astype(int)
    ys = np.linspace(0, resized.shape[0] - height, grid[1]).round().astype(int)
    return [resized[y:y + height, x:x + width] for y in ys for x in xs]


def write_photo_patches(out_dir: Path, patch_wh: tuple[int, int], grid: tuple[int, int] = (2, 2),
                        photos: tuple[str, ...] = PHOTOS) -> list[Path]:
    """Write `<photo>_<k>.png` patches of every photo into out_dir; returns their paths."""
    paths = []
    for name in photos:
        for k, patch in enumerate(photo_patches(load_photo(name), patch_wh, grid)):
            ok, data = cv2.imencode(".png", np.ascontiguousarray(patch[..., ::-1]))
            if not ok:
                raise ValueError(f"PNG encoding of {name} patch {k} failed")
            path = out_dir / f"{name}_{k}.png"
            write_bytes_atomic(path, data.tobytes())
            paths.append(path)
    return paths
