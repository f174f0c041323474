"""The Pixxel Processing algorithms in-process (processing.run) against the sandbox: outputs and
fields, cancellation, the API's messages on failure, the key kept out of every log, layers."""

import threading
import time
from pathlib import Path
from typing import Union

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsRasterLayer,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QEventLoop, QThread

from pixxel_qgis.core.processing.common import call_on_main_thread
from pixxel_qgis.core.processing.provider import PixxelProvider
from pixxel_qgis.core.qgis.layers import PROPERTY_AOI, PROPERTY_ROLE, ROLE_IMAGE

FIRST_AOI_NAME = "Punjab wheat fields – Ludhiana"
AOI_FIELDS = [
    "aoi_id", "name", "status", "progress", "created_at", "updated_at", "area_sq_m",
    "satellite_id", "project_id",
]
ASSET_FIELDS = ["id", "name", "asset_type", "status", "date", "resolution", "band_count"]
PARAMETERS = {
    "pixxel:listaois": ["PROJECT_ID", "NAME_FILTER", "OUTPUT"],
    "pixxel:listassets": ["AOI_ID", "OUTPUT"],
    "pixxel:downloadassets": ["AOI_ID", "ASSET_IDS", "OUTPUT_FOLDER", "LOAD_LAYERS"],
}


@pytest.fixture(scope="module")
def provider(qgis_processing):
    registry = QgsApplication.processingRegistry()
    provider = PixxelProvider()
    assert registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


def run(algorithm: Union[str, QgsProcessingAlgorithm], parameters: dict, feedback=None) -> dict:
    from qgis import processing

    return processing.run(algorithm, parameters, feedback=feedback or QgsProcessingFeedback())


def first_aoi(sandbox) -> dict:
    return sandbox.catalog.aoi_at(0)


def assets_of(sandbox, aoi_id: str) -> list:
    return [asset for asset in sandbox.catalog.assets(aoi_id) if asset["status"] == "success"]


class LogFeedback(QgsProcessingFeedback):
    """Keeps everything an algorithm writes to its log."""

    def __init__(self) -> None:
        super().__init__()
        self.lines = []
        self.warnings = []

    def pushWarning(self, warning: str) -> None:  # noqa: N802 - QGIS API name
        self.warnings.append(warning)
        self.lines.append(warning)
        super().pushWarning(warning)

    def pushInfo(self, info: str) -> None:  # noqa: N802 - QGIS API name
        self.lines.append(info)
        super().pushInfo(info)

    def reportError(self, error: str, fatalError: bool = False) -> None:  # noqa: N802, N803
        self.lines.append(error)
        super().reportError(error, fatalError)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n" + self.textLog()


# --- definitions ---------------------------------------------------------------------------------


def test_the_three_algorithms_keep_their_public_parameters(provider):
    registry = QgsApplication.processingRegistry()
    for algorithm_id, names in PARAMETERS.items():
        algorithm = registry.algorithmById(algorithm_id)
        assert algorithm is not None, algorithm_id
        defined = [p.name() for p in algorithm.parameterDefinitions()]
        assert defined == names
        assert algorithm.shortHelpString()
        assert algorithm.helpUrl().startswith("https://")
        assert algorithm.group() == "Pixxel"
        assert not algorithm.icon().isNull()
        flags = algorithm.flags()
        assert flags & QgsProcessingAlgorithm.Flag.FlagSupportsBatch
        assert flags & QgsProcessingAlgorithm.Flag.FlagCanCancel
        assert not flags & QgsProcessingAlgorithm.Flag.FlagNoThreading
        # The key never becomes a parameter, so it can never reach a history, model or batch file.
        assert not any("KEY" in name or "TOKEN" in name for name in defined)
    download = registry.algorithmById("pixxel:downloadassets")
    assert [o.name() for o in download.outputDefinitions()] == [
        "OUTPUT_FOLDER", "DOWNLOAD_ID", "RASTERS",
    ]
    # The dialog must not offer a temporary folder (QGIS deletes it): empty means the settings'.
    assert not download.parameterDefinition("OUTPUT_FOLDER").createByDefault()


# --- listaois / listassets -----------------------------------------------------------------------


