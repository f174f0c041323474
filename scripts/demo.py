"""`make demo`: the plugin's main job against the bundled Pixxel sandbox.

    python scripts/demo.py [--headless] [--output demo-output] [--size small]

Starts the sandbox (its products are generated with GDAL on first use and cached), packages the
plugin and installs it, enabled, into a throw-away QGIS profile under the output folder, and
points it at the sandbox through PIXXEL_API_URL / PIXXEL_API_KEY. Then:

- with a usable display: QGIS desktop with that profile and the Pixxel panel open, until you quit
  QGIS;
- without one (or with --headless): the whole flow through qgis_process — pixxel:listaois to a
  GeoPackage, pixxel:downloadassets for the first AOI — then a QGIS project (demo.qgz: the AOI's
  group with true-colour layers styled as the panel styles them, and the AOI footprints) and
  map.png rendered from it.

The sandbox is stopped whatever happens; any failure exits non-zero.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import deploy  # noqa: E402 - scripts/ is on sys.path as this script's folder
import package  # noqa: E402

from sandbox import Sandbox, SandboxConfig, default_data_dir  # noqa: E402

PLUGIN = "pixxel_qgis"
# Debian's /usr/bin/qgis_process wrapper always fails (QGIS bug 57683): the binary itself works.
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
STEP_TIMEOUT = 300  # seconds for one qgis_process run or the render
MAP_WIDTH = 1600
MAP_MARGIN = 1.15
# Written next to the profile and run by `qgis --code`: the panel is what the demo is about.
OPEN_DOCK = """\
import qgis.utils

plugin = qgis.utils.plugins.get("pixxel_qgis")
if plugin is not None and plugin.dock is not None:
    plugin.dock.show()
    plugin.dock.raise_()
"""


class DemoError(Exception):
    """A step failed; the message says which and why."""


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.render:
            return _render(Path(args.render))
        return _demo(args)
    except DemoError as error:
        print(f"\nThe demo failed: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--headless", action="store_true",
                        help="use qgis_process even when a display is available")
    parser.add_argument("--output", type=Path, default=ROOT / "demo-output",
                        help="where the profile, downloads, project and map go")
    parser.add_argument("--size", default="small", help="sandbox product size (tiny | small)")
    # Internal: the PyQGIS half of the headless flow, in its own process.
    parser.add_argument("--render", metavar="SUMMARY_JSON", help=argparse.SUPPRESS)
    return parser


def _demo(args: argparse.Namespace) -> int:
    started = time.monotonic()
    output = args.output.resolve()
    _clear(output)
    print("Generating and starting the Pixxel sandbox…", flush=True)
    with Sandbox(SandboxConfig(data_dir=default_data_dir(), product_size=args.size)) as sandbox:
        first = sandbox.catalog.aoi_at(0)
        for asset in sandbox.catalog.assets(first["aoi_id"]):
            if asset["status"] == "success":
                sandbox.product_path(asset["id"])  # GDAL builds it now, not during the download
        print(f"  API {sandbox.api_url}, products cached in {sandbox.config.cache_dir}")
        config_dir = _install_plugin(output)
        env = _environment(config_dir, sandbox)
        if not args.headless and _display_usable():
            _desktop(env, output)
        else:
            _headless(env, output)
    print(f"Sandbox stopped. The demo took {time.monotonic() - started:.0f} s.")
    return 0


def _clear(output: Path) -> None:
    """Remove what an earlier run left (only the demo's own entries)."""
    output.mkdir(parents=True, exist_ok=True)
    for name in ("profile", "files", "aois.gpkg", "demo.qgz", "map.png", "open_dock.py"):
        path = output / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _install_plugin(output: Path) -> Path:
    """`make package` + `make deploy` into a fresh profile; returns its QGIS_CUSTOM_CONFIG_PATH."""
    config_dir = output / "profile"
    with tempfile.TemporaryDirectory(prefix="pixxel-demo-") as scratch:
        archive = package.build(Path(scratch) / f"{PLUGIN}.zip")
        target = deploy.deploy(archive, _profile(config_dir))
    print(f"Plugin installed into {target}")
    return config_dir


def _profile(config_dir: Path) -> Path:
    return config_dir / "profiles" / "default"


def _environment(config_dir: Path, sandbox: Sandbox) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        QGIS_CUSTOM_CONFIG_PATH=str(config_dir),
        # The profile's own authentication database: the demo never touches the user's.
        QGIS_AUTH_DB_DIR_PATH=str(config_dir),
        PIXXEL_API_URL=sandbox.api_url,
        PIXXEL_API_KEY=sandbox.api_key,
    )
    return env


