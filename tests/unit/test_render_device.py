from __future__ import annotations

import pytest

from simgen.errors import RenderError
from simgen.render.device import choose_device


@pytest.mark.parametrize("requested, available, expected", [
    ("auto", {"OPTIX", "CUDA"}, "OPTIX"),
    ("auto", {"CUDA"}, "CUDA"),
    ("auto", set(), "CPU"),
    ("cpu", {"OPTIX"}, "CPU"),
    ("cuda", {"OPTIX", "CUDA"}, "CUDA"),
    ("optix", {"OPTIX"}, "OPTIX"),
])
def test_choice(requested, available, expected):
    assert choose_device(requested, available) == expected


def test_missing_gpu_is_a_clear_error():
    with pytest.raises(RenderError, match=r"render.device: got 'optix'.*no OPTIX device.*CUDA_VISIBLE_DEVICES=''"):
        choose_device("optix", {"CUDA"}, visible_devices="")
