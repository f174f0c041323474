"""How long one keystroke in the dock's AOI filter takes on a large listing.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/dock_filter.py [--rows 10000]

Builds the real dock (no network: its AOI model is fed directly with N AOIs from the sandbox's
catalogue generator, so names and ids look like Pixxel's, in pages of 100 as a listing brings
them), sorts by a column, then types and erases a search text in the dock's search box one
character at a time. Each keystroke is timed from `set_text` until the
event loop has processed everything it queued (the view's relayout and repaint included), in
wall-clock and in this process' CPU time.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _no_connection():
    raise RuntimeError("the benchmark makes no requests")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--text", default="punjab block 3")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "tests"))
    import conftest  # noqa: F401 - makes the plugin importable as pixxel_qgis
    from qgis.core import QgsApplication

    app = QgsApplication([], True)
    app.initQgis()
    from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt

    from pixxel_qgis.core.pixxel.models import Aoi
    from pixxel_qgis.core.qgis.history import DownloadHistory
    from pixxel_qgis.ui.aoi_model import COL_AREA
    from pixxel_qgis.ui.dock import PixxelDock
    from sandbox.catalog import Catalog

    started = time.perf_counter()
    catalog = Catalog(seed=42, aoi_count=args.rows, product_size="tiny")
    aois = [Aoi.from_json(raw) for raw in catalog.aois]
    generated = time.perf_counter() - started

    history = DownloadHistory(path=Path(tempfile.mkdtemp()) / "downloads.json")
    dock = PixxelDock(None, auto_load=False, connection_provider=_no_connection, history=history)
    dock.setFloating(True)
    dock.resize(500, 900)
    dock.show()
    panel = dock.aoi_panel
    model, proxy, view = panel.model, panel.proxy, panel.table
    view.sortByColumn(COL_AREA, Qt.SortOrder.DescendingOrder)

    started = time.perf_counter()
    for first in range(0, len(aois), 100):
        model.append(aois[first : first + 100])
    QCoreApplication.processEvents()
    loaded = time.perf_counter() - started

    cpu_times = []

    def timed(action) -> float:
        """Wall-clock ms; the process' own CPU ms go to cpu_times (other processes on a busy
        machine inflate the wall clock, not the CPU time)."""
        begin, begin_cpu = time.perf_counter(), time.process_time()
        action()
        QCoreApplication.processEvents()
        cpu_times.append((time.process_time() - begin_cpu) * 1000)
        return (time.perf_counter() - begin) * 1000

    typing = []
    for end in range(1, len(args.text) + 1):
        typing.append(timed(lambda end=end: panel.search_edit.setText(args.text[:end])))
    visible = proxy.rowCount()
    erasing = []
    for end in range(len(args.text) - 1, -1, -1):
        erasing.append(timed(lambda end=end: panel.search_edit.setText(args.text[:end])))
    keystroke_cpu = list(cpu_times)
    resort = timed(lambda: view.sortByColumn(COL_AREA, Qt.SortOrder.AscendingOrder))
    every = typing + erasing

    print(f"rows: {len(aois)} (generated in {generated:.1f} s)")
    print(f"load in pages of 100 with the view sorted by area: {loaded * 1000:.0f} ms in total")
    print(f"typing '{args.text}' ({len(typing)} keystrokes, {visible} rows left): "
          f"median {statistics.median(typing):.1f} ms, max {max(typing):.1f} ms")
    print(f"erasing it again: median {statistics.median(erasing):.1f} ms, "
          f"max {max(erasing):.1f} ms")
    print(f"every keystroke: median {statistics.median(every):.1f} ms, max {max(every):.1f} ms")
    print(f"every keystroke, CPU time of this process: median "
          f"{statistics.median(keystroke_cpu):.1f} ms, max {max(keystroke_cpu):.1f} ms")
    print(f"re-sort by a column: {resort:.1f} ms")
    dock.dispose()
    dock.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
