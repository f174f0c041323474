"""`make screenshot`: the pictures of the plugin for the README, from the real QGIS desktop.

    python scripts/screenshot.py [--output docs/img]

Starts the sandbox (medium products, 64 MiB: sharp on a 1600-pixel window; generated once
and cached), packages the plugin and installs
it, enabled, into a throw-away QGIS profile pointed at the sandbox (PIXXEL_API_URL /
PIXXEL_API_KEY), and runs QGIS under Xvfb with scripts/screenshot_qgis.py (`--code`), which
lists the AOIs in the Pixxel dock, selects the first one, downloads its imagery onto the map
and grabs:

- qgis-pixxel-dock.png: the whole QGIS window (1600 x 1000) with the dock and the imagery;
- dock.png: the dock alone;
- options.png: Settings > Options at the Pixxel page.

Each picture is reduced to a 256-colour palette with pngquant (README images load fast). The
sandbox, Xvfb and QGIS are stopped whatever happens; any failure exits non-zero.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_session import DesktopError, run_driver  # noqa: E402 - scripts/ is on sys.path

from sandbox import Sandbox, SandboxConfig, default_data_dir  # noqa: E402

DRIVER = Path(__file__).with_name("screenshot_qgis.py")
PICTURES = ("qgis-pixxel-dock.png", "dock.png", "options.png")
TIMEOUT = 600  # seconds for the whole QGIS session
MAX_BYTES = 500 * 1024


class ScreenshotError(Exception):
    """A step failed; the message says which and why."""


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "img",
                        help="where the pictures go")
    args = parser.parse_args(argv)
    missing = [tool for tool in ("qgis", "xvfb-run", "pngquant") if shutil.which(tool) is None]
    if missing:
        print(f"make screenshot needs {', '.join(missing)} (make setup installs them).",
              file=sys.stderr)
        return 1
    try:
        for path in _shoot(args.output.resolve()):
            print(f"{path} ({path.stat().st_size // 1024} KiB)")
    except ScreenshotError as error:
        print(f"The screenshot failed: {error}", file=sys.stderr)
        return 1
    return 0


def _shoot(output: Path) -> List[Path]:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pixxel-screenshot-") as scratch, Sandbox(
        SandboxConfig(data_dir=default_data_dir(), product_size="medium")
    ) as sandbox:
        work = Path(scratch)
        first = sandbox.catalog.aoi_at(0)
        for asset in sandbox.catalog.assets(first["aoi_id"]):
            if asset["status"] == "success":
                sandbox.product_path(asset["id"])  # GDAL builds it now, not during the download
        shots = work / "shots"
        shots.mkdir()
        print(f"QGIS under Xvfb: listing, downloading {first['name']}, grabbing…", flush=True)
        try:
            report = run_driver(
                DRIVER, {"aoi_id": first["aoi_id"], "images": str(shots)}, sandbox, work, TIMEOUT
            )
        except DesktopError as error:
            raise ScreenshotError(str(error)) from error
        print(f"  on the map: {', '.join(report['canvas_layers'])}; "
              f"{report['aois_listed']} AOIs listed")
        return [_compress(shots / name, output / name) for name in PICTURES]


def _compress(source: Path, target: Path) -> Path:
    if not source.is_file():
        raise ScreenshotError(f"QGIS did not save {source.name}")
    subprocess.run(["pngquant", "--force", "--strip", "--output", str(target), "256",
                    str(source)], check=True)
    if target.stat().st_size > MAX_BYTES:
        raise ScreenshotError(f"{target.name} is {target.stat().st_size // 1024} KiB, over "
                              f"{MAX_BYTES // 1024} KiB")
    return target


if __name__ == "__main__":
    sys.exit(main())
