"""qgis_process runs the Pixxel algorithms from the packaged plugin against the sandbox: list,
download, files identical to the sandbox's products; failures exit non-zero with the API's
message; the key appears in no output and nowhere in the profile."""

import struct
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import features

FIRST_AOI_NAME = "Punjab wheat fields – Ludhiana"


def delivered(folder: Path) -> dict:
    """File name -> path of everything under the download folder."""
    return {path.name: path for path in folder.rglob("*") if path.is_file()}


def test_provider_and_algorithms_are_listed(qgis_process):
    listed = qgis_process(["list"])
    assert listed.returncode == 0, listed.output
    for algorithm in ("pixxel:listaois", "pixxel:listassets", "pixxel:downloadassets"):
        assert algorithm in listed.stdout


def test_list_aois_then_download_the_first_one_byte_for_byte(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    aois_path = tmp_path / "aois.gpkg"
    listed = qgis_process.run("pixxel:listaois", {"OUTPUT": str(aois_path)}, pixxel_env)
    assert listed.returncode == 0, listed.output
    rows = features(listed.json()["results"]["OUTPUT"])
    assert len(rows) == sandbox.catalog.aoi_count
    assert {row["geometry_type"] for row in rows} == {"MULTIPOLYGON"}
    first = next(row for row in rows if row["name"] == FIRST_AOI_NAME)
    assert first["status"] == "success"
    assert first["progress"] == 100

    assets_path = tmp_path / "assets.gpkg"
    assets = qgis_process.run(
        "pixxel:listassets", {"AOI_ID": first["aoi_id"], "OUTPUT": str(assets_path)}, pixxel_env
    )
    assert assets.returncode == 0, assets.output
    ready = [row for row in features(str(assets_path)) if row["status"] == "success"]
    by_delivery = {sandbox.catalog.product_spec(row["id"]).delivery: row for row in ready}
    assert sorted(by_delivery) == ["tif", "zip"]

    downloaded = qgis_process.run(
        "pixxel:downloadassets",
        {"AOI_ID": first["aoi_id"], "OUTPUT_FOLDER": str(tmp_path / "downloads")},
        pixxel_env,
    )
    assert downloaded.returncode == 0, downloaded.output
    results = downloaded.json()["results"]
    folder = Path(results["OUTPUT_FOLDER"])
    assert (tmp_path / "downloads") in folder.parents
    assert results["DOWNLOAD_ID"]
    files = delivered(folder)

    tif_product = sandbox.product_path(by_delivery["tif"]["id"])
    assert files[tif_product.name].read_bytes() == tif_product.read_bytes()
    with zipfile.ZipFile(sandbox.product_path(by_delivery["zip"]["id"])) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        assert members
        for member in members:
            name = Path(member.filename).name
            assert files[name].read_bytes() == archive.read(member), name

    rasters = sorted(Path(path).name for path in results["RASTERS"])
    assert rasters == sorted([tif_product.name, f"{by_delivery['zip']['name']}.tif"])
    assert all(Path(path).is_file() for path in results["RASTERS"])


def test_download_without_a_folder_uses_the_profiles_download_folder(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    folder = tmp_path / "pixxel-downloads"
    with qgis_process.settings_file.open("a", encoding="utf-8") as ini:
        ini.write(f"\n[pixxel]\ndownload_folder={folder.as_posix()}\n")
    aoi = sandbox.catalog.aoi_at(0)
    downloaded = qgis_process.run("pixxel:downloadassets", {"AOI_ID": aoi["aoi_id"]}, pixxel_env)
    assert downloaded.returncode == 0, downloaded.output
    assert folder in Path(downloaded.json()["results"]["OUTPUT_FOLDER"]).parents


def test_a_bad_key_exits_non_zero_with_the_api_message(qgis_process, sandbox, tmp_path):
    wrong = "not-the-right-key-0815-e2e"
    env = {"PIXXEL_API_URL": sandbox.api_url, "PIXXEL_API_KEY": wrong}
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")}, env)
    assert outcome.returncode != 0
    assert "HTTP 403" in outcome.output
    assert "invalid API key" in outcome.output
    assert wrong not in outcome.output


def test_an_unknown_aoi_exits_non_zero_with_the_api_message(qgis_process, pixxel_env, tmp_path):
    outcome = qgis_process.run(
        "pixxel:downloadassets",
        {"AOI_ID": "no-such-aoi", "OUTPUT_FOLDER": str(tmp_path)},
        pixxel_env,
    )
    assert outcome.returncode != 0
    assert "HTTP 404" in outcome.output
    assert "no-such-aoi not found" in outcome.output
    assert list(tmp_path.iterdir()) == []


def test_without_a_key_the_message_names_the_environment_variable(
    qgis_process, sandbox, tmp_path
):
    outcome = qgis_process.run(
        "pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")},
        {"PIXXEL_API_URL": sandbox.api_url},
    )
    assert outcome.returncode != 0
    assert "PIXXEL_API_KEY" in outcome.output
    assert sandbox.requests == []