def _display_usable() -> bool:
    """A display that Qt can open, and a QGIS desktop to open on it."""
    if not os.environ.get("DISPLAY") or shutil.which("qgis") is None:
        return False
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    probe = subprocess.run(
        [sys.executable, "-c", "from qgis.PyQt.QtWidgets import QApplication; QApplication([])"],
        env=env, capture_output=True, timeout=60, check=False,
    )
    return probe.returncode == 0


# --- with a display ------------------------------------------------------------------------------


def _desktop(env: Dict[str, str], output: Path) -> None:
    # What the Plugin Manager writes when the user ticks the plugin.
    settings = _profile(Path(env["QGIS_CUSTOM_CONFIG_PATH"])) / "QGIS" / "QGIS3.ini"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f"[PythonPlugins]\n{PLUGIN}=true\n", encoding="utf-8")
    script = output / "open_dock.py"
    script.write_text(OPEN_DOCK, encoding="utf-8")
    env = {key: value for key, value in env.items() if key != "QT_QPA_PLATFORM"}
    print("Starting QGIS with the Pixxel panel open; quit QGIS to end the demo.", flush=True)
    completed = subprocess.run(
        ["qgis", "--noversioncheck", "--nologo", "--code", str(script)], env=env, check=False
    )
    if completed.returncode != 0:
        raise DemoError(f"QGIS exited with code {completed.returncode}")


# --- without a display ---------------------------------------------------------------------------


