"""The sandbox's synthetic Pixxel products: format, realism, determinism, caching, memory."""

import datetime
import hashlib
import json
import re
import subprocess
import sys
import textwrap
import threading
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

gdal = pytest.importorskip("osgeo.gdal")

from sandbox import products, satellites  # noqa: E402 - only once GDAL is known to be there

REPO_ROOT = Path(__file__).resolve().parents[2]
ACQUIRED, PRODUCED = datetime.date(2023, 3, 14), datetime.date(2023, 5, 4)


make_spec = products.small_spec


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_image(path: Path) -> np.ndarray:
    return gdal.Open(str(path)).ReadAsArray().astype(np.float64)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    spec = make_spec()
    return spec, products.product_files(spec, tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """A product big enough for the landscape to show: every land cover, clouds, water."""
    spec = make_spec(bands=30, size=(160, 128), seed=3)
    files = products.product_files(spec, tmp_path_factory.mktemp("scene"))
    mask = gdal.Open(str(files["mask"])).ReadAsArray()
    return spec, read_image(files["image"]) / products.REFLECTANCE_SCALE, mask


def band_at(spec: products.ProductSpec, cube: np.ndarray, nm: float) -> np.ndarray:
    nearest = min(range(len(spec.wavelengths_nm)), key=lambda i: abs(spec.wavelengths_nm[i] - nm))
    return cube[nearest]


# --- names and catalogue ---------------------------------------------------------------------


def test_product_name_follows_pixxel_convention():
    name = products.product_name("TD1", 5630, ACQUIRED, "L2A", PRODUCED, 30, 1, 69)
    assert name == "TD1_005630_20230314_L2A_20230504_03001069"
    parts = products.parse_name(name)
    assert (parts.satellite, parts.image_id, parts.acquired, parts.produced) == (
        "TD1",
        5630,
        ACQUIRED,
        PRODUCED,
    )
    assert (parts.level, parts.resolution_m, parts.version, parts.band_count) == ("L2A", 30, 1, 69)


@pytest.mark.parametrize(
    "args",
    [
        ("XX1", 1, ACQUIRED, "L2A", PRODUCED, 30, 1, 69),
        ("TD1", 1234567, ACQUIRED, "L2A", PRODUCED, 30, 1, 69),
        ("TD1", 1, ACQUIRED, "level2", PRODUCED, 30, 1, 69),
        ("FF01", 1, ACQUIRED, "L2A", PRODUCED, 5, 1, 1350),
    ],
)
def test_product_name_rejects_what_the_convention_cannot_hold(args):
    with pytest.raises(ValueError, match="not a Pixxel product name"):
        products.product_name(*args)


def test_spec_must_agree_with_its_name():
    spec = make_spec()
    with pytest.raises(ValueError, match="bands"):
        products.ProductSpec(spec.name, "TD1", spec.bbox, 8, 8, spec.wavelengths_nm[:-1], 1, "zip")
    with pytest.raises(ValueError, match="delivery"):
        products.ProductSpec(spec.name, "TD1", spec.bbox, 8, 8, spec.wavelengths_nm, 1, "rar")
    lists = products.ProductSpec(
        spec.name, "TD1", list(spec.bbox), 8, 8, list(spec.wavelengths_nm), 1, "zip"
    )
    assert lists.wavelengths_nm == spec.wavelengths_nm
    assert hash(lists)


def test_satellites_look_like_the_api_response():
    by_name = {entry["name"]: entry for entry in satellites.SATELLITES}
    assert by_name["Pixxel-TD1"]["id"] == "0004ab8d-0ad1-4d62-8a3f-fe18a7000e70"
    assert by_name["Pixxel-TD2"]["id"] == "0005c5bb-0bd2-4c80-9393-4a808341c54c"
    assert len({entry["id"] for entry in satellites.SATELLITES}) == len(satellites.SATELLITE_CODES)
    expected = {"TD1": (69, 30), "TD2": (67, 10), "FF01": (135, 5), "FF06": (135, 5)}
    for code, (count, resolution) in expected.items():
        entry = satellites.satellite_by_code(code)
        assert len(entry["bands"]) == count
        assert {band["spatial_resolution"] for band in entry["bands"]} == {resolution}
        assert set(entry["bands"][0]) == {
            "name",
            "wavelength",
            "scale",
            "offset",
            "spatial_resolution",
        }
        nm = {band["name"]: band["wavelength"] for band in entry["bands"]}
        assert list(nm.values()) == sorted(nm.values())
        for colour, target in satellites.TRUE_COLOUR_NM.items():
            assert abs(nm[entry["rgb_composite"][colour]] - target) < 5
    firefly = [band["wavelength"] for band in satellites.satellite_by_code("FF03")["bands"]]
    assert (firefly[0], firefly[-1]) == (470.0, 900.0)
    with pytest.raises(ValueError, match="unknown satellite"):
        satellites.satellite_by_code("TD3")


@pytest.mark.parametrize(("code", "count"), [("TD1", 3), ("TD1", 12), ("TD2", 67), ("FF02", 45)])
def test_picked_wavelengths_are_an_ascending_subset_with_true_colour(code, count):
    picked = satellites.pick_wavelengths(code, count)
    entry = satellites.satellite_by_code(code)
    by_name = {band["name"]: band["wavelength"] for band in entry["bands"]}
    assert len(picked) == count
    assert list(picked) == sorted(set(picked))
    assert set(picked) <= set(by_name.values())
    assert {by_name[name] for name in entry["rgb_composite"].values()} <= set(picked)


# --- the six files -----------------------------------------------------------------------------


def test_product_has_the_six_files_in_its_own_folder(tiny):
    spec, files = tiny
    assert set(files) == {"image", "mask", "footprint", "preview", "header", "metadata"}
    folder = files["image"].parent
    assert folder.name == spec.name
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        f"{spec.name}{suffix}" for suffix in products.ROLES.values()
    )
    assert not [path for path in folder.parent.iterdir() if path.name.endswith(".partial")]


