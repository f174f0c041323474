"""Purchased imagery through THE download engine (core/download/job.py with the kinds of
core/download/kinds.py) against the sandbox: catalogs and order items requested, polled,
fetched (resumed after a dropped connection), unpacked into `<root>/<name>/<product>/`, recorded
in the manifest and served from it the next time; the names they are filed under; wavelengths
from the catalog's STAC bands for products whose files carry none."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from pixxel_qgis.core.download import kinds
from pixxel_qgis.core.download.job import DownloadJob, PollPolicy, run_download
from pixxel_qgis.core.download.manifest import MANIFEST_NAME
from pixxel_qgis.core.download.purchased_job import purchased_job
from pixxel_qgis.core.imagery.products import describe_products
from pixxel_qgis.core.pixxel import purchased
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import BadRequestError, CancelledError
from pixxel_qgis.core.pixxel.retry import RetryPolicy
from sandbox import products

PRODUCT_SIZE = 2 * 1024 * 1024  # two fetch chunks: a drop in the middle leaves bytes to resume
FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, deadline=20.0)
QUICK = PollPolicy(first=0.01, longest=0.05)


@pytest.fixture(scope="module")
def sandbox_2mib(start_sandbox):
    return start_sandbox(product_size=PRODUCT_SIZE)


@pytest.fixture
def sb(sandbox_2mib):
    with sandbox_2mib.reset_around() as running:
        yield running


@pytest.fixture
def client(sb):
    with PixxelClient(sb.api_key, sb.api_url, trust_env=False, retry=FAST,
                      timeouts=(5.0, 5.0)) as api:
        yield api


def requests_to(sb, endpoint):
    return [r for r in sb.requests if r.endpoint == endpoint]


def header(request, name):
    return next((v for k, v in request.headers.items() if k.lower() == name.lower()), None)


def delivered_item(client, *, images=2):
    return next(i for i in purchased.order_items(client, status="FULFILLED")
                if len(i.images) >= images)


def product_files(sb, product_name):
    """The sandbox's own files of a product (what its delivery zip holds), by file name."""
    spec = sb.purchases.item(product_name).spec
    files = products.product_files(dataclasses.replace(spec, delivery="zip"), sb.config.cache_dir)
    return {path.name: path for path in files.values()}


def assert_identical(sb, folder: Path, product_name: str):
    expected = product_files(sb, product_name)
    got = {p.name: p for p in (folder / product_name).iterdir()}
    assert sorted(got) == sorted(expected)
    for name, path in expected.items():
        assert got[name].read_bytes() == path.read_bytes(), name


def run(client, job, **options):
    return run_download(client, job, poll_policy=QUICK, **options)


# -- catalogs ------------------------------------------------------------------------------------


def test_catalogs_land_under_their_order_items_name_byte_for_byte(sb, client, tmp_path):
    sb.configure(ready_after_polls=2)
    item = delivered_item(client)
    catalogs = purchased.catalogs(client, order_item_ids=[item.order_item_id])[:2]
    ids = [c.catalog_id for c in catalogs]
    name = kinds.purchased_name(client, kinds.CATALOGS, ids)
    assert name == item.name

    result = run(client, purchased_job(kinds.CATALOGS, ids, tmp_path, name=name))

    assert result.folder == tmp_path / item.name
    for found in catalogs:
        assert_identical(sb, result.folder, found.item_id)
    assert sorted(p.parent.name for p in result.rasters) == sorted(c.item_id for c in catalogs)
    assert len(requests_to(sb, "catalog_download_create")) == 1
    assert len(requests_to(sb, "catalog_download_status")) == 2
    assert requests_to(sb, "download_create") == []
    facts = {a["id"]: a for a in result.metadata["assets"]}
    for found in catalogs:
        assert facts[found.catalog_id]["name"] == found.item_id
        assert facts[found.catalog_id]["folder"] == found.item_id
        assert [b["wavelength"] for b in facts[found.catalog_id]["bands"]] == \
            list(found.wavelengths_nm)
    assert result.metadata["aoi_id"] == f"purchased:{item.name}"
    assert (result.folder / MANIFEST_NAME).is_file()


def test_a_second_run_reuses_the_files_even_for_fewer_catalogs(sb, client, tmp_path):
    item = delivered_item(client)
    ids = [c.catalog_id for c in purchased.catalogs(client, order_item_ids=[item.order_item_id])]
    first = run(client, purchased_job(kinds.CATALOGS, ids, tmp_path, name=item.name))
    again = run(client, purchased_job(kinds.CATALOGS, ids[:1], tmp_path, name=item.name))
    assert again.reused
    assert [a["id"] for a in again.metadata["assets"]] == ids[:1]
    assert set(again.files) < set(first.files)
    assert len(requests_to(sb, "catalog_download_create")) == 1


def test_upper_case_statuses_and_a_dropped_connection(sb, client, tmp_path):
    sb.configure(catalog_status_case="upper")
    found = purchased.catalogs(client)[0]
    # A reset connection may lose everything in flight: three in a row leave bytes to resume.
    sb.faults.add("storage", "drop", nth=1, times=3, at=0.5)
    result = run(client, purchased_job(kinds.CATALOGS, [found.catalog_id], tmp_path, name="x"))
    assert_identical(sb, result.folder, found.item_id)
    assert result.metadata["transfer"]["resumed"]
    assert any(header(r, "Range") for r in requests_to(sb, "storage"))


def test_a_cancelled_catalog_download_is_continued_by_the_next_run(sb, client, tmp_path):
    found = purchased.catalogs(client)[0]
    job = purchased_job(kinds.CATALOGS, [found.catalog_id], tmp_path, name="cut")
    with pytest.raises(CancelledError):
        run(client, job, is_cancelled=lambda: any(tmp_path.rglob("*.part")))
    result = run(client, job)
    assert_identical(sb, result.folder, found.item_id)
    assert result.metadata["transfer"]["resumed"]
    assert len(requests_to(sb, "catalog_download_create")) == 1  # the pending one continued


