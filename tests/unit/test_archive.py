"""core/download/archive.py on real files: the sandbox's zip deliveries and hostile archives."""

import os
import stat
import struct
import time
import warnings
import zipfile
from pathlib import Path

import pytest
import requests

from pixxel_qgis.core.download import archive
from pixxel_qgis.core.download.archive import extract
from pixxel_qgis.core.download.files import BIGTIFF, TIFF, UNKNOWN, ZIP, is_zip, sniff
from pixxel_qgis.core.pixxel.errors import (
    CancelledError,
    DiskFullError,
    IncompleteTransferError,
    PixxelError,
    UnexpectedResponseError,
    UnsafeArchiveError,
)


def product(sandbox, kind: str) -> Path:
    """The sandbox's delivery file for the first AOI's ready asset delivered as `kind`."""
    headers = {"Authorization": sandbox.api_key}
    aoi_id = requests.get(f"{sandbox.api_url}/v0/aois", params={"limit": 1}, headers=headers,
                          timeout=10).json()["aois"][0]["aoi_id"]
    assets = requests.get(f"{sandbox.api_url}/v0/aois/{aoi_id}/assets", headers=headers,
                          timeout=10).json()["assets"]
    asset = next(a for a in assets if a["status"] == "success" and a["path"].endswith("." + kind))
    return sandbox.product_path(asset["id"])


