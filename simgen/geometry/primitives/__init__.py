"""Procedural mesh primitives: boxes, cylinders, spheres, tubes and swept tubes, as `MeshData`.

The building blocks of the recipes (`simgen.catalog.recipes`). Each primitive's polygons come
from a cached, read-only topology template; only the vertices are computed per call.
Frames and units as in `simgen.geometry.mesh`: object frame, metres, z up.

One module per shape family: `prisms` (boxes, cylinders), `spheres` (spheres, icospheres,
blobs), `tubes` (tubes, sweeps); `topology` holds what they share. Import them from here.
"""

from simgen.geometry.primitives.prisms import box_mesh, boxes_mesh, cylinder_mesh
from simgen.geometry.primitives.spheres import blobs_mesh, sphere_mesh, unit_icosphere
from simgen.geometry.primitives.tubes import sweep_mesh, tube_mesh, tubes_mesh

__all__ = ["blobs_mesh", "box_mesh", "boxes_mesh", "cylinder_mesh", "sphere_mesh", "sweep_mesh", "tube_mesh",
           "tubes_mesh", "unit_icosphere"]
