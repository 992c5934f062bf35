"""The `render` group: Cycles device, resolution, samples and sessions (`simgen/render/`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from simgen.config.fields import bounded, one_of


@dataclass
class RenderConfig:
    """Cycles settings. `device`: auto tries OptiX, then CUDA, then CPU."""

    resolution: list[int] = field(default_factory=lambda: [640, 480])
    samples: int = bounded(16, 1, 65536)
    device: str = one_of("auto", "auto", "cpu", "cuda", "optix")
    denoise: bool = True
    view_transform: str = one_of("AgX", "Standard", "Filmic", "AgX")
    max_bounces: int = bounded(4, 0, 128)
    threads: int = bounded(0, 0, 1024)
    processes_per_device: int = bounded(1, 1, 64)
    """Render processes sharing the device (`simgen.render.workers`): each builds, labels and
    writes its own frames while the device renders for all (see docs/performance.md)."""
    procedural_textures: bool = True
    """Build the procedural PBR surfaces recorded in textured `MaterialSpec`s (asphalt cracks,
    paving joints, bricks, vehicle wear); off renders their flat base values (same specs)."""
    sky_importance_map_px: int = bounded(0, 0, 4096)
    """Side of the importance map Cycles builds for the procedural sky each frame (its world
    changes every frame), in pixels; 0: no map, the sky is reached by BSDF-sampled rays only.
    The procedural sky is smooth and its sun is a lamp, so the map buys nothing there: measured
    35 ms less per frame and less noise at 16 spp without it (docs/performance.md). HDRI worlds
    always get Cycles' automatic map (a sun inside the image needs it)."""
    persistent_data: bool = False
    """Cycles' persistent data (`scene.render.use_persistent_data`): keep the device scene between
    frames and sync only what changed. Off by default: measured no sync gain while most meshes
    change every frame (docs/performance.md); labels are the same either way."""
