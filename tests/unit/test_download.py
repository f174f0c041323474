"""core/download.py against the sandbox: the real API and storage servers over loopback, real files.

The sandbox's request log is the witness for what was asked of Pixxel and of storage (how many
POSTs, which byte ranges, that storage never saw the key)."""

import itertools
import json
import logging
import threading
import time
import zipfile
from pathlib import Path

import pytest

from pixxel_qgis.core.download.job import (
    DownloadJob,
    PollPolicy,
    run_download,
    run_downloads,
)
from pixxel_qgis.core.download.manifest import MANIFEST_NAME
from pixxel_qgis.core.download.progress import DONE, STAGES, WAIT
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import (
    BadRequestError,
    CancelledError,
    DiskFullError,
    DownloadFailedError,
    PixxelError,
)
from pixxel_qgis.core.pixxel.retry import RetryPolicy
from sandbox import Sandbox

PRODUCT_SIZE = 2 * 1024 * 1024  # two fetch chunks: room to cancel in the middle
FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, deadline=20.0)
QUICK = PollPolicy(first=0.01, longest=0.05)
AOI_NAME = "Punjab wheat fields \u2013 Ludhiana"  # the sandbox's first AOI


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


def first_aoi(sb: Sandbox) -> dict:
    return sb.catalog.aois[0]


def asset_of(sb: Sandbox, kind: str, status: str = "success", aoi: dict = None) -> dict:
    """An asset of `aoi` (the first one by default) delivered as `kind` ("zip" or "tif")."""
    aoi = aoi or first_aoi(sb)
    return next(a for a in sb.catalog.assets(aoi["aoi_id"])
                if a["status"] == status and a["path"].endswith("." + kind))


def job_for(sb: Sandbox, root: Path, *kinds: str, **options) -> DownloadJob:
    ids = [asset_of(sb, kind)["id"] for kind in kinds]
    return DownloadJob(first_aoi(sb)["aoi_id"], ids, root, **options)


def download(client, job, **options):
    return run_download(client, job, poll_policy=QUICK, **options)


def endpoint_requests(sb: Sandbox, endpoint: str) -> list:
    return [r for r in sb.requests if r.endpoint == endpoint]


def header(request, name: str):
    return next((v for k, v in request.headers.items() if k.lower() == name.lower()), None)


def tree(root: Path) -> list:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def zip_members(path: Path) -> dict:
    with zipfile.ZipFile(path) as bundle:
        return {info.filename: bundle.read(info) for info in bundle.infolist()
                if not info.is_dir()}


def part_written(root: Path):
    """An is_cancelled() that turns True once some bytes of the delivery reached a .part."""
    return lambda: any(p.stat().st_size > 0 for p in root.rglob("*.part"))


# --- what lands where ----------------------------------------------------------------------------


def test_tif_asset_lands_in_its_product_folder_byte_for_byte(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "tif")
    result = download(client, job)

    source = sb.product_path(job.asset_ids[0])
    product = source.stem
    assert result.folder == tmp_path / AOI_NAME
    assert result.rasters == (result.folder / product / source.name,)
    assert result.rasters[0].read_bytes() == source.read_bytes()
    assert result.files == result.rasters
    assert result.masks == ()
    assert not result.reused
    assert tree(tmp_path) == [f"{AOI_NAME}/{MANIFEST_NAME}", f"{AOI_NAME}/{product}/{source.name}"]
    (asset,) = result.metadata["assets"]
    catalog_asset = asset_of(sb, "tif")
    assert asset["name"] == catalog_asset["name"] == product
    assert asset["date"] == catalog_asset["date"]
    assert asset["folder"] == product
    assert result.metadata["aoi_name"] == AOI_NAME
    assert result.metadata["delivery"]["kind"] == "tiff"
    assert result.metadata["delivery"]["md5"]
    assert result.metadata["transfer"]["md5_verified"]
    assert result.metadata["total_size"] == source.stat().st_size


def test_zip_asset_is_extracted_member_for_member(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "zip")
    result = download(client, job)

    members = zip_members(sb.product_path(job.asset_ids[0]))
    assert sorted(_relative(result.files, result.folder)) == sorted(members)
    for name, content in members.items():
        assert (result.folder / name).read_bytes() == content
    (image,) = result.rasters
    (mask,) = result.masks
    assert image.name.endswith(".tif")
    assert not image.name.endswith(".mask.tif")
    assert mask.name.endswith(".mask.tif")
    assert set(result.metadata["side_files"]) == {"footprint", "preview", "header", "metadata"}
    assert result.metadata["delivery"]["kind"] == "zip"
    assert result.metadata["delivery"]["kept"] is None
    assert not any(p.suffix in (".zip", ".part", ".download") for p in tmp_path.rglob("*"))


