"""The Order… dialog driven as a user would, against the sandbox through QGIS' task manager: the
dry run comes first and its price is shown; the order needs the separate confirmation button;
a second click while sending is refused; a connection lost after sending is reported and never
retried (the sandbox's request log shows one order request); a key without ordering rights is
told so."""

import pytest
from qgis.core import QgsTask
from qgis.PyQt.QtCore import Qt

from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.archive import ArchiveClient
from pixxel_qgis.core.qgis.archive_tasks import (
    OrderOptionsTask,
    OrderQuoteTask,
    PlaceOrderTask,
)
from pixxel_qgis.core.qgis.connection import Connection
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.ui import order_dialog
from pixxel_qgis.ui.order_dialog import OrderDialog

TIMEOUT_MS = 30_000


@pytest.fixture
def registry(qgis_app):
    registry = TaskRegistry()
    started = []
    registry.started.connect(started.append)
    registry.seen = started
    yield registry
    registry.cancel_all(wait_seconds=30)
    assert registry.running() == []


@pytest.fixture
def items(sandbox):
    ids = [i.id for i in sandbox.archive.items_of_aoi(0)[:2]]
    with PixxelClient(sandbox.api_key, sandbox.api_url) as client:
        found = ArchiveClient(client).items(ids)
    return [found[i] for i in ids]


def open_dialog(qtbot, sandbox, registry, items, key=None, **options):
    connection = Connection(api_key=key or sandbox.api_key, base_url=sandbox.api_url)
    dialog = OrderDialog(items, connection=connection, registry=registry, **options)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.state != order_dialog.LOADING, timeout=TIMEOUT_MS)
    return dialog


def priced(qtbot, dialog):
    qtbot.mouseClick(dialog.price_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state != order_dialog.PRICING, timeout=TIMEOUT_MS)
    return dialog


def order_posts(sandbox):
    return [r for r in sandbox.requests if r.endpoint == "order_create"]


def test_the_price_comes_first_and_orders_nothing(qtbot, sandbox, registry, items):
    dialog = open_dialog(qtbot, sandbox, registry, items)
    assert dialog.project_combo.count() == len(sandbox.catalog.projects)
    assert dialog.bandset_combo.count() == 1 + len(sandbox.purchases.bandsets)
    assert dialog.level_label.text() == "L2A"
    assert not dialog.place_button.isVisible()  # nothing to confirm before a price
    assert dialog.place() is False
    before = len(sandbox.purchases.orders)
    priced(qtbot, dialog)
    assert dialog.state == order_dialog.PRICED
    order = dialog.quote.order
    text = dialog.quote_label.text()
    assert "Not applicable" in text  # feasibility of archive captures
    assert f"{order.final_amount:,.2f}" in text
    assert f"{order.base_amount:,.2f}" in text
    assert "km²" in text
    assert "not stated by Pixxel" in text  # no currency given, none invented
    assert dialog.place_button.isVisible()
    assert dialog.place_button.isEnabled()
    assert dialog.place_button.text() == f"Place order for {order.final_amount:,.2f}"
    assert not dialog.place_button.autoDefault()
    assert not dialog.place_button.isDefault()
    assert len(sandbox.purchases.orders) == before
    kinds = [type(task) for task in registry.seen]
    assert kinds == [OrderOptionsTask, OrderQuoteTask]  # the network only through QgsTasks


def test_changing_the_form_takes_the_confirmation_away(qtbot, sandbox, registry, items):
    dialog = open_dialog(qtbot, sandbox, registry, items)
    priced(qtbot, dialog)
    dialog.bandset_combo.setCurrentIndex(1)
    assert dialog.state == order_dialog.READY
    assert not dialog.place_button.isVisible()
    assert dialog.place() is False
    priced(qtbot, dialog)
    assert dialog.state == order_dialog.PRICED
    assert dialog.current_request().bandset_id == sandbox.purchases.bandsets[0]["id"]


