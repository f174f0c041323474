"""Order… : order archive captures, price first, then one explicit confirmation.

The dialog never orders on its own: "Check price" sends a dry run (OrderQuoteTask), shows the
feasibility, the base and final amounts (with the currency only when Pixxel names one) and the
area; only then does a separate "Place order for <amount>" button appear, for exactly the order
that was priced. Changing anything in the form takes that button away until the new choice is
priced. A click on it disables it at once; the order goes out once (PlaceOrderTask, which
TaskRegistry will not start twice for the same captures), and the dialog cannot be closed until
Pixxel answers. When the answer is lost after sending, the dialog says to check the orders list
and will not place that order again.

Every network call is a QgsTask through the registry: the GUI thread never waits.
"""

import html
from typing import Any, Dict, List, Optional

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.pixxel.archive_models import ArchiveItem, Order, format_amount
from ..core.pixxel.ordering import (
    DEFAULT_USECASE,
    ArchiveOrderRequest,
    OrderingNotAllowedError,
    OrderOutcomeUnknownError,
    Quote,
)
from ..core.qgis.archive_tasks import OrderOptionsTask, OrderQuoteTask, PlaceOrderTask
from ..core.qgis.connection import Connection
from ..core.qgis.i18n import tr, tr_n
from ..core.qgis.registry import TaskRegistry
from .lifetime import alive, disconnect
from .widgets import NoteLabel, bold_label

# States of the dialog, in the order an order goes through them.
LOADING, READY, PRICING, PRICED, PLACING, PLACED, LOCKED = (
    "loading", "ready", "pricing", "priced", "placing", "placed", "locked")


def feasibility_text(status: str) -> str:
    return {
        "SUCCESS": tr("Feasible"),
        "WEAK_SUCCESS": tr("Feasible, with some risk"),
        "FAILED": tr("Not feasible"),
        "NOT_APPLICABLE": tr("Not applicable (an archive capture exists already)"),
        "UNSPECIFIED": tr("Not known"),
    }.get(status, status or tr("Not given"))


def _line_text(line: Any, item_ids: Any) -> str:
    text = f"{', '.join(item_ids)}: {format_amount(line.final_amount, line.currency)}"
    if line.number_of_bands:
        text += " (" + tr_n("{count} band(s)", line.number_of_bands).format(
            count=line.number_of_bands) + ")"
    return text


