"""User PBR texture sets (`materials.pbr_dir`): albedo / normal / roughness images for the
textured material slots, read and checked once per run at the config-to-spec edge.

Layout: one sub-folder per material slot (`PBR_SLOTS`), each holding one or more sets; a set is
the maps sharing a name prefix, `<set>_albedo.<ext>`, `<set>_normal.<ext>`,
`<set>_roughness.<ext>` (or plain `albedo.<ext>` ...: the set named 'default'). Map names are
case-insensitive; extensions `MAP_SUFFIXES`. The albedo is required; without a normal map the
surface stays flat, without a roughness map the material keeps its sampled roughness.

Checked (`load_texture_sets`), each failure one ConfigError naming `materials.pbr_dir`, the
file and what is allowed: the folder exists; every sub-folder is a slot; every image file
follows the naming; every set has an albedo; every map is readable, 8/16-bit integer or finite
float, at least `MIN_SIZE_PX` on each side, the same size as the set's albedo; the albedo has
3 or 4 channels (RGB, RGBA), the normal map 3 or 4 and a mean blue (z) above
`MIN_NORMAL_BLUE` (a tangent-space map, not a colour image), the roughness map 1 channel or
equal R, G, B (grey), values in [0, 1]. Power-of-two sizes are not required (Cycles samples any
size).

Colour spaces (`simgen.blender.pbr`): an integer albedo is sRGB-encoded, an OpenEXR or float
TIFF albedo linear (`TextureSet.albedo_linear`); normal and roughness maps are always read as
Non-Color data.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import OpenEXR

from simgen.errors import ConfigError, closest_name

PBR_FIELD = "materials.pbr_dir"
PBR_SLOTS = ("road", "sidewalk", "ground", "facade", "paint")
"""Material slots that take texture sets: the road's and the sidewalks' surface, the ground
beside them, building facades and vehicle paint (`simgen.sampling.texture_sets.pbr_slot`)."""
MAPS = ("albedo", "normal", "roughness")
MAP_SUFFIXES = (".png", ".jpg", ".jpeg", ".exr", ".tif", ".tiff")
MIN_SIZE_PX = 8
MIN_NORMAL_BLUE = 0.6
"""Least mean blue (z) of a tangent-space normal map in [0, 1] (flat = 1.0, encoded 0.5 + z / 2)."""
DEFAULT_SET = "default"
_MAP_NAME = re.compile(r"^(?:(?P<set>.+)_)?(?P<map>albedo|normal|roughness)$", re.IGNORECASE)


@dataclass(frozen=True)
class TextureSet:
    """One checked texture set.

    Attributes:
        slot: the material slot (its folder's name).
        name: the set's name inside the slot folder ('default' for unprefixed maps).
        albedo, normal, roughness: absolute paths ('' for a map the set lacks).
        width_px, height_px: size of every map of the set.
        albedo_linear: the albedo holds linear values (OpenEXR, float TIFF), not sRGB.
        sha256: digest of the set's map names and bytes.
    """

    slot: str
    name: str
    albedo: str
    normal: str
    roughness: str
    width_px: int
    height_px: int
    albedo_linear: bool
    sha256: str

    @property
    def label(self) -> str:
        """'<slot>/<set>', as recorded in the spec."""
        return f"{self.slot}/{self.name}"


def read_map(path: Path) -> tuple[np.ndarray, bool]:
    """(pixels, linear): (H, W, C) float32 in the file's own units (integers scaled to [0, 1]),
    channels R, G, B[, A] or one grey channel, C in 1..4; `linear` for float files (OpenEXR,
    float TIFF), whose colours are linear rather than sRGB-encoded.

    Raises:
        ValueError: unreadable, or an unsupported sample type.
    """
    if path.suffix.lower() == ".exr":
        try:
            with OpenEXR.File(str(path), separate_channels=True) as exr:
                channels = {name.rsplit(".", 1)[-1]: c for name, c in exr.parts[0].channels.items()}
        except (OSError, RuntimeError) as error:
            raise ValueError(f"OpenEXR cannot read it: {error}") from error
        names = [c for c in "RGBA" if c in channels] or [c for c in ("Y",) if c in channels]
        if not names:
            raise ValueError(f"no R, G, B or Y channel (has {', '.join(sorted(channels))})")
        return np.stack([np.asarray(channels[c].pixels, dtype=np.float32) for c in names], axis=-1), True
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise ValueError("OpenCV cannot read it as an image")
    if image.dtype == np.uint8 or image.dtype == np.uint16:
        scaled = image.astype(np.float32) / float(np.iinfo(image.dtype).max)
    elif image.dtype == np.float32:
        scaled = image
    else:
        raise ValueError(f"samples of type {image.dtype} (allowed: 8- or 16-bit integers, 32-bit float)")
    linear = image.dtype == np.float32
    if scaled.ndim == 2:
        return scaled[..., None], linear
    order = [2, 1, 0, 3][:scaled.shape[2]] if scaled.shape[2] in (3, 4) else list(range(scaled.shape[2]))
    return np.ascontiguousarray(scaled[..., order]), linear  # OpenCV's BGR(A) -> RGB(A)


def _check_map(kind: str, pixels: np.ndarray) -> str:
    """'' when `pixels` suits a map of `kind`, else what is wrong with it."""
    height, width, channels = pixels.shape
    if min(height, width) < MIN_SIZE_PX:
        return f"is {width}x{height} px; allowed: at least {MIN_SIZE_PX} px on each side"
    if not np.isfinite(pixels).all():
        return "has non-finite values; allowed: finite values"
    if kind == "albedo" and channels not in (3, 4):
        return f"has {channels} channel(s); allowed: an albedo with 3 (RGB) or 4 (RGBA) channels, sRGB or linear EXR"
    if kind == "normal":
        if channels not in (3, 4):
            return f"has {channels} channel(s); allowed: a tangent-space normal map with 3 channels (Non-Color)"
        blue = float(pixels[..., 2].mean())
        if blue < MIN_NORMAL_BLUE:
            return (f"has mean blue {blue:.2f}, so it is not a tangent-space normal map; allowed: mean blue "
                    f">= {MIN_NORMAL_BLUE} (flat = 1.0), read as Non-Color")
    if kind == "roughness":
        if channels not in (1, 3, 4) or (channels > 1 and np.ptp(pixels[..., :3], axis=-1).max() > 1e-3):
            return f"has {channels} colour channel(s); allowed: a grey roughness map (1 channel, or R = G = B)"
        if pixels.min() < 0.0 or pixels.max() > 1.0:
            return "has values outside [0, 1]; allowed: roughness in [0, 1] (Non-Color)"
    return ""


def _refuse(path: Path, problem: str) -> ConfigError:
    return ConfigError(PBR_FIELD, str(path), problem)


def _load_set(slot: str, name: str, maps: dict[str, Path]) -> TextureSet:
    """Check one set's maps (`maps`: kind -> file)."""
    if "albedo" not in maps:
        some = next(iter(maps.values()))
        prefix = "" if name == DEFAULT_SET else f"{name}_"
        raise _refuse(some, f"a set needs an albedo map; allowed: add {prefix}albedo.png (or .jpg, .exr, .tif) "
                            f"beside {some.name}")
    digest = hashlib.sha256()
    sizes, linear = {}, {}
    for kind in MAPS:
        if kind not in maps:
            continue
        path = maps[kind]
        try:
            data = path.read_bytes()
            pixels, linear[kind] = read_map(path)
        except (OSError, ValueError) as error:
            raise _refuse(path, f"cannot be read ({error}); allowed: PNG, JPEG, OpenEXR or TIFF images") from error
        problem = _check_map(kind, pixels)
        if problem:
            raise _refuse(path, f"the {kind} map {problem}")
        sizes[kind] = pixels.shape[1], pixels.shape[0]
        if sizes[kind] != sizes["albedo"]:
            raise _refuse(path, f"the {kind} map is {sizes[kind][0]}x{sizes[kind][1]} px; allowed: the size of its "
                                f"albedo, {sizes['albedo'][0]}x{sizes['albedo'][1]} px")
        digest.update(f"{kind}:{path.name}:".encode() + hashlib.sha256(data).digest())
    width, height = sizes["albedo"]
    return TextureSet(slot=slot, name=name, albedo=str(maps["albedo"].resolve()),
                      normal=str(maps["normal"].resolve()) if "normal" in maps else "",
                      roughness=str(maps["roughness"].resolve()) if "roughness" in maps else "",
                      width_px=width, height_px=height, albedo_linear=linear["albedo"],
                      sha256=digest.hexdigest())


def _slot_sets(folder: Path) -> tuple[TextureSet, ...]:
    """The sets of one slot folder, by name."""
    grouped: dict[str, dict[str, Path]] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() not in MAP_SUFFIXES:
            continue
        match = _MAP_NAME.match(path.stem)
        if match is None:
            raise _refuse(path, "map files named <set>_albedo, <set>_normal, <set>_roughness (or albedo, normal, "
                                f"roughness) with an extension of {', '.join(MAP_SUFFIXES)}")
        name, kind = match.group("set") or DEFAULT_SET, match.group("map").lower()
        if kind in grouped.setdefault(name, {}):
            raise _refuse(path, f"one {kind} map per set; allowed: remove {grouped[name][kind].name} or this file")
        grouped[name][kind] = path
    if not grouped:
        raise _refuse(folder, f"a slot folder holding albedo maps ({', '.join(MAP_SUFFIXES)}); this one holds none")
    return tuple(_load_set(folder.name, name, maps) for name, maps in sorted(grouped.items()))


def load_texture_sets(pbr_dir: str | Path | None) -> dict[str, tuple[TextureSet, ...]]:
    """Slot -> its texture sets (by name) in `pbr_dir`, checked; {} for None or ''.

    Raises:
        ConfigError: the folder is missing or holds no slot folder, a sub-folder is not a slot,
            or a map is misnamed, missing its albedo, unreadable or unsuitable (module docstring);
            the message names `materials.pbr_dir`, the path and what is allowed.
    """
    if pbr_dir is None or str(pbr_dir) == "":
        return {}
    root = Path(pbr_dir).expanduser()
    slots = ", ".join(PBR_SLOTS)
    if not root.is_dir():
        raise ConfigError(PBR_FIELD, str(pbr_dir), f"a folder with one sub-folder per material slot ({slots}) "
                          "(this is not a folder), or empty for procedural surfaces only")
    sets: dict[str, tuple[TextureSet, ...]] = {}
    for entry in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        if entry.is_dir():
            if entry.name not in PBR_SLOTS:
                raise _refuse(entry, f"sub-folders named after a material slot: {slots}"
                              + closest_name(entry.name, PBR_SLOTS))
            sets[entry.name] = _slot_sets(entry)
        elif entry.suffix.lower() in MAP_SUFFIXES:
            raise _refuse(entry, f"maps inside a slot folder ({slots}), not at the top of {PBR_FIELD}")
    if not sets:
        raise ConfigError(PBR_FIELD, str(pbr_dir), f"a folder with one sub-folder per material slot ({slots}); "
                          "this one holds none")
    return sets


def texture_sets_sha256(sets: dict[str, tuple[TextureSet, ...]]) -> str:
    """One digest of every set's label and contents ('' for none)."""
    if not sets:
        return ""
    digest = hashlib.sha256()
    for slot in sorted(sets):
        for texture_set in sets[slot]:
            digest.update(f"{texture_set.label}:{texture_set.sha256}\n".encode())
    return digest.hexdigest()