def test_listaois_writes_every_aoi_as_multipolygons(pixxel, tmp_path):
    output = str(tmp_path / "aois.gpkg")
    results = run("pixxel:listaois", {"OUTPUT": output})
    layer = QgsVectorLayer(results["OUTPUT"], "aois", "ogr")
    assert layer.isValid()
    assert [f.name() for f in layer.fields()][1:] == AOI_FIELDS  # after the GeoPackage fid
    assert layer.featureCount() == pixxel.catalog.aoi_count
    assert layer.wkbType() == QgsWkbTypes.Type.MultiPolygon
    assert layer.crs().authid() == "EPSG:4326"
    first = next(f for f in layer.getFeatures() if f["aoi_id"] == first_aoi(pixxel)["aoi_id"])
    assert first["name"] == FIRST_AOI_NAME
    assert first["status"] == "success"
    assert first["progress"] == 100
    assert first["area_sq_m"] > 1e6
    assert first["created_at"].isValid()
    assert first["created_at"].date().year() >= 2020
    assert first.geometry().boundingBox().contains(75.86, 30.878)


def test_listaois_filters_by_name_and_project(pixxel):
    aoi = first_aoi(pixxel)
    by_name = run("pixxel:listaois", {"NAME_FILTER": "Ludhiana", "OUTPUT": "memory:"})["OUTPUT"]
    names = [f["name"] for f in by_name.getFeatures()]
    assert FIRST_AOI_NAME in names
    assert all("Ludhiana" in name for name in names)
    assert len(names) < pixxel.catalog.aoi_count
    by_project = run(
        "pixxel:listaois", {"PROJECT_ID": aoi["project_id"], "OUTPUT": "memory:"}
    )["OUTPUT"]
    projects = {f["project_id"] for f in by_project.getFeatures()}
    assert projects == {aoi["project_id"]}
    assert 0 < by_project.featureCount() < pixxel.catalog.aoi_count


@pytest.mark.parametrize("algorithm", ["pixxel:listaois", "pixxel:listassets"])
def test_a_server_repeating_a_page_gives_a_warning(pixxel, algorithm):
    pixxel.configure(page_cap=1)
    pixxel.faults.add("*", "ignore_offset", times=None)
    feedback = LogFeedback()
    parameters = {"OUTPUT": "memory:"}
    if algorithm == "pixxel:listassets":
        parameters["AOI_ID"] = first_aoi(pixxel)["aoi_id"]
    assert run(algorithm, parameters, feedback)["OUTPUT"].featureCount() == 1
    assert feedback.warnings == [
        "The server returned the same page twice; the list may be incomplete."
    ]


def test_an_honest_listing_gives_no_warning(pixxel):
    feedback = LogFeedback()
    run("pixxel:listaois", {"OUTPUT": "memory:"}, feedback)
    assert feedback.warnings == []


def test_listassets_writes_the_footprints_of_an_aoi(pixxel, tmp_path):
    aoi_id = first_aoi(pixxel)["aoi_id"]
    output = str(tmp_path / "assets.gpkg")
    results = run("pixxel:listassets", {"AOI_ID": aoi_id, "OUTPUT": output})
    layer = QgsVectorLayer(results["OUTPUT"], "assets", "ogr")
    assert [f.name() for f in layer.fields()][1:] == ASSET_FIELDS
    features = list(layer.getFeatures())
    assert {f["id"] for f in features} == {a["id"] for a in pixxel.catalog.assets(aoi_id)}
    ready = [f for f in features if f["status"] == "success"]
    assert len(ready) == 2
    for feature in features:
        assert feature["band_count"] == 67
        assert feature["resolution"] == 10.0
        assert feature["date"].isValid()
        assert feature.hasGeometry()


# --- downloadassets ------------------------------------------------------------------------------


def test_downloadassets_fetches_every_ready_asset(pixxel, tmp_path):
    aoi_id = first_aoi(pixxel)["aoi_id"]
    feedback = LogFeedback()
    results = run(
        "pixxel:downloadassets",
        {"AOI_ID": aoi_id, "OUTPUT_FOLDER": str(tmp_path), "LOAD_LAYERS": False},
        feedback,
    )
    folder = Path(results["OUTPUT_FOLDER"])
    assert folder.is_dir()
    assert tmp_path in folder.parents
    assert results["DOWNLOAD_ID"]
    rasters = [Path(path) for path in results["RASTERS"]]
    assert len(rasters) == 2
    assert all(path.is_file() and folder in path.parents for path in rasters)
    assert all(QgsRasterLayer(str(path), "r", "gdal").isValid() for path in rasters)
    assert QgsProject.instance().mapLayers() == {}
    # Both ready assets, in one download request.
    assert [r.endpoint for r in pixxel.requests].count("download_create") == 1
    assert len(assets_of(pixxel, aoi_id)) == 2
    assert pixxel.api_key not in feedback.text()


