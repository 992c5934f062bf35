"""The dataset report: statistics of a finished dataset as one self-contained HTML file.

Every plot is a PNG embedded as a base64 data URI, so the file opens in any browser with no
server and no network. Sections: counts; instances per image; box size, aspect, distance,
visibility and truncation histograms (the last two when annotations carry `visibility` /
`truncation`); coverage of sampled parameters against what the config asked for; rare
obstacles against their quota (when the frame specs have `obstacles`); categories and ignore
regions (`iscrowd=1`); timing.
"""

from __future__ import annotations

import base64
import html
import logging
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simgen.dataset.view import DatasetView, decode_segmentation, load_dataset
from simgen.qa import plots
from simgen.sampling.motion import PARKED_PREFIX
from simgen.writers.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

DISTRIBUTION_KEYS = ("uniform", "loguniform", "normal", "int_range", "choice")
TRAFFIC_COUNTS = {"cars": "car", "pedestrians": "pedestrian", "cyclists": "cyclist", "traffic_cones": "traffic_cone",
                  "trucks": "truck", "buses": "bus", "motorcycles": "motorcycle"}
"""traffic.<field> -> the category it places (parked cars, named parked_car_NNN, are counted apart)."""
_NIGHT_LIGHTS = ("lamp_power_w", "window_lit_probability", "window_emission_strength", "vehicle_light_strength")
ACTIVE_WHEN = {
    **{("lighting", name): lambda spec: bool(spec.get("lighting", {}).get("lights_on")) for name in _NIGHT_LIGHTS},
    **{("weather", name): lambda spec: bool(spec.get("weather", {}).get("fog"))
       for name in ("fog_visibility_m", "fog_start_m", "fog_brightness")},
    **{("weather", name): lambda spec: bool(spec.get("weather", {}).get("rain"))
       for name in ("rain_intensity", "puddle_coverage")},
    **{("weather", name): lambda spec: bool(spec.get("weather", {}).get("snow"))
       for name in ("snow_cover", "snowfall")},
}
"""(group, field) -> whether the field was used in a frame: night lights only with lights on, a
phenomenon's knobs only when it is present (otherwise the spec records 0, not a drawn value)."""
SPECIAL_FIELDS = {("camera", "height_m"): lambda spec: (spec.get("camera", {}).get("location_m") or [0, 0, None])[2]}


@dataclass
class DatasetStats:
    """Per-annotation and per-image numbers of a dataset (lists aligned per annotation)."""

    category: list[str] = field(default_factory=list)
    box_size_px: list[float] = field(default_factory=list)
    aspect: list[float] = field(default_factory=list)
    distance_m: list[float] = field(default_factory=list)
    visibility: list[float] = field(default_factory=list)
    truncation: list[float] = field(default_factory=list)
    ignore_per_category: Counter = field(default_factory=Counter)
    instances_per_image: list[int] = field(default_factory=list)
    timing: dict[str, list[float]] = field(default_factory=dict)
    specs: list[dict] = field(default_factory=list)
    provenance: Counter = field(default_factory=Counter)


def collect_stats(view: DatasetView) -> DatasetStats:
    """Read every image's annotations, depth and frame record once."""
    stats = DatasetStats()
    names = view.category_names
    for image in view.images:
        view.image_path(image)  # the report names each image: one outside the dataset is refused
        annotations = view.annotations_of(image["id"])
        depth = view.read_depth_m(image)
        stats.instances_per_image.append(sum(1 for a in annotations if not a.get("iscrowd", 0)))
        for ann in annotations:
            name = names.get(ann["category_id"], str(ann["category_id"]))
            if ann.get("iscrowd", 0):
                stats.ignore_per_category[name] += 1
                continue
            _, _, w, h = ann["bbox"]
            stats.category.append(name)
            stats.box_size_px.append(float(np.sqrt(w * h)))
            stats.aspect.append(w / h if h else float("nan"))
            in_mask = depth[decode_segmentation(ann["segmentation"])]
            in_mask = in_mask[np.isfinite(in_mask)]
            stats.distance_m.append(float(np.median(in_mask)) if in_mask.size else float("nan"))
            if ann.get("visible_fraction") is not None:
                stats.visibility.append(float(ann["visible_fraction"]))
            for key in ("truncation", "truncated"):
                if key in ann:
                    stats.truncation.append(float(ann[key]))
        record = view.record(image["id"])
        for key, value in record.get("timing", {}).items():
            stats.timing.setdefault(key, []).append(float(value))
        stats.specs.append(record.get("spec", {}))
        provenance = record.get("provenance", {})
        stats.provenance[f"{provenance.get('device', '?')} / Blender {provenance.get('blender_version', '?')}"] += 1
    return stats