def test_the_key_appears_in_no_output_and_nowhere_in_the_profile(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    aoi = sandbox.catalog.aoi_at(0)
    outcomes = [
        qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")}, pixxel_env),
        qgis_process.run(
            "pixxel:listassets", {"AOI_ID": aoi["aoi_id"], "OUTPUT": str(tmp_path / "b.gpkg")},
            pixxel_env,
        ),
        qgis_process.run(
            "pixxel:downloadassets", {"AOI_ID": aoi["aoi_id"], "OUTPUT_FOLDER": str(tmp_path)},
            pixxel_env,
        ),
    ]
    for outcome in outcomes:
        assert outcome.returncode == 0, outcome.output
        assert sandbox.api_key not in outcome.output
        # Signed storage URLs are credentials too: logged only without their query values.
        assert "sig=***" in outcome.output or "storage" not in outcome.output.lower()
    key = sandbox.api_key.encode()
    plugins = qgis_process.config_dir / "profiles" / "default" / "python" / "plugins"
    for path in qgis_process.config_dir.rglob("*"):
        # The plugin's own README names the sandbox's demo key; QGIS' files must not.
        if path.is_file() and plugins not in path.parents:
            assert key not in path.read_bytes(), path


# -- an API that misbehaves without failing (issue #13) ------------------------------------------


def test_a_trickling_api_ends_within_the_deadline_with_a_clear_message(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    """Every byte arrives within the read timeout: only the call's deadline (here 3 s, through
    PIXXEL_API_DEADLINE) can end it, and the user must read why."""
    sandbox.faults.add("aois", "trickle", bytes=1, interval=0.2, times=None)
    env = {**pixxel_env, "PIXXEL_API_DEADLINE": "3"}
    started = time.monotonic()
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")}, env)
    elapsed = time.monotonic() - started
    assert outcome.returncode != 0
    host = sandbox.api_url.split("://", 1)[1]
    assert (
        f"{host} did not complete its answer within 3 s (retries included): the connection or "
        "the server is too slow. Try again later."
    ) in outcome.output
    assert elapsed < 3 + 20  # qgis_process starting and stopping QGIS takes the rest
    assert len([r for r in sandbox.requests if r.endpoint == "aois"]) == 1


def test_an_api_inventing_aois_on_every_page_ends_with_a_clear_message(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    sandbox.configure(page_cap=10)
    sandbox.faults.add("aois", "endless_pages", times=None)
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")},
                               pixxel_env)
    assert outcome.returncode != 0
    assert "kept sending new AOIs beyond the 20 it announced (4 pages): the listing was " \
           "stopped." in outcome.output
    assert len([r for r in sandbox.requests if r.endpoint == "aois"]) == 4


def test_a_server_ignoring_offset_lists_what_came_with_a_warning(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    sandbox.configure(page_cap=10)
    sandbox.faults.add("aois", "ignore_offset", times=None)
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")},
                               pixxel_env)
    assert outcome.returncode == 0, outcome.output
    assert len(features(outcome.json()["results"]["OUTPUT"])) == 10
    assert "The server returned the same page twice; the list may be incomplete." \
        in outcome.output


# --- storage that cannot be trusted (issue #13) ---------------------------------------------


def first_aoi_assets(sandbox) -> dict:
    """"zip" and "tif": the first AOI's ready assets delivered so."""
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    ready = [a for a in sandbox.catalog.assets(aoi_id) if a["status"] == "success"]
    return {kind: next(a for a in ready if a["path"].endswith("." + kind))
            for kind in ("zip", "tif")}


def download(qgis_process, sandbox, env, folder: Path, *asset_ids: str):
    parameters = {"AOI_ID": sandbox.catalog.aoi_at(0)["aoi_id"], "OUTPUT_FOLDER": str(folder)}
    if asset_ids:
        parameters["ASSET_IDS"] = ",".join(asset_ids)
    return qgis_process.run("pixxel:downloadassets", parameters, env)


def storage_requests(sandbox) -> list:
    return [r for r in sandbox.requests if r.endpoint == "storage"]


def member_data_offset(zip_path: Path, name: str) -> int:
    """A byte inside the data of the member `name`."""
    with zipfile.ZipFile(zip_path) as bundle:
        info = bundle.getinfo(name)
    with open(zip_path, "rb") as stream:
        stream.seek(info.header_offset)
        name_length, extra_length = struct.unpack("<HH", stream.read(30)[26:30])
    return info.header_offset + 30 + name_length + extra_length + info.compress_size // 3


@pytest.mark.parametrize(("fault", "quoted"), [
    ("xml_error_200", "AuthenticationFailed: Server failed to authenticate the request"),
    ("html_bom_200", "Storage sent a web page instead of the file (\u201cAccess Denied"),
])
def test_an_error_page_served_with_200_is_an_error_and_never_the_product(
        qgis_process, sandbox, pixxel_env, tmp_path, fault, quoted):
    tif = first_aoi_assets(sandbox)["tif"]
    sandbox.faults.add("storage", fault, times=None)
    failed = download(qgis_process, sandbox, pixxel_env, tmp_path, tif["id"])
    assert failed.returncode != 0
    assert quoted in failed.output
    assert "Traceback" not in failed.output
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".json"]

    sandbox.faults.clear()
    seen = len(storage_requests(sandbox))
    done = download(qgis_process, sandbox, pixxel_env, tmp_path, tif["id"])
    assert done.returncode == 0, done.output
    (raster,) = done.json()["results"]["RASTERS"]  # not "already downloaded": storage asked again
    assert len(storage_requests(sandbox)) > seen
    assert Path(raster).read_bytes() == sandbox.product_path(tif["id"]).read_bytes()


def test_a_damaged_archive_keeps_the_files_of_an_earlier_download(
        qgis_process, sandbox, pixxel_env, tmp_path):
    assets = first_aoi_assets(sandbox)
    ids = [assets["zip"]["id"], assets["tif"]["id"]]
    bundle = sandbox.delivery_path(*ids)
    with zipfile.ZipFile(bundle) as archive:
        names = [info.filename for info in archive.infolist()]
    first = names[0].split("/")[0]  # extracted before the damaged last member
    (earlier_id,) = [i for i in ids if sandbox.catalog.product_spec(i).name == first]
    earlier = download(qgis_process, sandbox, pixxel_env, tmp_path, earlier_id)
    assert earlier.returncode == 0, earlier.output
    (raster,) = earlier.json()["results"]["RASTERS"]
    kept = Path(raster).read_bytes()

    sandbox.configure(content_md5=False)  # the damage is in storage's copy: no checksum tells
    sandbox.faults.add("storage", "corrupt", times=None,
                       after_bytes=member_data_offset(bundle, names[-1]))
    failed = download(qgis_process, sandbox, pixxel_env, tmp_path, *ids)
    assert failed.returncode != 0
    assert "is damaged" in failed.output
    assert "Traceback" not in failed.output
    assert Path(raster).read_bytes() == kept  # a layer reading it would not notice
    second = names[-1].split("/")[0]
    assert not (Path(raster).parent.parent / second).exists()


@pytest.fixture
def stall_settings(qgis_process):
    """Small limits for the minimum download speed in the profile, for one test."""
    ini = qgis_process.settings_file
    before = ini.read_text(encoding="utf-8") if ini.exists() else None
    with ini.open("a", encoding="utf-8") as out:
        out.write("\n[pixxel]\nstall_min_bytes_per_second=4096\nstall_window_seconds=1\n")
    yield
    if before is None:
        ini.unlink()
    else:
        ini.write_text(before, encoding="utf-8")


def test_a_trickle_ends_as_a_stall_with_the_part_kept(
        qgis_process, sandbox, pixxel_env, tmp_path, stall_settings):
    tif = first_aoi_assets(sandbox)["tif"]
    size = sandbox.product_path(tif["id"]).stat().st_size
    # Half the file at full speed, then 100 B/s (the resumed requests trickle from the start).
    sandbox.faults.add("storage", "trickle", after_bytes=size // 2, bytes=10, interval=0.1)
    sandbox.faults.add("storage", "trickle", nth=2, times=None, bytes=10, interval=0.1)
    started = time.monotonic()
    failed = download(qgis_process, sandbox, pixxel_env, tmp_path, tif["id"])
    elapsed = time.monotonic() - started
    assert failed.returncode != 0
    assert "The download stalled: storage sent less than 4.0 KiB/s for 1 s" in failed.output
    assert elapsed < 60
    (part,) = tmp_path.rglob("*.download.part")
    assert part.stat().st_size >= size // 2


def test_a_plain_http_download_link_is_refused(qgis_process, sandbox, pixxel_env, tmp_path):
    for endpoint in ("download_create", "download_status"):
        sandbox.faults.add(endpoint, "http_signed_url", times=None)
    failed = download(qgis_process, sandbox, pixxel_env, tmp_path,
                      first_aoi_assets(sandbox)["tif"]["id"])
    assert failed.returncode != 0
    assert ("Refusing to download from storage.pixxel-sandbox.invalid over unencrypted http"
            in failed.output)
    assert storage_requests(sandbox) == []
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".json"]


def test_a_redirect_from_https_storage_to_http_is_not_followed(
        qgis_process, https_sandbox, throwaway_ca, tmp_path, eavesdropper):
    env = {"PIXXEL_API_URL": https_sandbox.api_url, "PIXXEL_API_KEY": https_sandbox.api_key,
           "REQUESTS_CA_BUNDLE": str(throwaway_ca["ca"])}
    with https_sandbox.reset_around():
        https_sandbox.faults.add("storage", "redirect_http", times=None, port=eavesdropper.port)
        failed = download(qgis_process, https_sandbox, env, tmp_path,
                          first_aoi_assets(https_sandbox)["tif"]["id"])
    assert failed.returncode != 0
    assert f"redirected the request to unencrypted http://127.0.0.1:{eavesdropper.port}" in \
        failed.output
    assert eavesdropper.seen == []
