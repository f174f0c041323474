"""Run a driver script inside the real QGIS desktop (under Xvfb) with the packaged plugin, for the
benchmarks and `make screenshot`.

    report = run_driver(driver, orders, sandbox, work, timeout=600)

The plugin is packaged and installed, enabled, into a throw-away profile in `work` pointed at
the sandbox (PIXXEL_API_URL / PIXXEL_API_KEY, the profile's own auth DB). QGIS runs `driver`
through `--code`; the driver reads its orders from the JSON file named by $PIXXEL_DESKTOP_ORDERS
(plus "report": where to write its answer) and can `import in_qgis` (this folder is on its
PYTHONPATH). The driver's report comes back as a dict, with QGIS' exit status under
"qgis_exit_status", or DesktopError says what went wrong.
"""

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

import deploy
import package

SCRIPTS = Path(__file__).resolve().parent
SCREEN = "-screen 0 1600x1000x24"
# Plugin ticked as the Plugin Manager does; downloads into the throw-away folder. The save prompts
# are off because a driver ends QGIS with layers in a scratch project, and a modal question would
# keep the session from ending.
PROFILE_SETTINGS = """\
[PythonPlugins]
pixxel_qgis=true

[app]
askToSaveMemoryLayers=false

[qgis]
askToSaveProjectChanges=false

[pixxel]
download_folder={downloads}
"""


class DesktopError(Exception):
    """The QGIS session or its driver failed; the message says how."""


def run_driver(driver: Path, orders: dict, sandbox, work: Path, timeout: float,
               restart: bool = False) -> dict:
    """`restart`: the profile of an earlier session in `work` is used as that session left it
    (QGIS' saved window state included), not set up afresh."""
    profile = work / "profiles" / "default"
    deploy.deploy(package.build(work / "pixxel_qgis.zip"), profile)
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    if not (restart and ini.is_file()):
        ini.write_text(PROFILE_SETTINGS.format(downloads=work / "downloads"), encoding="utf-8")
    report_path = work / "report.json"
    report_path.unlink(missing_ok=True)  # a session before this one on the same profile
    orders_path = work / "orders.json"
    orders_path.write_text(json.dumps({**orders, "report": str(report_path)}), encoding="utf-8")
    env = {
        **os.environ,
        "PIXXEL_API_URL": sandbox.api_url,
        "PIXXEL_API_KEY": sandbox.api_key,
        "QGIS_AUTH_DB_DIR_PATH": str(profile),  # the profile's own auth DB: never the user's
        "PIXXEL_DESKTOP_ORDERS": str(orders_path),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SCRIPTS), os.environ.get("PYTHONPATH")])),
    }
    env.pop("QT_QPA_PLATFORM", None)  # a real desktop on a virtual X display
    command = ["xvfb-run", "-a", "-s", SCREEN, "qgis", "--noversioncheck", "--nologo",
               "--profiles-path", str(work), "--code", str(driver)]
    status, output = run_in_process_group(command, env, timeout)
    if not report_path.is_file():
        raise DesktopError(f"QGIS wrote no report (exit {status}):\n{output[-3000:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    if "error" in report:
        raise DesktopError(f"inside QGIS:\n{report['error']}")
    report["qgis_exit_status"] = status
    return report


def run_in_process_group(
    command: List[str], env: Dict[str, str], timeout: float
) -> Tuple[int, str]:
    """Run xvfb-run + QGIS in a process group of its own: (exit code, output). On a timeout the
    whole group goes (xvfb-run, Xvfb and QGIS), not only xvfb-run."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate()
        raise DesktopError(f"QGIS did not finish within {timeout:.0f} s") from None
    return process.returncode, output
