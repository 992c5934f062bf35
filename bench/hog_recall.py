"""HOG recognizability: recall of OpenCV's real-trained HOG people detector on our pedestrians.

Samples `--frames` urban_day frames (street, buildings, light, a few cars; traffic pedestrians
off) and lines up `--per-frame` catalog pedestrians (assets, params and materials drawn as the
traffic sampler draws them) across the view 5-7.5 m ahead on the road, so most are
unoccluded and 96 px or taller at 640x480. Renders with Cycles, labels with the pipeline's own
`label_frame` (visible box, visible_fraction, truncation), runs `HogPeopleDetector` and prints
the recall on unoccluded pedestrians >= 96 px and per height bin. Same seed, same scenes: run it
before and after a change to the people recipes. With `--auto-exposure` it also runs HOG on each
frame re-exposed as a camera's auto-exposure would (gain on the decoded linear light so the median
luminance is 18 % grey, at most 16x) and prints that recall too: how much of the miss is exposure.
With `--metered` the frames are rendered with the pipeline's metered auto-exposure (the
metering fields of configs/lighting/sun_sky.yaml, `simgen.render.exposure`) and each render is
scored twice: as metered, and re-saved at the fixed exposure (`CyclesRenderer.display_rgb_at`,
the same render result: the A/B differs only in the exposure).

    .venv/bin/python bench/hog_recall.py --frames 12 --width 640 --samples 2 --save /tmp/hog
    .venv/bin/python bench/hog_recall.py --frames 28 --width 960 --samples 2 --metered

`--by-pose` also prints the (metered, or as rendered) headline recall per pose group of the
lined-up pedestrians: view (side-on or front/back, from the walker's heading against the
camera ray), gait (above 1.2 m/s: brisk), bag, coat or none, catalog entry (adult, child,
runner) and the top garment's pattern (plain, striped, checked), alone and crossed with the view
(the pattern with the entry).

The walkers' headings are uniform over 360 deg, about half of them side-on: a harder mix than
the pipeline's own streets, whose traffic sampler heads 85 % of pedestrians along the street
(front or back views to a forward-looking camera). `--headings traffic` heads the same people
as the traffic sampler does (a stream of its own, so everything else stays the same).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

import cv2
import numpy as np
import yaml

from simgen.annotations.labels import label_frame
from simgen.catalog.entries import build_asset_mesh, load_catalog, pick_entry, sample_asset_params
from simgen.catalog.recipes.figure import Outfit
from simgen.config.load import load_config
from simgen.config.schema import RenderConfig
from simgen.fidelity.detectors import HogPeopleDetector
from simgen.fidelity.probe import ProbeLabel, is_headline, match_detections, recall_table
from simgen.imaging.srgb import decode_srgb_u8, encode_srgb_u8
from simgen.sampling.frame import sample_frame
from simgen.sampling.materials import sample_materials
from simgen.sampling.traffic import PEDESTRIAN_CROSSING_SHARE, pedestrian_yaw_deg
from simgen.specs import FrameSpec, PropSpec

log = logging.getLogger("hog_recall")

DAY_LIGHTING = Path(__file__).resolve().parent.parent / "configs" / "lighting" / "sun_sky.yaml"
METERING_FIELDS = ("exposure_mode", "metering_target", "metering_min_ev", "metering_max_ev")
QUIET_STREET = {"traffic": {"pedestrians": 0, "cyclists": 0, "traffic_cones": 0, "parked_cars": 0,
                            "cars": {"int_range": [0, 2]}}}


def line_up(spec: FrameSpec, catalog, count: int, rng: np.random.Generator,
            material_rng: np.random.Generator, heading_rng: np.random.Generator | None = None) -> FrameSpec:
    """The frame with `count` pedestrians added across the camera's view, 5-7.5 m ahead; their
    materials come from `material_rng` alone, so a change to the material sampling keeps the
    same people, places and poses. Headings are uniform over 360 deg, or with `heading_rng` drawn
    from it as the traffic sampler heads its pedestrians (`traffic.pedestrian_yaw_deg`: most
    walk along the street, `PEDESTRIAN_CROSSING_SHARE` across it); the same people either way."""
    cam = spec.camera
    yaw = np.deg2rad(cam.yaw_deg)
    forward, right = np.array([-np.sin(yaw), np.cos(yaw)]), np.array([np.cos(yaw), np.sin(yaw)])
    entries = catalog.by_category("pedestrian")
    objects = list(spec.objects)
    for k, angle in enumerate(np.linspace(-22.0, 22.0, count)):
        entry = pick_entry(entries, rng)
        params = sample_asset_params(entry, rng)
        distance = float(rng.uniform(5.0, 7.5))
        yaw_deg = float(rng.uniform(0.0, 360.0))
        if heading_rng is not None:
            yaw_deg = pedestrian_yaw_deg(bool(heading_rng.uniform() < PEDESTRIAN_CROSSING_SHARE), heading_rng)
        ground = np.array(cam.location_m[:2]) + distance * forward + distance * np.tan(np.deg2rad(angle)) * right
        objects.append(PropSpec(name=f"lineup_{k:03d}", asset=entry.name, recipe=entry.recipe, params=params,
                                location_m=(float(ground[0]), float(ground[1]), 0.0),
                                yaw_deg=yaw_deg,
                                materials=sample_materials(build_asset_mesh(entry, params).materials, material_rng),
                                category="pedestrian", instance_index=len(objects) + 1))
    return dataclasses.replace(spec, objects=tuple(objects))


BRISK_SPEED_M_S = 1.2


def _top_pattern(person: PropSpec) -> str:
    """'striped', 'checked' or 'plain': the pattern of the pedestrian's top garment."""
    top = dict(person.materials).get("clothing_top")
    if top is None or top.texture != "cloth":
        return "plain"
    return "striped" if top.texture_param("stripes") else "checked" if top.texture_param("checks") else "plain"


