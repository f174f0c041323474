"""ui/widgets.py: the dock's shared widgets."""

from pixxel_qgis.ui.widgets import ElidedLabel

TITLE = "Punjab wheat fields – Ludhiana (block 2) — 12 assets"


def test_a_long_text_is_elided_in_the_middle_and_kept_whole(qtbot):
    label = ElidedLabel(bold=True)
    qtbot.addWidget(label)
    label.setText(TITLE)
    label.resize(150, label.sizeHint().height())
    label.show()

    shown = label.text()
    assert "…" in shown
    assert shown.startswith("Punjab")
    assert shown.endswith("assets")
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.full_text() == TITLE
    assert label.font().bold()

    label.resize(label.fontMetrics().horizontalAdvance(TITLE) + 20, label.height())
    assert label.text() == TITLE
    # A new text is fitted to the width the label has.
    label.resize(150, label.height())
    label.setText(TITLE.replace("12", "13"))
    assert label.text().endswith("assets")
    assert "…" in label.text()
    assert label.full_text().endswith("13 assets")


def test_a_note_is_as_tall_as_its_text_at_its_width(qtbot):
    from qgis.PyQt.QtWidgets import QFormLayout, QLineEdit, QWidget

    from pixxel_qgis.ui.widgets import NoteLabel

    page = QWidget()
    qtbot.addWidget(page)
    form = QFormLayout(page)
    form.addRow("Address", QLineEdit(page))
    note = NoteLabel(page)
    note.setText("PIXXEL_API_URL is set: http://127.0.0.1:35419 is used instead of this address.")
    form.addRow("", note)
    page.resize(900, 300)
    page.show()
    qtbot.waitUntil(lambda: note.width() > 600)
    qtbot.waitUntil(lambda: note.height() == note.heightForWidth(note.width()))
    assert note.height() < 2 * note.fontMetrics().lineSpacing()  # one line, no blank band

    page.resize(250, 300)  # now it wraps: taller, and exactly as tall as its lines
    qtbot.waitUntil(lambda: note.height() == note.heightForWidth(note.width()))
    assert note.height() >= 3 * note.fontMetrics().lineSpacing()
