"""Overviews (pyramids) for big images, built in the background so that the map stays responsive.

Without overviews QGIS reads the full-resolution bands for every zoomed-out redraw, which on a
multi-GB hyperspectral scene means seconds per pan. The images are opened read-only, so GDAL
writes *external* overviews (`<image>.tif.ovr` beside the image): the delivered file itself is
never modified, an interrupted build cannot corrupt it, and deleting the `.ovr` undoes everything.
A cancelled or failed build removes the `.ovr` it started; cancelling takes effect within a band.

`run()` works on a QgsTask worker thread with plain paths only; `finished()` (main thread) makes
layers already reading those images reopen them, so they pick up the new overviews.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, List, Mapping, Optional, Sequence

from osgeo import gdal
from qgis.core import QgsTask

from ..pixxel.redaction import pixxel_logger
from .layers import layers_reading

log = pixxel_logger()

OVERVIEW_LEVELS = (2, 4, 8, 16)
RESAMPLING = "AVERAGE"  # reflectance: averaging keeps the mean spectrum of each coarse pixel
# Band-interleaved overviews: drawing three of 135 bands must not read all 135 (GDAL's default for
# a multi-band external overview is pixel interleaving). Deflate with a horizontal predictor
# roughly halves the size of smooth UInt16 reflectance at a small CPU cost.
OVERVIEW_OPTIONS = {
    "INTERLEAVE_OVERVIEW": "BAND",
    "COMPRESS_OVERVIEW": "DEFLATE",
    "PREDICTOR_OVERVIEW": "2",
    "BIGTIFF_OVERVIEW": "IF_SAFER",
}


class OverviewTask(QgsTask):
    """Build external overviews for `paths` (images that have none), one after the other.

    Afterwards `built` lists the images that got overviews and `error` says what went wrong, if
    anything did (a cancellation is not an error)."""

    def __init__(self, paths: Sequence[Path], description: str) -> None:
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.paths = tuple(Path(path) for path in paths)
        self.built: List[Path] = []
        self.error: Optional[str] = None

    def run(self) -> bool:
        # An exception escaping run() aborts the whole QGIS process.
        try:
            with _thread_options(OVERVIEW_OPTIONS):
                for position, path in enumerate(self.paths):
                    if self.isCanceled():
                        return False
                    if self._build(path, position):
                        self.built.append(path)
        except Exception as error:  # reported by finished(), never raised
            self.error = f"{type(error).__name__}: {error}"
            return False
        return not self.isCanceled() and self.error is None

    def finished(self, result: bool) -> None:
        for layer in layers_reading(self.built):
            layer.dataProvider().reloadData()
            layer.triggerRepaint()
        if self.error:
            log.warning("Building overviews failed: %s", self.error)

    def _build(self, path: Path, position: int) -> bool:
        """True if overviews were built; False if not needed, cancelled or failed."""
        overview_file = Path(f"{path}.ovr")
        had_overview_file = overview_file.exists()
        source = _open(path, gdal.GA_ReadOnly)
        if source is None:
            self.error = f"cannot open {path.name}"
            return False
        if source.RasterCount == 0 or source.GetRasterBand(1).GetOverviewCount() > 0:
            return False
        ok = self._create_empty(path) and self._fill(source, overview_file, position)
        if not ok and not had_overview_file:
            overview_file.unlink(missing_ok=True)
        return ok

    def _create_empty(self, path: Path) -> bool:
        """The overview file with every level but no pixels yet (quick)."""
        dataset = _open(path, gdal.GA_ReadOnly)
        problem = _gdal_problem(dataset.BuildOverviews, "NONE", list(OVERVIEW_LEVELS))
        dataset = None  # closing writes the file's directories before it is reopened
        if problem:
            self.error = f"{path.name}: {problem}"
        return not problem

    def _fill(self, source: "gdal.Dataset", overview_file: Path, position: int) -> bool:
        """Every level of every band, computed from the full-resolution band.

        Band by band, because GDAL (3.6) ignores a cancelling callback in BuildOverviews() but
        honours it in RegenerateOverviews(): cancelling must not wait for a multi-GB build."""
        overviews = _open(overview_file, gdal.GA_Update)
        if overviews is None:
            self.error = f"cannot write {overview_file.name}"
            return False
        count = source.RasterCount
        for index in range(1, count + 1):
            target = overviews.GetRasterBand(index)
            levels = [target] + [target.GetOverview(i) for i in range(target.GetOverviewCount())]
            progress = self._progress(position, (index - 1) / count, 1 / count)
            problem = _gdal_problem(
                gdal.RegenerateOverviews,
                source.GetRasterBand(index),
                levels,
                RESAMPLING,
                callback=progress,
            )
            if self.isCanceled():
                return False
            if problem:
                self.error = f"{source.GetDescription()}: {problem}"
                return False
        return True

    def _progress(self, position: int, start: float, span: float) -> Callable[..., int]:
        """A GDAL progress callback for one band: `start`..`start + span` of image `position`."""

        def report(complete: float, _message: str, _data: object) -> int:
            self.setProgress(100.0 * (position + start + span * complete) / len(self.paths))
            return 0 if self.isCanceled() else 1  # 0 makes GDAL stop

        return report


@contextmanager
def _thread_options(options: Mapping[str, str]) -> Iterator[None]:
    """GDAL config options for this worker thread only, restored afterwards: the process-wide
    ones belong to QGIS and the other plugins."""
    previous = {key: gdal.GetThreadLocalConfigOption(key, None) for key in options}
    for key, value in options.items():
        gdal.SetThreadLocalConfigOption(key, value)
    try:
        yield
    finally:
        for key, value in previous.items():
            gdal.SetThreadLocalConfigOption(key, value)


def _open(path: Path, access: int) -> Optional["gdal.Dataset"]:
    try:
        return gdal.Open(str(path), access)
    except RuntimeError:  # the host turned GDAL exceptions on
        return None


def _gdal_problem(call: Callable[..., int], *args: object, **kwargs: object) -> str:
    """ "" if a GDAL call returning a CPLErr succeeded, else GDAL's message, in either of GDAL's
    exception modes."""
    gdal.ErrorReset()
    try:
        status = call(*args, **kwargs)
    except RuntimeError as error:
        return str(error) or "GDAL error"
    return "" if status == 0 else gdal.GetLastErrorMsg() or f"GDAL error {status}"
