"""docs/output.md and the README's brief contract state the numbers `simgen/contract.py` defines."""

from __future__ import annotations

from pathlib import Path

from simgen import contract

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = (ROOT / "docs" / "output.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_output_page_states_the_contracts_numbers():
    assert f"round(depth_m * {contract.DEPTH_PNG_SCALE:g})" in OUTPUT
    assert f"beyond {int(contract.DEPTH_PNG_MAX_M * 100) / 100:.2f} m" in OUTPUT
    assert f"1..{contract.MAX_INSTANCES} per frame" in OUTPUT and f"{contract.INSTANCE_ID_BITS}-bit" in OUTPUT
    assert "`" + "N" * contract.FRAME_INDEX_DIGITS + "`" in OUTPUT
    assert "shard_" + "N" * contract.SHARD_DIGITS in OUTPUT and f"({contract.SHARD_DIGITS} digits)" in OUTPUT
    assert all(f"`{kind}`" in OUTPUT for kind in contract.DEPTH_KINDS)


def test_output_page_lists_every_dataset_file():
    names = [contract.IMAGES_DIR, contract.DEPTH_DIR, contract.INSTANCE_DIR, contract.SEMANTIC_DIR,
             contract.FRAMES_DIR, contract.ANNOTATIONS_FILE, contract.MANIFEST_FILE, contract.RUN_FILE,
             contract.SHARDS_DIR, contract.SHARD_STATE_FILE, contract.SHARD_MANIFEST_FILE, contract.SWEEP_LOG_DIR]
    tree = OUTPUT.split("## What a dataset contains", 1)[1].split("```")[1]
    assert [n for n in names if n not in tree] == []


def test_readme_brief_agrees():
    assert f"round(depth_m * {contract.DEPTH_PNG_SCALE:g})" in README
    assert f"1..{contract.MAX_INSTANCES} per frame" in README and f"{contract.INSTANCE_ID_BITS}-bit" in README
    assert "docs/output.md" in README and "simgen/contract.py" in README
