"""Contact sheets and per-image overlays of a finished dataset (what `simgen preview` writes).

A tile shows one image three ways, side by side: the render with every label drawn on it
(masks tinted per category, tight boxes solid, amodal boxes `bbox_amodal` dashed when present,
category names, ignore regions `iscrowd=1` hatched grey), the depth map as a colormap (near =
red, far = blue, no surface = black), and the frame's key sampled parameters (scenario,
lighting, camera; weather and obstacles when the frame spec has them). Pure numpy/OpenCV;
the pixels are deterministic for a given dataset.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from simgen.dataset.view import DatasetView, decode_segmentation, load_dataset
from simgen.qa.label_panels import draw_skeletons, label_panels
from simgen.sampling.lighting import time_of_day
from simgen.writers.atomic import write_bytes_atomic
from simgen.writers.images import encode_rgb_png

log = logging.getLogger(__name__)

TILE_MIN_WIDTH_PX = 320
PANEL_CHARS = 44
"""Characters per line of the parameter panel at its font size."""
PANEL_WIDTH_PX = 300
FONT = cv2.FONT_HERSHEY_SIMPLEX
PALETTE_RGB = ((230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
               (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40))
IGNORE_RGB = (128, 128, 128)


def category_color(category_id: int) -> tuple[int, int, int]:
    """A fixed RGB colour per category id."""
    return PALETTE_RGB[(category_id - 1) % len(PALETTE_RGB)]


def _scale_for(width_px: int) -> int:
    return max(1, -(-TILE_MIN_WIDTH_PX // width_px))


def draw_labels(rgb: np.ndarray, annotations: Sequence[dict], names: dict[int, str], scale: int) -> np.ndarray:
    """The image upscaled by `scale` (nearest) with masks, boxes, names and ignore regions.

    Args:
        rgb: (H, W, 3) uint8 RGB.
        annotations: COCO annotations of the image (pixel-edge XYWH boxes).
        names: category id -> name.
        scale: integer upscale factor, so thin objects stay visible.

    Returns:
        (H * scale, W * scale, 3) uint8 RGB.
    """
    canvas = rgb.astype(np.float32)
    height, width = rgb.shape[:2]
    hatch = ((np.arange(height)[:, None] + np.arange(width)[None, :]) // 2) % 2 == 0
    for ann in annotations:
        mask = _mask_of(ann, height, width)
        if ann.get("iscrowd", 0):
            canvas[mask & hatch] = IGNORE_RGB
            canvas[mask & ~hatch] *= 0.4
        else:
            canvas[mask] = 0.55 * canvas[mask] + 0.45 * np.array(category_color(ann["category_id"]), np.float32)
    big = cv2.resize(canvas.astype(np.uint8), (width * scale, height * scale), interpolation=cv2.INTER_NEAREST)
    for ann in annotations:
        color = IGNORE_RGB if ann.get("iscrowd", 0) else category_color(ann["category_id"])
        x, y, w, h = (v * scale for v in ann["bbox"])
        if "bbox_amodal" in ann and not ann.get("iscrowd", 0):
            ax, ay, aw, ah = (v * scale for v in ann["bbox_amodal"])
            _dashed_rect(big, (ax, ay), (ax + aw - 1, ay + ah - 1), color)
        cv2.rectangle(big, (int(x), int(y)), (int(x + w - 1), int(y + h - 1)), color, 1)
        label = "ignore" if ann.get("iscrowd", 0) else names.get(ann["category_id"], str(ann["category_id"]))
        cv2.putText(big, label, (int(x), max(9, int(y) - 2)), FONT, 0.3, color, 1, cv2.LINE_AA)
    return big


def _mask_of(ann: dict, height: int, width: int) -> np.ndarray:
    segmentation = ann.get("segmentation")
    if isinstance(segmentation, dict) and "counts" in segmentation:
        return decode_segmentation(segmentation)
    mask = np.zeros((height, width), bool)  # no RLE (e.g. a box-only ignore region): use the box
    x, y, w, h = (int(round(v)) for v in ann["bbox"])
    mask[max(0, y):y + h, max(0, x):x + w] = True
    return mask


def _dashed_rect(image: np.ndarray, top_left: tuple, bottom_right: tuple, color: tuple, dash_px: int = 6) -> None:
    (x0, y0), (x1, y1) = (tuple(int(v) for v in top_left), tuple(int(v) for v in bottom_right))
    for start in range(x0, x1 + 1, 2 * dash_px):
        end = min(start + dash_px - 1, x1)
        cv2.line(image, (start, y0), (end, y0), color, 1)
        cv2.line(image, (start, y1), (end, y1), color, 1)
    for start in range(y0, y1 + 1, 2 * dash_px):
        end = min(start + dash_px - 1, y1)
        cv2.line(image, (x0, start), (x0, end), color, 1)
        cv2.line(image, (x1, start), (x1, end), color, 1)


def colorize_depth(depth_m: np.ndarray, scale: int) -> np.ndarray:
    """(H, W) float metres (NaN/inf = no surface) -> (H*scale, W*scale, 3) uint8 RGB colormap.

    Inverse depth is mapped to TURBO (near = red, far = blue) so near structure keeps contrast;
    pixels without a surface are black. The depth range is printed in the corner.
    """
    valid = np.isfinite(depth_m) & (depth_m > 0)
    colored = np.zeros((*depth_m.shape, 3), np.uint8)
    if valid.any():
        inverse = 1.0 / depth_m[valid]
        low, high = float(inverse.min()), float(inverse.max())
        level = np.zeros(depth_m.shape, np.uint8)
        level[valid] = np.clip(255.0 * (inverse - low) / max(high - low, 1e-9), 0, 255).astype(np.uint8)
        colored = cv2.applyColorMap(level, cv2.COLORMAP_TURBO)[:, :, ::-1].copy()
        colored[~valid] = 0
    big = cv2.resize(colored, (depth_m.shape[1] * scale, depth_m.shape[0] * scale), interpolation=cv2.INTER_NEAREST)
    if valid.any():
        text = f"depth {depth_m[valid].min():.1f}-{depth_m[valid].max():.1f} m"
        cv2.putText(big, text, (4, big.shape[0] - 6), FONT, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
    return big


def _time_of_day(lighting: dict) -> str:
    """The frame's recorded time of day (`simgen.sampling.lighting.time_of_day`'s bands); from
    the sun elevation for a record without it; '?' without lighting."""
    if "time_of_day" in lighting:
        return str(lighting["time_of_day"])
    elevation = lighting.get("sun_elevation_deg")
    return "?" if elevation is None or not math.isfinite(elevation) else time_of_day(elevation)


def key_params(record: dict, annotations: Sequence[dict]) -> list[str]:
    """Text lines of a frame's key sampled parameters, from its frame record's spec."""
    spec = record.get("spec", {})
    camera, lighting = spec.get("camera", {}), spec.get("lighting", {})
    crowd = sum(1 for a in annotations if a.get("iscrowd", 0))
    elevation = lighting.get("sun_elevation_deg", float("nan"))
    lines = [f"frame {record.get('frame_index')}  scenario {spec.get('scenario', '?')}",
             f"{_time_of_day(lighting)}: sun elev {elevation:.1f} deg  "
             f"az {lighting.get('sun_azimuth_deg', float('nan')):.0f} deg",
             f"sun {lighting.get('sun_strength_w_m2', float('nan')):.2f} W/m2  "
             f"sky {lighting.get('sky_strength', float('nan')):.2f}",
             f"cam h {(camera.get('location_m') or [0, 0, float('nan')])[2]:.2f} m  "
             f"pitch {camera.get('pitch_deg', float('nan')):.1f}  "
             f"f {camera.get('focal_length_mm', float('nan')):.0f} mm",
             f"objects {sum(1 for o in spec.get('objects', []) if o.get('category'))}  "
             f"labels {len(annotations) - crowd}  ignore {crowd}"]
    if isinstance(spec.get("weather"), dict):
        weather = spec["weather"]
        fields = [f"{weather.get('condition', '?')}", f"clouds {weather.get('cloudiness', 0.0):.2f}"]
        if weather.get("fog"):
            fields.append(f"fog {weather.get('fog_visibility_m', float('nan')):.0f} m ({weather.get('fog_mode', '')})")
        if weather.get("rain"):
            fields.append(f"rain {weather.get('rain_intensity', float('nan')):.2f}")
        if weather.get("snow"):
            fields.append(f"snow cover {weather.get('snow_cover', float('nan')):.2f}")
        lines.append("weather: " + ", ".join(fields))
    if "time_of_day" in spec:
        lines.append(f"time_of_day: {_short(spec['time_of_day'])}")
    if spec.get("obstacles"):
        obstacles = spec["obstacles"]
        names = [o.get("asset", o.get("name", "?")) if isinstance(o, dict) else str(o) for o in obstacles]
        lines.append(f"rare obstacles: {', '.join(names[:3])}")
    return lines


def _wrap(line: str, width: int = PANEL_CHARS) -> list[str]:
    """Split a panel line at ', ' so that each piece fits the panel; continuation lines indent."""
    pieces, current = [], ""
    for word in line.split(", "):
        candidate = f"{current}, {word}" if current else word
        if current and len(candidate) > width:
            pieces.append(current + ",")
            current = "  " + word
        else:
            current = candidate
    return pieces + [current]


def _short(value: object) -> str:
    if isinstance(value, dict):
        parts = [f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items()
                 if isinstance(v, (int, float, str))]
        return ", ".join(parts[:3])
    return str(value)


def render_tile(view: DatasetView, image_id: int) -> np.ndarray:
    """One image's tile: labels (and keypoint skeletons) | depth | panoptic and flow when the
    dataset has them | parameters, as (H*s, n*W*s + PANEL_WIDTH_PX, 3) uint8 RGB."""
    image = view.image(image_id)
    annotations = view.annotations_of(image_id)
    scale = _scale_for(image["width"])
    labeled = draw_labels(view.read_rgb(image), annotations, view.category_names, scale)
    draw_skeletons(labeled, annotations, {c["id"]: c["skeleton"] for c in view.coco["categories"]
                                          if "skeleton" in c}, scale)
    depth = np.concatenate([colorize_depth(view.read_depth_m(image), scale),
                            *label_panels(view.root, view.record(image_id), scale)], axis=1)
    panel = np.full((labeled.shape[0], PANEL_WIDTH_PX, 3), 255, np.uint8)
    lines = [part for line in key_params(view.record(image_id), annotations) for part in _wrap(line)]
    for row, line in enumerate(lines):
        cv2.putText(panel, line, (6, 16 + 16 * row), FONT, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
    return np.concatenate([labeled, depth, panel], axis=1)


def render_contact_sheet(view: DatasetView, image_ids: Sequence[int], columns: int = 2) -> np.ndarray:
    """Tiles of `image_ids` in a grid under a legend row, as (H, W, 3) uint8 RGB."""
    tiles = [render_tile(view, i) for i in image_ids]
    tile_h = max(t.shape[0] for t in tiles)
    tile_w = max(t.shape[1] for t in tiles)
    rows = -(-len(tiles) // columns)
    header_h = 28
    sheet = np.full((header_h + rows * (tile_h + 4), columns * (tile_w + 4), 3), 255, np.uint8)
    x = 6
    title = f"{view.root.name}: {len(view.images)} images, {len(view.coco['annotations'])} annotations"
    cv2.putText(sheet, title, (x, 18), FONT, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    x += 12 + cv2.getTextSize(title, FONT, 0.5, 1)[0][0]
    for cid, name in sorted(view.category_names.items()):
        cv2.rectangle(sheet, (x, 8), (x + 12, 20), category_color(cid), -1)
        cv2.putText(sheet, name, (x + 16, 18), FONT, 0.45, (0, 0, 0), 1, cv2.LINE_AA)
        x += 30 + cv2.getTextSize(name, FONT, 0.45, 1)[0][0]
    for k, tile in enumerate(tiles):
        top = header_h + (k // columns) * (tile_h + 4)
        left = (k % columns) * (tile_w + 4)
        sheet[top:top + tile.shape[0], left:left + tile.shape[1]] = tile
    return sheet


def write_preview(dataset: Path, out_dir: Path, max_images: int = 16, image_ids: Sequence[int] | None = None,
                  overlays: bool = False, columns: int = 2) -> list[Path]:
    """Write `contact_sheet.png` (and `overlays/NNNNNN.png` per image with `overlays`) under out_dir.

    Returns:
        the written paths, contact sheet first.

    Raises:
        DatasetError: the dataset is unreadable or an image id is unknown.
    """
    view = load_dataset(dataset)
    ids = list(image_ids) if image_ids else [image["id"] for image in view.images[:max_images]]
    for image_id in ids:
        view.image(image_id)  # unknown ids fail before anything is written
    written = [Path(out_dir) / "contact_sheet.png"]
    write_bytes_atomic(written[0], encode_rgb_png(render_contact_sheet(view, ids, columns)))
    if overlays:
        for image_id in ids:
            path = Path(out_dir) / "overlays" / f"{image_id:06d}.png"
            write_bytes_atomic(path, encode_rgb_png(render_tile(view, image_id)))
            written.append(path)
    log.info("preview of %d images written to %s", len(ids), out_dir)
    return written
