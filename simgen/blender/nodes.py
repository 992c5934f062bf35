"""Shader-node helpers shared by the builders of materials, textures, weather and the world.

Material builders take their per-spec values through an `Inputs` mapping, name -> value: a
plain dict of constants bakes them into the node tree as default values (one material per
spec), and `AttributeInputs` reads each from the rendered object's custom properties through
an OBJECT Attribute node (one material for every spec of a structure; `simgen.blender.materials`).
The builders feed either kind with `feed`, so both give the same node graph.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import bpy

Inputs = Mapping[str, object]
"""Value name -> constant (float, or 3-tuple: linear RGB for '*_rgb' names, else a vector) or
an output socket that yields it."""


def socket_by_id(sockets, identifier: str) -> bpy.types.NodeSocket:
    """A node socket by identifier: ShaderNodeMix has A/B/Result sockets per data type under the
    same name (bpy 5.0.1), so names are ambiguous; identifiers are e.g. 'A_Color', 'Factor_Float'."""
    return next(socket for socket in sockets if socket.identifier == identifier)


def feed(tree, socket: bpy.types.NodeSocket, value) -> None:
    """Link `value` into `socket` when it is a socket, else set it as the default value (a 3-tuple
    into a colour socket gets alpha 1)."""
    if isinstance(value, bpy.types.NodeSocket):
        tree.links.new(value, socket)
    elif isinstance(value, tuple | list) and len(value) == 3 and socket.type == "RGBA":
        socket.default_value = (*value, 1.0)
    else:
        socket.default_value = value


def attribute_output(name: str) -> str:
    """The Attribute node output that yields the value named `name`: 'Color' for linear RGB
    ('rgb', '*_rgb'), 'Vector' for other 3-vectors ('xyz', '*_xyz'), else 'Fac' (a float)."""
    if name == "rgb" or name.endswith("_rgb"):
        return "Color"
    return "Vector" if name == "xyz" or name.endswith("_xyz") else "Fac"


@functools.cache
def float_packs(names: tuple[str, ...]) -> dict[str, tuple[str, int]]:
    """Where the float values among `names` (in their order) are stored: three to a vector
    custom property named after the first of them, '{first}_pack_xyz', as name -> (vector name,
    component 0..2). One Attribute node per vector instead of one per float: Cycles looks each
    object attribute up by a linear search per shading point."""
    floats = [name for name in names if attribute_output(name) == "Fac"]
    packs = {}
    for start in range(0, len(floats), 3):
        group = floats[start:start + 3]
        for axis, name in enumerate(group):
            packs[name] = (f"{group[0]}_pack_xyz", axis)
    return packs


def pack_values(values: dict[str, object]) -> dict[str, object]:
    """The custom properties that hold `values` for `AttributeInputs(tree, prefix, values)`:
    3-vectors as they are, floats packed by `float_packs` (a short last vector padded with 0)."""
    packs = float_packs(tuple(values))
    packed = {name: value for name, value in values.items() if name not in packs}
    vectors: dict[str, list[float]] = {}
    for name, (vector, axis) in packs.items():
        vectors.setdefault(vector, [0.0, 0.0, 0.0])[axis] = values[name]
    packed.update((vector, tuple(components)) for vector, components in vectors.items())
    return packed


class AttributeInputs(Mapping):
    """`Inputs` read from the object's custom properties (prefixed `prefix`) as `pack_values`
    stores the values named `names`: `inputs[name]` is the `attribute_output` socket of an OBJECT
    Attribute node for a 3-vector, or a Separate XYZ output of the packed vector for a float
    (nodes made on first use, one per property). Cycles reads these per object at render time,
    so the values of a frame change without recompiling the shader."""

    def __init__(self, tree, prefix: str, names) -> None:
        self._tree, self._prefix = tree, prefix
        self._packs = float_packs(tuple(names))
        self._sockets: dict[str, bpy.types.NodeSocket] = {}
        self._separated: dict[str, bpy.types.Node] = {}

    def _attribute(self, name: str) -> bpy.types.Node:
        node = self._tree.nodes.new("ShaderNodeAttribute")
        node.attribute_type = "OBJECT"
        node.attribute_name = self._prefix + name
        return node

    def __getitem__(self, name: str) -> bpy.types.NodeSocket:
        socket = self._sockets.get(name)
        if socket is None:
            if name in self._packs:
                vector, axis = self._packs[name]
                separate = self._separated.get(vector)
                if separate is None:
                    separate = self._separated[vector] = self._tree.nodes.new("ShaderNodeSeparateXYZ")
                    self._tree.links.new(self._attribute(vector).outputs["Vector"], separate.inputs["Vector"])
                socket = separate.outputs["XYZ"[axis]]
            else:
                socket = self._attribute(name).outputs[attribute_output(name)]
            self._sockets[name] = socket
        return socket

    def __iter__(self):
        return iter(self._sockets)

    def __len__(self) -> int:
        return len(self._sockets)
