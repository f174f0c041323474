"""Resume: a download whose connection storage drops at 50 % must not fetch the file again.

A whole download job (512 MiB bare GeoTIFF) runs against the sandbox with the fault
`storage:drop` (at=0.5) on the first storage request: storage sends half the file, then resets
the connection. Bytes over the wire are counted on the storage side, by wrapping the sandbox's
file-sending method in this process (the sandbox itself is unchanged): what storage handed to the
socket, which is at least what arrived. Target: at most 1.05 x the file size.

    .venv/bin/python -m bench.resume
"""

import shutil
import threading
from typing import Any

from bench.common import MIB, Outcome, big_sandbox, client_for, scratch_dir, tif_asset
from pixxel_qgis.core.download.job import DownloadJob, run_download
from sandbox import httpbase

SIZE = 512 * MIB
TARGET = 1.05


class _StorageBytes:
    """Counts the file bytes the sandbox's servers send while installed."""

    def __init__(self) -> None:
        self.sent = 0
        self._lock = threading.Lock()
        self._original = httpbase.Reply.write

    def __enter__(self) -> "_StorageBytes":
        original, counter = self._original, self

        def counting_write(reply: Any, handler: Any, start: int, end: int) -> None:
            if reply.file is not None and end > start:
                with counter._lock:
                    counter.sent += end - start
            original(reply, handler, start, end)

        httpbase.Reply.write = counting_write
        return self

    def __exit__(self, *_exc: object) -> None:
        httpbase.Reply.write = self._original


def run() -> Outcome:
    with big_sandbox(SIZE) as sandbox, client_for(sandbox) as client:
        aoi_id, asset_id = tif_asset(client)
        size = sandbox.product_path(asset_id).stat().st_size
        out = scratch_dir("resume")
        sandbox.faults.add("storage", "drop", nth=1, at=0.5)
        try:
            with _StorageBytes() as wire:
                result = run_download(client, DownloadJob(aoi_id, (asset_id,), out,
                                                          aoi_name="bench"))
        finally:
            shutil.rmtree(out, ignore_errors=True)
        requests = [r for r in sandbox.requests if r.server == "storage"]
    transfer = result.metadata["transfer"]
    if not (transfer["resumed"] and transfer["md5_verified"]):
        raise AssertionError(f"expected a verified resume, got {transfer}")
    ratio = wire.sent / size
    print(f"resume: {size / MIB:.0f} MiB file, connection dropped at 50 %: {len(requests)} "
          f"storage requests, {wire.sent / MIB:.1f} MiB sent by storage ({ratio:.3f} x), "
          f"{transfer['bytes_received'] / MIB:.1f} MiB written by the client")
    return Outcome("resume", f"{ratio:.3f} x size", f"<= {TARGET:.2f} x size", ratio <= TARGET,
                   f"{len(requests)} storage requests, MD5 verified after the resume")


if __name__ == "__main__":
    print(run())