class OrderDialog(QDialog):
    """Orders `items` (archive captures). `search_area` (a GeoJSON polygon) is offered as the
    area to order instead of the captures' whole footprints."""

    orderPlaced = pyqtSignal(object)  # noqa: N815 - Qt naming; the Order Pixxel answered

    def __init__(
        self,
        items: List[ArchiveItem],
        *,
        connection: Connection,
        registry: TaskRegistry,
        search_area: Optional[Dict[str, Any]] = None,
        parent: Optional[QWidget] = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Order Pixxel imagery"))
        self.items = list(items)
        self.connection = connection
        self.registry = registry
        self.search_area = search_area
        self.state = LOADING
        self.quote: Optional[Quote] = None
        self.order: Optional[Order] = None
        self._tasks: List[Any] = []
        self._build()
        self._show_state()
        self._start(OrderOptionsTask(connection), self._options_loaded)

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        ids = ", ".join(item.id for item in self.items[:3]) + (
            "…" if len(self.items) > 3 else "")
        layout.addWidget(bold_label(self, tr_n("{count} capture(s): {ids}", len(self.items))
                                    .format(count=len(self.items), ids=ids)))
        form = QFormLayout()
        self.project_combo = QComboBox(self)
        form.addRow(tr("Project"), self.project_combo)
        self.usecase_edit = QLineEdit(DEFAULT_USECASE, self)
        self.usecase_edit.setToolTip(tr("What the imagery is for, as Pixxel asks with every "
                                        "order (for example agriculture or forestry)."))
        form.addRow(tr("Use case"), self.usecase_edit)
        self.area_combo = QComboBox(self)
        self.area_combo.addItem(tr("Each capture's whole footprint"), None)
        if self.search_area is not None:
            self.area_combo.addItem(tr("Only the search area"), self.search_area)
        form.addRow(tr("Area"), self.area_combo)
        self.bandset_combo = QComboBox(self)
        self.bandset_combo.addItem(tr("Every band of the capture"), None)
        self.bandset_combo.setToolTip(tr(
            "Pixxel documents bandsets for tasking orders; for an archive capture the price "
            "shows how many bands are charged."))
        form.addRow(tr("Bandset"), self.bandset_combo)
        levels = sorted({item.product_level for item in self.items if item.product_level})
        self.level_label = QLabel(" / ".join(levels) or tr("as in the archive"), self)
        self.level_label.setToolTip(tr("Archive captures are delivered at the level they are "
                                       "kept at; an order cannot ask for another."))
        form.addRow(tr("Processing level"), self.level_label)
        self.speed_combo = QComboBox(self)
        self.speed_combo.addItem(tr("Standard"), "STANDARD")  # the one speed the spec offers
        form.addRow(tr("Delivery speed"), self.speed_combo)
        layout.addLayout(form)

        self.price_button = QPushButton(tr("Check price"), self)
        self.price_button.setToolTip(tr("Ask Pixxel for the price and feasibility (a dry run: "
                                        "nothing is ordered)."))
        self.price_button.clicked.connect(self.check_price)
        self.quote_label = QLabel(self)
        self.quote_label.setTextFormat(Qt.TextFormat.RichText)
        self.quote_label.setWordWrap(True)
        self.place_button = QPushButton(self)
        self.place_button.clicked.connect(self.place)
        for button in (self.price_button, self.place_button):
            # Enter in the form must never press a button, least of all the order button.
            button.setAutoDefault(False)
            button.setDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.price_button)
        row.addStretch(1)
        row.addWidget(self.place_button)
        layout.addWidget(self.quote_label)
        layout.addLayout(row)
        self.status_label = NoteLabel(self)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for combo in (self.project_combo, self.area_combo, self.bandset_combo, self.speed_combo):
            combo.currentIndexChanged.connect(self._form_changed)
        self.usecase_edit.textChanged.connect(self._form_changed)

    # -- what the form asks for ----------------------------------------------------------------

    def current_request(self) -> ArchiveOrderRequest:
        """The order the form describes; ValueError (plain English) when it is incomplete."""
        return ArchiveOrderRequest.for_items(
            self.project_combo.currentData() or "", self.items,
            area=self.area_combo.currentData(), usecase=self.usecase_edit.text(),
            bandset_id=self.bandset_combo.currentData(),
            delivery_speed=self.speed_combo.currentData(),
        )

    def _form_changed(self, *_args: Any) -> None:
        # A price is only good for the choice it was asked for: confirm nothing else.
        if self.state in (PRICED, READY):
            self.quote = None
            self.state = READY
            self.status_label.clear()
            self._show_state()

    # -- steps ---------------------------------------------------------------------------------

    def check_price(self) -> bool:
        if self.state not in (READY, PRICED):
            return False
        if not self.project_combo.currentData():
            self.status_label.setText(tr("Choose the project the order belongs to."))
            return False
        if not self.usecase_edit.text().strip():
            self.status_label.setText(tr("Say what the imagery is for (the use case)."))
            return False
        try:
            request = self.current_request()
        except ValueError as error:
            self.status_label.setText(str(error))
            return False
        self.quote = None
        self.state = PRICING
        self.status_label.setText(tr("Asking Pixxel for the price…"))
        self._show_state()
        if not self._start(OrderQuoteTask(self.connection, request), self._priced):
            self.state = READY
            self._show_state()
            return False
        return True

    def place(self) -> bool:
        """Place the priced order. Refused (False) unless a price is shown for the form as it
        is and no order is being sent: a second click changes nothing."""
        if self.state != PRICED or self.quote is None:
            return False
        self.state = PLACING  # before anything else: the button is off from this moment
        self.status_label.setText(tr("Placing the order with Pixxel… Wait for its answer."))
        self._show_state()
        if not self._start(PlaceOrderTask(self.connection, self.quote), self._placed):
            self.state = PRICED
            self.status_label.setText(tr("An order for these captures is being sent already."))
            self._show_state()
            return False
        return True

    # -- answers -------------------------------------------------------------------------------

    def _options_loaded(self, task: OrderOptionsTask) -> None:
        if task.error is not None:
            self.state = READY
            self.status_label.setText(tr("Could not read your projects: {error}").format(
                error=task.error.message))
            self._show_state()
            return
        for project in task.projects:
            self.project_combo.addItem(project.display_name, project.id)
        for bandset in task.bandsets:
            label = tr_n("{name} ({count} band(s))", len(bandset.bands)).format(
                name=bandset.name or bandset.id, count=len(bandset.bands))
            self.bandset_combo.addItem(label, bandset.id)
        self.state = READY
        if not task.projects:
            self.status_label.setText(tr("Your API key sees no project to order in."))
        self._show_state()

    def _priced(self, task: OrderQuoteTask) -> None:
        if self.state != PRICING:
            return
        self.state = READY
        try:
            current = self.current_request()
        except ValueError:
            current = None
        if current != task.request:
            self.status_label.clear()  # the form changed meanwhile: that price is not for it
        elif task.error is not None:
            self.status_label.setText(task.error.message)
        else:
            self.quote = task.quote
            order = task.quote.order
            if order.final_amount is None:
                self.status_label.setText(tr("Pixxel gave no price: this order cannot be "
                                             "confirmed here."))
            elif order.feasibility_status == "FAILED":
                self.status_label.setText(tr("Pixxel says this order is not feasible."))
            else:
                self.state = PRICED
                self.status_label.setText(tr("Nothing has been ordered yet."))
        self._show_state()

    def _placed(self, task: PlaceOrderTask) -> None:
        error = task.error
        if error is None and task.order is not None:
            self.order = task.order
            self.state = PLACED
            self.status_label.setText(tr(
                "Order {id} placed ({status}). Its imagery can be downloaded once Pixxel has "
                "delivered it.").format(id=task.order.id or "?", status=task.order.status))
            self.orderPlaced.emit(task.order)
        elif isinstance(error, OrderOutcomeUnknownError):
            self.state = LOCKED  # this dialog never sends that order again
            self.status_label.setText(error.message)
        else:
            self.quote = None
            self.state = READY
            text = error.message if error is not None else tr("The order failed.")
            if not isinstance(error, OrderingNotAllowedError):
                text += " " + tr("Check the price again to try once more.")
            self.status_label.setText(text)
        self._show_state()

    # -- widgets follow the state --------------------------------------------------------------

    def _show_state(self) -> None:
        editable = self.state in (READY, PRICED)
        for widget in (self.project_combo, self.usecase_edit, self.area_combo,
                       self.bandset_combo, self.speed_combo):
            widget.setEnabled(editable)
        self.price_button.setEnabled(editable)
        self.quote_label.setText(self._quote_html() if self.quote else "")
        self.quote_label.setVisible(self.quote is not None)
        offered = self.state in (PRICED, PLACING, PLACED, LOCKED) and self.quote is not None
        self.place_button.setVisible(offered)
        self.place_button.setEnabled(self.state == PRICED)
        if self.quote is not None:
            order = self.quote.order
            amount = format_amount(order.final_amount, order.currency)
            self.place_button.setText({
                PLACING: tr("Placing the order…"), PLACED: tr("Order placed"),
                LOCKED: tr("Order sent: outcome unknown"),
            }.get(self.state, tr("Place order for {amount}").format(amount=amount)))
        self.buttons.setEnabled(self.state != PLACING)

    def _quote_html(self) -> str:
        order = self.quote.order
        area = order.area_km2
        rows = [
            (tr("Feasibility"), feasibility_text(order.feasibility_status)),
            (tr("Area"), tr("{area} km²").format(area=f"{area:,.0f}") if area is not None
             else tr("Not given")),
            (tr("Base price"), format_amount(order.base_amount, order.currency)),
            (tr("Final price"), format_amount(order.final_amount, order.currency)),
        ]
        if not order.currency:
            rows.append((tr("Currency"), tr("not stated by Pixxel")))
        lines = "".join(
            f"<li>{html.escape(_line_text(line, asked.item_ids))}</li>"
            for line, asked in zip(order.lines, self.quote.request.lines)
        )
        table = "".join(f"<tr><td>{html.escape(k)}&nbsp;</td><td><b>{html.escape(v)}</b></td>"
                        f"</tr>" for k, v in rows)
        return f"<table>{table}</table><ul>{lines}</ul>"

    # -- plumbing ------------------------------------------------------------------------------

    def _start(self, task: Any, slot: Any) -> bool:
        task.completed.connect(slot)
        if not self.registry.start(task):
            disconnect(task.completed, slot)
            return False
        self._tasks = [known for known in self._tasks if alive(known)] + [task]
        return True

    def reject(self) -> None:
        if self.state == PLACING:
            # Closing cannot stop an order on its way: stay until Pixxel has answered.
            return
        for task in self._tasks:
            if alive(task) and not isinstance(task, PlaceOrderTask):
                task.cancel()
        super().reject()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if self.state == PLACING:
            event.ignore()
            return
        super().closeEvent(event)
