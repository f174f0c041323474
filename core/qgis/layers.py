"""Described Pixxel products onto the map: one layer-tree group per AOI, styled true-colour images,
their quality masks (unchecked) and footprints.

MAIN THREAD ONLY (QgsTask.finished(), Processing post-processing, UI slots): it creates layers
and edits the project. Everything slow was done beforehand by `core.products` in the worker, in
particular the stretch, so that no statistics are computed here.

Layers carry custom properties (`pixxel/aoi_id`, `pixxel/product`, `pixxel/role`) so that adding
the same product again reuses its layers (keeping any styling the user changed) instead of
duplicating them; a product delivered again to another folder replaces the old layers.
"""

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from qgis.core import (
    QgsBilinearRasterResampler,
    QgsContrastEnhancement,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFillSymbol,
    QgsLayerMetadata,
    QgsLayerTreeGroup,
    QgsLayerTreeLayer,
    QgsMapLayer,
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsProject,
    QgsProviderRegistry,
    QgsRasterDataProvider,
    QgsRasterLayer,
    QgsRasterRange,
    QgsRectangle,
    QgsSettings,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from ..imagery.products import BandInfo, ProductDescription, Stretch
from ..pixxel.redaction import pixxel_logger
from .i18n import tr

log = pixxel_logger()

PROPERTY_AOI = "pixxel/aoi_id"
PROPERTY_PRODUCT = "pixxel/product"
PROPERTY_ROLE = "pixxel/role"
# The dock's "Pixxel AOIs" outlines layer (ui/footprints.py): imagery groups go under it.
ROLE_AOI_FOOTPRINTS = "aoi_footprints"
ROLE_PURCHASED_FOOTPRINTS = "purchased_footprints"  # the Purchased view's catalog outlines
OUTLINE_ROLES = (ROLE_AOI_FOOTPRINTS, ROLE_PURCHASED_FOOTPRINTS)
OUTLINES_CRS = "EPSG:4326"
ROLE_IMAGE, ROLE_MASK, ROLE_FOOTPRINT = "image", "mask", "product_footprint"
KEYWORD_VOCABULARY = "Pixxel"

# Quality-mask bits as the sandbox documents them (Pixxel publishes no table), in drawing priority:
# a pixel with several bits set takes the colour of the first one listed here.
MASK_BIT_COLOURS: Tuple[Tuple[int, Tuple[int, int, int]], ...] = (
    (8, (0, 0, 0)),  # nodata
    (1, (235, 235, 235)),  # cloud
    (2, (90, 60, 140)),  # cloud shadow
    (4, (30, 120, 220)),  # water
)
MASK_OPACITY = 0.75
FOOTPRINT_COLOUR = "255,200,0,255"
ZOOM_MARGIN = 1.05


@dataclass(frozen=True)
class AddedLayers:
    """What one call put (or found) on the map, for the caller's "Zoom to" and messages."""

    group: QgsLayerTreeGroup
    image_layers: Tuple[QgsRasterLayer, ...]
    mask_layers: Tuple[QgsRasterLayer, ...]


def add_products_to_project(
    products: Sequence[ProductDescription],
    *,
    aoi_name: str,
    aoi_id: str,
    asset_info: Optional[Mapping[str, Mapping]] = None,
    project: Optional[QgsProject] = None,
    canvas=None,  # QgsMapCanvas; untyped so that Processing runs need no gui import
) -> AddedLayers:
    """Add each product's image, mask and footprint to the AOI's group (created at the top of the
    layer tree, or reused). `asset_info` maps a product name to its asset's fields (`id`, `name`)
    for the layer metadata. When the map showed nothing (see `_shows_nothing`), the project takes
    the imagery's CRS as QGIS gives a new project its first layer's, and a given canvas zooms to
    the new imagery."""
    project = project or QgsProject.instance()
    was_empty = _shows_nothing(project)
    group = _aoi_group(project, aoi_name, aoi_id)
    images: List[QgsRasterLayer] = []
    masks: List[QgsRasterLayer] = []
    # Each product goes to the top of the group: walking backwards keeps the given order.
    for product in reversed(products):
        asset = (asset_info or {}).get(product.name, {})
        image, mask = _add_product(project, group, product, aoi_name, aoi_id, asset)
        images[:0] = [image] if image else []
        masks[:0] = [mask] if mask else []
    if was_empty and images:
        _adopt_crs_of(images[0], project, canvas)
        if canvas is not None:
            zoom_canvas_to(canvas, images, project)
    return AddedLayers(group, tuple(images), tuple(masks))


def _shows_nothing(project: QgsProject) -> bool:
    """No layer but the dock's AOI outlines: to the user, an empty map (the panel adds the
    outlines as soon as it lists, so "no layer at all" would almost never hold)."""
    return all(
        layer.customProperty(PROPERTY_ROLE) in OUTLINE_ROLES
        for layer in project.mapLayers().values()
    )


def _adopt_crs_of(image: QgsRasterLayer, project: QgsProject, canvas) -> None:
    """What QGIS does for a new project's first layer, unless the user told QGIS to keep its
    preset CRS or chose a CRS other than the one the outlines brought: imagery shown in its own
    CRS is not stretched (EPSG:4326 widens a 30° N scene by 15 %)."""
    behaviour = QgsSettings().value(
        "projections/newProjectCrsBehavior", "UseCrsOfFirstLayerAdded",
        section=QgsSettings.Section.App,
    )
    current = project.crs()
    if behaviour != "UseCrsOfFirstLayerAdded" or not image.crs().isValid():
        return
    if current.isValid() and current.authid() != OUTLINES_CRS:
        return
    project.setCrs(image.crs())
    if canvas is not None:
        canvas.setDestinationCrs(image.crs())


def zoom_canvas_to(canvas, layers: Sequence[QgsMapLayer], project: QgsProject) -> None:
    """Show all `layers` on `canvas`, whatever their CRS."""
    crs = canvas.mapSettings().destinationCrs()
    if not crs.isValid():
        crs = layers[0].crs()
        canvas.setDestinationCrs(crs)
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        try:
            transform = QgsCoordinateTransform(layer.crs(), crs, project)
            extent.combineExtentWith(transform.transformBoundingBox(layer.extent()))
        except QgsCsException as error:
            log.warning("Cannot show %s in the map's CRS: %s", layer.name(), error)
    if extent.isFinite() and not extent.isEmpty():
        extent.scale(ZOOM_MARGIN)
        canvas.setExtent(extent)
        canvas.refresh()


# --- group and de-duplication --------------------------------------------------------------------


def _aoi_group(project: QgsProject, aoi_name: str, aoi_id: str) -> QgsLayerTreeGroup:
    root = project.layerTreeRoot()
    for group in root.findGroups(True):
        if group.customProperty(PROPERTY_AOI) == aoi_id:
            return group
    # At the top, but under the AOI (and purchase) outlines when they are there: imagery would
    # hide them. Where the user moved them elsewhere, the user decided.
    below = 0
    for child in root.children():
        layer = child.layer() if not isinstance(child, QgsLayerTreeGroup) else None
        if layer is None or layer.customProperty(PROPERTY_ROLE) not in OUTLINE_ROLES:
            break
        below += 1
    name = aoi_name or tr("Pixxel AOI {aoi_id}").format(aoi_id=aoi_id)
    group = root.findGroup(name) or root.insertGroup(below, name)
    group.setCustomProperty(PROPERTY_AOI, aoi_id)
    return group


def _add_product(
    project: QgsProject,
    group: QgsLayerTreeGroup,
    product: ProductDescription,
    aoi_name: str,
    aoi_id: str,
    asset: Mapping,
) -> Tuple[Optional[QgsRasterLayer], Optional[QgsRasterLayer]]:
    """The product's image and mask layers (footprint, mask, image from the top of `group`)."""
    place = partial(_place, project, group, aoi_id, product.name)
    image = place(ROLE_IMAGE, product.image, lambda: _image_layer(product, aoi_name, aoi_id, asset))
    if image is None:
        return None, None
    mask = None
    if product.mask is not None:
        mask = place(ROLE_MASK, product.mask, lambda: _mask_layer(product, aoi_name, aoi_id, asset))
    if product.footprint is not None:
        place(ROLE_FOOTPRINT, product.footprint, lambda: _footprint_layer(product))
    return image, mask


def _place(
    project: QgsProject,
    group: QgsLayerTreeGroup,
    aoi_id: str,
    product_name: str,
    role: str,
    source: Path,
    build: Callable[[], Optional[QgsMapLayer]],
) -> Optional[QgsMapLayer]:
    """The product's layer for `role`: the existing one if it reads `source`, else a new one at
    the top of `group` (replacing a layer of the same product that reads another file)."""
    existing = _find_layer(project, aoi_id, product_name, role)
    if existing is not None and _same_file(existing, source):
        return existing
    layer = build()
    if layer is None:
        return None
    if existing is not None:
        project.removeMapLayer(existing.id())
    layer.setCustomProperty(PROPERTY_AOI, aoi_id)
    layer.setCustomProperty(PROPERTY_PRODUCT, product_name)
    layer.setCustomProperty(PROPERTY_ROLE, role)
    project.addMapLayer(layer, False)
    node = QgsLayerTreeLayer(layer)
    if role == ROLE_MASK:
        # Set before the node joins the tree: the desktop's layer tree view takes a node's
        # folding when it is inserted, and missed a later change (the mask's 15 classes showed).
        node.setItemVisibilityChecked(False)
        node.setExpanded(False)
    group.insertChildNode(0, node)
    return layer


def _find_layer(project: QgsProject, aoi_id: str, product: str, role: str) -> Optional[QgsMapLayer]:
    wanted = (aoi_id, product, role)
    for layer in project.mapLayers().values():
        found = tuple(
            layer.customProperty(key) for key in (PROPERTY_AOI, PROPERTY_PRODUCT, PROPERTY_ROLE)
        )
        if found == wanted:
            return layer
    return None


def layers_reading(
    paths: Sequence[Path], project: Optional[QgsProject] = None
) -> List[QgsMapLayer]:
    """The project's layers whose data source is one of `paths`."""
    wanted = {_canonical(str(path)) for path in paths}
    layers = (project or QgsProject.instance()).mapLayers().values()
    return [layer for layer in layers if _canonical(_layer_file(layer)) in wanted]


def _same_file(layer: QgsMapLayer, source: Path) -> bool:
    return _canonical(_layer_file(layer)) == _canonical(str(source))


def _layer_file(layer: QgsMapLayer) -> str:
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    return parts.get("path") or layer.source()


def _canonical(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


# --- the layers ----------------------------------------------------------------------------------


def _image_layer(
    product: ProductDescription, aoi_name: str, aoi_id: str, asset: Mapping
) -> Optional[QgsRasterLayer]:
    layer = QgsRasterLayer(product.image.as_posix(), product.name, "gdal")
    if not layer.isValid():
        log.warning("QGIS cannot open %s; it is not added to the map.", product.image)
        return None
    _honour_nodata(layer, product.nodata)
    layer.setRenderer(_true_colour_renderer(layer, product))
    # Bilinear when zoomed in hides the blocky look of 5-30 m pixels; zoomed out, the
    # overviews already average.
    layer.resampleFilter().setZoomedInResampler(QgsBilinearRasterResampler())
    layer.setMetadata(
        _metadata(layer, product, aoi_name, aoi_id, asset, product.name, _image_abstract(product))
    )
    return layer


def _honour_nodata(layer: QgsRasterLayer, nodata: Optional[float]) -> None:
    """Nodata pixels transparent: the file's own value, or Pixxel's 0 when it declares none."""
    provider = layer.dataProvider()
    for band in range(1, provider.bandCount() + 1):
        provider.setUseSourceNoDataValue(band, True)
        if not provider.sourceHasNoDataValue(band) and nodata is not None:
            provider.setUserNoDataValue(band, [QgsRasterRange(nodata, nodata)])


def _true_colour_renderer(
    layer: QgsRasterLayer, product: ProductDescription
) -> QgsMultiBandColorRenderer:
    """RGB bands stretched to the precomputed min/max."""
    return multiband_renderer(layer.dataProvider(), product.rgb, product.stretch)


def multiband_renderer(
    provider: QgsRasterDataProvider, bands: Tuple[int, int, int], stretches: Sequence[Stretch]
) -> QgsMultiBandColorRenderer:
    """Red, green, blue stretched to the given min/max. The min/max origin stays "user defined":
    QGIS shows these values and never recomputes statistics by itself."""
    renderer = QgsMultiBandColorRenderer(provider, *bands)
    setters = (
        renderer.setRedContrastEnhancement,
        renderer.setGreenContrastEnhancement,
        renderer.setBlueContrastEnhancement,
    )
    for band, stretch, setter in zip(bands, stretches, setters):
        enhancement = QgsContrastEnhancement(provider.dataType(band))
        enhancement.setContrastEnhancementAlgorithm(
            QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum
        )
        enhancement.setMinimumValue(stretch.minimum)
        enhancement.setMaximumValue(stretch.maximum)
        setter(enhancement)
    return renderer


def _mask_layer(
    product: ProductDescription, aoi_name: str, aoi_id: str, asset: Mapping
) -> Optional[QgsRasterLayer]:
    name = tr("{product} quality mask").format(product=product.name)
    layer = QgsRasterLayer(product.mask.as_posix(), name, "gdal")
    if not layer.isValid():
        log.warning("QGIS cannot open %s; it is not added to the map.", product.mask)
        return None
    # Values without a class (0: clear) are drawn transparent by the paletted renderer.
    layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), 1, mask_classes()))
    layer.setOpacity(MASK_OPACITY)
    layer.setMetadata(_metadata(layer, product, aoi_name, aoi_id, asset, name, _mask_abstract()))
    return layer


