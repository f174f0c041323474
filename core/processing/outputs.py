"""What the algorithms write: a vector output's parameter, its fields and sink, and values as
attributes. Shared by the Pixxel listings (polygons in EPSG:4326 from Pixxel's GeoJSON), the
price table (no geometry) and the spectra (the input points)."""

from datetime import date, datetime, timezone
from typing import Any, Dict, List, Optional, Sequence, Tuple

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt

from ..qgis.geometry import geometry_from_geojson
from .common import CRS, Parameters

OUTPUT = "OUTPUT"
Spec = Sequence[Tuple[str, str]]  # (field name, memory-provider type) pairs


def polygon_output(label: str) -> QgsProcessingParameterFeatureSink:
    """The OUTPUT parameter of an algorithm writing polygons."""
    return QgsProcessingParameterFeatureSink(
        OUTPUT, label, QgsProcessing.SourceType.TypeVectorPolygon
    )


def make_fields(spec: Spec) -> QgsFields:
    """QgsFields from (name, memory-provider type) pairs such as ("progress", "integer").

    Field types are QVariant types in QGIS 3 and QMetaType types from 3.38 on (Qt 6 has no
    QVariant.Type at all); the memory provider's type names are the same words in every version,
    so the fields are declared through it."""
    uri = "None?" + "&".join(f"field={name}:{kind}" for name, kind in spec)
    return QgsVectorLayer(uri, "fields", "memory").fields()


def no_geometry() -> Any:
    # Qgis.WkbType from QGIS 3.30 on (QGIS 4 knows only that one); QgsWkbTypes.Type before.
    modern = getattr(Qgis, "WkbType", None)
    return modern.NoGeometry if modern is not None else QgsWkbTypes.Type.NoGeometry


class FeatureSink:
    """The feature sink of an algorithm's vector output `name`: features with `fields` and
    geometries of `geometry_type` in `crs` (none: a table). `count` says how many were written."""

    def __init__(
        self, algorithm: QgsProcessingAlgorithm, parameters: Parameters,
        context: QgsProcessingContext, name: str, fields: QgsFields, geometry_type: Any,
        crs: Optional[QgsCoordinateReferenceSystem] = None,
    ) -> None:
        self._algorithm = algorithm
        self._parameters = parameters
        self._name = name
        self.fields = fields
        self.sink, self.destination = algorithm.parameterAsSink(
            parameters, name, context, fields, geometry_type, crs or QgsCoordinateReferenceSystem()
        )
        if self.sink is None:
            raise QgsProcessingException(algorithm.invalidSinkError(parameters, name))
        self.count = 0

    def write(self, attributes: List[Any], geometry: Optional[QgsGeometry] = None) -> None:
        """One feature (without geometry when `geometry` is None)."""
        feature = QgsFeature(self.fields)
        feature.setAttributes(attributes)
        if geometry is not None:
            feature.setGeometry(geometry)
        if not self.sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
            raise QgsProcessingException(
                self._algorithm.writeFeatureError(self.sink, self._parameters, self._name)
            )
        self.count += 1


class PolygonSink(FeatureSink):
    """OUTPUT as MultiPolygons in EPSG:4326 (Pixxel's GeoJSON) with the fields of `spec`."""

    def __init__(self, algorithm: QgsProcessingAlgorithm, parameters: Parameters,
                 context: QgsProcessingContext, spec: Spec) -> None:
        super().__init__(algorithm, parameters, context, OUTPUT, make_fields(spec),
                         QgsWkbTypes.Type.MultiPolygon, QgsCoordinateReferenceSystem(CRS))

    def add(self, attributes: List[Any], geojson: Optional[Dict[str, Any]]) -> None:
        """One feature; a missing or unusable geometry leaves the feature without one."""
        self.write(attributes, geometry_from_geojson(geojson))


def qdatetime(moment: Optional[datetime]) -> Optional[QDateTime]:
    """A UTC QDateTime (None stays None: a NULL attribute)."""
    if moment is None:
        return None
    utc = moment.astimezone(timezone.utc) if moment.tzinfo else moment
    text = utc.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    return QDateTime.fromString(text, Qt.DateFormat.ISODateWithMs)


def qdate(day: Optional[date]) -> Optional[QDate]:
    if day is None:
        return None
    return QDate(day.year, day.month, day.day)
