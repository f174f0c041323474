"""Paging: listing 10,000 AOIs at the server's page cap (100) with `client.iter_aois()` against
a bare `requests` loop over the same pages.

Both get a new session per run and reuse its connection for every page; both decode the JSON.
The client additionally checks each answer and builds an `Aoi` per row, which is the overhead
measured. One untimed warm-up of each first (the sandbox generates AOIs on first request), then
alternating runs. Target: client time <= 1.2 x the bare loop's (medians).

    .venv/bin/python -m bench.paging [runs]
"""

import sys

import requests

from bench.common import Outcome, alternate, median, timed
from pixxel_qgis.core.pixxel.api import PixxelClient
from sandbox import Sandbox, SandboxConfig

AOI_COUNT = 10_000
PAGE = 100  # the sandbox's cap, and what the client asks for
TARGET = 1.2


def run(runs: int = 5) -> Outcome:
    # Listing needs no products: the sandbox's own default data dir is never touched.
    with Sandbox(SandboxConfig(aoi_count=AOI_COUNT, page_cap=PAGE)) as sandbox:

        def client_listing() -> float:
            with PixxelClient(sandbox.api_key, sandbox.api_url, trust_env=False) as client:
                rows: list = []
                seconds = timed(lambda: rows.extend(client.iter_aois(page_size=PAGE)))
            if len(rows) != AOI_COUNT:
                raise AssertionError(f"the client listed {len(rows)} AOIs")
            return seconds

        def bare_listing() -> float:
            with requests.Session() as session:
                session.trust_env = False
                rows: list = []
                seconds = timed(lambda: rows.extend(_bare_pages(session, sandbox)))
            if len(rows) != AOI_COUNT:
                raise AssertionError(f"the bare loop listed {len(rows)} AOIs")
            return seconds

        print(f"paging: {AOI_COUNT} AOIs, {PAGE} per page, {runs} alternating runs each "
              f"(after a warm-up)")
        client_listing()
        bare_listing()
        times = alternate([("client", client_listing), ("bare", bare_listing)], runs)
    client_s, bare_s = median(times["client"]), median(times["bare"])
    ratio = client_s / bare_s
    print(f"  median client {client_s:.3f} s, bare {bare_s:.3f} s: ratio {ratio:.2f}")
    return Outcome("paging", f"{ratio:.2f} x bare", f"<= {TARGET:.1f} x bare", ratio <= TARGET,
                   f"client {client_s:.2f} s, bare requests {bare_s:.2f} s for "
                   f"{AOI_COUNT // PAGE} pages")


def _bare_pages(session: requests.Session, sandbox: Sandbox) -> list:
    rows: list = []
    offset, total = 0, None
    while total is None or offset < total:
        response = session.get(f"{sandbox.api_url}/v0/aois", timeout=30,
                               params={"offset": offset, "limit": PAGE},
                               headers={"Authorization": sandbox.api_key})
        response.raise_for_status()
        body = response.json()
        rows.extend(body["aois"])
        offset += len(body["aois"])
        total = body["pagination"]["total"]
    return rows


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