def mask_bit_names() -> Dict[int, str]:
    """Bit value -> what it flags, in bit order."""
    return {1: tr("cloud"), 2: tr("cloud shadow"), 4: tr("water"), 8: tr("nodata")}


def mask_classes() -> List[QgsPalettedRasterRenderer.Class]:
    """One class per non-zero combination of the mask bits, named after the bits it holds."""
    names = mask_bit_names()
    classes = []
    for value in range(1, sum(names) + 1):
        label = " + ".join(name for bit, name in names.items() if value & bit)
        colour = next(colour for bit, colour in MASK_BIT_COLOURS if value & bit)
        classes.append(QgsPalettedRasterRenderer.Class(value, QColor(*colour), label))
    return classes


def _footprint_layer(product: ProductDescription) -> Optional[QgsVectorLayer]:
    name = tr("{product} footprint").format(product=product.name)
    layer = QgsVectorLayer(product.footprint.as_posix(), name, "ogr")
    if not layer.isValid():
        log.warning("QGIS cannot open %s; it is not added to the map.", product.footprint)
        return None
    symbol = QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": FOOTPRINT_COLOUR, "outline_width": "0.5"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


# --- metadata ------------------------------------------------------------------------------------


def _metadata(
    layer: QgsMapLayer,
    product: ProductDescription,
    aoi_name: str,
    aoi_id: str,
    asset: Mapping,
    title: str,
    details: List[str],
) -> QgsLayerMetadata:
    metadata = QgsLayerMetadata()
    metadata.setIdentifier(product.name)
    metadata.setTitle(title)
    metadata.setType("dataset")
    metadata.setCrs(layer.crs())
    lines = [tr("AOI: {name} ({id})").format(name=aoi_name, id=aoi_id)]
    if asset.get("id") or asset.get("name"):
        lines.append(
            tr("Asset: {name} ({id})").format(name=asset.get("name", ""), id=asset.get("id", ""))
        )
    lines += _product_facts(product) + details
    metadata.setAbstract("\n".join(lines))
    keywords = ["Pixxel", tr("hyperspectral"), product.satellite, product.level, aoi_name]
    metadata.addKeywords(KEYWORD_VOCABULARY, [word for word in keywords if word])
    return metadata


