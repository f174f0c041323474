"""qgis_process runs the purchased-imagery algorithms of the packaged plugin against the sandbox:
list catalogs and order items, download catalogs and order items with files identical to the
sandbox's products, continue after a dropped connection and after a killed process."""

import dataclasses
import subprocess
import time
from pathlib import Path

import pytest

from sandbox import products

from .conftest import QGIS_PROCESS, features

PRODUCT_SIZE = 2 * 1024 * 1024  # two fetch chunks: a drop or a stall in the middle leaves bytes


def assert_identical(sandbox, folder: Path, product_name: str) -> None:
    """The product's folder holds exactly the sandbox's own files of that product."""
    spec = dataclasses.replace(sandbox.purchases.item(product_name).spec, delivery="zip")
    expected = {p.name: p for p in products.product_files(spec, sandbox.config.cache_dir).values()}
    got = {p.name: p for p in (folder / product_name).iterdir()}
    assert sorted(got) == sorted(expected)
    for name, path in expected.items():
        assert got[name].read_bytes() == path.read_bytes(), name


def storage_ranges(sandbox) -> list:
    return [next((v for k, v in r.headers.items() if k.lower() == "range"), None)
            for r in sandbox.requests if r.endpoint == "storage"]


@pytest.fixture(scope="module")
def big_sandbox(start_sandbox):
    return start_sandbox(product_size=PRODUCT_SIZE)


@pytest.fixture
def big(big_sandbox):
    with big_sandbox.reset_around() as running:
        yield running


def env_of(sandbox) -> dict:
    return {"PIXXEL_API_URL": sandbox.api_url, "PIXXEL_API_KEY": sandbox.api_key}


def test_the_purchased_algorithms_are_listed(qgis_process):
    listed = qgis_process(["list"])
    assert listed.returncode == 0, listed.output
    for algorithm in ("pixxel:listcatalogs", "pixxel:listorderitems", "pixxel:downloadcatalogs"):
        assert algorithm in listed.stdout


def test_list_order_items_and_catalogs_then_download_byte_for_byte(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    listed = qgis_process.run("pixxel:listorderitems",
                              {"STATUS": "fulfilled", "OUTPUT": str(tmp_path / "items.gpkg")},
                              pixxel_env)
    assert listed.returncode == 0, listed.output
    images = features(listed.json()["results"]["OUTPUT"])
    assert {row["status"] for row in images} == {"FULFILLED"}
    assert {row["geometry_type"] for row in images} == {"MULTIPOLYGON"}
    by_item: dict = {}
    for row in images:
        by_item.setdefault(row["order_item_id"], []).append(row)
    item_id, rows = max(by_item.items(), key=lambda pair: len(pair[1]))
    assert len(rows) > 1

    catalogs = qgis_process.run("pixxel:listcatalogs", {"OUTPUT": str(tmp_path / "cats.gpkg")},
                                pixxel_env)
    assert catalogs.returncode == 0, catalogs.output
    listed_catalogs = features(catalogs.json()["results"]["OUTPUT"])
    wanted = [c for c in listed_catalogs if c["item_id"] in {r["item_id"] for r in rows}]
    assert len(wanted) == len(rows)

    downloaded = qgis_process.run("pixxel:downloadcatalogs", {
        "CATALOG_IDS": ",".join(c["catalog_id"] for c in wanted),
        "OUTPUT_FOLDER": str(tmp_path / "downloads")}, pixxel_env)
    assert downloaded.returncode == 0, downloaded.output
    results = downloaded.json()["results"]
    folder = Path(results["OUTPUT_FOLDER"])
    assert folder == tmp_path / "downloads" / rows[0]["name"]
    assert results["DOWNLOAD_ID"]
    assert len(results["RASTERS"]) == len(rows)
    for row in rows:
        assert_identical(sandbox, folder, row["item_id"])

    by_item_id = qgis_process.run("pixxel:downloadcatalogs", {
        "ORDER_ITEM_IDS": item_id, "OUTPUT_FOLDER": str(tmp_path / "by-item")}, pixxel_env)
    assert by_item_id.returncode == 0, by_item_id.output
    again = Path(by_item_id.json()["results"]["OUTPUT_FOLDER"])
    for row in rows:
        assert_identical(sandbox, again, row["item_id"])


def test_both_kinds_of_id_exit_non_zero_with_the_reason(qgis_process, sandbox, pixxel_env,
                                                        tmp_path):
    catalog = sandbox.purchases.catalogs()[0]
    refused = qgis_process.run("pixxel:downloadcatalogs", {
        "CATALOG_IDS": catalog.id, "ORDER_ITEM_IDS": catalog.order_item.id,
        "OUTPUT_FOLDER": str(tmp_path)}, pixxel_env)
    assert refused.returncode != 0
    assert "not both" in refused.output
    assert not any(r.endpoint == "catalog_download_create" for r in sandbox.requests)


def test_a_dropped_connection_is_resumed(qgis_process, big, tmp_path):
    catalog = big.purchases.catalogs()[0]
    # A reset connection may lose everything in flight: three in a row leave bytes to resume.
    big.faults.add("storage", "drop", nth=1, times=3, at=0.5)
    done = qgis_process.run("pixxel:downloadcatalogs", {
        "CATALOG_IDS": catalog.id, "OUTPUT_FOLDER": str(tmp_path)}, env_of(big))
    assert done.returncode == 0, done.output
    assert_identical(big, Path(done.json()["results"]["OUTPUT_FOLDER"]), catalog.item.id)
    ranges = storage_ranges(big)
    assert ranges[0] is None
    assert any(ranges[1:])
    assert [r.fault for r in big.requests if r.endpoint == "storage"][:3] == ["drop"] * 3


def test_a_killed_run_is_continued_by_the_next_one(qgis_process, big, tmp_path):
    catalog = big.purchases.catalogs()[1]
    parameters = [f"CATALOG_IDS={catalog.id}", f"OUTPUT_FOLDER={tmp_path}"]
    big.faults.add("storage", "stall", nth=1, at=0.5, seconds=60)
    command = [str(QGIS_PROCESS), "--json", "run", "pixxel:downloadcatalogs", "--", *parameters]
    process = subprocess.Popen(command, env=qgis_process.env(env_of(big)),  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not any(p.stat().st_size > 0 for p in tmp_path.rglob("*.part")):
            assert process.poll() is None, "qgis_process ended before the stall"
            assert time.monotonic() < deadline, "no .part file appeared"
            time.sleep(0.1)
    finally:
        process.kill()
        process.wait(30)
    kept = sum(p.stat().st_size for p in tmp_path.rglob("*.part"))
    assert 0 < kept < PRODUCT_SIZE

    done = qgis_process.run("pixxel:downloadcatalogs", dict(p.split("=", 1) for p in parameters),
                            env_of(big))
    assert done.returncode == 0, done.output
    assert_identical(big, Path(done.json()["results"]["OUTPUT_FOLDER"]), catalog.item.id)
    ranges = storage_ranges(big)
    assert ranges[-1] == f"bytes={kept}-"
    # The pending download of the killed run was continued, not requested again.
    assert len([r for r in big.requests if r.endpoint == "catalog_download_create"]) == 1