def test_two_assets_at_once_arrive_as_one_bundle(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "zip", "tif")
    result = download(client, job)

    members = zip_members(sb.download_path(result.download_id))
    assert sorted(_relative(result.files, result.folder)) == sorted(members)
    for name, content in members.items():
        assert (result.folder / name).read_bytes() == content
    assert len(result.rasters) == 2
    assert len(result.masks) == 1
    assert [a["id"] for a in result.metadata["assets"]] == list(job.asset_ids)
    assert all(a["folder"] for a in result.metadata["assets"])


def test_keep_zip_keeps_the_delivered_archive(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "zip", keep_zip=True)
    result = download(client, job)

    source = sb.product_path(job.asset_ids[0])
    kept = result.folder / result.metadata["delivery"]["kept"]
    assert kept.name == source.name
    assert kept.read_bytes() == source.read_bytes()
    assert kept not in result.files


def test_aoi_name_is_looked_up_when_the_job_has_none(sb, client, tmp_path):
    result = download(client, job_for(sb, tmp_path, "tif"))
    assert result.folder.name == AOI_NAME
    assert len(endpoint_requests(sb, "aoi")) == 1


def test_aoi_name_cannot_lead_outside_the_destination(sb, client, tmp_path):
    root = tmp_path / "root"
    result = download(client, job_for(sb, root, "zip", aoi_name="../../evil"))

    assert root in result.folder.parents
    assert all(root in path.parents for path in result.files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root"]


def test_aoi_name_with_separators_stays_one_readable_folder(sb, client, tmp_path):
    result = download(client, job_for(sb, tmp_path, "tif", aoi_name='Fields A/B: "north" '))
    assert result.folder.parent == tmp_path
    assert result.folder.name == "Fields A_B_ _north_"


DEVANAGARI_AOI = "खेत" * 34  # 102 characters, 306 bytes of UTF-8: over the 255-byte limit


@pytest.mark.parametrize(
    ("aoi_name", "expected"),
    [("CON", "_CON"), ("nul.tif", "_nul.tif"), ("COM\u00b9", "_COM\u00b9"), ("Fields. ", "Fields"),
     ("a\u202eb", "ab")],
)
def test_aoi_names_windows_refuses_become_folders_it_accepts(sb, client, tmp_path, aoi_name,
                                                              expected):
    result = download(client, job_for(sb, tmp_path, "tif", aoi_name=aoi_name))
    assert result.folder == tmp_path / expected
    assert result.rasters


def test_an_aoi_named_in_100_devanagari_letters_downloads(sb, client, tmp_path):
    result = download(client, job_for(sb, tmp_path, "zip", aoi_name=DEVANAGARI_AOI))

    name = result.folder.name
    assert result.folder.parent == tmp_path
    assert result.rasters
    assert len(name.encode("utf-8")) <= 255
    assert len(name.encode("utf-16-le")) // 2 <= 255
    assert DEVANAGARI_AOI.startswith(name)  # cut on a letter boundary, still readable


def test_aois_whose_names_differ_only_by_case_or_normalisation_get_their_own_folders(
    sb, client, tmp_path
):
    # Windows and macOS take "Café Fields" (NFC), "CAFE\u0301 FIELDS" (NFD) and "café fields" for
    # one folder: a second AOI must not write into (or reuse the files of) the first one's.
    first = download(client, job_for(sb, tmp_path, "tif", aoi_name="Café Fields"))
    other_aoi = sb.catalog.aois[1]
    other_asset = next(
        a for a in sb.catalog.assets(other_aoi["aoi_id"]) if a["status"] == "success"
    )
    second = download(client, DownloadJob(other_aoi["aoi_id"], [other_asset["id"]], tmp_path,
                                          aoi_name="CAFE\u0301 FIELDS"))
    again = download(client, job_for(sb, tmp_path, "tif", aoi_name="café fields"))

    assert first.folder.name == "Café Fields"
    assert second.folder.name == "CAFÉ FIELDS (2)"
    assert again.folder == first.folder
    assert again.reused
    assert not set(first.files) & set(second.files)


def test_symlinked_aoi_folder_pointing_elsewhere_is_refused(sb, client, tmp_path):
    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / AOI_NAME).symlink_to(elsewhere, target_is_directory=True)

    with pytest.raises(PixxelError, match="outside"):
        download(client, job_for(sb, root, "tif"))
    assert list(elsewhere.iterdir()) == []
    assert endpoint_requests(sb, "download_create") == []