def _product_facts(product: ProductDescription) -> List[str]:
    facts: Dict[str, Optional[str]] = {
        tr("Product"): product.name,
        tr("Satellite"): product.satellite,
        tr("Acquired"): product.acquired.isoformat() if product.acquired else None,
        tr("Processing level"): product.level,
    }
    return [f"{label}: {value}" for label, value in facts.items() if value]


def _image_abstract(product: ProductDescription) -> List[str]:
    names = {band.index: band for band in product.bands}
    true_colour = ", ".join(
        f"{colour} {_band_label(names[index])}"
        for colour, index in zip((tr("red"), tr("green"), tr("blue")), product.rgb)
    )
    return [
        tr("True colour: {bands}").format(bands=true_colour),
        tr("Bands ({count}): {bands}").format(
            count=product.band_count,
            bands=", ".join(_band_label(band) for band in product.bands),
        ),
        tr("Reflectance = value / 50000; nodata {nodata}").format(nodata=_number(product.nodata)),
    ]


def _band_label(band: BandInfo) -> str:
    if band.wavelength_nm is None:
        return band.name
    return f"{band.name} ({band.wavelength_nm:g} nm)"


def _number(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:g}"


def _mask_abstract() -> List[str]:
    bits = ", ".join(
        tr("bit {bit}: {name}").format(bit=value.bit_length() - 1, name=name)
        for value, name in mask_bit_names().items()
    )
    return [tr("Quality mask, bit-encoded ({bits}); 0 is clear.").format(bits=bits)]
