"""A computed index (pixxel:spectralindex) onto the map: a pseudo-colour layer on a diverging
ramp, placed just above the image it was computed from (so inside that image's AOI group when
it is in one).

Range. The normalized differences bounded by -1..1 (NDVI, GNDVI, NDRE, NDWI, SAVI) get the fixed
-1..1: the same colour means the same value on every date and image, and 0, the usual
vegetation / bare / water threshold, sits at the ramp's centre. The others (PRI, CIre, MCARI,
custom expressions) have no natural range: they get the 2-98 % range of a sample of the result,
computed in the algorithm's worker (products.sample_stretch), never here.

MAIN THREAD ONLY: it creates a layer and edits the project.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from qgis.core import (
    QgsColorRampShader,
    QgsLayerTreeGroup,
    QgsLayerTreeLayer,
    QgsProject,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsStyle,
)

from ..imagery.products import Stretch
from .layers import PROPERTY_ROLE, layers_reading
from .main_thread import require_main_thread

ROLE_INDEX = "index"
PROPERTY_INDEX = "pixxel/index"
BOUNDED_INDICES = ("ndvi", "gndvi", "ndre", "ndwi", "savi")
RAMP = "RdYlGn"  # low red, high green: vegetation indices read as a map reader expects
WATER_RAMP = "RdYlBu"  # NDWI: high is water, so blue
RAMP_CLASSES = 5


@dataclass(frozen=True)
class IndexStyle:
    ramp: str
    minimum: float
    maximum: float


def index_style(index_key: Optional[str], sampled: Optional[Stretch]) -> IndexStyle:
    """The ramp and range for an index (`index_key` None: a custom expression); `sampled` is the
    result's sampled 2-98 % range, used where the index has no fixed one."""
    ramp = WATER_RAMP if index_key == "ndwi" else RAMP
    if index_key in BOUNDED_INDICES or sampled is None:
        return IndexStyle(ramp, -1.0, 1.0)
    return IndexStyle(ramp, sampled.minimum, sampled.maximum)


def pseudocolor_renderer(
    layer: QgsRasterLayer, style: IndexStyle
) -> QgsSingleBandPseudoColorRenderer:
    """Band 1 on the style's ramp, interpolated, min/max "user defined" so that QGIS keeps them
    and never computes statistics of its own."""
    ramp = QgsStyle.defaultStyle().colorRamp(style.ramp)
    shader_function = QgsColorRampShader(style.minimum, style.maximum)
    shader_function.setSourceColorRamp(ramp.clone())
    shader_function.setColorRampType(QgsColorRampShader.Type.Interpolated)
    shader_function.classifyColorRamp(RAMP_CLASSES, -1)
    shader = QgsRasterShader(style.minimum, style.maximum)
    shader.setRasterShaderFunction(shader_function)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(style.minimum)
    renderer.setClassificationMax(style.maximum)
    return renderer


def add_index_layer(
    path: Path,
    name: str,
    style: IndexStyle,
    *,
    index_key: Optional[str],
    beside_layer_id: Optional[str],
    project: Optional[QgsProject] = None,
) -> Optional[QgsRasterLayer]:
    """The index at `path` as a styled layer, above the layer `beside_layer_id` in its group (at
    the top of the layer tree when that layer is not in the project). A layer already reading
    `path` (a rerun to the same file) is replaced in place. None if QGIS cannot open the file."""
    require_main_thread("Index layers are made on the main thread only.")
    project = project or QgsProject.instance()
    layer = QgsRasterLayer(path.as_posix(), name, "gdal")
    if not layer.isValid():
        return None
    layer.setRenderer(pseudocolor_renderer(layer, style))
    layer.setCustomProperty(PROPERTY_ROLE, ROLE_INDEX)
    layer.setCustomProperty(PROPERTY_INDEX, index_key or "custom")
    group, position = _place_for(project, beside_layer_id)
    for old in layers_reading([path], project):
        node = project.layerTreeRoot().findLayer(old.id())
        if node is not None and node.parent() is not None:
            group, position = node.parent(), node.parent().children().index(node)
        project.removeMapLayer(old.id())
    project.addMapLayer(layer, False)
    group.insertChildNode(position, QgsLayerTreeLayer(layer))
    return layer


def _place_for(project: QgsProject, beside_layer_id: Optional[str]):
    """(group, position): just above the layer `beside_layer_id`, else the top of the tree."""
    root = project.layerTreeRoot()
    node = root.findLayer(beside_layer_id) if beside_layer_id else None
    parent = node.parent() if node is not None else None
    if isinstance(parent, QgsLayerTreeGroup):
        return parent, parent.children().index(node)
    return root, 0
