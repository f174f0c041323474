"""``python -m sandbox``: run the Pixxel sandbox in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Optional, Sequence

from . import Sandbox, SandboxConfig, default_data_dir
from .faults import parse_cli_fault
from .httpbase import serving_tls

DEFAULT_API_PORT = 8642
DEFAULT_STORAGE_PORT = 8643


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.tls_key and not args.tls_cert:
        parser.error("--tls-key needs --tls-cert")
    config = SandboxConfig(
        host=args.host,
        api_port=_port(args.host, args.port, DEFAULT_API_PORT),
        storage_port=_port(args.host, args.storage_port, DEFAULT_STORAGE_PORT),
        data_dir=args.data_dir,
        seed=args.seed,
        api_keys=tuple(args.key) if args.key else SandboxConfig.api_keys,
        viewer_keys=tuple(args.viewer_key) if args.viewer_key else SandboxConfig.viewer_keys,
        product_size=int(args.size) if args.size.isdigit() else args.size,
        aoi_count=args.aois,
        ready_after_polls=args.ready_after_polls,
        page_cap=args.page_cap,
    )
    tls = serving_tls(args.tls_cert, args.tls_key) if args.tls_cert else contextlib.nullcontext()
    with tls:
        sandbox = Sandbox(config, verbose=args.verbose).start()
    for text in args.fault:
        spec = parse_cli_fault(text)
        sandbox.faults.add(spec["endpoint"], spec["kind"], nth=spec.get("nth"),
                           times=spec.get("times", 1), **spec["params"])
    first = sandbox.catalog.aoi_at(0)
    print(f"Pixxel sandbox API:  {sandbox.api_url}\n"
          f"Storage:             {sandbox.storage_url}\n"
          f"Demo API key:        {sandbox.api_key}\n"
          f"Viewer key:          {sandbox.viewer_key}  (no ordering rights)\n"
          f"First AOI:           {first['aoi_id']}  ({first['name']})\n"
          f"Products:            {config.product_size}, cached in {config.cache_dir}\n"
          f"Admin:               {sandbox.api_url}/__sandbox__/info\n"
          f"Press Ctrl-C to stop.", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):  # a bare wait() would not wake for signals on every platform
        pass
    sandbox.stop()
    print("Pixxel sandbox stopped.", flush=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Run the Pixxel "
                                     "sandbox (API + storage) until Ctrl-C or SIGTERM.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, help=f"API port (default {DEFAULT_API_PORT} if free)")
    parser.add_argument("--storage-port", type=int,
                        help=f"storage port (default {DEFAULT_STORAGE_PORT} if free)")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(),
                        help="product cache (default $PIXXEL_SANDBOX_DATA or "
                             "~/.cache/pixxel-sandbox)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--key", action="append", help="accepted API key (repeatable; the "
                                                        "first is the demo key)")
    parser.add_argument("--viewer-key", action="append", help="accepted API key that may not "
                        "place orders (repeatable; default pixxel-viewer-key-0002)")
    parser.add_argument("--size", default="small", help="tiny | small | medium | large | BYTES")
    parser.add_argument("--aois", type=int, default=30, help="number of AOIs")
    parser.add_argument("--ready-after-polls", type=int, default=1)
    parser.add_argument("--page-cap", type=int, help="max rows per page (default 100)")
    parser.add_argument("--fault", action="append", default=[],
                        metavar="ENDPOINT:KIND[:nth=N,times=N,k=v]", help="arm a fault")
    parser.add_argument("--tls-cert", type=Path, help="serve HTTPS (API and storage) with this "
                        "PEM certificate chain; plain HTTP without it")
    parser.add_argument("--tls-key", type=Path, help="the certificate's PEM private key (default: "
                        "in the --tls-cert file)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def _port(host: str, requested: Optional[int], default: int) -> int:
    """The requested port, else the default if it is free, else 0 (any free port)."""
    if requested is not None:
        return requested
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, default))
        except OSError:
            return 0
    return default


if __name__ == "__main__":
    sys.exit(main())