def pose_of(person: PropSpec, camera_xy_m: np.ndarray) -> dict[str, str]:
    """{'view', 'gait', 'bag', 'coat', 'asset', 'top'} of a lined-up pedestrian. view:
    'front/back' when its heading (the recipe's +x turned by yaw_deg) is within 45 deg of the
    camera ray to it, else 'side'; coat: 'coat' or 'no coat'; asset: its catalog entry (adult,
    child, runner); top: its top garment's pattern."""
    ray = np.asarray(person.location_m[:2]) - camera_xy_m
    yaw = np.deg2rad(person.yaw_deg)
    along = abs(float(np.array([np.cos(yaw), np.sin(yaw)]) @ ray)) / float(np.linalg.norm(ray))
    p = person.params
    outfit = Outfit.of(p["bottom_style"], p["coat"], p["sleeves"], p["hair_style"], p["bag"])
    return {"view": "front/back" if along >= np.sqrt(0.5) else "side",
            "gait": "brisk" if p["speed_m_s"] > BRISK_SPEED_M_S else "slow", "bag": outfit.bag,
            "coat": "coat" if outfit.coat else "no coat",
            "asset": person.asset.removeprefix("pedestrian_"), "top": _top_pattern(person)}


def report_by_pose(outcomes: list[tuple[ProbeLabel, bool]], poses: list[dict[str, str]],
                   margins: list[float] | None = None) -> None:
    """Logs the headline recall (unoccluded, >= 96 px) per pose group: each key, and view x key;
    with `margins` (one per outcome), also the group's mean margin over those headline labels."""
    headline = [is_headline(label) for label, _ in outcomes]
    for keys in (("view",), ("gait",), ("bag",), ("coat",), ("asset",), ("top",), ("view", "gait"),
                 ("view", "bag"), ("view", "coat"), ("view", "asset"), ("asset", "top")):
        names = [", ".join(pose[k] for k in keys) for pose in poses]
        grouped = [(dataclasses.replace(label, category=name), found)
                   for (label, found), name in zip(outcomes, names, strict=True)]
        cells = {group: row["headline"] for group, row in recall_table(grouped).items()}
        texts = []
        for group, cell in cells.items():
            if not cell["total"]:
                continue
            text = f"{group}: {cell['found']}/{cell['total']}"
            if margins is not None:
                values = [m for m, n, h in zip(margins, names, headline, strict=True) if n == group and h]
                text += f" (margin {np.mean(values):+.2f})"
            texts.append(text)
        log.info("  by %-11s %s", " x ".join(keys), "  ".join(texts))


