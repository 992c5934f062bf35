"""Shader-node helpers shared by the builders of materials, textures, weather and the world.

Material builders take their per-spec values through an `Inputs` mapping, name -> value: a
plain dict of constants bakes them into the node tree as default values (one material per
spec), and `AttributeInputs` reads each from the rendered object's custom properties through
an OBJECT Attribute node (one material for every spec of a structure; `simgen.blender.materials`).
The builders feed either kind with `feed`, so both give the same node graph.
"""

from __future__ import annotations

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


class AttributeInputs(Mapping):
    """`Inputs` read from the object's custom properties: `inputs[name]` is the `attribute_output`
    socket of an OBJECT Attribute node reading the property `prefix + name` (one node per name,
    made on first use). Cycles reads these per object at render time, so the values of a frame
    change without recompiling the shader."""

    def __init__(self, tree, prefix: str) -> None:
        self._tree, self._prefix = tree, prefix
        self._sockets: dict[str, bpy.types.NodeSocket] = {}

    def __getitem__(self, name: str) -> bpy.types.NodeSocket:
        socket = self._sockets.get(name)
        if socket is None:
            node = self._tree.nodes.new("ShaderNodeAttribute")
            node.attribute_type = "OBJECT"
            node.attribute_name = self._prefix + name
            socket = self._sockets[name] = node.outputs[attribute_output(name)]
        return socket

    def __iter__(self):
        return iter(self._sockets)

    def __len__(self) -> int:
        return len(self._sockets)