def test_image_is_uint16_wgs84_reflectance_with_nodata(tiny):
    spec, files = tiny
    # The GeoTIFF alone: GDAL 3.13 (not 3.10) adds the wavelengths of the ENVI header beside it.
    dataset = gdal.OpenEx(str(files["image"]), gdal.OF_RASTER, sibling_files=[files["image"].name])
    assert dataset.GetDriver().ShortName == "GTiff"
    assert (dataset.RasterXSize, dataset.RasterYSize) == (spec.width, spec.height)
    assert dataset.RasterCount == len(spec.wavelengths_nm)
    assert dataset.GetSpatialRef().GetAuthorityCode(None) == "4326"
    origin_x, pixel_x, _, origin_y, _, pixel_y = dataset.GetGeoTransform()
    assert origin_x == pytest.approx(spec.bbox[0])
    assert origin_y == pytest.approx(spec.bbox[3])
    assert origin_x + pixel_x * spec.width == pytest.approx(spec.bbox[2])
    assert origin_y + pixel_y * spec.height == pytest.approx(spec.bbox[1])
    metadata = dataset.GetMetadata()
    assert metadata["scale_factor"] == "2e-05"
    assert metadata["satellite"] == "Pixxel-TD1"
    assert metadata["level"] == "L2A"
    assert metadata["acquisition_date"] == "2023-03-14"
    for index, nm in enumerate(spec.wavelengths_nm, start=1):
        band = dataset.GetRasterBand(index)
        assert band.DataType == gdal.GDT_UInt16
        assert band.GetNoDataValue() == 0
        assert float(band.GetMetadataItem("wavelength")) == pytest.approx(nm)
        assert band.GetMetadataItem("wavelength_units") == "nm"
        assert re.fullmatch(rf"B\d{{3}} \({nm:g} nm\)", band.GetDescription())
    cube = dataset.ReadAsArray()
    assert cube.max() <= products.REFLECTANCE_SCALE
    nodata = (cube == 0).all(axis=0)
    assert 0 < nodata.sum() < cube[0].size * 0.05, "a few nodata pixels at the ragged corner"
    assert nodata[0, 0]
    assert not nodata[-1, -1]
    assert (cube == 0).any(axis=0).sum() == nodata.sum(), "nodata is all bands or none"