def make_zip(path: Path, members, compression=zipfile.ZIP_DEFLATED) -> Path:
    """members: (name, bytes) or (ZipInfo, bytes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", compression) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return path


def everything_under(folder: Path) -> list:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def work(tmp_path):
    """A destination folder inside a parent that must stay untouched."""
    (tmp_path / "out").mkdir()
    return tmp_path


# --- sniffing ----------------------------------------------------------------------------------


def test_sniff_recognises_the_sandbox_deliveries(sandbox):
    assert sniff(product(sandbox, "zip")) == ZIP
    assert sniff(product(sandbox, "tif")) == TIFF
    assert is_zip(product(sandbox, "zip"))
    assert not is_zip(product(sandbox, "tif"))


def test_sniff_reads_bytes_not_extensions(tmp_path):
    gdal = pytest.importorskip("osgeo.gdal")
    driver = gdal.GetDriverByName("GTiff")
    files = {
        "big-endian.zip": (["ENDIANNESS=BIG"], TIFF),
        "bigtiff.tif": (["BIGTIFF=YES"], BIGTIFF),
        "bigtiff-be.dat": (["BIGTIFF=YES", "ENDIANNESS=BIG"], BIGTIFF),
    }
    for name, (options, expected) in files.items():
        dataset = driver.Create(str(tmp_path / name), 1, 1, 1, gdal.GDT_UInt16, options=options)
        dataset = None  # noqa: F841 - closing the dataset writes the file
        assert sniff(tmp_path / name) == expected, name
    (tmp_path / "page.tif").write_bytes(b"<!DOCTYPE html><html></html>")
    (tmp_path / "short.zip").write_bytes(b"PK")
    (tmp_path / "empty.tif").write_bytes(b"")
    (tmp_path / "empty-zip.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)  # no member: not data
    for name in ("page.tif", "short.zip", "empty.tif", "empty-zip.zip"):
        assert sniff(tmp_path / name) == UNKNOWN, name


# --- good archives -----------------------------------------------------------------------------


def test_sandbox_zip_extracts_to_its_files(sandbox, work):
    zip_path = product(sandbox, "zip")
    progress = []
    files = extract(zip_path, work / "out", on_progress=lambda done, total: progress.append(
        (done, total)))

    with zipfile.ZipFile(zip_path) as zf:
        members = [i for i in zf.infolist() if not i.is_dir()]
        assert files == [work / "out" / i.filename for i in members]
        for info, path in zip(members, files):
            assert path.read_bytes() == zf.read(info)
    suffixes = sorted("".join(p.suffixes[-2:]) if p.name.endswith(".mask.tif") else p.suffix
                      for p in files)
    assert suffixes == [".geojson", ".hdr", ".jpeg", ".mask.tif", ".tif", ".xml"]
    assert zip_path.exists()  # keep_zip defaults to True
    total = sum(i.file_size for i in members)
    assert progress[-1] == (total, total)
    assert not list((work / "out").rglob("*.part"))
    assert sorted(p.name for p in work.iterdir()) == ["out"]


def test_keep_zip_false_deletes_the_zip_after_success(work):
    zip_path = make_zip(work / "d.zip", [("a/one.tif", b"II*\0" + b"1" * 100),
                                         ("a/", b""), ("two.xml", b"<x/>")])
    files = extract(zip_path, work / "out", keep_zip=False)
    assert [p.relative_to(work / "out").as_posix() for p in files] == ["a/one.tif", "two.xml"]
    assert not zip_path.exists()


def test_extracting_again_replaces_the_files(work):
    zip_path = make_zip(work / "d.zip", [("one.tif", b"new")])
    (work / "out" / "one.tif").write_bytes(b"old and longer")
    extract(zip_path, work / "out")
    assert (work / "out" / "one.tif").read_bytes() == b"new"


def test_destination_is_created(work):
    zip_path = make_zip(work / "d.zip", [("one.tif", b"x")])
    extract(zip_path, work / "new" / "deeper")
    assert (work / "new" / "deeper" / "one.tif").read_bytes() == b"x"


# --- hostile archives --------------------------------------------------------------------------


def symlink_member(name: str, target: str) -> tuple:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode in external_attr is meaningful
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def fifo_member(name: str) -> tuple:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFIFO | 0o644) << 16
    return info, b""


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([("ok.tif", b"1"), ("../evil.tif", b"2")], r"outside its folder"),
        ([("a/../../evil.tif", b"2")], r"outside its folder"),
        ([("/tmp/evil.tif", b"2")], r"absolute path"),
        ([("\\evil.tif", b"2")], r"absolute path"),
        ([("C:/Windows/evil.dll", b"2")], r"absolute path"),
        ([("c:evil.dll", b"2")], r"absolute path"),
        ([("..\\evil.tif", b"2")], r"outside its folder"),
        ([("ok.tif:stream", b"2")], r"not a safe file name"),
        ([("NUL.tif", b"2")], r"not a safe file name"),
        ([symlink_member("link.tif", "/etc/passwd")], r"holds a link"),
        ([fifo_member("pipe")], r"special file"),
        ([("a.tif", b"1"), ("a.tif", b"2")], r"twice"),
        ([("A.tif", b"1"), ("a.TIF", b"2")], r"twice"),
        ([("x", b"1"), ("x/y.tif", b"2")], r"both as a file and as a folder"),
    ],
)
def test_hostile_archive_is_refused_before_writing(work, members, message):
    zip_path = make_zip(work / "d.zip", members)
    with pytest.raises(UnsafeArchiveError, match=message):
        extract(zip_path, work / "out", keep_zip=False)
    assert everything_under(work) == ["d.zip", "out"]  # not a byte written, zip kept


def test_symlinked_folder_in_the_destination_is_not_followed(work):
    (work / "elsewhere").mkdir()
    (work / "out" / "data").symlink_to(work / "elsewhere", target_is_directory=True)
    zip_path = make_zip(work / "d.zip", [("data/evil.tif", b"2")])
    with pytest.raises(UnsafeArchiveError, match="outside"):
        extract(zip_path, work / "out")
    assert list((work / "elsewhere").iterdir()) == []


def test_member_overwriting_the_zip_itself_is_refused(work):
    zip_path = make_zip(work / "out" / "d.zip", [("d.zip", b"2")])
    with pytest.raises(UnsafeArchiveError, match="overwrite the archive"):
        extract(zip_path, work / "out")
    assert is_zip(zip_path)


def test_zip_bomb_is_refused(work):
    zip_path = work / "bomb.zip"
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("bomb.tif", "w") as member:
        for _ in range(archive.RATIO_FLOOR // len(zeros) + 1):
            member.write(zeros)
    assert zip_path.stat().st_size < 200 * 1024
    started = time.monotonic()
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        extract(zip_path, work / "out")
    assert time.monotonic() - started < 1  # refused from the directory, not by inflating it
    assert everything_under(work / "out") == []


def test_many_small_bombs_are_refused_together(work, monkeypatch):
    monkeypatch.setattr(archive, "RATIO_FLOOR", 4 * 1024 * 1024)
    zeros = bytes(3 * 1024 * 1024)  # each member below the floor, the sum above it
    zip_path = make_zip(work / "d.zip", [(f"{n}.tif", zeros) for n in range(3)])
    with pytest.raises(UnsafeArchiveError, match="The archive would expand"):
        extract(zip_path, work / "out")


def test_compressible_but_small_members_are_fine(work):
    zip_path = make_zip(work / "d.zip", [("meta.xml", b"<a/>" * 100_000)])  # 1000:1, 400 KB
    assert len(extract(zip_path, work / "out")) == 1


@pytest.mark.parametrize(
    ("compression", "module"), [(zipfile.ZIP_BZIP2, "bz2"), (zipfile.ZIP_LZMA, "lzma")]
)
def test_unbounded_decompressors_are_not_used(work, compression, module):
    pytest.importorskip(module)
    zip_path = make_zip(work / "d.zip", [("a.tif", b"1" * 1000)], compression=compression)
    with pytest.raises(UnexpectedResponseError, match="compression method"):
        extract(zip_path, work / "out")
    assert everything_under(work / "out") == []


# --- damaged archives --------------------------------------------------------------------------


def test_truncated_zip_is_incomplete(sandbox, work):
    data = product(sandbox, "zip").read_bytes()
    (work / "d.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(IncompleteTransferError, match="damaged or incomplete"):
        extract(work / "d.zip", work / "out", keep_zip=False)
    assert (work / "d.zip").exists()
    assert everything_under(work / "out") == []


def test_corrupt_member_fails_and_removes_what_was_extracted(work):
    payload = os.urandom(200_000)
    zip_path = make_zip(work / "d.zip", [("first.tif", b"fine"), ("second.tif", payload)],
                        compression=zipfile.ZIP_STORED)
    data = bytearray(zip_path.read_bytes())
    at = data.find(payload[:64]) + 100_000
    data[at] ^= 0xFF  # one flipped bit in the middle of the second member: a bad CRC
    zip_path.write_bytes(bytes(data))

    with pytest.raises(IncompleteTransferError, match="second.tif is damaged"):
        extract(zip_path, work / "out", keep_zip=False)
    assert everything_under(work / "out") == []  # all or nothing
    assert zip_path.exists()


def test_cancel_stops_and_leaves_nothing(work):
    zip_path = make_zip(work / "d.zip", [(f"{n}.tif", os.urandom(3 * 1024 * 1024))
                                         for n in range(3)], compression=zipfile.ZIP_STORED)
    # The cancel comes once the first member is whole, by the bytes written rather than by a
    # count of checks (which depends on the copy's chunk size): that member must go too.
    written = []

    def first_member_written() -> bool:
        return bool(written) and written[-1] >= 3 * 1024 * 1024

    with pytest.raises(CancelledError):
        extract(zip_path, work / "out", is_cancelled=first_member_written,
                on_progress=lambda done, _total: written.append(done))
    assert first_member_written(), "cancelled before the first member was whole"
    assert everything_under(work / "out") == []


# --- what was there before (issue #13) ---------------------------------------------------------


def corrupt_deflate_zip(path: Path, members) -> Path:
    """A zip of `members` (deflated) whose last member's compressed stream is damaged."""
    make_zip(path, members)
    with zipfile.ZipFile(path) as bundle:
        last = bundle.infolist()[-1]
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack(
        "<HH", data[last.header_offset + 26:last.header_offset + 30])
    start = last.header_offset + 30 + name_length + extra_length
    data[start + last.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def test_failed_extraction_keeps_an_earlier_download_whole(work):
    """Asset A downloaded earlier; A+B arrives with B damaged: A's files stay as they were (a
    layer on the map may be reading them), and nothing of B appears."""
    out = work / "out"
    (out / "prodA").mkdir()
    (out / "prodA" / "x.tif").write_bytes(b"II*\0 finished earlier")
    zip_path = corrupt_deflate_zip(work / "d.zip", [
        ("prodA/x.tif", b"II*\0 delivered again" * 100),
        ("prodB/y.tif", b"II*\0" + os.urandom(20_000) + bytes(200_000)),
    ])
    with pytest.raises(IncompleteTransferError, match="prodB/y.tif is damaged"):
        extract(zip_path, out, keep_zip=False)
    assert (out / "prodA" / "x.tif").read_bytes() == b"II*\0 finished earlier"
    assert everything_under(out) == ["prodA", "prodA/x.tif"]  # no prodB, no staged file
    assert zip_path.exists()


def test_a_failure_while_swapping_in_restores_exactly_what_was_there(work, monkeypatch):
    """The last step, renaming each verified member over its old file, can fail too (on
    Windows, a file another program holds open cannot be replaced): the files swapped in before
    it are swapped back out."""
    out = work / "out"
    for name, content in (("a/1.tif", b"old 1"), ("b/3.tif", b"old 3")):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    before = {name: (out / name).read_bytes() for name in ("a/1.tif", "b/3.tif")}
    zip_path = make_zip(work / "d.zip", [("a/1.tif", b"new 1"), ("a/2.tif", b"new 2"),
                                         ("b/3.tif", b"new 3"), ("c/4.tif", b"new 4")])
    held_open = out / "b" / "3.tif"
    real_replace = os.replace

    def replace(source, target):
        if Path(target) == held_open and b"new" in Path(source).read_bytes():
            raise PermissionError(13, "The process cannot access the file")
        real_replace(source, target)

    monkeypatch.setattr(archive.os, "replace", replace)
    with pytest.raises(PixxelError, match="Could not replace .*3.tif"):
        extract(zip_path, out)
    assert everything_under(out) == ["a", "a/1.tif", "b", "b/3.tif"]
    assert {name: (out / name).read_bytes() for name in before} == before


@pytest.mark.parametrize("order", [("x.tif.part", "x.tif"), ("x.tif", "x.tif.part")])
def test_a_member_named_like_another_members_part_file(work, order):
    contents = {"p/x.tif": b"II*\0 image", "p/x.tif.part": b"a half download someone zipped"}
    zip_path = make_zip(work / "d.zip", [(f"p/{name}", contents[f"p/{name}"]) for name in order])
    files = extract(zip_path, work / "out")
    assert [f.relative_to(work / "out").as_posix() for f in files] == [f"p/{n}" for n in order]
    assert {name: (work / "out" / name).read_bytes() for name in contents} == contents
    assert everything_under(work / "out") == ["p", "p/x.tif", "p/x.tif.part"]


# --- disk space --------------------------------------------------------------------------------


@pytest.fixture
def disk(small_disk):
    return small_disk(4)


def test_archive_larger_than_the_free_space_is_refused(work, disk):
    zip_path = make_zip(work / "d.zip", [("big.tif", os.urandom(5 * 1024 * 1024))],
                        compression=zipfile.ZIP_STORED)
    with pytest.raises(DiskFullError, match=r"5\.0 MiB needed"):
        extract(zip_path, disk / "out")
    assert list(disk.iterdir()) == []


def test_disk_filling_up_during_extraction(work, disk):
    zip_path = make_zip(work / "d.zip", [(f"{n}.tif", os.urandom(1024 * 1024))
                                         for n in range(3)], compression=zipfile.ZIP_STORED)

    def another_program_fills_the_disk(done: int, _total: int) -> None:
        if done == 1024 * 1024:
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            (disk / "filler").write_bytes(bytes(free - 64 * 1024))

    with pytest.raises(DiskFullError, match="filled up"):
        extract(zip_path, disk / "out", on_progress=another_program_fills_the_disk)
    assert everything_under(disk / "out") == []
