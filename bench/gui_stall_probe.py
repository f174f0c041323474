"""Runs inside the QGIS desktop (`qgis --code`) for bench/gui_stall.py; not importable elsewhere.

Reads its orders (scripts/desktop_session.py): which AOI and asset to download. Through the
Pixxel dock as a user would (open it, wait for the AOIs, select the AOI, tick the asset,
Download), with a 10 ms QTimer running from just before the
click until the layers are on the map, the overview task has ended and the canvas has drawn.
Then the same timer for as long again with nothing going on: the reference. A sampler thread
records the main thread's Python stack whenever the timer is more than STACK_AFTER late, which
names the code that holds the event loop. Then QGIS quits.
"""

import sys
import threading
import time

import qgis.utils
from in_qgis import run_and_report, wait_until  # scripts/, on the driver's PYTHONPATH
from qgis.core import Qgis
from qgis.PyQt.QtCore import Qt, QTimer

PLUGIN = "pixxel_qgis"
TICK_MS = 10
STACK_AFTER = 0.025  # seconds without a tick before the main thread's stack is sampled
SAMPLE_EVERY = 0.005
LEAD_IN = 0.3  # seconds of ticks before the click, so that the click itself is measured
FRAMES_KEPT = 12


class StallMeter:
    """A 10 ms precise timer; each tick records how much later than 10 ms after the previous
    one it came (perf_counter is monotonic)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.ticks: list = []  # (seconds since start, lateness in seconds)
        self.started = self.last = 0.0

    def start(self) -> None:
        self.ticks = []
        self.started = self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.ticks.append((now - self.started, now - self.last - TICK_MS / 1000))
        self.last = now


class StackSampler(threading.Thread):
    """While the meter's ticks are overdue, the main thread's Python stack every SAMPLE_EVERY."""

    def __init__(self, meter: StallMeter) -> None:
        super().__init__(daemon=True)
        self.meter = meter
        self.samples: list = []  # (stall start, seconds overdue, frames innermost first)
        self._halt = threading.Event()
        self._main = threading.main_thread().ident

    def run(self) -> None:
        while not self._halt.wait(SAMPLE_EVERY):
            last = self.meter.last
            overdue = time.perf_counter() - last
            if overdue > STACK_AFTER:
                frame = sys._current_frames().get(self._main)  # noqa: SLF001 - the only way
                self.samples.append((last - self.meter.started, overdue, _frames(frame)))

    def halt(self) -> None:
        self._halt.set()
        self.join()


def _frames(frame) -> list:
    """Innermost first, without this probe's own frames (exec'd from a string by --code): a
    stall with no other Python frame is C++ run by the event loop."""
    frames = []
    while frame is not None and len(frames) < FRAMES_KEPT:
        code = frame.f_code
        if code.co_filename != "<string>":
            frames.append(f"{_short(code.co_filename)}:{code.co_name}:{frame.f_lineno}")
        frame = frame.f_back
    return frames


def _short(path: str) -> str:
    marker = f"/{PLUGIN}/"
    return path.split(marker, 1)[1] if marker in path else path



def measure(orders: dict) -> dict:
    plugin = qgis.utils.plugins[PLUGIN]
    dock = plugin.dock
    canvas = qgis.utils.iface.mapCanvas()
    dock.show()
    dock.raise_()  # showing it starts the listing, as for a user
    assets = dock.asset_panel.model
    wait_until(lambda: dock.aoi_panel.select_aoi(orders["aoi_id"]), 120, "the AOI in the dock")
    wait_until(lambda: any(a.id == orders["asset_id"] for a in assets.assets()), 120,
               "the AOI's assets")
    assets.set_checked([orders["asset_id"]])
    wait_until(lambda: not canvas.isDrawing(), 60, "the canvas")

    meter = StallMeter()
    sampler = StackSampler(meter)
    marks: dict = {}
    stages: list = []
    follow: dict = {}

    def mark(name: str) -> None:
        marks[name] = time.perf_counter() - meter.started

    def progress(value) -> None:
        if not stages or stages[-1][1] != value.stage:
            stages.append((time.perf_counter() - meter.started, value.stage))

    def completed(task) -> None:
        mark("layers_added")
        follow["error"] = str(task.error) if task.error else None
        follow["layers"] = len(task.layers.image_layers) if task.layers else 0
        overview = task.overview_task
        follow["overview"] = overview is not None
        if overview is not None:
            overview.taskCompleted.connect(lambda: mark("overviews_done"))
            overview.taskTerminated.connect(lambda: mark("overviews_done"))

    meter.start()
    sampler.start()
    wait_until(lambda: time.perf_counter() - meter.started > LEAD_IN, 10, "the lead-in")
    mark("click")
    task = dock.download_checked()
    if task is None:
        raise RuntimeError("the dock started no download")
    task.downloadProgress.connect(progress)
    task.completed.connect(completed)
    wait_until(lambda: "layers_added" in marks, 900, "the download")
    if follow["error"]:
        raise RuntimeError(f"the download failed: {follow['error']}")
    if follow["overview"]:
        wait_until(lambda: "overviews_done" in marks, 900, "the overviews")
    wait_until(lambda: not canvas.isDrawing(), 120, "the canvas")
    mark("end")
    meter.stop()
    sampler.halt()
    busy = meter.ticks
    duration = marks["end"]

    wait_until(lambda: not canvas.isDrawing(), 60, "the canvas")
    meter.start()
    wait_until(lambda: time.perf_counter() - meter.started >= duration, duration + 60, "idle")
    meter.stop()
    return {
        "busy": busy,
        "idle": meter.ticks,
        "marks": marks,
        "stages": stages,
        "samples": sampler.samples,
        "layers": follow["layers"],
        "overview_task": follow["overview"],
        "qgis": Qgis.QGIS_VERSION,
        "canvas_layers": [layer.name() for layer in canvas.layers()],
    }


run_and_report(measure)