def test_mask_is_bit_encoded_on_the_same_grid(tiny):
    spec, files = tiny
    dataset = gdal.Open(str(files["mask"]))
    assert dataset.GetRasterBand(1).DataType == gdal.GDT_Byte
    assert dataset.GetGeoTransform() == gdal.Open(str(files["image"])).GetGeoTransform()
    mask = dataset.ReadAsArray()
    assert mask.shape == (spec.height, spec.width)
    assert set(np.unique(mask)) <= set(range(16))
    image_nodata = (gdal.Open(str(files["image"])).ReadAsArray() == 0).all(axis=0)
    assert np.array_equal(mask == products.MASK_NODATA, image_nodata)
    assert (mask & products.MASK_WATER).any()


def test_mask_marks_clouds_and_shadows(scene):
    spec, cube, mask = scene
    cloud = (mask & products.MASK_CLOUD) != 0
    shadow = (mask & products.MASK_SHADOW) != 0
    clear = mask == 0
    assert 0.002 < cloud.mean() < 0.4
    assert shadow.any()
    red = band_at(spec, cube, 650)
    assert np.median(red[cloud]) > 2 * np.median(red[clear]), "clouds are bright"
    nir = band_at(spec, cube, 850)
    assert np.median(nir[shadow]) < np.median(nir[clear]), "shadows are dark"


def test_envi_header_matches_the_image(tiny):
    spec, files = tiny
    text = files["header"].read_text()
    assert text.startswith("ENVI\n")
    fields = dict(re.findall(r"^(.+?) = (.*)$", text, re.MULTILINE))
    assert (fields["samples"], fields["lines"]) == (str(spec.width), str(spec.height))
    assert fields["bands"] == str(len(spec.wavelengths_nm))
    assert (fields["data type"], fields["interleave"], fields["byte order"]) == ("12", "bsq", "0")
    assert fields["wavelength units"] == "Nanometers"
    assert fields["data ignore value"] == "0"
    assert fields["reflectance scale factor"] == "50000"
    assert fields["map info"].startswith("{Geographic Lat/Lon, 1, 1, 77.5, ")
    wavelengths = [float(v) for v in fields["wavelength"].strip("{}").split(",")]
    assert wavelengths == pytest.approx(spec.wavelengths_nm)
    names = [v.strip() for v in fields["band names"].strip("{}").split(",")]
    assert len(names) == len(wavelengths)
    assert all(re.fullmatch(r"B\d{3}", n) for n in names)


def test_footprint_metadata_and_preview(tiny):
    spec, files = tiny
    collection = json.loads(files["footprint"].read_text())
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 1
    feature = collection["features"][0]
    assert feature["properties"]["name"] == spec.name
    assert feature["properties"]["acquired"] == "2023-03-14"
    ring = np.array(feature["geometry"]["coordinates"][0])
    assert ring[0].tolist() == ring[-1].tolist()
    assert ring[:, 0].min() == spec.bbox[0]
    assert ring[:, 1].max() == spec.bbox[3]

    root = ElementTree.parse(files["metadata"]).getroot()  # noqa: S314 - our own file
    assert root.findtext("ProductName") == spec.name
    assert root.findtext("ProcessingLevel") == "L2A"
    assert root.findtext("CRS") == "EPSG:4326"
    assert root.findtext("AcquisitionDate") == "2023-03-14"
    wavelengths = [float(band.get("wavelength")) for band in root.iter("Band")]
    assert wavelengths == pytest.approx(spec.wavelengths_nm)

    preview = gdal.Open(str(files["preview"]))
    assert preview.GetDriver().ShortName == "JPEG"
    assert preview.RasterCount == 3
    assert max(preview.RasterXSize, preview.RasterYSize) <= products.PREVIEW_MAX_PX


