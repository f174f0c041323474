"""A QGIS default style (`<image>.qml`) beside each downloaded image, written in the worker.

Why: when QGIS opens a raster without a default style, the QgsRasterLayer constructor computes a
cumulative-cut stretch from the file, on the thread that creates the layer — the main thread —
which froze QGIS for 60-100 ms per 1 GiB image, only for `core.layers` to replace that stretch
with the one `core.products` already sampled. With this file beside the image the constructor
loads our true-colour stretch instead and computes nothing (2-4 ms). A side benefit: the image
also opens in true colour when the user adds it to QGIS by hand later.

Plain Python (no Qt): it runs in QgsTask.run() and in Processing's worker. A style that is
already there is left alone, since it may be the user's own.
"""

from pathlib import Path
from typing import List, Optional, Sequence

from ..download.atomic_write import write_atomically
from ..pixxel.redaction import pixxel_logger
from .products import ProductDescription

log = pixxel_logger()

QML_SUFFIX = ".qml"
_CHANNELS = ("red", "green", "blue")
_ENHANCEMENT = """\
      <{channel}ContrastEnhancement>
        <minValue>{minimum!r}</minValue>
        <maxValue>{maximum!r}</maxValue>
        <algorithm>StretchToMinimumMaximum</algorithm>
      </{channel}ContrastEnhancement>
"""
# Bilinear when zoomed in, as core.layers sets it: 5-30 m pixels look blocky otherwise.
_STYLE = """\
<qgis version="3.22.0" styleCategories="Symbology|Rendering">
  <pipe>
    <rasterrenderer type="multibandcolor" redBand="{red}" greenBand="{green}" blueBand="{blue}" \
alphaBand="-1" opacity="1" nodataColor="">
      <rasterTransparency/>
      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
{enhancements}\
    </rasterrenderer>
    <rasterresampler zoomedInResampler="bilinear" maxOversampling="2"/>
  </pipe>
</qgis>
"""


def default_style_path(image: Path) -> Path:
    """Where QGIS looks for a file's default style: the same name with `.qml`."""
    return image.with_suffix(QML_SUFFIX)


def write_default_styles(products: Sequence[ProductDescription]) -> List[Path]:
    """Write each product's true-colour style beside its image unless one exists; returns the
    styles written. A folder that refuses the file only costs the main thread its stretch."""
    written = []
    for product in products:
        path = _write_if_absent(product)
        if path is not None:
            written.append(path)
    return written


def true_colour_qml(product: ProductDescription) -> str:
    """The style document: a multiband-colour renderer with `product`'s bands and stretch, its
    min/max marked user-defined ("None" limits) so QGIS never recomputes them. Only numbers go
    into it, so a template needs no XML library (and no escaping)."""
    red, green, blue = (int(band) for band in product.rgb)
    enhancements = "".join(
        _ENHANCEMENT.format(
            channel=channel, minimum=float(stretch.minimum), maximum=float(stretch.maximum)
        )
        for channel, stretch in zip(_CHANNELS, product.stretch)
    )
    return _STYLE.format(red=red, green=green, blue=blue, enhancements=enhancements)


def _write_if_absent(product: ProductDescription) -> Optional[Path]:
    path = default_style_path(product.image)
    if path.exists():
        return None
    try:
        write_atomically(path, true_colour_qml(product))
    except OSError as error:
        log.warning("Could not write the default style %s: %s", path, error)
        return None
    return path