def test_one_order_however_often_the_button_is_clicked(qtbot, sandbox, registry, items):
    dialog = open_dialog(qtbot, sandbox, registry, items)
    priced(qtbot, dialog)
    before = len(sandbox.purchases.orders)
    sandbox.faults.add("order_create", "slow", delay=1.0)
    placed = []
    dialog.orderPlaced.connect(placed.append)
    qtbot.mouseClick(dialog.place_button, Qt.MouseButton.LeftButton)
    assert dialog.state == order_dialog.PLACING
    task = registry.seen[-1]
    assert isinstance(task, PlaceOrderTask)
    assert not task.flags() & QgsTask.Flag.CanCancel  # no Cancel in QGIS' task manager
    assert not dialog.place_button.isEnabled()
    assert dialog.place() is False  # a second click while sending
    qtbot.mouseClick(dialog.place_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # cannot close while the order is on its way
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.state != order_dialog.PLACING, timeout=TIMEOUT_MS)
    assert dialog.state == order_dialog.PLACED
    assert len(sandbox.purchases.orders) == before + 1
    assert len(order_posts(sandbox)) == 2  # the dry run and one order
    assert placed[0].id in dialog.status_label.text()
    assert dialog.place_button.text() == "Order placed"
    assert not dialog.place_button.isEnabled()
    assert dialog.place() is False
    assert len([t for t in registry.seen if isinstance(t, PlaceOrderTask)]) == 1


def test_a_connection_lost_after_sending_is_reported_not_retried(
    qtbot, sandbox, registry, items
):
    dialog = open_dialog(qtbot, sandbox, registry, items)
    priced(qtbot, dialog)
    sandbox.faults.add("order_create", "drop", at=0.3)
    assert dialog.place()
    qtbot.waitUntil(lambda: dialog.state != order_dialog.PLACING, timeout=TIMEOUT_MS)
    assert dialog.state == order_dialog.LOCKED
    text = dialog.status_label.text()
    assert "may or may not have placed the order" in text
    assert "Check your orders" in text
    assert not dialog.place_button.isEnabled()
    assert not dialog.price_button.isEnabled()
    assert dialog.place() is False
    qtbot.wait(300)
    assert len(order_posts(sandbox)) == 2  # the dry run and ONE order request


def test_a_key_without_ordering_rights_is_told_at_the_price(qtbot, sandbox, registry, items):
    dialog = open_dialog(qtbot, sandbox, registry, items, key=sandbox.viewer_key)
    priced(qtbot, dialog)
    assert dialog.state == order_dialog.READY
    assert "does not let this API key place orders" in dialog.status_label.text()
    assert not dialog.place_button.isVisible()


def test_a_refused_order_asks_for_a_new_price(qtbot, sandbox, registry, items):
    dialog = open_dialog(qtbot, sandbox, registry, items)
    priced(qtbot, dialog)
    sandbox.faults.add("order_create", "rate_limit", retry_after=0)
    assert dialog.place()
    qtbot.waitUntil(lambda: dialog.state != order_dialog.PLACING, timeout=TIMEOUT_MS)
    assert dialog.state == order_dialog.READY
    assert "Nothing was ordered" in dialog.status_label.text()
    assert not dialog.place_button.isVisible()
    assert len(order_posts(sandbox)) == 2


def test_the_search_area_can_be_ordered_instead(qtbot, sandbox, registry, items):
    west, south, east, north = items[0].bbox
    inner = {"type": "Polygon", "coordinates": [[
        [west, south], [(west + east) / 2, south], [(west + east) / 2, north], [west, north],
        [west, south]]]}
    dialog = open_dialog(qtbot, sandbox, registry, items[:1], search_area=inner)
    priced(qtbot, dialog)
    whole = dialog.quote.order.area_km2
    dialog.area_combo.setCurrentIndex(1)
    priced(qtbot, dialog)
    assert dialog.quote.request.lines[0].geometry == inner
    assert dialog.quote.order.area_km2 < whole


def test_an_incomplete_form_is_not_priced(qtbot, sandbox, registry, items):
    dialog = open_dialog(qtbot, sandbox, registry, items)
    dialog.usecase_edit.setText("  ")
    assert dialog.check_price() is False
    assert "use case" in dialog.status_label.text()
    assert order_posts(sandbox) == []
