"""Scene layouts: short recipes that compose the library samplers into a static street.

Each layout module defines `sample_layout(cfg: LayoutConfig, catalog: Catalog,
rng: numpy.random.Generator) -> LayoutSpec`. Register new layouts in `LAYOUTS`; the config
field `layout.name` selects one.
"""

from __future__ import annotations

from collections.abc import Callable

from simgen.errors import ConfigError, closest_name
from simgen.sampling.layouts import highway, intersection, rural_road, urban_street

LAYOUTS: dict[str, Callable] = {
    "urban_street": urban_street.sample_layout,
    "intersection": intersection.sample_layout,
    "highway": highway.sample_layout,
    "rural_road": rural_road.sample_layout,
}


def get_layout(name: str) -> Callable:
    """The layout sampler called `name`.

    Raises:
        ConfigError: unknown layout, listing the known ones and the closest match.
    """
    if name not in LAYOUTS:
        raise ConfigError("layout.name", name, "one of " + ", ".join(sorted(LAYOUTS)) + closest_name(name, LAYOUTS))
    return LAYOUTS[name]
