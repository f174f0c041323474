"""pixxel:searcharchive — captures in Pixxel's archive over an area, as footprints: the same
search as the dock's "Find imagery" view (core/pixxel/archive.py), for models and qgis_process."""

from typing import Any, Dict, List, Optional, Tuple

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterExtent,
    QgsProcessingParameterNumber,
)

from ..pixxel.archive import MAX_PAGES, ArchiveClient, ArchiveSearch
from ..pixxel.archive_models import ArchiveItem
from ..qgis.i18n import tr, tr_n
from .common import CRS, Parameters, PixxelAlgorithm, parse_id_list
from .outputs import OUTPUT, PolygonSink, polygon_output, qdatetime

EXTENT = "EXTENT"
START_DATE = "START_DATE"
END_DATE = "END_DATE"
MAX_CLOUD = "MAX_CLOUD"
MAX_OFF_NADIR = "MAX_OFF_NADIR"
COLLECTIONS = "COLLECTIONS"
COUNT = "COUNT"
FIELDS = (
    ("item_id", "string(128)"),
    ("collection", "string(64)"),
    ("acquired", "datetime"),
    ("platform", "string(32)"),
    ("gsd", "double"),
    ("cloud_cover", "double"),
    ("off_nadir", "double"),
    ("sun_elevation", "double"),
)


def number_type_double() -> Any:
    # Qgis.ProcessingNumberParameterType from QGIS 3.36 on (QGIS 4 knows only that one); the
    # parameter class's own enum before.
    modern = getattr(Qgis, "ProcessingNumberParameterType", None)
    return modern.Double if modern is not None else QgsProcessingParameterNumber.Type.Double


def date_type() -> Any:
    modern = getattr(Qgis, "ProcessingDateTimeParameterDataType", None)
    return modern.Date if modern is not None else QgsProcessingParameterDateTime.Type.Date


def extent_box(
    algorithm: PixxelAlgorithm, parameters: Parameters, name: str, context: QgsProcessingContext
) -> Optional[Tuple[float, float, float, float]]:
    """An extent parameter as (west, south, east, north) in EPSG:4326, cut to the world; None
    when it was left empty."""
    if parameters.get(name) in (None, ""):
        return None
    extent = algorithm.parameterAsExtent(
        parameters, name, context, QgsCoordinateReferenceSystem(CRS)
    )
    if extent is None or extent.isNull() or extent.isEmpty():
        return None
    west, east = max(-180.0, extent.xMinimum()), min(180.0, extent.xMaximum())
    south, north = max(-90.0, extent.yMinimum()), min(90.0, extent.yMaximum())
    if west >= east or south >= north:
        raise QgsProcessingException(tr("The extent lies outside the world's coordinates."))
    return (west, south, east, north)


class SearchArchiveAlgorithm(PixxelAlgorithm):
    max_pages = MAX_PAGES

    def name(self) -> str:
        return "searcharchive"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Search the archive")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Searches Pixxel's archive of captures and writes their footprints (EPSG:4326) "
            "with the item id, collection, acquisition time (UTC), platform, ground sample "
            "distance (m), cloud cover (%), off-nadir angle and sun elevation (degrees)."
            "\n\nExtent: captures touching this area (empty: anywhere)."
            "\nStart and end date: acquired between these days, both included (empty: no "
            "limit)."
            "\nMaximum cloud cover and off-nadir angle: empty for no limit."
            "\nCollections: comma-separated collection ids, e.g. pixxel-firefly (empty: all)."
            "\n\nAt most {pages} pages of results are read: narrow a search that finds more. "
            "Searching never orders anything; 'Estimate an archive order' prices captures."
            "\n\nThe API address and key come from the Pixxel settings, or from the "
            "PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win."
        ).format(pages=self.max_pages)

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterExtent(EXTENT, tr("Extent"), optional=True))
        for name, label in ((START_DATE, tr("Start date")), (END_DATE, tr("End date"))):
            self.addParameter(
                QgsProcessingParameterDateTime(name, label, type=date_type(), optional=True)
            )
        self.addParameter(QgsProcessingParameterNumber(
            MAX_CLOUD, tr("Maximum cloud cover (%)"), type=number_type_double(),
            optional=True, minValue=0, maxValue=100,
        ))
        self.addParameter(QgsProcessingParameterNumber(
            MAX_OFF_NADIR, tr("Maximum off-nadir angle (degrees)"), type=number_type_double(),
            optional=True, minValue=0, maxValue=90,
        ))
        self.add_optional_text(COLLECTIONS, tr("Collections"))
        self.addParameter(polygon_output(tr("Archive footprints")))
        self.addOutput(QgsProcessingOutputNumber(COUNT, tr("Number of captures")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        search = self._search(parameters, context)
        output = PolygonSink(self, parameters, context, FIELDS)
        truncated: List[bool] = []
        with self.client(feedback) as client:
            pages = ArchiveClient(client).iter_pages(
                search, max_pages=self.max_pages, on_truncated=lambda: truncated.append(True)
            )
            for page in pages:
                for item in page:
                    output.add(attributes(item), item.geometry)
        if truncated:
            feedback.reportError(tr(
                "More captures match than {pages} pages hold: only the first {count} were "
                "written. Narrow the area, the dates or the limits."
            ).format(pages=self.max_pages, count=output.count), False)
        feedback.pushInfo(
            tr_n("{count} capture(s) found.", output.count).format(count=output.count)
        )
        return {OUTPUT: output.destination, COUNT: output.count}

    def _search(self, parameters: Parameters, context: QgsProcessingContext) -> ArchiveSearch:
        dates = []
        for name in (START_DATE, END_DATE):
            value = self.parameterAsDateTime(parameters, name, context)
            dates.append(value.date().toPyDate() if value.isValid() else None)
        limits = []
        for name in (MAX_CLOUD, MAX_OFF_NADIR):
            given = parameters.get(name) not in (None, "")
            limits.append(self.parameterAsDouble(parameters, name, context) if given else None)
        collections = parse_id_list(self.parameterAsString(parameters, COLLECTIONS, context))
        try:
            return ArchiveSearch(
                bbox=extent_box(self, parameters, EXTENT, context), start=dates[0],
                end=dates[1], max_cloud=limits[0], max_off_nadir=limits[1],
                collections=collections,
            )
        except ValueError as error:
            raise QgsProcessingException(str(error)) from None


def attributes(item: ArchiveItem) -> List[Any]:
    return [
        item.id,
        item.collection,
        qdatetime(item.acquired),
        item.platform,
        item.gsd,
        item.cloud_cover,
        item.off_nadir,
        item.sun_elevation,
    ]