def test_downloadassets_loads_styled_layers_into_the_project(pixxel, tmp_path):
    aoi = first_aoi(pixxel)
    tif_asset = next(
        a for a in assets_of(pixxel, aoi["aoi_id"])
        if pixxel.catalog.product_spec(a["id"]).delivery == "tif"
    )
    parameters = {
        "AOI_ID": aoi["aoi_id"],
        "ASSET_IDS": f" {tif_asset['id']} ,",
        "OUTPUT_FOLDER": str(tmp_path),
    }
    results = run("pixxel:downloadassets", parameters)
    project = QgsProject.instance()
    images = [
        layer for layer in project.mapLayers().values()
        if layer.customProperty(PROPERTY_ROLE) == ROLE_IMAGE
    ]
    assert len(images) == len(results["RASTERS"]) == 1
    assert images[0].customProperty(PROPERTY_AOI) == aoi["aoi_id"]
    assert images[0].renderer().type() == "multibandcolor"
    group = project.layerTreeRoot().findGroup(aoi["name"])
    assert group is not None
    assert group.findLayer(images[0].id()) is not None


def test_downloadassets_uses_the_settings_folder_when_no_folder_is_given(pixxel, tmp_path):
    settings = QgsSettings()
    settings.setValue("pixxel/download_folder", str(tmp_path))
    try:
        results = run(
            "pixxel:downloadassets",
            {"AOI_ID": first_aoi(pixxel)["aoi_id"], "LOAD_LAYERS": False},
        )
    finally:
        settings.remove("pixxel/download_folder")
    assert tmp_path in Path(results["OUTPUT_FOLDER"]).parents


def cancel_after(feedback: QgsProcessingFeedback, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, feedback.cancel)
    timer.start()
    return timer


def test_cancel_while_pixxel_prepares_the_download(pixxel, tmp_path):
    pixxel.configure(ready_after_seconds=60)
    feedback = QgsProcessingFeedback()
    cancel_after(feedback, 1.0)
    started = time.monotonic()
    with pytest.raises(QgsProcessingException, match="(?i)cancel"):
        run(
            "pixxel:downloadassets",
            {"AOI_ID": first_aoi(pixxel)["aoi_id"], "OUTPUT_FOLDER": str(tmp_path)},
            feedback,
        )
    assert time.monotonic() - started < 10


def test_cancel_in_the_middle_of_the_transfer(pixxel, tmp_path):
    # Storage holds its answer for 4 s; the cancel comes once the file's request has arrived.
    pixxel.faults.add("storage", "slow", delay=4.0, times=None)
    feedback = QgsProcessingFeedback()
    cancelled_at = []

    def cancel_once_fetching() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if any(r.server == "storage" for r in pixxel.requests):
                cancelled_at.append(time.monotonic())
                feedback.cancel()
                return
            time.sleep(0.02)

    threading.Thread(target=cancel_once_fetching, daemon=True).start()
    with pytest.raises(QgsProcessingException, match="(?i)cancel"):
        run(
            "pixxel:downloadassets",
            {"AOI_ID": first_aoi(pixxel)["aoi_id"], "OUTPUT_FOLDER": str(tmp_path)},
            feedback,
        )
    # Stopped at the first chunk after the held answer: no retry, no waiting for a read timeout.
    assert cancelled_at
    assert time.monotonic() - cancelled_at[0] < 6
    assert not list(tmp_path.rglob("*.tif"))
    assert QgsProject.instance().mapLayers() == {}


def test_a_server_error_fails_with_the_api_message(pixxel):
    pixxel.faults.add("aois", "status", status=500, times=None)
    with pytest.raises(QgsProcessingException, match="HTTP 500.*injected fault"):
        run("pixxel:listaois", {"OUTPUT": "memory:"})


def test_a_bad_key_fails_with_the_api_message_and_never_shows_the_key(pixxel, monkeypatch):
    wrong = "wrong-key-for-the-log-check-7431"
    monkeypatch.setenv("PIXXEL_API_KEY", wrong)
    feedback = LogFeedback()
    with pytest.raises(QgsProcessingException, match="HTTP 403.*invalid API key") as raised:
        run("pixxel:listassets", {"AOI_ID": first_aoi(pixxel)["aoi_id"], "OUTPUT": "memory:"},
            feedback)
    assert wrong not in str(raised.value)
    assert wrong not in feedback.text()


def test_an_unknown_aoi_fails_with_the_api_message(pixxel, tmp_path):
    with pytest.raises(QgsProcessingException, match="HTTP 404"):
        run("pixxel:downloadassets", {"AOI_ID": "no-such-aoi", "OUTPUT_FOLDER": str(tmp_path)})


