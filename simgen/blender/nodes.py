"""Shader-node helpers shared by the builders of materials, textures, weather and the world."""

from __future__ import annotations

import bpy


def socket_by_id(sockets, identifier: str) -> bpy.types.NodeSocket:
    """A node socket by identifier: ShaderNodeMix has A/B/Result sockets per data type under the
    same name (bpy 5.0.1), so names are ambiguous; identifiers are e.g. 'A_Color', 'Factor_Float'."""
    return next(socket for socket in sockets if socket.identifier == identifier)