def test_preview_of_a_large_product_is_at_most_512_px(tmp_path):
    spec = make_spec(bands=3, size=(1100, 300))
    preview = gdal.Open(str(products.product_files(spec, tmp_path)["preview"]))
    assert (preview.RasterXSize, preview.RasterYSize) == (512, 140)
    assert preview.ReadAsArray().std() > 10, "not a blank picture"


# --- realism ------------------------------------------------------------------------------------


def test_vegetation_has_a_red_edge_and_green_bump(scene):
    spec, cube, mask = scene
    clear = mask == 0
    red, green, nir = (band_at(spec, cube, nm)[clear] for nm in (650, 560, 850))
    ndvi = (nir - red) / (nir + red)
    vegetation = ndvi > 0.5
    assert vegetation.mean() > 0.25, "a landscape mostly of fields and forest"
    assert np.median(nir[vegetation] / red[vegetation]) > 4
    assert np.median(green[vegetation] - red[vegetation]) > 0.005
    edge_low, edge_high = band_at(spec, cube, 680)[clear], band_at(spec, cube, 750)[clear]
    assert np.median(edge_high[vegetation] - edge_low[vegetation]) > 0.15
    assert (ndvi < 0.2).mean() > 0.02, "some bare soil, water or town too"


def test_water_is_dark_and_darkest_in_the_nir(scene):
    spec, cube, mask = scene
    water = mask == products.MASK_WATER
    assert water.sum() > 50
    blue, nir = band_at(spec, cube, 480)[water], band_at(spec, cube, 850)[water]
    assert np.median(nir) < 0.015
    assert np.median(blue) > 2 * np.median(nir)
    assert np.median(blue) < 0.08


def test_scene_is_smooth_not_noise(scene):
    spec, cube, mask = scene
    red = band_at(spec, cube, 650)
    valid = mask != products.MASK_NODATA
    pairs = valid[:, 1:] & valid[:, :-1]
    left, right = red[:, :-1][pairs], red[:, 1:][pairs]
    assert np.corrcoef(left, right)[0, 1] > 0.8
    assert red[valid].std() > 0.01, "and not flat either"


def test_spectra_carry_a_little_noise(scene):
    spec, cube, mask = scene
    spectra = cube[:, mask == 0].T
    second_difference = np.diff(spectra, 2, axis=1)
    assert 0 < np.median(np.abs(second_difference)) < 0.02


# --- determinism, caching, delivery -------------------------------------------------------------


def test_same_spec_gives_identical_bytes(tmp_path):
    spec = make_spec(bands=12, size=(48, 40), seed=99)
    first = products.product_files(spec, tmp_path / "a")
    second = products.product_files(spec, tmp_path / "b")
    for role in ("image", "mask", "preview", "header", "metadata", "footprint"):
        assert sha256(first[role]) == sha256(second[role]), role
    assert sha256(products.build(spec, tmp_path / "a")) == sha256(
        products.build(spec, tmp_path / "b")
    )
    other = make_spec(bands=12, size=(48, 40), seed=100, image_id=1)
    assert sha256(products.product_files(other, tmp_path / "a")["image"]) != sha256(first["image"])


def test_landscape_does_not_depend_on_the_band_set(tmp_path):
    few = products.product_files(make_spec(bands=3), tmp_path)
    many = products.product_files(make_spec(bands=40, image_id=2), tmp_path)
    masks = [gdal.Open(str(files["mask"])).ReadAsArray() for files in (few, many)]
    assert np.array_equal(*masks)


