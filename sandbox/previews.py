"""Thumbnails of archive items and catalogs: small true-colour PNGs made with GDAL.

A thumbnail is rendered from a three-band (red, green, blue) sibling of the item's product: the
same seed, so the same landscape (the scene is drawn in image-relative coordinates), at
``THUMBNAIL_PX`` on the longer side whatever the product's size, so even a 1 GiB product's
thumbnail costs milliseconds. Stretched 2-98 %, nodata transparent; cached by name.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable, Optional

import numpy as np
from osgeo import gdal

from . import products
from .satellites import pick_wavelengths

THUMBNAIL_PX = 256


class Thumbnails:
    def __init__(self, cache_dir: Path, find: Callable[[str], Optional[object]]) -> None:
        self.cache_dir = Path(cache_dir) / "previews"
        self.find = find  # STAC item id -> ArchiveItem (its .spec), or None

    def resolve(self, item_id: str, file_name: str) -> Optional[Path]:
        """The PNG behind ``/previews/<item id>/<item id>.png``, built on first use."""
        if file_name != f"{item_id}.png":
            return None
        item = self.find(item_id)
        if item is None:
            return None
        return products._cached(self.cache_dir / file_name,
                                lambda partial: _render(item.spec, self.cache_dir, partial))


def thumbnail_spec(spec: products.ProductSpec) -> products.ProductSpec:
    parts = spec.parts
    scale = THUMBNAIL_PX / max(spec.width, spec.height)
    width, height = max(1, round(spec.width * scale)), max(1, round(spec.height * scale))
    name = products.product_name(spec.satellite, parts.image_id, parts.acquired, spec.level,
                                 parts.produced, parts.resolution_m, parts.version, 3)
    return dataclasses.replace(spec, name=name, width=width, height=height, delivery="tif",
                               wavelengths_nm=pick_wavelengths(spec.satellite, 3))


def _render(spec: products.ProductSpec, cache_dir: Path, target: Path) -> None:
    image = products.product_files(thumbnail_spec(spec), cache_dir / "rgb")["image"]
    source = gdal.Open(str(image))
    bgr = source.ReadAsArray().astype(np.float32)  # bands ascend in wavelength: blue first
    source = None
    rgb = bgr[::-1]
    valid = rgb[:, (rgb > 0).all(axis=0)]
    low, high = np.percentile(valid, (2, 98)) if valid.size else (0.0, 1.0)
    scaled = np.clip((rgb - low) / max(high - low, 1.0) * 254 + 1, 1, 255).astype(np.uint8)
    alpha = np.where((rgb > 0).all(axis=0), 255, 0).astype(np.uint8)
    memory = gdal.GetDriverByName("MEM").Create("", rgb.shape[2], rgb.shape[1], 4, gdal.GDT_Byte)
    memory.WriteArray(np.concatenate([scaled, alpha[None]]))
    gdal.GetDriverByName("PNG").CreateCopy(str(target), memory)
    memory = None
    target.with_name(target.name + ".aux.xml").unlink(missing_ok=True)