def asked_range(asked: Any) -> tuple[float, float] | None:
    """The [low, high] a config value may produce (None for choices and non-numbers)."""
    if isinstance(asked, dict):
        for key in ("uniform", "loguniform", "int_range"):
            if key in asked:
                return float(asked[key][0]), float(asked[key][1])
        if "normal" in asked:
            mean, std = asked["normal"]
            return tuple(asked.get("clip") or (mean - 3 * std, mean + 3 * std))
        return None
    if isinstance(asked, (int, float)) and not isinstance(asked, bool):
        return float(asked), float(asked)
    return None


def coverage_rows(config: dict, specs: list[dict]) -> list[dict]:
    """One row per sampled config field: what was asked, what the frames got.

    Fields are matched by name between a config group and the frame spec's section of the same
    name (lighting, camera, weather, ...), plus the traffic counts (objects per category).
    """
    rows = []
    if "scenario_name" in config:
        rows.append({"field": "scenario_name", "asked": config["scenario_name"],
                     "values": [s.get("scenario") for s in specs]})
    for group, fields in config.items():
        if not isinstance(fields, dict) or group in ("labels", "render", "output", "layout"):
            continue
        for name, asked in fields.items():
            if group == "traffic" and name in TRAFFIC_COUNTS:
                values = [sum(1 for o in s.get("objects", []) if o.get("category") == TRAFFIC_COUNTS[name]
                              and not str(o.get("name", "")).startswith(PARKED_PREFIX)) for s in specs]
            elif group == "traffic" and name == "parked_cars":
                # an upper bound: cars that find no free curb space are left out
                limits = asked_range(asked)
                asked = {"int_range": [0, int(limits[1])]} if limits else asked
                values = [sum(1 for o in s.get("objects", []) if str(o.get("name", "")).startswith(PARKED_PREFIX))
                          for s in specs]
            elif (group, name) in SPECIAL_FIELDS:
                values = [SPECIAL_FIELDS[(group, name)](s) for s in specs]
            elif all(isinstance(s.get(group), dict) and name in s[group] for s in specs) and specs:
                values = [s[group][name] for s in specs]
            else:
                continue
            active = ACTIVE_WHEN.get((group, name), lambda spec: True)
            rows.append({"field": f"{group}.{name}", "asked": asked, "values": values,
                         "active": [active(spec) for spec in specs]})
    return rows


def _row_summary(row: dict) -> dict:
    """n, min, max, mean and the share inside the configured range, over the frames where the field was active."""
    active = row.get("active") or [True] * len(row["values"])
    values = [v for v, on in zip(row["values"], active, strict=True) if on]
    row = {**row, "values": values}
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    limits = asked_range(row["asked"])
    inside = [limits[0] - 1e-9 <= v <= limits[1] + 1e-9 for v in numbers] if limits else []
    if isinstance(row["asked"], str):  # a fixed name (scenario, layout): the share that has it
        inside = [v == row["asked"] for v in row["values"]]
    return {"n": len(row["values"]), "frames": len(active),
            "min": min(numbers) if numbers else None, "max": max(numbers) if numbers else None,
            "mean": statistics.fmean(numbers) if numbers else None,
            "inside": (sum(inside) / len(inside)) if inside else None}


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def _coverage_section(config: dict, specs: list[dict]) -> str:
    rows = coverage_rows(config, specs)
    table, images, panels = [], [], []
    for row in rows:
        summary = _row_summary(row)
        inside = None if summary["inside"] is None else f"{100 * summary['inside']:.0f}%"
        if not summary["n"] and summary["frames"]:
            inside = "inactive"
        elif summary["n"] < summary["frames"]:
            inside = f"{inside} (active in {summary['n']} of {summary['frames']} frames)"
        table.append([row["field"], _fmt_asked(row["asked"]), summary["n"], summary["min"], summary["max"],
                      summary["mean"], inside])
        if isinstance(row["asked"], dict) and "choice" in row["asked"]:
            options = row["asked"]["choice"]
            counts = Counter(row["values"])
            expected = [w * len(row["values"]) for w in row["asked"].get("weights", [1 / len(options)] * len(options))]
            images.append(_img(plots.bars_png(options, [counts.get(o, 0) for o in options], row["field"], expected),
                               row["field"]))
        elif summary["n"] and asked_range(row["asked"]) and summary["min"] is not None:
            low, high = asked_range(row["asked"])
            if high > low:
                active = [v for v, on in zip(row["values"], row["active"], strict=True) if on]
                panels.append((active, row["field"], "sampled value", (low, high)))
    if panels:
        images.insert(0, _img(plots.histogram_grid_png(panels, columns=3),
                              "coverage: " + ", ".join(p[1] for p in panels)))
    return (_table(["field", "config asked", "frames", "min", "max", "mean", "inside config range"], table)
            + '<div class="plots">' + "".join(images) + "</div>")


