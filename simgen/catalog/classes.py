"""Semantic classes: the class list (Cityscapes-compatible) and the class of every prop.

Class ids are Cityscapes' label ids (`cityscapesscripts/helpers/labels.py`), so a semantic map
reads as a Cityscapes `*_labelIds.png`; `train_id` is Cityscapes' trainId (255 = not one of the
19 evaluated classes). Object categories Cityscapes has no class for (traffic cones, animals,
debris...) get id THING_CLASS_BASE + their COCO category id.

A scenery prop's class follows from its recipe, or, for the slabs of the street layouts, from
its name (`SCENERY_RULES`); scenery of any other recipe (a user's catalog) is `static`. The
Blender builder writes it into the Material Index pass; `simgen.annotations.semantic` reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from simgen.specs import PropSpec


@dataclass(frozen=True)
class SemanticClass:
    """One class: Cityscapes name, label id, trainId, thing (countable) or stuff, RGB colour."""

    name: str
    id: int
    train_id: int
    isthing: bool
    color: tuple[int, int, int]


STUFF_CLASSES = (
    SemanticClass("static", 4, 255, False, (110, 110, 40)),
    SemanticClass("road", 7, 0, False, (128, 64, 128)),
    SemanticClass("sidewalk", 8, 1, False, (244, 35, 232)),
    SemanticClass("building", 11, 2, False, (70, 70, 70)),
    SemanticClass("wall", 12, 3, False, (102, 102, 156)),
    SemanticClass("fence", 13, 4, False, (190, 153, 153)),
    SemanticClass("pole", 17, 5, False, (153, 153, 153)),
    SemanticClass("traffic light", 19, 6, False, (250, 170, 30)),
    SemanticClass("traffic sign", 20, 7, False, (220, 220, 0)),
    SemanticClass("vegetation", 21, 8, False, (107, 142, 35)),
    SemanticClass("terrain", 22, 9, False, (152, 251, 152)),
    SemanticClass("sky", 23, 10, False, (70, 130, 180)),
)
"""Scenery classes. `static` (Cityscapes' void class for street furniture) has trainId 255."""
THING_CLASSES = {
    "pedestrian": SemanticClass("person", 24, 11, True, (220, 20, 60)),
    "cyclist": SemanticClass("rider", 25, 12, True, (255, 0, 0)),
    "car": SemanticClass("car", 26, 13, True, (0, 0, 142)),
    "truck": SemanticClass("truck", 27, 14, True, (0, 0, 70)),
    "bus": SemanticClass("bus", 28, 15, True, (0, 60, 100)),
    "motorcycle": SemanticClass("motorcycle", 32, 17, True, (0, 0, 230)),
    "bicycle": SemanticClass("bicycle", 33, 18, True, (119, 11, 32)),
}
"""simgen category -> Cityscapes class. A cyclist (bicycle and rider, one instance) is a rider."""
THING_CLASS_BASE = 100
SKY = next(c for c in STUFF_CLASSES if c.name == "sky")
_STUFF = {c.name: c for c in STUFF_CLASSES}

SCENERY_RULES: tuple[tuple[str, str, str], ...] = (
    # (recipe, name prefix, class): the first matching rule wins; "" matches any name.
    ("slab", "road", "road"), ("slab", "cross_road", "road"), ("slab", "shoulder", "road"),
    ("slab", "zebra", "road"), ("dashed_line", "", "road"), ("manhole", "", "road"), ("drain_grate", "", "road"),
    ("slab", "sidewalk", "sidewalk"),
    ("slab", "ground", "terrain"), ("slab", "verge", "terrain"), ("slab", "barrier", "wall"),
    ("building", "", "building"),
    ("pole", "", "pole"), ("tree", "", "vegetation"), ("bush", "", "vegetation"),
    ("hedge", "", "vegetation"), ("traffic_sign", "", "traffic sign"),
    ("traffic_light", "", "traffic light"),
)
"""Scenery prop -> class. Lane markings, zebra stripes, manhole covers and drain grates are road,
as in Cityscapes; a sign's post belongs to its sign (one class per object)."""


def scenery_class_id(prop: PropSpec) -> int:
    """The class id of an unlabeled scenery prop (`SCENERY_RULES`; `static` otherwise)."""
    for recipe, prefix, name in SCENERY_RULES:
        if prop.recipe == recipe and prop.name.startswith(prefix):
            return _STUFF[name].id
    return _STUFF["static"].id


@lru_cache(maxsize=1024)
def thing_class(category: str, category_id: int) -> SemanticClass:
    """The class of a labeled category: Cityscapes' where it has one, else THING_CLASS_BASE + id
    (cached: the label maps ask for every labeled object of every frame)."""
    if category in THING_CLASSES:
        return THING_CLASSES[category]
    digest = hashlib.sha256(category.encode("utf-8")).digest()
    return SemanticClass(category, THING_CLASS_BASE + category_id, 255, True, (digest[0], digest[1], digest[2]))


def semantic_classes(categories: Mapping[str, int]) -> list[SemanticClass]:
    """Every class of a dataset with these COCO categories, in id order."""
    classes = {c.id: c for c in STUFF_CLASSES}
    for name, category_id in categories.items():
        cls = thing_class(name, category_id)
        classes.setdefault(cls.id, cls)
    return [classes[i] for i in sorted(classes)]
