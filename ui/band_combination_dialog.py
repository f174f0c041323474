"""Custom… band combination: red, green and blue picked by wavelength, each showing the band
that would be used (the nearest good one) or why there is none, as the user types."""

from typing import Optional, Tuple

from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..core.imagery.band_presets import TRUE_COLOUR
from ..core.imagery.spectra import SpectralBands, WavelengthUnavailableError
from ..core.qgis.band_combinations import band_label
from ..core.qgis.i18n import tr

MIN_NM, MAX_NM = 300.0, 2600.0  # beyond what any Pixxel sensor (VNIR or SWIR) sees


class CustomCombinationDialog(QDialog):
    def __init__(
        self,
        bands: SpectralBands,
        shown: Optional[Tuple[int, int, int]],
        parent: Optional[QWidget] = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PixxelCustomCombination")
        self.setWindowTitle(tr("Custom band combination"))
        self._bands = bands
        grid = QGridLayout()
        self.spin_boxes = []
        self.band_labels = []
        for row, (colour, nm) in enumerate(zip(
            (tr("Red"), tr("Green"), tr("Blue")), self._initial_nm(shown)
        )):
            spin = QDoubleSpinBox(self)
            spin.setRange(MIN_NM, MAX_NM)
            spin.setDecimals(1)
            spin.setSuffix(tr(" nm"))
            spin.setValue(nm)
            label = QLabel(self)
            grid.addWidget(QLabel(colour, self), row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(label, row, 2)
            spin.valueChanged.connect(self._update)
            self.spin_boxes.append(spin)
            self.band_labels.append(label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Each colour shows the band nearest its wavelength."), self))
        layout.addLayout(grid)
        layout.addWidget(self.buttons)
        self._update()

    def wavelengths(self) -> Tuple[float, float, float]:
        red, green, blue = (spin.value() for spin in self.spin_boxes)
        return red, green, blue

    def _initial_nm(self, shown: Optional[Tuple[int, int, int]]) -> Tuple[float, ...]:
        """The wavelengths the layer shows now, else true colour's."""
        by_index = {band.index: band.wavelength_nm for band in self._bands}
        known = [by_index.get(index) for index in shown or ()]
        if len(known) == 3 and all(nm is not None for nm in known):
            return tuple(known)
        return TRUE_COLOUR.rgb_nm

    def _update(self, *_: object) -> None:
        available = True
        for spin, label in zip(self.spin_boxes, self.band_labels):
            try:
                band = self._bands.nearest(spin.value())
            except WavelengthUnavailableError as error:
                available = False
                label.setText(tr("none: {reason}").format(reason=error))
                continue
            label.setText(tr("→ band {number} {band}").format(
                number=band.index, band=band_label(band)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(available)
