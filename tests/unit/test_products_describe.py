"""describe_products(): roles, wavelengths from every source, true colour, stretch, tolerance."""

import contextlib
import datetime
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

gdal = pytest.importorskip("osgeo.gdal")

from pixxel_qgis.core.imagery import products as described  # noqa: E402 - only once GDAL is known
from pixxel_qgis.core.imagery.products import (  # noqa: E402
    FALLBACK_STRETCH,
    BandInfo,
    describe_products,
    parse_product_name,
)
from pixxel_qgis.core.pixxel.errors import CancelledError, UnexpectedResponseError  # noqa: E402
from sandbox import products, satellites  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
ACQUIRED, PRODUCED = datetime.date(2023, 3, 14), datetime.date(2023, 5, 4)


def make_spec(size=(64, 48), **options):
    return products.small_spec(size=size, **options)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("products")


@pytest.fixture(scope="module")
def product(cache):
    """A vegetation-y scene with every land cover, clouds, water and a nodata corner."""
    spec = make_spec(bands=30, size=(160, 128), seed=3)
    return spec, products.product_files(spec, cache)


@pytest.fixture
def copy(product, tmp_path):
    """A private copy of the product's folder, free to be edited: role -> path."""
    spec, files = product
    folder = shutil.copytree(files["image"].parent, tmp_path / spec.name)
    return spec, {role: folder / path.name for role, path in files.items()}


def describe_one(paths, **kwargs):
    result = describe_products(paths, **kwargs)
    assert len(result) == 1
    return result[0]


def open_tiff_alone(image: Path, *, update: bool = False) -> "gdal.Dataset":
    """The GeoTIFF as its own bytes say, whatever lies beside it: GDAL 3.13 (not 3.10) also reads
    the wavelengths of a sibling ENVI header (X.hdr beside X.tif) into the bands' metadata, and
    writes them into the TIFF (IMAGERY domain) when the bands' metadata is changed."""
    flags = gdal.OF_RASTER | (gdal.OF_UPDATE if update else 0)
    return gdal.OpenEx(str(image), flags, sibling_files=[image.name])


@contextlib.contextmanager
def gdal_blind_to_side_files():
    """GDAL opening files as if their folder held nothing else (no ENVI header, no .aux.xml)."""
    previous = gdal.GetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN")
    gdal.SetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR")
    try:
        yield
    finally:
        gdal.SetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", previous)


def strip_band_metadata(image: Path, *, descriptions: bool = False) -> None:
    dataset = open_tiff_alone(image, update=True)
    dataset.SetMetadataItem("wavelength_units", None)
    for index in range(1, dataset.RasterCount + 1):
        band = dataset.GetRasterBand(index)
        band.SetMetadata({})
        if descriptions:
            band.SetDescription("")
    dataset = None
    dataset = open_tiff_alone(image)  # kept: a band outlives no dataset
    band = dataset.GetRasterBand(1)
    assert band.GetMetadata() == {}
    assert band.GetMetadataDomainList() in (None, [], [""])
    assert band.GetDescription() == "" or not descriptions


def write_tif(path: Path, cube: np.ndarray, nodata=None, descriptions=()) -> Path:
    bands, height, width = cube.shape
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), width, height, bands, gdal.GDT_UInt16)
    dataset.SetGeoTransform((10.0, 0.001, 0, 50.0, 0, -0.001))
    for index in range(bands):
        band = dataset.GetRasterBand(index + 1)
        band.WriteArray(cube[index])
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if index < len(descriptions):
            band.SetDescription(descriptions[index])
    dataset = None
    return path


def nearest_band(wavelengths, nm):
    return min(range(len(wavelengths)), key=lambda i: abs(wavelengths[i] - nm)) + 1


# --- names ---------------------------------------------------------------------------------------


def test_product_name_parts():
    parts = parse_product_name("TD1_005630_20230314_L2A_20230504_03001069")
    assert parts.satellite == "TD1"
    assert parts.image_id == "005630"
    assert (parts.acquired, parts.produced) == (ACQUIRED, PRODUCED)
    assert (parts.level, parts.resolution_m, parts.version, parts.band_count) == ("L2A", 30, 1, 69)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ff03_000012_20240102_l2a_20240105_00502045.tif", ("FF03", "L2A", 5, 45)),
        ("TD2_123_20240102_L1C_20240105 (1)", ("TD2", "L1C", None, None)),
        ("TD1_005630_20230314_L2A_20230504_03001069_clip", ("TD1", "L2A", 30, 69)),
    ],
)
def test_product_name_parsing_is_tolerant(name, expected):
    parts = parse_product_name(name)
    assert (parts.satellite, parts.level, parts.resolution_m, parts.band_count) == expected


