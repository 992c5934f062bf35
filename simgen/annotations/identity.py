"""Stable instance ids and track ids.

`instance_id` is a 63-bit integer derived from what the object *is*, never from where or when
it appears: the SHA-256 of the canonical JSON of its asset, recipe, resolved recipe parameters
(defaults filled in; the pose parameters ANIMATED_PARAMS left out, since a walking pedestrian's
gait phase changes from frame to frame of a sequence), materials and category, keeping the
top 63 bits (so it fits a signed int64). The frame index, the per-frame name (`car_003`), the
pose and the instance index are not part of it, so the same object keeps its id in every frame,
shard and merged dataset.
If two labeled objects of one frame are identical in all of these (e.g. two cones drawn with
the same parameters and material), the second and later ones, in instance-index order, hash
their occurrence number as well, so ids are unique within a frame.

`track_id` is filled in when `annotations.json` is assembled: it equals `instance_id` when an
object with the same `instance_id` is also labeled in the previous frame of the same shard
(and of the same sequence, with `sequence.frames` > 1), and is null otherwise (first
appearance, or first frame of a shard or sequence).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from simgen.catalog.prop_mesh import resolved_params
from simgen.contract import INSTANCE_ID_BITS
from simgen.specs import PropSpec, spec_dict

ANIMATED_PARAMS = ("gait_phase", "crank_phase")
"""Recipe parameters that pose an object rather than make it (they advance along a sequence)."""


def object_identity(prop: PropSpec) -> dict[str, Any]:
    """The fields that make an object the same object: asset, recipe, resolved params,
    materials and category (JSON-ready)."""
    params = resolved_params(prop)
    return {
        "asset": prop.asset,
        "recipe": prop.recipe,
        "params": {key: float(value) for key, value in sorted(params.items()) if key not in ANIMATED_PARAMS},
        "materials": {slot: spec_dict(material) for slot, material in sorted(prop.materials.items())},
        "category": prop.category,
    }


def identity_hash(identity: Mapping[str, Any]) -> int:
    """63-bit non-zero integer from the SHA-256 of the canonical JSON of `identity`."""
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), allow_nan=False)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return (int.from_bytes(digest[:8], "big") >> (64 - INSTANCE_ID_BITS)) or 1


def instance_ids(objects: Sequence[PropSpec]) -> dict[int, int]:
    """instance_index -> instance_id for the labeled objects of one frame (unique in the frame)."""
    ids: dict[int, int] = {}
    seen: dict[int, int] = {}
    for prop in sorted((o for o in objects if o.category is not None and o.instance_index > 0),
                       key=lambda o: o.instance_index):
        identity = object_identity(prop)
        base = identity_hash(identity)
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        ids[prop.instance_index] = base if occurrence == 0 else identity_hash({**identity, "occurrence": occurrence})
    return ids


def assign_track_ids(records: Iterable[Mapping[str, Any]], frames_per_shard: int,
                     frames_per_sequence: int = 1) -> Iterator[dict[str, Any]]:
    """Frame records (in frame order) with `track_id` set on each annotation.

    Args:
        records: frame records whose annotations carry `instance_id`.
        frames_per_shard: 0 = one shard; otherwise frame i starts a shard when i % it == 0.
        frames_per_sequence: > 1: frame i also starts a sequence when i % it == 0.

    Yields:
        copies of the records; an annotation's `track_id` is its `instance_id` when the
        previous frame of the same shard labels the same `instance_id`, else None.
    """
    previous_index, previous_ids = None, frozenset()
    for record in records:
        index = record["frame_index"]
        continues = (previous_index == index - 1 and not (frames_per_shard and index % frames_per_shard == 0)
                     and not (frames_per_sequence > 1 and index % frames_per_sequence == 0))
        known = previous_ids if continues else frozenset()
        annotations = [{**ann, "track_id": ann["instance_id"] if ann.get("instance_id") in known else None}
                       for ann in record["annotations"]]
        yield {**record, "annotations": annotations}
        previous_index, previous_ids = index, frozenset(ann.get("instance_id") for ann in record["annotations"])