# --- waiting for Pixxel --------------------------------------------------------------------------


def test_pending_for_several_polls_then_ready(sb, client, tmp_path):
    sb.configure(ready_after_polls=4)
    seen = []
    result = download(client, job_for(sb, tmp_path, "tif"), on_progress=seen.append)

    assert result.rasters
    assert len(endpoint_requests(sb, "download_status")) == 4
    stages = [p.stage for p in seen]
    assert WAIT in stages
    assert stages == sorted(stages, key=STAGES.index)
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions)
    assert (seen[-1].stage, seen[-1].fraction) == (DONE, 1.0)


def test_ready_in_the_first_answer_needs_no_poll(sb, client, tmp_path):
    sb.configure(ready_after_polls=0)
    download(client, job_for(sb, tmp_path, "tif"))
    assert endpoint_requests(sb, "download_status") == []


def test_failed_download_raises_download_failed(sb, client, tmp_path, monkeypatch):
    def broken_build(asset_ids):
        raise RuntimeError("the product could not be assembled")

    monkeypatch.setattr(sb._files, "build", broken_build)  # the sandbox then answers FAILED
    with pytest.raises(DownloadFailedError, match="could not prepare"):
        download(client, job_for(sb, tmp_path, "tif"))
    assert tree(tmp_path) == [f"{AOI_NAME}/{MANIFEST_NAME}"]


def test_download_never_ready_times_out(sb, client, tmp_path):
    sb.configure(ready_after_polls=10**6)
    started = time.monotonic()
    with pytest.raises(DownloadFailedError, match="after 0.3 s"):
        download(client, job_for(sb, tmp_path, "tif", poll_timeout=0.3))
    assert 0.3 <= time.monotonic() - started < 3
    assert endpoint_requests(sb, "storage") == []


@pytest.mark.parametrize(("state", "message"), [
    ("error", "Pixxel could not prepare the download {id} (status: error). Request it again, or "
              "contact Pixxel if it keeps failing."),
    ("cancelled", "Pixxel cancelled the download {id} (status: cancelled). Request it again."),
    ("expired", "The download {id} expired at Pixxel (status: expired). Request it again."),
    ("success_without_url", "Pixxel reported the download {id} as ready but sent no link to "
                            "fetch it (status: success). Request it again, or contact Pixxel "
                            "if it keeps happening."),
])
def test_a_final_status_ends_the_wait_at_once_with_pixxels_status(
        sb, client, tmp_path, state, message):
    """Waiting an hour cannot turn these into a download: the first poll that says so ends it,
    and the next run asks for a new download instead of waiting on the dead one."""
    sb.configure(ready_after_polls=10**6)
    sb.faults.add("download_status", "download_state", nth=2, times=2, state=state)
    job = job_for(sb, tmp_path, "tif", poll_timeout=60)
    started = time.monotonic()
    with pytest.raises(DownloadFailedError) as caught:
        download(client, job)
    assert time.monotonic() - started < 5
    assert str(caught.value) == message.format(id=_pending_id(tmp_path))
    assert [r.fault for r in endpoint_requests(sb, "download_status")] == [None, "download_state"]
    assert endpoint_requests(sb, "storage") == []

    sb.configure(ready_after_polls=1)
    assert download(client, job).rasters
    polls = [r.fault for r in endpoint_requests(sb, "download_status")]
    assert polls == [None, "download_state", "download_state", None]  # 3rd: the dead one again
    assert len(endpoint_requests(sb, "download_create")) == 2


def _pending_id(root: Path) -> str:
    (entry,) = json.loads((root / AOI_NAME / MANIFEST_NAME).read_text())["downloads"]
    return entry["download_id"]


def test_api_unavailable_during_polling_is_retried(sb, client, tmp_path):
    sb.faults.add("download_status", "status", nth=1, times=2, status=503)
    result = download(client, job_for(sb, tmp_path, "tif"))

    assert result.rasters
    polls = endpoint_requests(sb, "download_status")
    assert [r.fault for r in polls[:2]] == ["status", "status"]
    assert len(endpoint_requests(sb, "download_create")) == 1


# --- moving bytes --------------------------------------------------------------------------------


def test_expired_url_midway_is_refreshed_and_the_download_completes(sb, client, tmp_path):
    sb.faults.add("storage", "drop", nth=1, at=0.5)
    sb.faults.add("storage", "expired_url", nth=2)
    job = job_for(sb, tmp_path, "tif")
    result = download(client, job)

    assert result.rasters[0].read_bytes() == sb.product_path(job.asset_ids[0]).read_bytes()
    order = [r.endpoint for r in sb.requests if r.endpoint in ("storage", "download_status")]
    refresh = order.index("download_status", order.index("storage"))
    assert order[refresh + 1:] == ["storage"]  # the fresh URL finished the job


