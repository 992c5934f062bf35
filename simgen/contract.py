"""The output contract: every convention of a simgen dataset, stated once.

docs/output.md ("Output contract") repeats this module; tests/unit/test_docs_contract.py checks
they agree on the numbers. Anything that reads or writes a dataset imports its constants from here.

Layout of `output.dir`::

    images/NNNNNN.png        8-bit sRGB RGB, the rendered image (view transform from config)
    depth/NNNNNN.png         uint16, depth in metres x DEPTH_PNG_SCALE, 0 = no surface (KITTI)
    depth/NNNNNN.npy         optional float32 metres, background = DEPTH_BACKGROUND_FLOAT (inf)
    instance/NNNNNN.png      optional uint16 instance index per pixel, 0 = background
    semantic/NNNNNN.png      optional uint16 semantic class id per pixel (Cityscapes label ids,
                             scenery and sky included; `simgen.catalog.classes`)
    panoptic/NNNNNN.png      optional COCO panoptic segment ids, RGB (id = R + 256 G + 256^2 B)
    panoptic.json            with it: COCO panoptic segments_info of every frame
    flow/NNNNNN_fwd.npy      sequences only (sequence.frames > 1): float32 (H, W, 2) optical flow
                             to the next frame of the sequence, pixels (dx, dy); _bwd: to the
                             previous one; flow/NNNNNN_fwd_status.png (uint8 FLOW_* per pixel)
    frames/NNNNNN.json       the frame record: resolved spec, seed, camera, instances, timing,
                             provenance (shard, device, Blender version), with a metered
                             exposure what was metered (`exposure`); written last, so a
                             frame is committed iff its record exists
    annotations.json         COCO instances, assembled from the frame records at the end
    annotations_<split>.json the same for the frames of one split (train, val, test; `split.*`
                             fractions, `simgen.sampling.split`); annotation ids as in
                             annotations.json
    DATASET.md               the dataset card: classes and counts, command, config hash, license,
                             label policy, splits, intended use (`simgen.writers.card`)
    manifest.jsonl           one line per frame: frame index, seed, resolved scene spec, provenance,
                             exposure_ev (the metered view EV; null with a fixed exposure)
    run.json                 the resolved config, its hash and the lineage (`simgen.dataset.lineage`)
    shards/shard_NNNNN/      sweeps only (frames_per_shard > 0), per shard: state.json (written at
                             start and on preemption: host, pid, device) and manifest.json
                             (written when the shard completes: frames, device, timing)
    .sweep/                  Hydra's multirun logs (and submitit's job files); not dataset data

File names use the global frame index, so shards write straight into images/, depth/ and
frames/ without colliding, and a frame's files and COCO entries never depend on how the frames
were split. annotations.json and manifest.jsonl are written when the last frame of a single run
is committed, or by `simgen merge` for a sweep.

Conventions:
    * NNNNNN is the zero-padded global frame index (0-based); COCO `image_id` = frame index.
    * COCO annotation ids run 1, 2, 3... in (frame index, instance index) order.
    * Shard s of a sweep renders global frames [s * frames_per_shard, (s + 1) * frames_per_shard);
      its bookkeeping lives in shards/shard_NNNNN/ (SHARD_DIGITS digits).
    * `bbox` is COCO XYWH in pixels, pixel-edge coordinates: a mask spanning columns c0..c1
      has x = c0 and w = c1 - c0 + 1. It is the tight box of the visible mask.
    * `segmentation` is compressed RLE from pycocotools; `area` is the mask's pixel count.
    * `iscrowd` 1 marks an ignore region: a visible instance that failed the label policy
      (`labels.min_visible_px`, ...); its segmentation is its visible mask. Never deleted.
    * `bbox_amodal_unclipped` is the whole projected mesh (near-clipped) in the same pixel-edge
      XYWH convention, possibly beyond the image; `bbox_amodal` is it clipped to the image.
    * `visible_fraction` = visible px / px the object would cover in the image unoccluded;
      `truncation` = fraction of its projected coverage outside the image.
    * `instance_id` is a stable 63-bit hash of the object's identity (same object, same id in
      every frame and shard); `track_id` = instance_id when the previous frame of the shard
      labels the same object, else null.
    * `distance_m` is the camera centre to the object's 3D box centre, metres; `box3d_cam`
      holds that box in the OpenCV camera frame (centre, size, yaw, rotation).
    * Each annotation also carries `fog_transmittance`: the mean Koschmieder transmittance
      over its mask (1.0 without fog). Weather never changes masks, boxes or depth.
    * Motion blur (`shutter_s` > 0 in the image entry): the RGB integrates the exposure; every
      label (masks, boxes, depth, amodal boxes, visibility) is the sharp scene at mid-exposure,
      the recorded poses. A smear outside an object's mid-exposure silhouette is labelled as
      what lies behind it. `motion_blur_px` = image-space length of the object's box-centre
      path during the exposure (0 without blur, null if it passes behind the camera).
    * Depth kind "planar" is the camera z coordinate (distance along the optical axis), the
      kind Cycles writes; "ray" is the Euclidean distance to the camera centre. Metres.
    * Instance index 0 is background/unlabeled scenery; labeled objects use 1..MAX_INSTANCES
      within a frame (Cycles' `Object.pass_index` clamps silently above 32767).
    * Camera: OpenCV convention. Camera frame x right, y down, z forward. `K` maps camera
      coordinates to pixel coordinates whose integer values are pixel *centres*, so the
      image spans [-0.5, W - 0.5]; `T_cam_world` (4x4, row-major) maps world points (metres,
      z up) to the camera frame.
    * Lens distortion: `dist_coeffs` (k1, k2, p1, p2, k3), OpenCV's Brown-Conrady order, next
      to `K` in every COCO image entry; all zeros = an ideal pinhole. The image and every label
      (masks, boxes, depth, amodal boxes, visibility) are in the distorted image: a world point
      lands at `cv2.projectPoints(X, rvec, tvec, K, dist_coeffs)`.
    * World frame: metres, z up, the road runs along +y, the ground is z = 0.
    * Keypoints (annotations of KEYPOINT_CATEGORIES): COCO's 17 person keypoints in
      KEYPOINT_NAMES order as [x1, y1, v1, ...], x/y in the same pixel-edge convention as
      `bbox` (the K projection + 0.5), through the lens like every label, of the pose at
      mid-exposure. v = 2: visible (the first surface at the keypoint's pixel, per the depth
      pass, is not nearer than the front of the keypoint's own body part); v = 1: in the image
      but occluded, by another object or by the person's own body; v = 0: outside the image
      or behind the camera, written as (0, 0, 0). `num_keypoints` counts v > 0. A cyclist's
      keypoints are its rider's. See docs/labels-extra.md.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

DEPTH_PNG_SCALE = 256.0
"""depth/NNNNNN.png stores round(depth_m * 256) as uint16 (KITTI); max 255.99 m."""

DEPTH_PNG_INVALID = 0
"""Value in depth PNGs for 'no surface' (sky) and for depth beyond the uint16 range."""

DEPTH_PNG_MAX_M = 65534 / DEPTH_PNG_SCALE
"""Largest depth stored in a depth PNG, metres (255.99); deeper surfaces are stored as invalid
(0). 65535 is never written, so a map holding it was clipped by another tool (`simgen validate`)."""

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
INSTANCE_DIR = "instance"
SEMANTIC_DIR = "semantic"
PANOPTIC_DIR = "panoptic"
FLOW_DIR = "flow"
FLOW_VALID, FLOW_OCCLUDED, FLOW_OUT_OF_VIEW, FLOW_SKY = 0, 1, 2, 3
"""Flow status per pixel: the flow is exact; the point is hidden in the other frame (the flow
is still its exact motion); it leaves the other frame's view; sky (flow of the direction at
infinity)."""
PANOPTIC_FILE = "panoptic.json"
INSTANCE_ID_BITS = 63
"""`instance_id` is a non-zero integer below 2**63 (fits int64; exceeds JavaScript's 2**53)."""
FRAMES_DIR = "frames"
ANNOTATIONS_FILE = "annotations.json"
SPLIT_ORDER = ("train", "val", "test")
CARD_FILE = "DATASET.md"
MANIFEST_FILE = "manifest.jsonl"
RUN_FILE = "run.json"
PROVENANCE_UNKNOWN = "unknown"
"""What a provenance field holds when its value cannot be known: the git commit outside a git
checkout, a Blender version or device that a frame record does not carry."""
QA_DIR = "qa"
"""Default home of derived files: qa/preview/, qa/report.html, qa/validate.json (cleared on overwrite)."""
SHARDS_DIR = "shards"
SHARD_DIGITS = 5
SHARD_STATE_FILE = "state.json"
SHARD_MANIFEST_FILE = "manifest.json"
SWEEP_LOG_DIR = ".sweep"
"""Hydra's sweep dir inside output.dir (configs/config.yaml); ignored by the dataset checks."""


def frame_stem(frame_index: int) -> str:
    """'000042' for frame 42: the file stem shared by every per-frame file."""
    return f"{frame_index:0{FRAME_INDEX_DIGITS}d}"


def image_path(frame_index: int) -> str:
    """Dataset-relative path of a frame's RGB image (the COCO `file_name`)."""
    return f"{IMAGES_DIR}/{frame_stem(frame_index)}.png"


def split_annotations_file(split: str) -> str:
    """'annotations_val.json': the COCO file of one split, beside annotations.json."""
    return f"annotations_{split}.json"


def depth_png_path(frame_index: int) -> str:
    return f"{DEPTH_DIR}/{frame_stem(frame_index)}.png"


def depth_npy_path(frame_index: int) -> str:
    return f"{DEPTH_DIR}/{frame_stem(frame_index)}.npy"


def frame_record_path(frame_index: int) -> str:
    return f"{FRAMES_DIR}/{frame_stem(frame_index)}.json"


def instance_map_path(frame_index: int) -> str:
    """Dataset-relative path of a frame's uint16 instance-index PNG (output.instance_maps)."""
    return f"{INSTANCE_DIR}/{frame_stem(frame_index)}.png"


def semantic_map_path(frame_index: int) -> str:
    """Dataset-relative path of a frame's uint16 semantic-class PNG (output.semantic_maps)."""
    return f"{SEMANTIC_DIR}/{frame_stem(frame_index)}.png"


def panoptic_png_path(frame_index: int) -> str:
    """Dataset-relative path of a frame's COCO panoptic PNG (output.panoptic)."""
    return f"{PANOPTIC_DIR}/{frame_stem(frame_index)}.png"


FLOW_DIRECTIONS = ("fwd", "bwd")
"""Optical flow to the next frame of the sequence ('fwd') and to the previous one ('bwd')."""


def flow_key(direction: str, status: bool = False) -> str:
    """The frame record `files` key of a flow ('flow_fwd') or of its status map ('flow_fwd_status')."""
    return f"flow_{direction}_status" if status else f"flow_{direction}"


FILES_WRITTEN_BY_THE_NEXT_FRAME = (flow_key("fwd"), flow_key("fwd", status=True))
"""Keys of a frame record's `files` whose file the next frame of its sequence writes (the
forward flow needs both frames), so the record carries no `files_sha256` entry for them."""


def flow_path(frame_index: int, direction: str) -> str:
    """'flow/000042_fwd.npy' (direction 'fwd' or 'bwd'), a frame's optical flow."""
    return f"{FLOW_DIR}/{frame_stem(frame_index)}_{direction}.npy"


def flow_status_path(frame_index: int, direction: str) -> str:
    """'flow/000042_fwd_status.png', the uint8 FLOW_* status of each pixel of that flow."""
    return f"{FLOW_DIR}/{frame_stem(frame_index)}_{direction}_status.png"


FRAME_FILES: dict[str, Callable[[int], str]] = {
    "image": image_path, "depth_png": depth_png_path, "depth_npy": depth_npy_path,
    "instance_map": instance_map_path, "semantic_map": semantic_map_path, "panoptic_map": panoptic_png_path,
    **{flow_key(way): functools.partial(flow_path, direction=way) for way in FLOW_DIRECTIONS},
    **{flow_key(way, status=True): functools.partial(flow_status_path, direction=way) for way in FLOW_DIRECTIONS},
}
"""The files a frame record's `files` may name: key -> the one dataset-relative path of frame i's
file. Writers name their files through it, `simgen merge` and `simgen validate` check records
against it."""


def shard_dir(shard: int) -> str:
    """'shards/shard_00003' for shard 3."""
    return f"{SHARDS_DIR}/shard_{shard:0{SHARD_DIGITS}d}"


def shard_count(frames: int, frames_per_shard: int) -> int:
    """Number of shards; 1 when frames_per_shard is 0 (no sweep)."""
    return -(-frames // frames_per_shard) if frames_per_shard else 1


def shard_range(shard: int, frames: int, frames_per_shard: int) -> range:
    """Global frame indices of `shard` (all frames when frames_per_shard is 0)."""
    if not frames_per_shard:
        return range(frames)
    start = shard * frames_per_shard
    return range(start, min(start + frames_per_shard, frames))


def shard_of(frame_index: int, frames_per_shard: int) -> int:
    """The shard holding global frame `frame_index` (0 when frames_per_shard is 0)."""
    return frame_index // frames_per_shard if frames_per_shard else 0


STATE_DIR_ENV = "SIMGEN_STATE_DIR"


def launcher_state_dir(output_dir: str) -> str:
    """This user's directory for the launcher state of sweeps into `output_dir`.

    `$SIMGEN_STATE_DIR`, else `$XDG_STATE_HOME/simgen`, else `~/.local/state/simgen`, then
    `launcher/<name>-<sha256 of the absolute output.dir, 12 hex>`: submitit's job pickles
    (which a job unpickles, so whoever can replace them runs code as you) stay out of a shared
    dataset directory. On a cluster it must be visible to the compute nodes (a home directory is).
    """
    base = os.environ.get(STATE_DIR_ENV) or os.path.join(
        os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state"), "simgen")
    absolute = os.path.abspath(output_dir)
    digest = hashlib.sha256(absolute.encode("utf-8")).hexdigest()[:12]
    return os.path.join(base, "launcher", f"{Path(absolute).name or 'root'}-{digest}")


KEYPOINT_NAMES = (
    "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
    "right_knee", "left_ankle", "right_ankle",
)
"""COCO's person keypoints, in COCO's order (`categories[].keypoints`)."""
KEYPOINT_SKELETON = (
    (16, 14), (14, 12), (17, 15), (15, 13), (12, 13), (6, 12), (7, 13), (6, 7), (6, 8), (7, 9), (8, 10),
    (9, 11), (2, 3), (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 7),
)
"""COCO's limbs as 1-based pairs of KEYPOINT_NAMES (`categories[].skeleton`)."""
KEYPOINT_CATEGORIES = ("pedestrian", "cyclist")
"""Categories whose annotations carry `keypoints` (all zero for an asset without a skeleton)."""
