"""pixxel:estimateorder — what ordering archive captures would cost, from a dry run of
`POST /v0/orders` (core/pixxel/ordering.py): a table with one row per capture. It never places an
order; no Processing algorithm does (a model or a batch run must not spend money unasked)."""

from typing import Any, Dict, List, Sequence

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..pixxel.api import PixxelClient
from ..pixxel.archive import ArchiveClient
from ..pixxel.archive_models import OrderLine, format_amount
from ..pixxel.ordering import DEFAULT_USECASE, ArchiveOrderRequest, Quote, quote_order
from ..qgis.i18n import tr, tr_n
from .common import PixxelAlgorithm, make_fields, parse_id_list
from .search_archive import extent_box

ITEM_IDS = "ITEM_IDS"
PROJECT_ID = "PROJECT_ID"
USECASE = "USECASE"
EXTENT = "EXTENT"
BANDSET_ID = "BANDSET_ID"
OUTPUT = "OUTPUT"
TOTAL_AMOUNT = "TOTAL_AMOUNT"
CURRENCY = "CURRENCY"
FIELDS = (
    ("item_id", "string(128)"),
    ("area_km2", "double"),
    ("bands", "integer"),
    ("feasibility", "string(32)"),
    ("base_amount", "double"),
    ("final_amount", "double"),
    ("currency", "string(16)"),
    ("uplifts", "string(254)"),
)


def no_geometry() -> Any:
    # Qgis.WkbType from QGIS 3.30 on (QGIS 4 knows only that one); QgsWkbTypes.Type before.
    modern = getattr(Qgis, "WkbType", None)
    return modern.NoGeometry if modern is not None else QgsWkbTypes.Type.NoGeometry


class EstimateOrderAlgorithm(PixxelAlgorithm):
    def name(self) -> str:
        return "estimateorder"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Estimate an archive order")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Asks Pixxel what ordering archive captures would cost, with a dry run that orders "
            "nothing: one row per capture with the billed area (km²), the number of bands, the "
            "feasibility, the base and final amounts (with the currency when Pixxel gives one) "
            "and the uplifts or discounts applied. Outputs the total too."
            "\n\nItem ids: comma-separated item ids from 'Search the archive'."
            "\nProject id: the project the order would belong to (empty: the first project "
            "your key sees)."
            "\nUse case: what the imagery is for, as Pixxel asks (default: agriculture)."
            "\nExtent: the area to order within the captures (empty: each capture's whole "
            "footprint)."
            "\nBandset id: a bandset from Pixxel's list (empty: every band of the capture)."
            "\n\nThis algorithm never places an order: order from the Pixxel panel, which shows "
            "this price first and asks you to confirm."
            "\n\nThe API address and key come from the Pixxel settings, or from the "
            "PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterString(ITEM_IDS, tr("Item ids")))
        self.addParameter(
            QgsProcessingParameterString(PROJECT_ID, tr("Project id"), optional=True)
        )
        self.addParameter(QgsProcessingParameterString(
            USECASE, tr("Use case"), defaultValue=DEFAULT_USECASE, optional=True
        ))
        self.addParameter(
            QgsProcessingParameterExtent(EXTENT, tr("Area to order"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString(BANDSET_ID, tr("Bandset id"), optional=True)
        )
        self.addParameter(QgsProcessingParameterFeatureSink(
            OUTPUT, tr("Price estimate"), QgsProcessing.SourceType.TypeVector
        ))
        self.addOutput(QgsProcessingOutputNumber(TOTAL_AMOUNT, tr("Total amount")))
        self.addOutput(QgsProcessingOutputString(CURRENCY, tr("Currency")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self,
        parameters: Dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> Dict[str, Any]:
        ids = parse_id_list(self.parameterAsString(parameters, ITEM_IDS, context))
        if not ids:
            raise QgsProcessingException(tr("At least one archive item id is needed."))
        area = extent_box(self, parameters, EXTENT, context)
        fields = make_fields(FIELDS)
        sink, destination = self.parameterAsSink(
            parameters, OUTPUT, context, fields, no_geometry(), QgsCoordinateReferenceSystem()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, OUTPUT))
        with self.client(feedback) as client:
            quote = self._quote(client, parameters, context, ids, area)
        for line, asked in zip(quote.order.lines, quote.request.lines):
            feature = QgsFeature(fields)
            # The items as asked: a dry run's answer may not list the images it priced.
            feature.setAttributes(row(line, line.item_ids or asked.item_ids))
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise QgsProcessingException(self.writeFeatureError(sink, parameters, OUTPUT))
        order = quote.order
        feedback.pushInfo(tr_n(
            "{count} capture(s): {amount} in total (a dry run: nothing was ordered).",
            len(order.lines),
        ).format(count=len(order.lines), amount=format_amount(order.final_amount,
                                                              order.currency)))
        return {OUTPUT: destination, TOTAL_AMOUNT: order.final_amount,
                CURRENCY: order.currency or ""}

    def _quote(
        self, client: PixxelClient, parameters: Dict[str, Any], context: QgsProcessingContext,
        ids: tuple, area: Any,
    ) -> Quote:
        found = ArchiveClient(client).items(ids)
        missing = [item_id for item_id in ids if item_id not in found]
        if missing:
            raise QgsProcessingException(
                tr("Not in Pixxel's archive: {ids}.").format(ids=", ".join(missing))
            )
        project_id = self.parameterAsString(parameters, PROJECT_ID, context).strip()
        if not project_id:
            projects = client.projects()
            if not projects:
                raise QgsProcessingException(
                    tr("Your API key sees no project to order in: give a project id.")
                )
            project_id = projects[0].id
        usecase = self.parameterAsString(parameters, USECASE, context).strip() or DEFAULT_USECASE
        polygon = None
        if area is not None:
            west, south, east, north = area
            polygon = {"type": "Polygon", "coordinates": [[
                [west, south], [east, south], [east, north], [west, north], [west, south]]]}
        try:
            request = ArchiveOrderRequest.for_items(
                project_id, [found[item_id] for item_id in ids], area=polygon, usecase=usecase,
                bandset_id=self.parameterAsString(parameters, BANDSET_ID, context).strip(),
            )
        except ValueError as error:
            raise QgsProcessingException(str(error)) from None
        return quote_order(client, request)


def row(line: OrderLine, item_ids: Sequence[str]) -> List[Any]:
    uplifts = "; ".join(
        f"{u.title} {u.percentage:+g} %" if u.percentage is not None else u.title
        for u in line.uplifts
    )
    return [
        ", ".join(item_ids),
        line.area_km2,
        line.number_of_bands,
        line.feasibility_status,
        line.base_amount,
        line.final_amount,
        line.currency,
        uplifts[:254],
    ]