def test_dropped_connection_is_resumed(sb, client, tmp_path):
    # A reset connection may lose everything in flight: three in a row leave bytes to resume.
    sb.faults.add("storage", "drop", nth=1, times=3, at=0.5)
    job = job_for(sb, tmp_path, "tif")
    result = download(client, job)

    source = sb.product_path(job.asset_ids[0])
    assert result.rasters[0].read_bytes() == source.read_bytes()
    assert result.metadata["transfer"]["resumed"]
    assert result.metadata["transfer"]["bytes_received"] == source.stat().st_size
    assert any(header(r, "Range") for r in endpoint_requests(sb, "storage"))


def test_key_and_signature_never_reach_storage_logs_or_errors(sb, client, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="pixxel")
    sb.faults.add("storage", "drop", nth=1, at=0.5)
    sb.faults.add("storage", "expired_url", nth=2)
    sb.faults.add("storage", "status", nth=4, times=None, status=404)
    download(client, job_for(sb, tmp_path, "tif"))
    with pytest.raises(PixxelError) as failure:
        download(client, job_for(sb, tmp_path, "zip"))

    storage = endpoint_requests(sb, "storage")
    assert len(storage) == 4
    signatures = {r.query["sig"] for r in storage}
    for request in storage:
        assert header(request, "Authorization") is None
        assert sb.api_key not in json.dumps(request.as_dict())
    for secret in (*signatures, sb.api_key):
        assert secret not in caplog.text
        assert secret not in str(failure.value)


def test_no_space_fails_clearly_and_leaves_no_final_file(sb, client, small_disk):
    disk = small_disk(1)
    with pytest.raises(DiskFullError):
        download(client, job_for(sb, disk, "tif"))
    assert not any(p.suffix == ".tif" for p in disk.rglob("*"))


# --- cancel, resume, run again -------------------------------------------------------------------


def test_cancel_while_waiting_then_rerun_continues_the_same_download(sb, client, tmp_path):
    sb.configure(ready_after_polls=10**6)
    job = job_for(sb, tmp_path, "tif")
    with pytest.raises(CancelledError):
        download(client, job,
                 is_cancelled=lambda: len(endpoint_requests(sb, "download_status")) >= 2)
    assert tree(tmp_path) == [f"{AOI_NAME}/{MANIFEST_NAME}"]

    sb.configure(ready_after_polls=1)
    result = download(client, job)
    assert result.rasters
    assert len(endpoint_requests(sb, "download_create")) == 1  # no second preparation


def cancelled_midway(sb, client, root: Path) -> int:
    """Cancel the first AOI's tif download once bytes arrived; the size of the .part left."""
    with pytest.raises(CancelledError):
        download(client, job_for(sb, root, "tif"), is_cancelled=part_written(root))
    assert not any(name.endswith(".tif") for name in tree(root))
    (part,) = list(root.rglob("*.part"))
    assert 0 < part.stat().st_size < PRODUCT_SIZE
    return part.stat().st_size


@pytest.mark.parametrize("pixxel_forgot", [False, True])
def test_cancel_while_downloading_leaves_a_part_that_the_rerun_continues(
        sb, client, tmp_path, pixxel_forgot):
    kept = cancelled_midway(sb, client, tmp_path)
    if pixxel_forgot:
        sb.reset()  # the download record is gone: a new one is requested, the .part still serves
    seen = len(sb.requests)
    job = job_for(sb, tmp_path, "tif")
    result = download(client, job)

    source = sb.product_path(job.asset_ids[0])
    assert result.rasters[0].read_bytes() == source.read_bytes()
    assert result.metadata["transfer"]["bytes_received"] == source.stat().st_size - kept
    rerun = sb.requests[seen:]
    (request,) = [r for r in rerun if r.endpoint == "storage"]
    assert header(request, "Range") == f"bytes={kept}-"
    posts = [r for r in rerun if r.endpoint == "download_create"]
    assert len(posts) == (1 if pixxel_forgot else 0)
    assert not list(tmp_path.rglob("*.part"))


def test_cancel_while_unpacking_keeps_the_delivery_for_the_rerun(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "zip")
    unpacking = threading.Event()

    def watch(progress):
        if progress.stage == "unpack":
            unpacking.set()

    with pytest.raises(CancelledError):
        download(client, job, on_progress=watch, is_cancelled=unpacking.is_set)
    assert not any(p.suffix == ".tif" for p in tmp_path.rglob("*"))

    sb.reset()
    result = download(client, job)
    assert len(result.files) == 6
    (request,) = endpoint_requests(sb, "storage")
    assert header(request, "Range") == "bytes=0-0"  # only a check that the delivery is whole