def test_impossible_dates_and_other_names():
    assert parse_product_name("TD1_005630_20231399_L2A_20230504_03001069").acquired is None
    assert parse_product_name("download") is None
    assert parse_product_name("S2A_MSIL2A_20230314T052651_N0509") is None


# --- roles ---------------------------------------------------------------------------------------


def test_a_zip_delivery_gives_one_product_with_every_side_file(product):
    spec, files = product
    found = describe_one(files.values())
    assert found.name == spec.name
    assert (found.image, found.mask, found.footprint) == (
        files["image"],
        files["mask"],
        files["footprint"],
    )
    assert (found.preview, found.header, found.metadata_xml) == (
        files["preview"],
        files["header"],
        files["metadata"],
    )
    assert (found.satellite, found.level, found.acquired) == ("TD1", "L2A", ACQUIRED)
    assert found.band_count == len(found.bands) == 30
    assert "4326" in found.crs_wkt
    assert found.nodata == 0
    assert found.size_bytes == files["image"].stat().st_size
    assert not found.needs_overviews


def test_roles_come_from_names_and_content(copy):
    spec, files = copy
    folder = files["image"].parent
    (folder / "readme.txt").write_text("hello")
    (folder / f"{spec.name}.tif.aux.xml").write_text("<PAMDataset/>")
    (folder / "error.tif").write_text("<html>403 Forbidden</html>")
    shutil.copy(files["image"], folder / f"{spec.name}.tif.ovr")
    shutil.copy(files["image"], folder / "unnamed-download")
    found = describe_products(sorted(folder.iterdir()) + [folder])
    assert [(item.name, item.image.name) for item in found] == [
        (spec.name, f"{spec.name}.tif"),
        ("unnamed-download", "unnamed-download"),
    ]
    assert found[0].mask == files["mask"]
    assert found[0].metadata_xml == files["metadata"]
    assert found[1].mask is None


def test_several_products_are_sorted_by_name_and_keep_their_own_side_files(cache):
    specs = [make_spec(image_id=2), make_spec(image_id=1)]
    deliveries = [products.product_files(spec, cache) for spec in specs]
    files = [path for delivery in deliveries for path in delivery.values()]
    found = describe_products(files)
    assert [item.name for item in found] == sorted(spec.name for spec in specs)
    for item in found:
        assert item.mask.name == f"{item.name}.mask.tif"
        assert item.header.name == f"{item.name}.hdr"


@pytest.mark.parametrize("kept", [(), ("mask",), ("header",), ("footprint", "preview")])
def test_missing_side_files_are_fine(copy, kept):
    spec, files = copy
    for role, path in files.items():
        if role != "image" and role not in kept:
            path.unlink()
    found = describe_one(files["image"].parent.iterdir())
    assert found.name == spec.name
    assert found.mask == (files["mask"] if "mask" in kept else None)
    assert found.header == (files["header"] if "header" in kept else None)
    assert found.preview == (files["preview"] if "preview" in kept else None)
    assert found.rgb == tuple(nearest_band(spec.wavelengths_nm, nm) for nm in (650, 560, 480))
    assert all(1 <= s.minimum < s.maximum <= 50000 for s in found.stretch)


def test_a_bare_tif_under_another_name_reads_its_facts_from_metadata(product, tmp_path):
    spec, files = product
    image = shutil.copy(files["image"], tmp_path / "download.tif")
    found = describe_one([Path(image)])
    assert found.name == "download"
    assert (found.mask, found.header, found.footprint) == (None, None, None)
    assert (found.satellite, found.level, found.acquired) == ("TD1", "L2A", ACQUIRED)
    assert [band.wavelength_nm for band in found.bands] == pytest.approx(spec.wavelengths_nm)


def test_a_damaged_tiff_is_reported(tmp_path):
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00" + b"\xff" * 100)
    with pytest.raises(UnexpectedResponseError, match="broken.tif"):
        describe_products([broken])


def test_nothing_to_describe():
    assert describe_products([]) == []


def test_cancellation_stops_the_work(product):
    with pytest.raises(CancelledError):
        describe_products(product[1].values(), is_cancelled=lambda: True)


# --- wavelengths ---------------------------------------------------------------------------------


def test_wavelengths_and_names_from_band_metadata(product):
    spec, files = product
    found = describe_one([files["image"]])
    assert [band.index for band in found.bands] == list(range(1, 31))
    assert [band.wavelength_nm for band in found.bands] == pytest.approx(spec.wavelengths_nm)
    assert all(band.name.startswith("B") and len(band.name) == 4 for band in found.bands)


