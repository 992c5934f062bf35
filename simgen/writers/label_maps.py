"""Per-frame label maps: instance, semantic and COCO panoptic PNGs (all optional, `output.*`).

Every map is computed from the first-sample passes of the output image (object index,
material index, depth; `simgen.render.passes`), so they agree with the COCO masks pixel for pixel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from simgen import contract
from simgen.annotations.instances import Instance
from simgen.annotations.panoptic import encode_segment_ids, semantic_panoptic
from simgen.annotations.semantic import semantic_map
from simgen.config.schema import OutputConfig
from simgen.errors import RenderError
from simgen.render.passes import RenderPasses
from simgen.specs import FrameSpec
from simgen.writers.atomic import WrittenFile, write_file
from simgen.writers.images import encode_rgb_png, encode_uint16_png


def write_label_maps(output: OutputConfig, spec: FrameSpec, passes: RenderPasses, instances: Sequence[Instance],
                     categories: Mapping[str, int], root: Path) -> tuple[dict[str, WrittenFile], dict | None]:
    """Write the label maps `output` asks for into dataset `root`.

    Args:
        passes: the output-image passes (after the sensor model).
        instances: the frame's labeled instances (`label_frame(...).instances`).

    Returns:
        the files written ({"instance_map": ..., "semantic_map": ..., "panoptic_map": ...}: each
        its dataset-relative path and the sha256 of its bytes), and the frame's COCO panoptic
        annotation (image_id, file_name relative to panoptic/, segments_info) or None without
        `output.panoptic`.

    Raises:
        RenderError: semantic or panoptic output without a Material Index pass.
    """
    index = spec.frame_index
    files = {}
    if output.instance_maps:
        files["instance_map"] = write_file(root, contract.FRAME_FILES["instance_map"](index),
                                           encode_uint16_png(passes.object_index))
    if not (output.semantic_maps or output.panoptic):
        return files, None
    if passes.material_index is None:
        raise RenderError(f"frame {index}: semantic and panoptic maps need the Material Index pass, which the "
                          "renderer did not write")
    if output.panoptic:
        semantic, ids, segments = semantic_panoptic(passes.object_index, passes.material_index,
                                                    passes.depth_planar_m, spec, instances, categories)
    else:
        semantic = semantic_map(passes.object_index, passes.material_index, passes.depth_planar_m, spec, categories)
    if output.semantic_maps:
        files["semantic_map"] = write_file(root, contract.FRAME_FILES["semantic_map"](index),
                                           encode_uint16_png(semantic))
    if not output.panoptic:
        return files, None
    files["panoptic_map"] = write_file(root, contract.FRAME_FILES["panoptic_map"](index),
                                       encode_rgb_png(encode_segment_ids(ids)))
    return files, {"image_id": index, "file_name": Path(files["panoptic_map"].path).name, "segments_info": segments}