def auto_exposed(rgb: np.ndarray, target: float = 0.18, max_gain: float = 16.0) -> np.ndarray:
    """(H, W, 3) uint8 sRGB re-exposed: linear light times the gain (1 to `max_gain`) that brings
    the median Rec. 709 luminance to `target`, clipped, re-encoded as uint8 sRGB."""
    linear = decode_srgb_u8(rgb)
    median = float(np.median(linear @ np.array([0.2126, 0.7152, 0.0722])))
    gain = float(np.clip(target / max(median, 1e-6), 1.0, max_gain))
    return encode_srgb_u8(linear * gain)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--per-frame", type=int, default=6)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--save", type=Path, default=None, help="write the frames with boxes drawn here")
    parser.add_argument("--auto-exposure", action="store_true", help="also score HOG on auto-exposed frames")
    parser.add_argument("--metered", action="store_true",
                        help="render with the metered exposure of sun_sky.yaml; score it and the fixed exposure")
    parser.add_argument("--by-pose", action="store_true",
                        help="also print the recall per view, gait, bag, coat, entry and top pattern")
    parser.add_argument("--margins", action="store_true",
                        help="with --by-pose, also print the mean best SVM margin per pose group (margin_at)")
    parser.add_argument("--headings", choices=("uniform", "traffic"), default="uniform",
                        help="the lined-up walkers' headings: uniform over 360 deg, or as the traffic sampler's")
    parser.add_argument("--crops", type=Path, default=None,
                        help="write each headline pedestrian's crop here, under found/ or missed/, named by pose")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from simgen.blender.renderer import CyclesRenderer

    day = yaml.safe_load(DAY_LIGHTING.read_text())
    lighting = {"lighting": {k: day[k] for k in METERING_FIELDS}} if args.metered else {}
    cfg = load_config({"render": {"resolution": [args.width, args.width * 3 // 4]}, "seed": args.seed,
                       **QUIET_STREET, **lighting})
    catalog = load_catalog()
    renderer = CyclesRenderer(RenderConfig(samples=args.samples, device="cpu", denoise=True))
    detector, outcomes, exposed, fixed, poses, margins = HogPeopleDetector(), [], [], [], [], []
    for index in range(args.frames):
        spec = line_up(sample_frame(cfg, catalog, index), catalog, args.per_frame,
                       np.random.default_rng([args.seed, index, 7]), np.random.default_rng([args.seed, index, 8]),
                       np.random.default_rng([args.seed, index, 9]) if args.headings == "traffic" else None)
        passes, _ = renderer.render(spec)
        people = [i for i in label_frame(spec, passes.object_index, cfg.labels).instances
                  if i.category == "pedestrian"]
        labels = [ProbeLabel(i.category, tuple(float(v) for v in i.bbox_xywh), i.visible_fraction, i.truncation)
                  for i in people]
        by_name, camera_xy_m = {o.name: o for o in spec.objects}, np.asarray(spec.camera.location_m[:2])
        frame_poses = [pose_of(by_name[i.name], camera_xy_m) for i in people]
        poses += frame_poses
        detections = detector(passes.rgb)
        found = match_detections(labels, detections, 0.5)
        if args.crops is not None:
            save_crops(args.crops, index, passes.rgb, labels, found, frame_poses)
        if args.margins:
            grey = cv2.cvtColor(passes.rgb, cv2.COLOR_RGB2GRAY)
            margins += [detector.margin_at(grey, label.bbox_xywh) for label in labels]
        outcomes += list(zip(labels, found, strict=True))
        log.info("frame %d: %d of %d pedestrians found, %d detections", index, sum(found), len(labels),
                 len(detections))
        if args.metered:
            fixed_rgb = renderer.display_rgb_at(spec.lighting.exposure_ev)
            found_fixed = match_detections(labels, detector(fixed_rgb), 0.5)
            fixed += list(zip(labels, found_fixed, strict=True))
            log.info("  metered %+.2f EV (median luminance %.4f%s); fixed exposure: %d of %d found",
                     passes.exposure.metered_ev, passes.exposure.median_luminance,
                     ", clamped" if passes.exposure.clamped else "", sum(found_fixed), len(labels))
        if args.auto_exposure:
            found_exposed = match_detections(labels, detector(auto_exposed(passes.rgb)), 0.5)
            exposed += list(zip(labels, found_exposed, strict=True))
            log.info("  auto-exposed: %d of %d found", sum(found_exposed), len(labels))
        if args.save is not None:
            save_frame(args.save / f"{index:03d}.png", passes.rgb, labels, found, detections)
    renderer.close()
    title = f"{args.frames} frames {args.width}x{args.width * 3 // 4}, {args.samples} spp, {args.headings} headings"
    if not report(title + (", metered" if args.metered else ""), outcomes):
        return 1
    if args.by_pose:
        report_by_pose(outcomes, poses, margins if args.margins else None)
    if args.metered:
        report(f"{title}, fixed exposure (the same renders)", fixed)
    if args.auto_exposure:
        report(f"{title}, auto-exposed", exposed)
    return 0


def report(title: str, outcomes: list[tuple[ProbeLabel, bool]]) -> bool:
    """Logs the headline recall and the bins; False if there are no pedestrian labels."""
    table = recall_table(outcomes).get("pedestrian")
    if table is None:
        log.info("no pedestrian labels")
        return False
    head = table["headline"]
    log.info("%s: HOG recall on unoccluded pedestrians >= 96 px: %s (%d of %d)", title, head["recall"],
             head["found"], head["total"])
    for vis, heights in table["bins"].items():
        log.info("  %-13s %s", vis, "  ".join(f"{h}: {c['found']}/{c['total']}" for h, c in heights.items()))
    return True


def save_crops(folder: Path, frame_index: int, rgb: np.ndarray, labels: list[ProbeLabel], found: list[bool],
               poses: list[dict[str, str]]) -> None:
    """Each headline label's crop (its box plus a quarter of its height around it) as
    `folder/{found,missed}/{asset}_{view}_{gait}_{bag}[_coat]_f{frame}_{k}.png`."""
    height, width = rgb.shape[:2]
    for k, (label, hit, pose) in enumerate(zip(labels, found, poses, strict=True)):
        if not is_headline(label):
            continue
        x, y, w, h = label.bbox_xywh
        margin = 0.25 * h
        x0, y0 = max(int(x - margin), 0), max(int(y - margin), 0)
        x1, y1 = min(int(x + w + margin) + 1, width), min(int(y + h + margin) + 1, height)
        name = "_".join(pose[key].replace("/", "-") for key in ("asset", "view", "gait", "bag"))
        name += "_coat" if pose.get("coat") == "coat" else ""
        path = folder / ("found" if hit else "missed") / f"{name}_f{frame_index:03d}_{k}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), np.ascontiguousarray(rgb[y0:y1, x0:x1, ::-1]))


def save_frame(path: Path, rgb: np.ndarray, labels: list[ProbeLabel], found: list[bool], detections) -> None:
    """The frame with labels (green found, red missed) and HOG boxes (yellow) drawn."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.ascontiguousarray(rgb[..., ::-1])
    for label, hit in zip(labels, found, strict=True):
        x, y, w, h = (int(round(v)) for v in label.bbox_xywh)
        cv2.rectangle(image, (x, y), (x + w, y + h), (0, 200, 0) if hit else (0, 0, 255), 1)
    for det in detections:
        x, y, w, h = (int(round(v)) for v in det.bbox_xywh)
        cv2.rectangle(image, (x, y), (x + w, y + h), (0, 220, 220), 1)
    cv2.imwrite(str(path), image)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
