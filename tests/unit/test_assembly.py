"""Dataset assembly (writers/assembly.py): what it records about the frames it assembles."""

from __future__ import annotations

from simgen.writers.assembly import assemble


def test_provenance_is_summarized_while_assembling(tmp_path):
    provenances = [{"device": "CPU", "blender_version": "5.0.1"}, {"device": "OPTIX", "blender_version": "5.0.1"}, None]
    records = []
    for index, provenance in enumerate(provenances):
        record = {"frame_index": index, "image": {"id": index, "file_name": f"images/{index:06d}.png",
                                                  "frame_seed": {}}, "annotations": [], "spec": {}, "timing": {}}
        if provenance:
            record["provenance"] = provenance
        records.append(record)
    result = assemble(tmp_path / "a.json", tmp_path / "m.jsonl", iter(records), lambda r: {}, {"car": 1})
    assert result.provenance_summary() == {"device": "CPU, OPTIX, unknown", "blender_version": "5.0.1, unknown"}
