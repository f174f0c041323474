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
