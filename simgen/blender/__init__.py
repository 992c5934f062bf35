"""The Blender boundary: the only package that imports `bpy` and `mathutils`.

`build_*` functions turn specs into Blender data; `CyclesRenderer` renders a `FrameSpec` and
returns plain numpy arrays. Nothing here draws random numbers.
"""
