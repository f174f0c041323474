"""pixxel:estimateorder — what ordering archive captures would cost, from a dry run of
`POST /v0/orders` (core/pixxel/ordering.py): a table with one row per capture. It never places an
order; no Processing algorithm does (a model or a batch run must not spend money unasked)."""

from typing import Any, Dict, List, Sequence

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
)

from ..pixxel.api import PixxelClient
from ..pixxel.archive import ArchiveClient
from ..pixxel.archive_models import OrderLine, format_amount
from ..pixxel.ordering import DEFAULT_USECASE, ArchiveOrderRequest, Quote, quote_order
from ..qgis.i18n import tr, tr_n
from .common import Parameters, PixxelAlgorithm, parse_id_list
from .outputs import OUTPUT, FeatureSink, make_fields, no_geometry
from .search_archive import extent_box

ITEM_IDS = "ITEM_IDS"
PROJECT_ID = "PROJECT_ID"
USECASE = "USECASE"
EXTENT = "EXTENT"
BANDSET_ID = "BANDSET_ID"
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
        self.add_optional_text(PROJECT_ID, tr("Project id"))
        self.add_optional_text(USECASE, tr("Use case"), DEFAULT_USECASE)
        self.addParameter(
            QgsProcessingParameterExtent(EXTENT, tr("Area to order"), optional=True)
        )
        self.add_optional_text(BANDSET_ID, tr("Bandset id"))
        self.addParameter(QgsProcessingParameterFeatureSink(
            OUTPUT, tr("Price estimate"), QgsProcessing.SourceType.TypeVector
        ))
        self.addOutput(QgsProcessingOutputNumber(TOTAL_AMOUNT, tr("Total amount")))
        self.addOutput(QgsProcessingOutputString(CURRENCY, tr("Currency")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        ids = parse_id_list(self.parameterAsString(parameters, ITEM_IDS, context))
        if not ids:
            raise QgsProcessingException(tr("At least one archive item id is needed."))
        area = extent_box(self, parameters, EXTENT, context)
        output = FeatureSink(self, parameters, context, OUTPUT, make_fields(FIELDS), no_geometry())
        with self.client(feedback) as client:
            quote = self._quote(client, parameters, context, ids, area)
        for line, asked in zip(quote.order.lines, quote.request.lines):
            # The items as asked: a dry run's answer may not list the images it priced.
            output.write(row(line, line.item_ids or asked.item_ids))
        order = quote.order
        feedback.pushInfo(tr_n(
            "{count} capture(s): {amount} in total (a dry run: nothing was ordered).",
            len(order.lines),
        ).format(count=len(order.lines), amount=format_amount(order.final_amount,
                                                              order.currency)))
        return {OUTPUT: output.destination, TOTAL_AMOUNT: order.final_amount,
                CURRENCY: order.currency or ""}

    def _quote(
        self, client: PixxelClient, parameters: Parameters, context: QgsProcessingContext,
        ids: tuple, area: Any,
    ) -> Quote:
        found = ArchiveClient(client).items(ids)
        missing = [item_id for item_id in ids if item_id not in found]
        if missing:
            raise QgsProcessingException(
                tr("Not in Pixxel's archive: {ids}.").format(ids=", ".join(missing))
            )
        project_id = self.text(parameters, PROJECT_ID, context)
        if not project_id:
            projects = client.projects()
            if not projects:
                raise QgsProcessingException(
                    tr("Your API key sees no project to order in: give a project id.")
                )
            project_id = projects[0].id
        usecase = self.text(parameters, USECASE, context) or DEFAULT_USECASE
        polygon = None
        if area is not None:
            west, south, east, north = area
            polygon = {"type": "Polygon", "coordinates": [[
                [west, south], [east, south], [east, north], [west, north], [west, south]]]}
        try:
            request = ArchiveOrderRequest.for_items(
                project_id, [found[item_id] for item_id in ids], area=polygon, usecase=usecase,
                bandset_id=self.text(parameters, BANDSET_ID, context),
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