def test_second_identical_run_downloads_nothing(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "zip", "tif", aoi_name=AOI_NAME)
    first = download(client, job)
    sb.reset()
    second = download(client, job)

    assert second.reused
    assert sb.requests == []  # with the AOI name given, not even the API is asked
    assert (second.download_id, second.files, second.rasters, second.masks) == (
        first.download_id, first.files, first.rasters, first.masks)
    assert second.metadata["assets"] == first.metadata["assets"]


def test_a_subset_of_an_earlier_download_is_reused(sb, client, tmp_path):
    both = download(client, job_for(sb, tmp_path, "zip", "tif", aoi_name=AOI_NAME))
    sb.reset()
    tif_only = download(client, job_for(sb, tmp_path, "tif", aoi_name=AOI_NAME))

    assert tif_only.reused
    assert sb.requests == []
    (raster,) = tif_only.rasters
    assert raster in both.rasters
    assert set(tif_only.files) < set(both.files)
    assert [a["id"] for a in tif_only.metadata["assets"]] == [asset_of(sb, "tif")["id"]]


def test_a_missing_file_is_downloaded_again(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "zip", aoi_name=AOI_NAME)
    first = download(client, job)
    first.masks[0].unlink()
    sb.reset()
    second = download(client, job)

    assert not second.reused
    assert second.masks[0].exists()
    assert len(endpoint_requests(sb, "download_create")) == 1


def test_unreadable_manifest_only_costs_a_download(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "tif", aoi_name=AOI_NAME)
    download(client, job)
    (tmp_path / AOI_NAME / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert not download(client, job).reused


# --- refused jobs --------------------------------------------------------------------------------


def test_asset_not_ready_is_refused_by_name(sb, client, tmp_path):
    creating = asset_of(sb, "zip", status="creating")
    job = DownloadJob(first_aoi(sb)["aoi_id"], [asset_of(sb, "tif")["id"], creating["id"]],
                      tmp_path)
    with pytest.raises(BadRequestError, match=f"{creating['name']} \\(creating\\)"):
        download(client, job)
    assert endpoint_requests(sb, "download_create") == []


def test_unknown_asset_is_refused_by_id(sb, client, tmp_path):
    job = DownloadJob(first_aoi(sb)["aoi_id"], ["no-such-asset"], tmp_path)
    with pytest.raises(BadRequestError, match="no-such-asset"):
        download(client, job)
    assert endpoint_requests(sb, "download_create") == []


def test_no_assets_is_refused_before_any_request(sb, client, tmp_path):
    with pytest.raises(BadRequestError):
        download(client, DownloadJob(first_aoi(sb)["aoi_id"], [], tmp_path))
    assert sb.requests == []


# --- several at once -----------------------------------------------------------------------------


def test_parallel_jobs_share_one_client(sb, client, tmp_path):
    other = next(aoi for aoi in itertools.islice(sb.catalog.iter_aois(), 1, None)
                 if any(a["status"] == "success" for a in sb.catalog.assets(aoi["aoi_id"])))
    other_asset = next(a for a in sb.catalog.assets(other["aoi_id"]) if a["status"] == "success")
    first = job_for(sb, tmp_path, "zip", "tif")
    jobs = [first, DownloadJob(other["aoi_id"], [other_asset["id"]], tmp_path), first]
    calls = []
    outcomes = run_downloads(client, jobs, max_parallel=3, poll_policy=QUICK,
                             on_progress=lambda index, progress: calls.append(index))

    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert outcomes[0].folder != outcomes[1].folder
    assert sorted(o.reused for o in (outcomes[0], outcomes[2])) == [False, True]
    assert outcomes[0].files == outcomes[2].files
    assert len(endpoint_requests(sb, "download_create")) == 2
    assert set(calls) == {0, 1, 2}


def test_one_failing_job_does_not_stop_the_others(sb, client, tmp_path):
    jobs = [DownloadJob(first_aoi(sb)["aoi_id"], ["no-such-asset"], tmp_path),
            job_for(sb, tmp_path, "tif")]
    failed, done = run_downloads(client, jobs, poll_policy=QUICK)
    assert isinstance(failed, BadRequestError)
    assert done.rasters


def _relative(paths, folder: Path) -> list:
    return [p.relative_to(folder).as_posix() for p in paths]