def _headless(env: Dict[str, str], output: Path) -> None:
    env = {**env, "QT_QPA_PLATFORM": "offscreen"}
    print("No usable display: running the flow through qgis_process.")
    _qgis_process(["plugins", "enable", PLUGIN], env)

    aois_path = output / "aois.gpkg"
    _algorithm("pixxel:listaois", {"OUTPUT": str(aois_path)}, env)
    aois = _read_aois(aois_path)
    if not aois:
        raise DemoError("pixxel:listaois found no AOI")
    print(f"\npixxel:listaois: {len(aois)} AOIs -> {aois_path}")
    for aoi in aois[:5]:
        print(f"  {aoi['status']:<16} {aoi['name']}")
    if len(aois) > 5:
        print(f"  … and {len(aois) - 5} more")

    first = aois[0]
    results = _algorithm(
        "pixxel:downloadassets",
        {"AOI_ID": first["aoi_id"], "OUTPUT_FOLDER": str(output / "files")},
        env,
    )
    folder = Path(results["OUTPUT_FOLDER"])
    # Hidden files are the download's own bookkeeping (its manifest), not Pixxel's delivery.
    files = sorted(
        path for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    print(f"\npixxel:downloadassets: {first['name']}, download {results['DOWNLOAD_ID']}")
    for path in files:
        print(f"  {_size(path.stat().st_size):>10}  {path.relative_to(output)}")
    if not results["RASTERS"]:
        raise DemoError("the download holds no raster")

    summary = {
        "aoi": first,
        "aois_path": str(aois_path),
        "folder": str(folder),
        "files": [str(path) for path in files],
        "plugins_dir": str(_profile(Path(env["QGIS_CUSTOM_CONFIG_PATH"])) / "python" / "plugins"),
        "project": str(output / "demo.qgz"),
        "map": str(output / "map.png"),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as stream:
        json.dump(summary, stream)
    try:
        print("\nBuilding the project and rendering the map…", flush=True)
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--render", stream.name], env=env,
            timeout=STEP_TIMEOUT, check=False,
        )
    finally:
        os.unlink(stream.name)
    if completed.returncode != 0:
        raise DemoError(f"building the project or the map failed (exit {completed.returncode})")


def _qgis_process(args: List[str], env: Dict[str, str]) -> str:
    completed = subprocess.run(
        [QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT,
        check=False,
    )
    if completed.returncode != 0:
        raise DemoError(
            f"qgis_process {' '.join(args[:3])} exited with {completed.returncode}:\n"
            + (completed.stdout + completed.stderr).strip()[-3000:]
        )
    return completed.stdout


def _algorithm(algorithm: str, parameters: Dict[str, str], env: Dict[str, str]) -> dict:
    pairs = [f"{name}={value}" for name, value in parameters.items()]
    stdout = _qgis_process(["--json", "run", algorithm, "--", *pairs], env)
    return json.loads(stdout)["results"]


def _read_aois(path: Path) -> List[dict]:
    from osgeo import ogr

    source = ogr.Open(str(path))
    if source is None:
        raise DemoError(f"{path} cannot be read")
    wanted = ("aoi_id", "name", "status", "satellite_id")
    return [{name: feature.GetField(name) for name in wanted} for feature in source.GetLayer(0)]


def _size(count: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if count < 1024 or unit == "MiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)


# --- the project and the map (run in its own process, with QGIS) ---------------------------------


def _render(summary_path: Path) -> int:
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    # The installed plugin's code, as QGIS itself would import it.
    sys.path.insert(0, summary["plugins_dir"])
    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    try:
        _build_and_draw(summary)
    except DemoError as error:
        print(f"\nThe demo failed: {error}", file=sys.stderr)
        return 1
    finally:
        # Layers still alive at exitQgis() crash the process (docs: NOTES, Tests).
        QgsProject.instance().clear()
        app.exitQgis()
    return 0


def _build_and_draw(summary: dict) -> None:
    from qgis.core import QgsProject, QgsReferencedRectangle

    from pixxel_qgis.core.imagery.default_style import write_default_styles
    from pixxel_qgis.core.imagery.products import describe_products
    from pixxel_qgis.core.pixxel.api import PixxelClient
    from pixxel_qgis.core.qgis.layers import add_products_to_project

    aoi = summary["aoi"]
    with PixxelClient(os.environ["PIXXEL_API_KEY"], os.environ["PIXXEL_API_URL"]) as client:
        satellite = next((s for s in client.satellites() if s.id == aoi["satellite_id"]), None)
    products = describe_products(
        [Path(path) for path in summary["files"]],
        rgb_band_names=satellite.rgb_composite if satellite else None,
    )
    write_default_styles(products)
    project = QgsProject.instance()
    added = add_products_to_project(
        products, aoi_name=aoi["name"], aoi_id=aoi["aoi_id"], project=project
    )
    if not added.image_layers:
        raise DemoError("QGIS could not open the downloaded imagery")
    footprints = _footprints_layer(summary["aois_path"])
    project.addMapLayer(footprints, False)
    project.layerTreeRoot().insertLayer(0, footprints)

    crs = added.image_layers[0].crs()
    extent = _extent_of(added.image_layers, crs, project)
    project.setCrs(crs)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(extent, crs))
    if not project.write(summary["project"]):
        raise DemoError(f"the project could not be written: {project.error()}")

    print(f"Project {summary['project']}:")
    for layer in project.layerTreeRoot().layerOrder():
        print(f"  {layer.name()}  ({_describe_layer(layer)})")
    _draw(project, crs, extent, Path(summary["map"]))


def _footprints_layer(path: str):
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer, QgsVectorLayer

    from pixxel_qgis.ui.footprints import OUTLINE_COLOUR

    layer = QgsVectorLayer(path, "Pixxel AOIs", "ogr")
    if not layer.isValid():
        raise DemoError(f"QGIS cannot open {path}")
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": OUTLINE_COLOUR, "outline_width": "0.8"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def _extent_of(layers, crs, project):
    from qgis.core import QgsCoordinateTransform, QgsRectangle

    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        transform = QgsCoordinateTransform(layer.crs(), crs, project)
        extent.combineExtentWith(transform.transformBoundingBox(layer.extent()))
    extent.scale(MAP_MARGIN)
    return extent


def _describe_layer(layer) -> str:
    from qgis.core import QgsRasterLayer

    if isinstance(layer, QgsRasterLayer):
        return f"raster, {layer.bandCount()} bands, {layer.renderer().type()}"
    return f"vector, {layer.featureCount()} features"


def _draw(project, crs, extent, path: Path) -> None:
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    settings = QgsMapSettings()
    settings.setLayers(project.layerTreeRoot().checkedLayers())
    settings.setDestinationCrs(crs)
    settings.setExtent(extent)
    height = round(MAP_WIDTH * extent.height() / extent.width())
    settings.setOutputSize(QSize(MAP_WIDTH, height))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if not image.save(str(path), "PNG"):
        raise DemoError(f"{path} could not be written")
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), 16)
        for y in range(0, image.height(), 16)
    }
    # A failed render is one flat colour; imagery gives hundreds.
    if len(colours) < 50:
        raise DemoError(f"the map in {path} is nearly blank ({len(colours)} colours)")
    print(f"Map {path} ({image.width()}×{image.height()} px)")


if __name__ == "__main__":
    sys.exit(main())