def _fmt_asked(asked: Any) -> str:
    if isinstance(asked, dict):
        return ", ".join(f"{k} {v}" for k, v in asked.items())
    return str(asked)


def _obstacle_section(config: dict, specs: list[dict]) -> str:
    if not any("obstacles" in s for s in specs):
        return "<p>The frame specs of this dataset have no rare obstacles (no <code>obstacles</code> section).</p>"
    with_obstacle = sum(1 for s in specs if s.get("obstacles"))
    quota = {k: v for k, v in (config.get("obstacles") or {}).items()
             if any(word in k for word in ("quota", "share", "probability", "fraction", "rate"))}
    share = with_obstacle / len(specs) if specs else 0.0
    return _table(["frames", "frames with a rare obstacle", "share", "config quota"],
                  [[len(specs), with_obstacle, share, _fmt_asked(quota) if quota else "not set"]])


def _timing_section(stats: DatasetStats) -> str:
    rows = []
    for key, values in sorted(stats.timing.items()):
        rows.append([key, len(values), statistics.median(values), statistics.fmean(values),
                     float(np.percentile(values, 95)), sum(values)])
    devices = ", ".join(f"{k}: {v} frames" for k, v in sorted(stats.provenance.items()))
    header = ["stage", "frames", "median s", "mean s", "p95 s", "total s"]
    return _table(header, rows) + f"<p>{html.escape(devices)}</p>"


def build_report_html(view: DatasetView) -> str:
    """The whole report as an HTML string (no external references)."""
    stats = collect_stats(view)
    config = view.run.get("config", {})
    name = html.escape(view.root.name)
    per_category = Counter(stats.category)
    categories = [[cid, cname, per_category.get(cname, 0), stats.ignore_per_category.get(cname, 0)]
                  for cid, cname in sorted(view.category_names.items())]
    counts = [["images", len(view.images)], ["instances", len(stats.category)],
              ["ignore regions (iscrowd=1)", sum(stats.ignore_per_category.values())],
              ["categories", len(view.category_names)],
              ["config sha256", view.coco.get("info", {}).get("config_sha256", "?")],
              ["git commit", view.coco.get("info", {}).get("git_commit", "?")]]
    histograms = [(stats.instances_per_image, "instances per image", "instances", None),
                  (stats.box_size_px, "box size", "sqrt(w*h), px", None), (stats.aspect, "box aspect", "w / h", None),
                  (stats.distance_m, "distance", "median depth in mask, m", None)]
    notes = []
    for values, title, label in ((stats.visibility, "visibility", "visible fraction"),
                                 (stats.truncation, "truncation", "truncated fraction")):
        if values:
            histograms.append((values, title, label, None))
        else:
            notes.append(f"<p>No {title} histogram: the annotations carry no <code>{title}</code> key.</p>")
    sections = [
        ("Counts", _table(["what", "value"], counts)),
        ("Categories and ignore regions", _table(["id", "category", "instances", "ignore regions"], categories)
         + _img(plots.bars_png([c[1] for c in categories], [c[2] for c in categories], "instances per category"),
                "instances per category")),
        ("Instances and boxes", '<div class="plots">'
         + _img(plots.histogram_grid_png(histograms), "histograms: " + ", ".join(h[1] for h in histograms))
         + "</div>" + "".join(notes)),
        ("Coverage: sampled parameters against the config", _coverage_section(config, stats.specs)),
        ("Rare obstacles", _obstacle_section(config, stats.specs)),
        ("Timing", _timing_section(stats)),
    ]
    body = "".join(f"<h2>{html.escape(title)}</h2>{content}" for title, content in sections)
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>simgen report: {name}</title>"
            f"<style>{_CSS}</style></head><body><h1>simgen report: {name}</h1>{body}{_SCRIPT}</body></html>\n")


# Marks <body data-images-decoded="n/m"> once loaded, so a headless browser test can see that
# every embedded plot decoded.
_SCRIPT = ("<script>window.addEventListener('load',function(){var i=Array.prototype.slice.call(document.images);"
           "document.body.setAttribute('data-images-decoded',i.filter(function(x){return x.complete&&"
           "x.naturalWidth>0}).length+'/'+i.length);});</script>")
_CSS = ("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}"
        "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}"
        "img{max-width:100%}.plots{display:flex;flex-wrap:wrap;gap:8px}h2{border-bottom:2px solid #1f77b4}")


def write_report(dataset: Path, out_path: Path) -> Path:
    """Write the report of the dataset at `dataset` to `out_path` (atomically)."""
    view = load_dataset(dataset)
    write_bytes_atomic(Path(out_path), build_report_html(view).encode("utf-8"))
    log.info("report written to %s", out_path)
    return Path(out_path)
