"""Throughput: the download engine against curl, on one 2 GiB file from sandbox storage.

Engine: `transfer.fetch` to a file, MD5-verified against the Content-MD5 storage states (as the
plugin always does when storage states one); also measured without MD5 (storage told not to
offer one) to separate the cost of moving bytes from the cost of hashing them. Reference:
`curl -s -o <file>` on the same URL, which verifies nothing; and, for honesty, curl followed by
`md5sum`, which is what "download and verify" costs with the usual tools. Every run gets a
freshly signed URL and a fresh output file on the same disk, after a `sync`; the runs alternate,
after one untimed warm-up of each (the first write into fresh memory is slower on a VM and would
penalise whoever goes first).

    .venv/bin/python -m bench.throughput [runs]
"""

import shutil
import subprocess
import sys

from bench.common import (
    GIB,
    MIB,
    Outcome,
    alternate,
    big_sandbox,
    client_for,
    fresh_url,
    median,
    order_tif,
    scratch_dir,
    settle,
    timed,
)
from pixxel_qgis.core.download.transfer import fetch

SIZE = 2 * GIB
TARGET = 0.90  # engine throughput / curl throughput


def run(runs: int = 3) -> Outcome:
    if shutil.which("curl") is None or shutil.which("md5sum") is None:
        return Outcome("throughput", "skipped", f">= {TARGET:.2f} x curl", False,
                       "curl or md5sum is not installed")
    with big_sandbox(SIZE) as sandbox, client_for(sandbox) as client:
        product = order_tif(sandbox, client)
        out = scratch_dir("throughput")
        checksums: list = []

        def engine(verify: bool = True) -> float:
            target = out / "engine.tif"
            sandbox.configure(content_md5=verify)
            url = fresh_url(client, product)
            settle(product.path)
            results: list = []
            seconds = timed(lambda: results.append(fetch(client.gateway, url, target)))
            if results[0].md5_verified != verify:
                raise AssertionError(f"expected md5_verified={verify}")
            target.unlink()
            return seconds

        def curl() -> float:
            target = out / "curl.tif"
            url = fresh_url(client, product)
            settle(product.path)
            seconds = timed(lambda: subprocess.run(["curl", "-s", "-o", str(target), url],
                                                   check=True))
            if target.stat().st_size != product.size:
                raise AssertionError("curl fetched a different size")
            checksums.append(timed(lambda: subprocess.run(["md5sum", str(target)], check=True,
                                                          capture_output=True)))
            target.unlink()
            return seconds

        try:
            print(f"throughput: {product.size / MIB:.0f} MiB over loopback, "
                  f"{runs} alternating runs each (after a warm-up)")
            engine()
            curl()
            checksums.clear()
            times = alternate([("engine", engine), ("curl", curl),
                               ("engine-no-md5", lambda: engine(verify=False))], runs)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    engine_s, curl_s, md5_s = median(times["engine"]), median(times["curl"]), median(checksums)
    unverified_s = median(times["engine-no-md5"])
    ratio = curl_s / engine_s
    verified_ratio = (curl_s + md5_s) / engine_s
    for name, seconds in (("engine", engine_s), ("engine-no-md5", unverified_s), ("curl", curl_s),
                          ("md5sum", md5_s), ("curl+md5sum", curl_s + md5_s)):
        print(f"  median {name:<14} {seconds:7.3f} s  {product.size / MIB / seconds:6.0f} MiB/s")
    print(f"  engine/curl {ratio:.2f}   engine/(curl+md5sum) {verified_ratio:.2f}   "
          f"engine-no-md5/curl {curl_s / unverified_s:.2f}")
    return Outcome("throughput", f"{ratio:.2f} x curl", f">= {TARGET:.2f} x curl",
                   ratio >= TARGET,
                   f"{verified_ratio:.2f} x curl+md5sum; {curl_s / unverified_s:.2f} x curl "
                   f"when storage offers no MD5")


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