def test_zip_delivery_holds_the_six_files_under_the_product_name(tiny, tmp_path):
    spec = make_spec()
    archive_path = products.build(spec, tmp_path)
    assert archive_path.suffix == ".zip"
    with zipfile.ZipFile(archive_path) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(
            f"{spec.name}/{spec.name}{suffix}" for suffix in products.ROLES.values()
        )
        image = archive.getinfo(f"{spec.name}/{spec.name}.tif")
        assert image.compress_type == zipfile.ZIP_STORED
        assert archive.read(image) == tiny[1]["image"].read_bytes()


def test_tif_delivery_is_the_bare_geotiff(tmp_path):
    spec = make_spec(delivery="tif")
    path = products.build(spec, tmp_path)
    assert path == products.product_files(spec, tmp_path)["image"]
    assert path.read_bytes()[:4] in (b"II*\x00", b"II+\x00")


def test_build_is_cached(tmp_path):
    spec = make_spec()
    first = products.build(spec, tmp_path)
    stamp = first.stat().st_mtime_ns
    assert products.build(spec, tmp_path) == first
    assert first.stat().st_mtime_ns == stamp


def test_concurrent_builds_publish_one_complete_product(tmp_path):
    spec = make_spec(bands=20, size=(64, 64))
    results, errors = [], []

    def worker():
        try:
            results.append(products.build(spec, tmp_path))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    with zipfile.ZipFile(results[0]) as archive:
        assert archive.testzip() is None
    assert sorted(path.name for path in tmp_path.iterdir()) == [spec.name, f"{spec.name}.zip"]


def test_bundle_holds_several_products_and_is_cached_by_names(tmp_path):
    specs = [make_spec(image_id=1), make_spec(image_id=2, delivery="tif"), make_spec(image_id=3)]
    bundle = products.build_bundle(specs, tmp_path)
    assert products.build_bundle(list(reversed(specs)), tmp_path) == bundle
    assert products.build_bundle(specs[:2], tmp_path) != bundle
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    assert {name.split("/")[0] for name in names} == {spec.name for spec in specs}
    assert len(names) == 6 + 1 + 6, "a bare-tif product brings only its image"
    assert all(name.count("/") == 1 for name in names)


# --- size and memory ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "bands"), [(1 << 20, 16), (64 << 20, 45), (512 << 20, 135), (3 << 30, 69)]
)
def test_dims_for_bytes_hits_the_target(target, bands):
    width, height = products.dims_for_bytes(target, bands)
    assert abs(width * height * bands * 2 - target) / target < 0.01
    assert 0.9 < width / height < 1.1


def test_image_file_size_follows_dims_for_bytes(tmp_path):
    target = 2 << 20
    width, height = products.dims_for_bytes(target, 16)
    spec = make_spec(size=(width, height))
    size = products.product_files(spec, tmp_path)["image"].stat().st_size
    assert abs(size - target) / target < 0.02


def test_tiny_product_is_quick(tmp_path):
    spec = make_spec(bands=16, size=(32, 32), seed=5)
    started = datetime.datetime.now()
    products.build(spec, tmp_path)
    assert (datetime.datetime.now() - started).total_seconds() < 1.0


def test_large_build_runs_in_bounded_memory(tmp_path):
    """Row-block generation: a 192 MiB product must not raise peak memory by anything near it."""
    script = textwrap.dedent(
        f"""
        import datetime, resource, sys
        from pathlib import Path
        from sandbox import products, satellites
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        width, height = products.dims_for_bytes(192 << 20, 135)
        name = products.product_name("FF01", 1, datetime.date(2024, 1, 2), "L2A",
                                     datetime.date(2024, 1, 3), 5, 1, 135)
        spec = products.ProductSpec(name, "FF01", (77.0, 12.0, 77.1, 12.1), width, height,
                                    satellites.pick_wavelengths("FF01", 135), 1, "zip")
        products.build(spec, Path({str(tmp_path)!r}))
        growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(growth // 1024)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    growth_mib = int(done.stdout.strip())
    assert growth_mib < 150, f"peak memory grew by {growth_mib} MiB for a 192 MiB product"
