"""What the spectral profile tool reads: the reflectance spectrum of the pixel under a map
point, from the topmost visible spectral raster there, and the CSV its pinned profiles export to.

Read on the main thread, on purpose: a spectrum is one windowed read of every band through
GDAL's direct I/O (core/imagery/sampling.read_spectrum, ~1 ms on a 150-band scene), quicker than
handing it to a task and back. Each raster is opened and described once (its header: a few ms)
and kept while its file is unchanged; the datasets are used from the main thread only.
"""

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Optional, Sequence, Tuple

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
)

from ..imagery.sampling import pixel_at, read_spectrum
from ..imagery.spectra import SpectralError
from .main_thread import require_main_thread
from .spectral_source import SpectralFile, layer_file, open_spectral

CSV_COLUMNS = ("point", "x", "y", "crs", "wavelength_nm", "reflectance")


@dataclass(frozen=True)
class Profile:
    layer_name: str
    x: float  # the pixel's centre, in the raster's CRS
    y: float
    crs: str  # authid (EPSG:4326), or the WKT when the CRS has no authority id
    column: int
    row: int
    wavelengths_nm: np.ndarray  # ascending; bands without a known wavelength left out
    values: np.ndarray  # reflectance; NaN where nodata or masked

    @property
    def has_data(self) -> bool:
        return bool(np.isfinite(self.values).any())


class ProfileReader:
    """Spectra under map points. MAIN THREAD ONLY (layers, and datasets kept between clicks)."""

    def __init__(self) -> None:
        self._files: Dict[str, Tuple[float, Optional[SpectralFile]]] = {}

    def clear(self, *_: object) -> None:
        self._files.clear()

    def spectral_file(self, layer: QgsRasterLayer) -> Optional[SpectralFile]:
        """The layer's file opened for spectra, or None when it has no band wavelengths."""
        path = layer_file(layer)
        if path is None:
            return None
        key = str(path)
        modified = path.stat().st_mtime
        cached = self._files.get(key)
        if cached is None or cached[0] != modified:
            try:
                source = open_spectral(path)
            except SpectralError:
                source = None
            cached = (modified, source if source is not None and source.is_spectral else None)
            self._files[key] = cached
        return cached[1]

    def profile_at(
        self,
        layers: Iterable,
        point: QgsPointXY,
        crs: QgsCoordinateReferenceSystem,
        project: Optional[QgsProject] = None,
    ) -> Optional[Profile]:
        """The spectrum at `point` (in `crs`, the map's) of the first of `layers` (the canvas'
        layers, topmost first) that is a spectral raster covering it; None if none does."""
        require_main_thread("Spectral profiles are read on the main thread only.")
        project = project or QgsProject.instance()
        for layer in layers:
            if not isinstance(layer, QgsRasterLayer):
                continue
            source = self.spectral_file(layer)
            if source is None:
                continue
            try:
                mapped = QgsCoordinateTransform(crs, layer.crs(), project).transform(point)
            except QgsCsException:
                continue
            pixel = pixel_at(source.dataset, mapped.x(), mapped.y())
            if pixel is None:
                continue
            return _profile(layer, source, *pixel)
        return None


def _profile(layer: QgsRasterLayer, source: SpectralFile, column: int, row: int) -> Profile:
    spectrum = read_spectrum(source.dataset, column, row, source.bands)
    known = ~np.isnan(spectrum.wavelengths_nm)
    order = np.argsort(spectrum.wavelengths_nm[known], kind="stable")
    origin_x, width, row_rotation, origin_y, column_rotation, height = (
        source.dataset.GetGeoTransform()
    )
    centre = (column + 0.5, row + 0.5)
    crs = layer.crs()
    return Profile(
        layer_name=layer.name(),
        x=origin_x + centre[0] * width + centre[1] * row_rotation,
        y=origin_y + centre[0] * column_rotation + centre[1] * height,
        crs=crs.authid() or crs.toWkt(),
        column=column,
        row=row,
        wavelengths_nm=spectrum.wavelengths_nm[known][order],
        values=spectrum.values[known][order],
    )


def write_csv(profiles: Sequence[Tuple[str, Profile]], path: Path) -> None:
    """Long format, one row per (profile, band): point (its label), x, y, crs, wavelength_nm,
    reflectance (empty where nodata). UTF-8, comma-separated, a header row."""
    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for label, profile in profiles:
            for nm, value in zip(profile.wavelengths_nm, profile.values):
                writer.writerow([
                    label, repr(profile.x), repr(profile.y), profile.crs, f"{nm:g}",
                    "" if math.isnan(value) else repr(float(value)),
                ])