# -- order items ---------------------------------------------------------------------------------


def test_an_order_item_brings_every_catalog_it_delivered(sb, client, tmp_path):
    item = delivered_item(client)
    name = kinds.purchased_name(client, kinds.ORDER_ITEMS, [item.order_item_id])
    result = run(client, purchased_job(kinds.ORDER_ITEMS, [item.order_item_id], tmp_path,
                                       name=name))
    assert result.folder == tmp_path / item.name
    for image in item.images:
        assert_identical(sb, result.folder, image.item_id)
    [facts] = result.metadata["assets"]
    assert (facts["id"], facts["name"], facts["status"]) == \
        (item.order_item_id, item.name, "FULFILLED")
    assert sorted(p["name"] for p in facts["products"]) == sorted(i.item_id for i in item.images)
    assert all(p["bands"] for p in facts["products"])


def test_order_items_without_delivered_imagery_are_refused_before_any_request(sb, client,
                                                                              tmp_path):
    active = next(i for i in purchased.order_items(client) if i.status == "ACTIVE")
    job = purchased_job(kinds.ORDER_ITEMS, [active.order_item_id], tmp_path, name="n")
    with pytest.raises(BadRequestError, match="nothing delivered yet") as refused:
        run(client, job)
    assert f"{active.name} (ACTIVE)" in refused.value.message
    with pytest.raises(BadRequestError, match="not in this workspace"):
        run(client, purchased_job(kinds.CATALOGS, ["nope"], tmp_path, name="n"))
    assert requests_to(sb, "catalog_download_create") == []


# -- names and jobs ------------------------------------------------------------------------------


def test_names_purchases_are_filed_under(client):
    items = [i for i in purchased.order_items(client) if i.has_imagery]
    one, other = items[0], next(i for i in items[1:] if i.name != items[0].name)
    catalog_of = {i.order_item_id: purchased.catalogs(client, order_item_ids=[i.order_item_id])[0]
                  for i in (one, other)}
    mixed = [c.catalog_id for c in catalog_of.values()]
    assert kinds.purchased_name(client, kinds.CATALOGS, mixed) == kinds.FALLBACK_NAME
    assert kinds.purchased_name(client, kinds.ORDER_ITEMS,
                                [one.order_item_id, other.order_item_id]) == kinds.FALLBACK_NAME
    assert kinds.purchased_name(client, kinds.ORDER_ITEMS, [one.order_item_id]) == one.name
    assert kinds.purchased_name(client, kinds.CATALOGS, mixed[0]) == one.name


def test_the_name_rules_from_what_is_listed():
    assert kinds.filed_name(["Fields", "Fields"], ["p1", "p2"]) == "Fields"
    assert kinds.filed_name(["Fields", "Other"]) == kinds.FALLBACK_NAME
    assert kinds.filed_name(["Fields", None], ["p1", "p2"]) == kinds.FALLBACK_NAME
    assert kinds.filed_name([None], ["TD2_1"]) == "TD2_1"
    assert kinds.filed_name([]) == kinds.FALLBACK_NAME


def test_purchased_jobs_are_download_jobs_of_their_kind(tmp_path):
    job = purchased_job(kinds.ORDER_ITEMS, "item-1", tmp_path, name="Fields", keep_zip=True)
    assert isinstance(job, DownloadJob)
    assert (job.aoi_id, job.asset_ids, job.aoi_name, job.kind, job.keep_zip) == \
        ("purchased:Fields", ("item-1",), "Fields", kinds.ORDER_ITEMS, True)
    assert DownloadJob("aoi", ("a",), tmp_path).kind is kinds.AOI_ASSETS
    with pytest.raises(ValueError, match="not a kind of purchased imagery"):
        purchased_job(kinds.AOI_ASSETS, ["a"], tmp_path, name="n")
    with pytest.raises(ValueError, match="needs a name"):
        purchased_job(kinds.CATALOGS, ["a"], tmp_path, name=" ")


def test_a_purchase_named_like_an_aoi_gets_a_folder_of_its_own(sb, client, tmp_path):
    aoi = sb.catalog.aoi_at(0)
    asset = next(a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success")
    run(client, DownloadJob(aoi["aoi_id"], [asset["id"]], tmp_path, aoi_name="Same"))
    found = purchased.catalogs(client)[0]
    result = run(client, purchased_job(kinds.CATALOGS, [found.catalog_id], tmp_path,
                                       name="Same"))
    assert result.folder == tmp_path / "Same (2)"


# -- wavelengths from the catalog ----------------------------------------------------------------


def test_stac_wavelengths_serve_products_whose_files_carry_none(geotiff, tmp_path):
    folder = tmp_path / "TD2_000001_20250101_L2A_20250102_01001005"
    folder.mkdir()
    cube = (np.arange(5 * 8 * 8, dtype=np.uint16).reshape(5, 8, 8) % 700) + 1
    image = geotiff(f"{folder.name}.tif", cube)
    image = image.rename(folder / image.name)
    bare = describe_products([image])[0]
    assert {band.wavelength_nm for band in bare.bands} == {None}
    table = [{"name": f"B{n}", "wavelength": nm}
             for n, nm in enumerate((480.0, 0.55, 560.0, 650.0, 800.0), 1)]
    described = describe_products([image], band_tables={folder.name: table})[0]
    assert [band.wavelength_nm for band in described.bands] == [480, 550, 560, 650, 800]
    assert described.rgb == (4, 3, 1)
    assert describe_products([image], band_tables={"other": table})[0].rgb == bare.rgb