def test_without_any_key_the_message_says_where_to_set_one(pixxel, monkeypatch):
    monkeypatch.delenv("PIXXEL_API_KEY")
    with pytest.raises(QgsProcessingException, match="PIXXEL_API_KEY"):
        run("pixxel:listaois", {"OUTPUT": "memory:"})
    assert pixxel.requests == []


# --- threads -------------------------------------------------------------------------------------


def test_call_on_main_thread_runs_a_workers_job_on_the_main_thread(qgis_app):
    app_thread = QCoreApplication.instance().thread()
    outcome = {}

    def worker() -> None:
        outcome["thread"] = call_on_main_thread(QThread.currentThread, None)
        try:
            call_on_main_thread(lambda: 1 / 0, None)
        except ZeroDivisionError as error:
            outcome["error"] = error

    thread = threading.Thread(target=worker)
    thread.start()
    deadline = time.monotonic() + 10
    while thread.is_alive() and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    thread.join(1)
    assert outcome["thread"] == app_thread
    assert isinstance(outcome["error"], ZeroDivisionError)


def test_call_on_main_thread_gives_up_when_cancelled(qgis_app):
    feedback = QgsProcessingFeedback()
    outcome = {}

    def worker() -> None:
        try:
            call_on_main_thread(lambda: "never", feedback)
        except QgsProcessingException as error:
            outcome["error"] = error

    thread = threading.Thread(target=worker)
    thread.start()
    feedback.cancel()  # the main thread never spins its loop here: only the cancel frees the worker
    thread.join(5)
    assert "error" in outcome
    QCoreApplication.processEvents()  # the queued job runs now, harmlessly


# --- as the Processing toolbox runs it: processAlgorithm in a worker thread ----------------------


def test_the_toolbox_way_runs_in_a_worker_and_loads_layers_on_the_main_thread(pixxel, tmp_path):
    from qgis.core import QgsProcessingAlgRunnerTask, QgsProcessingContext

    algorithm = QgsApplication.processingRegistry().createAlgorithmById("pixxel:downloadassets")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = LogFeedback()
    parameters = {"AOI_ID": first_aoi(pixxel)["aoi_id"], "OUTPUT_FOLDER": str(tmp_path)}
    task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
    outcome = {}
    task.executed.connect(lambda ok, results: outcome.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    deadline = time.monotonic() + 60
    # Until QGIS has deleted the task: it uses the context and feedback up to the end.
    while not sip.isdeleted(task) and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert outcome.get("ok"), feedback.text()
    assert len(outcome["results"]["RASTERS"]) == 2
    images = [
        layer for layer in QgsProject.instance().mapLayers().values()
        if layer.customProperty(PROPERTY_ROLE) == ROLE_IMAGE
    ]
    assert len(images) == 2
    assert pixxel.api_key not in feedback.text()


def test_a_graphical_model_runs_the_algorithms_as_children(pixxel, tmp_path):
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterString,
    )

    model = QgsProcessingModelAlgorithm("Pixxel assets and files", "tests")
    model.addModelParameter(
        QgsProcessingParameterString("aoi", "AOI"), QgsProcessingModelParameter("aoi")
    )
    from_aoi = [QgsProcessingModelChildParameterSource.fromModelParameter("aoi")]
    for child_id, algorithm_id, output_name in (
        ("assets", "pixxel:listassets", "OUTPUT"),
        ("download", "pixxel:downloadassets", "OUTPUT_FOLDER"),
    ):
        child = QgsProcessingModelChildAlgorithm(algorithm_id)
        child.setChildId(child_id)
        child.addParameterSources("AOI_ID", from_aoi)
        output = QgsProcessingModelOutput(child_id)
        output.setChildId(child_id)
        output.setChildOutputName(output_name)
        child.setModelOutputs({child_id: output})
        model.addChildAlgorithm(child)
    model.childAlgorithm("download").addParameterSources(
        "LOAD_LAYERS", [QgsProcessingModelChildParameterSource.fromStaticValue(False)]
    )
    model.updateDestinationParameters()
    results = run(
        model,
        {
            "aoi": first_aoi(pixxel)["aoi_id"],
            "assets:assets": str(tmp_path / "assets.gpkg"),
            "download:download": str(tmp_path / "files"),
        },
    )
    assert QgsVectorLayer(results["assets:assets"], "a", "ogr").featureCount() == 3
    assert list(Path(results["download:download"]).rglob("*.tif"))
