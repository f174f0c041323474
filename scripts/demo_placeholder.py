"""Stand-in for `make demo` until the Processing issue brings the full flow: starts the bundled
sandbox, shows what a user would browse (projects, AOIs, assets) and stops it again."""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox import Sandbox, SandboxConfig  # noqa: E402 - needs the repository on sys.path


def main() -> int:
    data_dir = Path(tempfile.gettempdir()) / "pixxel-sandbox-demo"
    with Sandbox(SandboxConfig(data_dir=data_dir, product_size="tiny")) as sandbox:
        catalog = sandbox.catalog
        print(f"Pixxel sandbox running at {sandbox.api_url} (demo key {sandbox.api_key})")
        print(f"{len(catalog.projects)} projects, {catalog.aoi_count} AOIs")
        for aoi in (catalog.aoi_at(index) for index in range(5)):
            print(f"  {aoi['status']:<16} {aoi['name']}")
        print("The full demo (download and map) arrives with the Processing issue.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
