"""A small line chart of reflectance against wavelength, painted with QPainter: no charting
library is needed (QtCharts is not part of every QGIS install). Gaps (NaN: nodata, masked)
break a line instead of joining across them."""

import math
from dataclasses import dataclass
from typing import List, Sequence, Tuple

import numpy as np
from qgis.PyQt.QtCore import QPointF, QRectF, QSize, Qt
from qgis.PyQt.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from qgis.PyQt.QtWidgets import QSizePolicy, QWidget

from ..core.qgis.i18n import tr

# Distinct colours, readable on white (Tableau 10), for pinned profiles in order.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 12, 12, 40
TICKS = 6


@dataclass(frozen=True)
class Curve:
    label: str
    colour: QColor
    wavelengths_nm: np.ndarray
    values: np.ndarray
    dashed: bool = False


def nice_ticks(low: float, high: float, count: int = TICKS) -> List[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering low..high."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


class SpectrumChart(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("PixxelSpectrumChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.curves: Tuple[Curve, ...] = ()
        self.placeholder = tr("Click on a spectral image to see the spectrum of that pixel.")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API name
        return QSize(420, 260)

    def set_curves(self, curves: Sequence[Curve]) -> None:
        self.curves = tuple(curves)
        self.update()

    def ranges(self) -> Tuple[Tuple[float, float], Tuple[float, float]]:
        """((x min, x max), (y min, y max)) of what is drawn: 0 always shown on the y axis."""
        xs = np.concatenate([c.wavelengths_nm for c in self.curves]) if self.curves else []
        ys = np.concatenate([c.values for c in self.curves]) if self.curves else []
        ys = np.asarray(ys)[np.isfinite(ys)]
        x_range = (float(np.min(xs)), float(np.max(xs))) if len(xs) else (400.0, 1000.0)
        top = float(np.max(ys)) if ys.size else 1.0
        bottom = min(0.0, float(np.min(ys))) if ys.size else 0.0
        if x_range[1] <= x_range[0]:
            x_range = (x_range[0] - 10, x_range[1] + 10)
        return x_range, (bottom, top * 1.05 if top > bottom else bottom + 1.0)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
            text_colour = self.palette().color(QPalette.ColorRole.Text)
            if not self.curves:
                painter.setPen(text_colour)
                painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter
                                 | Qt.TextFlag.TextWordWrap, self.placeholder)
                return
            plot = QRectF(MARGIN_LEFT, MARGIN_TOP, self.width() - MARGIN_LEFT - MARGIN_RIGHT,
                          self.height() - MARGIN_TOP - MARGIN_BOTTOM)
            (x0, x1), (y0, y1) = self.ranges()

            def at(nm: float, value: float) -> QPointF:
                return QPointF(plot.left() + (nm - x0) / (x1 - x0) * plot.width(),
                               plot.bottom() - (value - y0) / (y1 - y0) * plot.height())

            self._axes(painter, plot, (x0, x1), (y0, y1), at, text_colour)
            for curve in self.curves:
                self._curve(painter, curve, at)
            self._legend(painter, plot, text_colour)
        finally:
            painter.end()

    def _axes(self, painter, plot, x_range, y_range, at, text_colour) -> None:
        metrics = QFontMetrics(painter.font())
        grid = QColor(text_colour)
        grid.setAlpha(40)
        for nm in nice_ticks(*x_range):
            x = at(nm, y_range[0]).x()
            painter.setPen(grid)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(text_colour)
            label = f"{nm:g}"
            painter.drawText(QPointF(x - metrics.horizontalAdvance(label) / 2,
                                     plot.bottom() + metrics.height()), label)
        for value in nice_ticks(*y_range):
            y = at(x_range[0], value).y()
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_colour)
            label = f"{value:g}"
            painter.drawText(QPointF(plot.left() - metrics.horizontalAdvance(label) - 4,
                                     y + metrics.ascent() / 2), label)
        painter.drawRect(plot)
        title = tr("Wavelength (nm)")
        painter.drawText(QPointF(plot.center().x() - metrics.horizontalAdvance(title) / 2,
                                 plot.bottom() + 2 * metrics.height() + 2), title)
        painter.save()
        painter.translate(metrics.height(), plot.center().y())
        painter.rotate(-90)
        title = tr("Reflectance")
        painter.drawText(QPointF(-metrics.horizontalAdvance(title) / 2, 0), title)
        painter.restore()

    @staticmethod
    def _curve(painter, curve: Curve, at) -> None:
        pen = QPen(curve.colour, 2)
        if curve.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        path = QPainterPath()
        drawing = False
        for nm, value in zip(curve.wavelengths_nm, curve.values):
            if not math.isfinite(value):
                drawing = False
                continue
            point = at(float(nm), float(value))
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.drawPath(path)

    def _legend(self, painter, plot, text_colour) -> None:
        metrics = QFontMetrics(painter.font())
        line_height = metrics.height() + 2
        width = max(metrics.horizontalAdvance(c.label) for c in self.curves) + 34
        box = QRectF(plot.right() - width - 6, plot.top() + 6, width,
                     line_height * len(self.curves) + 6)
        background = self.palette().color(QPalette.ColorRole.Base)
        background.setAlpha(220)
        painter.fillRect(box, background)
        for position, curve in enumerate(self.curves):
            y = box.top() + 3 + line_height * position + line_height / 2
            pen = QPen(curve.colour, 2)
            if curve.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(box.left() + 4, y), QPointF(box.left() + 24, y))
            painter.setPen(text_colour)
            painter.drawText(QPointF(box.left() + 30, y + metrics.ascent() / 2 - 1), curve.label)