@pytest.mark.parametrize("gdal_reads_the_header", [False, True], ids=["ours", "gdal's-too"])
def test_wavelengths_from_the_envi_header_when_the_image_has_none(copy, gdal_reads_the_header):
    """The header parsed here, with GDAL blind to it (as GDAL 3.10 always is), and as GDAL
    opens the image by itself (3.13, not 3.10, applies the header's wavelengths to the bands)."""
    spec, files = copy
    strip_band_metadata(files["image"], descriptions=True)
    if gdal_reads_the_header:
        found = describe_one(files.values())
    else:
        with gdal_blind_to_side_files():
            found = describe_one(files.values())
    assert [band.wavelength_nm for band in found.bands] == pytest.approx(spec.wavelengths_nm)
    header_names = files["header"].read_text().split("band names = {")[1].split("}")[0]
    assert [band.name for band in found.bands] == [n.strip() for n in header_names.split(",")]


def test_wavelengths_from_band_descriptions_without_metadata_or_header(copy):
    spec, files = copy
    strip_band_metadata(files["image"])
    files["header"].unlink()
    found = describe_one([files["image"]])
    assert [band.wavelength_nm for band in found.bands] == pytest.approx(spec.wavelengths_nm)
    assert found.bands[0].name.startswith("B")


def test_micrometres_become_nanometres(tmp_path):
    cube = np.full((3, 4, 4), 1000, dtype=np.uint16)
    image = write_tif(
        tmp_path / "x.tif", cube, descriptions=("a (0.48 um)", "b (0.5603 µm)", "c (650 nm)")
    )
    dataset = gdal.Open(str(image), gdal.GA_Update)
    dataset.GetRasterBand(1).SetMetadata({"wavelength": "0.47", "wavelength_units": "nm"})
    dataset = None
    found = describe_one([image])
    assert [band.wavelength_nm for band in found.bands] == pytest.approx([470, 560.3, 650])
    assert [band.name for band in found.bands] == ["a", "b", "c"]


def test_header_in_micrometres_multiline_and_with_index_units(tmp_path):
    image = write_tif(tmp_path / "x.tif", np.full((3, 4, 4), 9, dtype=np.uint16))
    header = tmp_path / "x.hdr"
    header.write_text(
        "ENVI\nwavelength units = Micrometers\nwavelength = {\n 0.48,\n 0.56, 0.65}\n"
    )
    assert [b.wavelength_nm for b in describe_one([image, header]).bands] == pytest.approx(
        [480, 560, 650]
    )
    header.write_text("ENVI\nwavelength units = Index\nwavelength = {1, 2, 3}\n")
    found = describe_one([image, header])
    assert [band.wavelength_nm for band in found.bands] == [None, None, None]
    assert found.rgb == (3, 2, 1)


def test_a_header_that_does_not_fit_the_image_is_ignored(tmp_path):
    write_tif(tmp_path / "x.tif", np.full((3, 4, 4), 9, dtype=np.uint16))
    (tmp_path / "x.hdr").write_text("ENVI\nwavelength = {480, 560}\nband names = {a, b}\n")
    found = describe_one(tmp_path.iterdir())
    assert found.bands == (
        BandInfo(1, "Band 1", None),
        BandInfo(2, "Band 2", None),
        BandInfo(3, "Band 3", None),
    )


# --- true colour ---------------------------------------------------------------------------------


def test_true_colour_from_wavelengths(product):
    spec, files = product
    found = describe_one(files.values())
    assert found.rgb == tuple(nearest_band(spec.wavelengths_nm, nm) for nm in (650, 560, 480))


def test_true_colour_from_the_satellites_rgb_composite(product):
    spec, files = product
    composite = satellites.satellite_by_code("TD1")["rgb_composite"]
    by_name = {band.name: band.index for band in describe_one([files["image"]]).bands}
    assert describe_one(files.values(), rgb_band_names=composite).rgb == tuple(
        by_name[composite[colour]] for colour in ("red", "green", "blue")
    )
    # A composite naming other bands wins over wavelengths, whatever its case...
    names = list(by_name)
    other = {"red": names[20].lower(), "green": names[10], "blue": names[0]}
    assert describe_one(files.values(), rgb_band_names=other).rgb == (21, 11, 1)
    # ...but one naming bands this image does not carry is ignored.
    missing = dict(composite, red="B999")
    assert (
        describe_one(files.values(), rgb_band_names=missing).rgb == describe_one(files.values()).rgb
    )


def test_true_colour_without_any_wavelength(tmp_path):
    many = write_tif(tmp_path / "many.tif", np.full((5, 4, 4), 7, dtype=np.uint16))
    one = write_tif(tmp_path / "one.tif", np.full((1, 4, 4), 7, dtype=np.uint16))
    found = {item.name: item for item in describe_products([many, one])}
    assert found["many"].rgb == (3, 2, 1)
    assert found["one"].rgb == (1, 1, 1)
    assert found["one"].stretch == (found["one"].stretch[0],) * 3


# --- stretch -------------------------------------------------------------------------------------


