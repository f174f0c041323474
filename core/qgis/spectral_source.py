"""The bridge between QGIS raster layers and the spectral engine (core/imagery): which file a
layer reads, and how that file's bands become reflectance.

Reflectance scale (decided here once, for the index, extraction, band-combination and profile
tools alike). A Pixxel L2A image stores reflectance x 50000 with nodata 0 (API.md), but a
delivered GeoTIFF need not say so in its tags. A raster is taken for a Pixxel L2 product when
 - its file name parses as a Pixxel product name (products.parse_product_name) of level L2x, or
 - its own metadata says so: a `product_name` that parses as one, or `level` L2x together with a
   `satellite_code` (the tags Pixxel's and the sandbox's GeoTIFFs carry),
and then 1/50000 and nodata 0 are its DEFAULTS: a scale, offset or nodata the file declares
itself (band or dataset metadata, ENVI header) still wins, as describe_spectral_bands orders it.
Any other raster is read as it declares, scale 1 otherwise: an L1 (radiance) product or someone
else's raster is never rescaled on a guess.

Plain GDAL apart from layer_file(), which reads a layer and so belongs to the main thread.
"""

from pathlib import Path
from typing import NamedTuple, Optional, Union

from osgeo import gdal
from qgis.core import QgsMapLayer, QgsProviderRegistry, QgsRasterLayer

from ..imagery.products import parse_product_name
from ..imagery.spectra import (
    PIXXEL_L2A_SCALE,
    SpectralBands,
    describe_spectral_bands,
    open_raster,
    read_envi_header,
)

PIXXEL_NODATA = 0.0
MASK_SUFFIX = ".mask.tif"


class SpectralFile(NamedTuple):
    path: Path
    dataset: "gdal.Dataset"
    bands: SpectralBands
    pixxel: bool  # read with Pixxel L2's default scale and nodata

    @property
    def is_spectral(self) -> bool:
        """At least one good band with a known wavelength: what the spectral tools need."""
        return bool(self.bands.usable)

    @property
    def mask(self) -> Optional[Path]:
        """A Pixxel product's quality mask beside it, if it is there."""
        if not self.pixxel:
            return None
        mask = self.path.with_name(self.path.stem + MASK_SUFFIX)
        return mask if mask.is_file() else None


def layer_file(layer: Optional[QgsMapLayer]) -> Optional[Path]:
    """The local file a GDAL raster layer reads; None for anything else (WMS, a remote or
    in-memory source, a vector layer). MAIN THREAD: it reads the layer."""
    if not isinstance(layer, QgsRasterLayer) or layer.providerType() != "gdal":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("gdal", layer.source())
    path = Path(parts.get("path") or layer.source())
    # Only plain files: a /vsicurl/ source would make GDAL wait on the network, and a raster
    # whose sub-dataset or layer name is part of the URI is not the file's first raster.
    if parts.get("layerName") or parts.get("vsiPrefix") or not path.is_file():
        return None
    return path


def open_spectral(path: Union[str, Path]) -> SpectralFile:
    """The raster at `path` opened for spectra (spectra.open_raster) and described with the
    module docstring's reflectance rule. SpectralError if GDAL cannot read it."""
    path = Path(path)
    dataset = open_raster(path)
    pixxel = is_pixxel_l2(path, dataset)
    header = path.with_suffix(".hdr")
    bands = describe_spectral_bands(
        dataset,
        # Pixxel's ENVI side file holds the wavelengths when the GeoTIFF's tags do not.
        envi_header=read_envi_header(header) if header.is_file() else None,
        default_scale=PIXXEL_L2A_SCALE if pixxel else 1.0,
        default_nodata=PIXXEL_NODATA if pixxel else None,
    )
    return SpectralFile(path, dataset, bands, pixxel)


def is_pixxel_l2(path: Path, dataset: "gdal.Dataset") -> bool:
    metadata = dataset.GetMetadata() or {}
    for name in (path.name, metadata.get("product_name", "")):
        parts = parse_product_name(name) if name else None
        if parts is not None:
            return parts.level.startswith("L2")
    level = metadata.get("level", "").strip().upper()
    return bool(metadata.get("satellite_code", "").strip()) and level.startswith("L2")
