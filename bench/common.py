"""What the benchmarks share: the plugin importable as `pixxel_qgis`, a sandbox with big products,
ordering a download from it, and the outcome line each benchmark reports."""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
GIB = 1024 * MIB


def import_plugin() -> None:
    """Make the repository importable as `pixxel_qgis`, the name QGIS gives it (as the tests do)."""
    if "pixxel_qgis" in sys.modules:
        return
    parent = Path(tempfile.mkdtemp(prefix="pixxel-bench-"))
    (parent / "pixxel_qgis").symlink_to(REPO_ROOT, target_is_directory=True)
    sys.path.insert(0, str(parent))
    sys.path.insert(0, str(REPO_ROOT))  # the sandbox package


import_plugin()

from pixxel_qgis.core.pixxel.api import PixxelClient  # noqa: E402
from sandbox import Sandbox, SandboxConfig, default_data_dir  # noqa: E402


@dataclass(frozen=True)
class Outcome:
    name: str
    measured: str  # the figure the target is about, as printed
    target: str
    met: bool
    notes: str = ""


@dataclass(frozen=True)
class Product:
    """The first AOI's asset delivered as a bare GeoTIFF, and the download that serves it."""

    aoi_id: str
    asset_id: str
    download_id: str
    path: Path  # the file storage serves
    size: int


def big_sandbox(product_size: int, **config: object) -> Sandbox:
    """A sandbox whose products are `product_size` bytes, cached in the shared data dir (first
    use generates them: about 15 s for 2 GiB)."""
    data_dir = default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    return Sandbox(SandboxConfig(product_size=product_size, data_dir=data_dir, **config))


def client_for(sandbox: Sandbox) -> PixxelClient:
    return PixxelClient(sandbox.api_key, sandbox.api_url, trust_env=False)


def tif_asset(client: PixxelClient) -> Tuple[str, str]:
    """(AOI id, asset id) of the first AOI's asset that storage delivers as a bare GeoTIFF."""
    aoi = next(client.iter_aois())
    asset = next(a for a in client.assets(aoi.aoi_id)
                 if a.is_downloadable and (a.path or "").endswith(".tif"))
    return aoi.aoi_id, asset.id


def order_tif(sandbox: Sandbox, client: PixxelClient) -> Product:
    """Request the first AOI's bare-GeoTIFF asset and wait until the download is ready."""
    aoi_id, asset_id = tif_asset(client)
    status = client.create_download(aoi_id, [asset_id])
    while not status.is_ready:
        time.sleep(0.1)
        status = client.download_status(aoi_id, status.download_id)
    path = sandbox.download_path(status.download_id)
    return Product(aoi_id, asset_id, status.download_id, path, path.stat().st_size)


def fresh_url(client: PixxelClient, product: Product) -> str:
    return client.download_status(product.aoi_id, product.download_id).signed_url


def scratch_dir(name: str) -> Path:
    """A folder for outputs on the disk that holds the sandbox data (a real disk, not tmpfs)."""
    return Path(tempfile.mkdtemp(prefix=f"bench-{name}-", dir=default_data_dir()))


def settle(source: Path) -> None:
    """The same start for every run: no dirty pages of the previous run left to flush on this
    run's time, and (when allowed, as root) no page cache but the file being served. On a VM
    the page-cache history otherwise decides who is fast: whoever writes right after another
    contender's file was dropped pays for memory the host has to hand back."""
    subprocess.run(["sync"], check=True)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3")
    except OSError:
        return  # not root: sync alone
    with open(source, "rb") as stream:  # storage serves from memory, as it would when hot
        while stream.readinto(_WARM_BUFFER):
            pass


_WARM_BUFFER = bytearray(8 * MIB)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def alternate(contenders: Sequence[Tuple[str, Callable[[], float]]], runs: int,
              log: Callable[[str], None] = print) -> dict:
    """Run each contender `runs` times, interleaved, so that drifting machine load (other
    processes, page-cache pressure) hits all of them alike; the order rotates every round (A B C,
    B C A, C A B, ...) because on a VM whoever runs first after another's big write pays for it.
    Each callable returns its own measured seconds. Returns name -> list of seconds."""
    results: dict = {name: [] for name, _ in contenders}
    for run in range(1, runs + 1):
        shift = (run - 1) % len(contenders)
        for name, contender in [*contenders[shift:], *contenders[:shift]]:
            seconds = contender()
            results[name].append(seconds)
            log(f"  run {run} {name:<12} {seconds:7.3f} s")
    return results


def median(values: List[float]) -> float:
    return statistics.median(values)


def vm_kib(field: str, pid: str = "self") -> int:
    """A `VmXxx:` line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