def test_stretch_is_a_sane_cut_of_valid_reflectance(product):
    spec, files = product
    found = describe_one(files.values())
    cube = gdal.Open(str(files["image"])).ReadAsArray()
    for index, stretch in zip(found.rgb, found.stretch):
        assert 1 <= stretch.minimum < stretch.maximum <= 50000
        valid = cube[index - 1][cube[index - 1] > 0]
        low, high = np.percentile(valid, (2, 98))
        assert stretch.minimum == pytest.approx(low, rel=0.05)
        assert stretch.maximum == pytest.approx(high, rel=0.05)


def test_stretch_ignores_nodata_and_the_masks_nodata_bit(copy):
    spec, files = copy
    red = describe_one(files.values()).rgb[0]
    dataset = gdal.Open(str(files["image"]), gdal.GA_Update)
    values = dataset.GetRasterBand(red).ReadAsArray()
    values[:, : values.shape[1] // 3] = 0  # a third nodata: a 2 % cut would land on 0
    values[-10:, -40:] = 50000  # flagged nodata in the mask: must not count
    dataset.GetRasterBand(red).WriteArray(values)
    dataset = None
    mask = gdal.Open(str(files["mask"]), gdal.GA_Update)
    bits = mask.ReadAsArray()
    bits[-10:, -40:] = 8
    mask.GetRasterBand(1).WriteArray(bits)
    mask = None
    stretch = describe_one(files.values()).stretch[0]
    assert stretch.minimum >= 1
    assert stretch.maximum < 40000


def test_an_all_nodata_band_falls_back_to_the_full_range(tmp_path):
    cube = np.zeros((3, 8, 8), dtype=np.uint16)
    cube[1] = 1234
    found = describe_one([write_tif(tmp_path / "x.tif", cube, nodata=0)])
    assert found.stretch[0] == FALLBACK_STRETCH == found.stretch[2]
    assert found.stretch[1].minimum == 1234 < found.stretch[1].maximum


def test_big_images_without_overviews_need_them(product, tmp_path, monkeypatch):
    spec, files = product
    image = Path(shutil.copy(files["image"], tmp_path / files["image"].name))
    monkeypatch.setattr(described, "OVERVIEWS_ABOVE_BYTES", 1000)
    assert describe_one([image]).needs_overviews
    dataset = gdal.Open(str(image))  # read-only: external overviews, as OverviewTask builds them
    dataset.BuildOverviews("AVERAGE", [2, 4])
    dataset = None
    found = describe_one([image, Path(f"{image}.ovr")])
    assert not found.needs_overviews
    assert all(1 <= s.minimum < s.maximum <= 50000 for s in found.stretch)


def test_windowed_sample_of_an_image_without_overviews(product, monkeypatch):
    """Big images are sampled in windows: force that path on the small product."""
    spec, files = product
    whole = describe_one(files.values())
    monkeypatch.setattr(described, "SAMPLE_PIXELS", 1000)
    monkeypatch.setattr(described, "SAMPLE_WINDOW_PX", 4)
    sampled = describe_one(files.values())
    for exact, estimate in zip(whole.stretch, sampled.stretch):
        assert estimate.minimum == pytest.approx(exact.minimum, rel=0.25)
        assert estimate.maximum == pytest.approx(exact.maximum, rel=0.25)


def test_describing_a_256_mib_product_is_quick_and_lean(tmp_path):
    """Timed once for the record (printed; run with -s), never asserted: machines differ. Memory
    is measured in a fresh process that only describes, so the generator's peak does not hide it."""
    width, height = products.dims_for_bytes(256 << 20, 45)
    name = products.product_name(
        "FF01", 1, datetime.date(2024, 1, 2), "L2A", datetime.date(2024, 1, 3), 5, 1, 45
    )
    bbox = (77.0, 12.0, 77.1, 12.1)
    wavelengths = satellites.pick_wavelengths("FF01", 45)
    spec = products.ProductSpec(name, "FF01", bbox, width, height, wavelengths, 1, "zip")
    files = [str(path) for path in products.product_files(spec, tmp_path).values()]
    script = textwrap.dedent(
        f"""
        import resource, time
        from pathlib import Path
        from pixxel_qgis.core.imagery.products import describe_products
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        found = describe_products(map(Path, {files!r}))
        seconds = time.perf_counter() - started
        growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(seconds, growth // 1024, found[0].needs_overviews, found[0].size_bytes)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": f"{REPO_ROOT}:{Path(described.__file__).parents[3]}"},
    )
    seconds, growth_mib, needs_overviews, size = done.stdout.split()
    print(f"\ndescribe_products, {int(size) >> 20} MiB: {float(seconds):.3f} s, +{growth_mib} MiB")
    assert needs_overviews == "True"
    assert int(growth_mib) < 100, f"peak memory grew by {growth_mib} MiB"
