"""Memory: peak RSS growth of a process running a whole download job (request, wait, fetch with
MD5, move into place) for a 512 MiB and a 2 GiB product.

Each job runs in a fresh child process, so the sandbox serving the bytes is not counted. The child
imports everything and builds its client first, then resets its peak-RSS mark (writing 5 to
/proc/self/clear_refs) and reads VmRSS; after the job, VmHWM minus that is the growth. Page cache
is not RSS: only what the engine itself holds counts. Target: at most 64 MiB, and about the same
for both sizes (within 16 MiB), i.e. memory does not grow with the file.

    .venv/bin/python -m bench.memory
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.common import (
    GIB,
    MIB,
    REPO_ROOT,
    Outcome,
    big_sandbox,
    client_for,
    scratch_dir,
    tif_asset,
    vm_kib,
)

SIZES = (512 * MIB, 2 * GIB)
LIMIT_MIB = 64
SAME_WITHIN_MIB = 16


def run() -> Outcome:
    growth = {}
    for size in SIZES:
        with big_sandbox(size) as sandbox, client_for(sandbox) as client:
            aoi_id, asset_id = tif_asset(client)
            sandbox.product_path(asset_id)  # built here, not on the child's time
            out = scratch_dir("memory")
            job = {"api_url": sandbox.api_url, "api_key": sandbox.api_key, "aoi_id": aoi_id,
                   "asset_id": asset_id, "root": str(out)}
            try:
                child = subprocess.run([sys.executable, "-m", "bench.memory", "--child"],
                                       input=json.dumps(job), capture_output=True, text=True,
                                       cwd=REPO_ROOT, check=True)
            finally:
                shutil.rmtree(out, ignore_errors=True)
        report = json.loads(child.stdout.strip().splitlines()[-1])
        growth[size] = report["growth_kib"] / 1024
        print(f"memory: {size / MIB:6.0f} MiB job: RSS {report['before_kib'] / 1024:.1f} MiB "
              f"before, peak {report['peak_kib'] / 1024:.1f} MiB, growth "
              f"{growth[size]:.1f} MiB")
    small, large = (growth[size] for size in SIZES)
    met = max(small, large) <= LIMIT_MIB and abs(large - small) <= SAME_WITHIN_MIB
    return Outcome("memory", f"+{small:.1f} / +{large:.1f} MiB",
                   f"<= {LIMIT_MIB} MiB, same for both", met, "peak RSS growth, 512 MiB / 2 GiB")


def child() -> None:
    """One download job; prints its memory figures as JSON."""
    from bench.common import PixxelClient
    from pixxel_qgis.core.download.job import DownloadJob, run_download

    job = json.loads(sys.stdin.read())
    with PixxelClient(job["api_key"], job["api_url"], trust_env=False) as client:
        download = DownloadJob(job["aoi_id"], (job["asset_id"],), Path(job["root"]),
                               aoi_name="bench")
        before = vm_kib("VmRSS")
        try:
            Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        except OSError:
            before = vm_kib("VmHWM")  # no reset: measure from the peak so far
        result = run_download(client, download)
        peak = vm_kib("VmHWM")
    if not result.metadata["transfer"]["md5_verified"]:
        raise AssertionError("the download was not MD5-verified")
    print(json.dumps({"before_kib": before, "peak_kib": peak, "growth_kib": peak - before}))


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        print(run())
