"""The output contract: every convention of a simgen dataset, stated once.

The README's "Output contract" section repeats this module; a test checks they agree on the
numbers. Anything that reads or writes a dataset imports its constants from here.

Layout of `output.dir`::

    images/NNNNNN.png        8-bit sRGB RGB, the rendered image (view transform from config)
    depth/NNNNNN.png         uint16, depth in metres x DEPTH_PNG_SCALE, 0 = no surface (KITTI)
    depth/NNNNNN.npy         optional float32 metres, background = DEPTH_BACKGROUND_FLOAT (inf)
    frames/NNNNNN.json       the frame record: resolved spec, seed, camera, instances, timing;
                             written last, so a frame is committed iff its record exists
    annotations.json         COCO instances, assembled from the frame records at the end
    manifest.jsonl           one line per frame: frame index, seed, resolved scene spec
    run.json                 the resolved config, its hash and the software versions

Conventions:
    * NNNNNN is the zero-padded global frame index (0-based); COCO `image_id` = frame index.
    * COCO annotation ids run 1, 2, 3... in (frame index, instance index) order.
    * `bbox` is COCO XYWH in pixels, pixel-edge coordinates: a mask spanning columns c0..c1
      has x = c0 and w = c1 - c0 + 1. It is the tight box of the visible mask.
    * `segmentation` is compressed RLE from pycocotools; `area` is the mask's pixel count.
    * Each annotation also carries `fog_transmittance`: the mean Koschmieder transmittance
      over its mask (1.0 without fog). Weather never changes masks, boxes or depth.
    * Depth kind "planar" is the camera z coordinate (distance along the optical axis), the
      kind Cycles writes; "ray" is the Euclidean distance to the camera centre. Metres.
    * Instance index 0 is background/unlabeled scenery; labeled objects use 1..MAX_INSTANCES
      within a frame (Cycles' `Object.pass_index` clamps silently above 32767).
    * Camera: OpenCV convention. Camera frame x right, y down, z forward. `K` maps camera
      coordinates to pixel coordinates whose integer values are pixel *centres*, so the
      image spans [-0.5, W - 0.5]; `T_cam_world` (4x4, row-major) maps world points (metres,
      z up) to the camera frame.
    * World frame: metres, z up, the road runs along +y, the ground is z = 0.
"""

from __future__ import annotations

DEPTH_PNG_SCALE = 256.0
"""depth/NNNNNN.png stores round(depth_m * 256) as uint16 (KITTI); max 255.99 m."""

DEPTH_PNG_INVALID = 0
"""Value in depth PNGs for 'no surface' (sky) and for depth beyond the uint16 range."""

DEPTH_PNG_MAX_M = 65535 / DEPTH_PNG_SCALE
"""Largest depth a uint16 PNG can hold, metres; deeper surfaces are stored as invalid (0)."""

DEPTH_BACKGROUND_FLOAT = float("inf")
"""Float depth outputs store +inf where the ray hits no surface."""

CYCLES_BACKGROUND_DEPTH_M = 1e10
"""What Cycles writes in the Depth pass where no surface is hit (bpy 5.0.1)."""

DEPTH_KINDS = ("planar", "ray")

BACKGROUND_INSTANCE = 0
MAX_INSTANCES = 32767
"""Cycles clamps `Object.pass_index` at 32767 (bpy 5.0.1, measured); more is a ConfigError."""

FRAME_INDEX_DIGITS = 6
IMAGES_DIR = "images"
DEPTH_DIR = "depth"
FRAMES_DIR = "frames"
ANNOTATIONS_FILE = "annotations.json"
MANIFEST_FILE = "manifest.jsonl"
RUN_FILE = "run.json"


def frame_stem(frame_index: int) -> str:
    """'000042' for frame 42: the file stem shared by every per-frame file."""
    return f"{frame_index:0{FRAME_INDEX_DIGITS}d}"


def image_path(frame_index: int) -> str:
    """Dataset-relative path of a frame's RGB image (the COCO `file_name`)."""
    return f"{IMAGES_DIR}/{frame_stem(frame_index)}.png"


def depth_png_path(frame_index: int) -> str:
    return f"{DEPTH_DIR}/{frame_stem(frame_index)}.png"


def depth_npy_path(frame_index: int) -> str:
    return f"{DEPTH_DIR}/{frame_stem(frame_index)}.npy"


def frame_record_path(frame_index: int) -> str:
    return f"{FRAMES_DIR}/{frame_stem(frame_index)}.json"
