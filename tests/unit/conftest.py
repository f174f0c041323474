"""Fixtures of the unit tier: real rasters for the core/imagery tests (the sandbox's products and
small GeoTIFFs of our own), and a session holding the sandbox's API key.

GDAL is imported by the fixtures, not here: the unit tests that need no raster run without it."""

from pathlib import Path
from typing import Dict, Optional, Sequence

import numpy as np
import pytest

FIREFLY_150_NM = tuple(float(nm) for nm in np.round(np.linspace(470.0, 900.0, 150), 1))


def _sandbox_products():
    pytest.importorskip("osgeo.gdal")
    from sandbox import products

    return products


@pytest.fixture(scope="session")
def product_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("imagery-products")


@pytest.fixture(scope="session")
def td2_product(product_cache):
    """The sandbox's TD-2 product, all 67 bands (450-950 nm): spec and role -> path."""
    products = _sandbox_products()
    spec = products.small_spec(satellite="TD2", bands=67, size=(120, 96), seed=3)
    return spec, products.product_files(spec, product_cache)


@pytest.fixture(scope="session")
def firefly_product(product_cache):
    """A 150-band Firefly-like VNIR product (470-900 nm), from the sandbox's generator."""
    products = _sandbox_products()
    spec = products.ProductSpec(
        "FF01_000150_20240101_L2A_20240102_00501150",
        "FF01",
        (77.5, 12.9, 77.5 + 120 * 5e-5, 12.9 + 96 * 5e-5),
        120,
        96,
        FIREFLY_150_NM,
        11,
        "zip",
    )
    return spec, products.product_files(spec, product_cache)


def write_geotiff(
    path: Path,
    cube: np.ndarray,
    *,
    wavelengths_nm: Optional[Sequence[float]] = None,
    nodata: Optional[float] = None,
    options: Sequence[str] = (),
    geotransform=(500000.0, 30.0, 0.0, 4000000.0, 0.0, -30.0),
    band_metadata: Optional[Sequence[Dict[str, str]]] = None,
) -> Path:
    """A GeoTIFF of `cube` (bands, rows, columns), with wavelengths in band metadata when given."""
    gdal = pytest.importorskip("osgeo.gdal")
    count, height, width = cube.shape
    data_type = gdal.GDT_Float32 if cube.dtype.kind == "f" else gdal.GDT_UInt16
    dataset = gdal.GetDriverByName("GTiff").Create(
        str(path), width, height, count, data_type, list(options)
    )
    dataset.SetGeoTransform(geotransform)
    for index in range(count):
        band = dataset.GetRasterBand(index + 1)
        band.WriteArray(cube[index])
        if wavelengths_nm is not None:
            band.SetMetadata({"wavelength": f"{wavelengths_nm[index]:g}", "wavelength_units": "nm"})
        if band_metadata is not None:
            band.SetMetadata(dict(band_metadata[index]))
        if nodata is not None:
            band.SetNoDataValue(nodata)
    dataset = None
    return path


@pytest.fixture
def geotiff(tmp_path):
    """`geotiff(name, cube, **write_geotiff options)` -> the path of a new GeoTIFF in tmp_path."""
    return lambda name, cube, **options: write_geotiff(tmp_path / name, cube, **options)


@pytest.fixture
def sb(sandbox):
    """The session's sandbox, reset (tests/conftest.py); modules needing a sandbox of their own
    define their own `sb`."""
    return sandbox


@pytest.fixture
def api(sb):
    """A session holding the sandbox's API key, for the modules that talk to the sandbox's API
    directly (each module's `sb` fixture gives the sandbox)."""
    from sandbox.client import TimedSession

    session = TimedSession()
    session.headers["Authorization"] = sb.api_key
    yield session
    session.close()
