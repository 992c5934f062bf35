"""simgen: domain-randomized street scenes rendered with Blender Cycles, with exact labels.

Importing `simgen` imports neither `bpy` nor Hydra; only `simgen.blender` touches Blender and
only `simgen.cli` knows Hydra.
"""

__version__ = "0.1.0"
