"""Fail on a Qt name the shipped plugin uses through `qgis.PyQt` that PyQt6 (QGIS 4) lacks: a class
missing from its module (QRegExp), or a `Name.attribute…` chain PyQt6 does not resolve (an enum
value read without its enum, a method Qt 6 removed). QGIS 4 is not installable here, so the
names are looked up in PyQt6 from PyPI, in a throw-away venv under build/ made on first use, or
by `make setup` (`--prepare`): the unit tests run this check, and `make test` may run offline
(the test matrix runs it in a network namespace without internet).

    python3 scripts/check_pyqt6_names.py [FILE ...]   # default: core/, ui/, plugin.py, __init__.py
    python3 scripts/check_pyqt6_names.py --prepare    # only make the PyQt6 venv, if missing

The check runs in two steps: this script (any Python) reads the sources and hands the names to
itself running inside the PyQt6 venv (`--resolve`), which imports PyQt6 and resolves each one.
"""

import ast
import json
import subprocess
import sys
import venv
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Set, Tuple

REPO_ROOT = Path(__file__).resolve().parents[1]
VENV = REPO_ROOT / "build" / "pyqt6-venv"
PYQT6 = "PyQt6==6.9.1"  # pinned: the check must not change under our feet
SHIPPED = ("core", "ui", "plugin.py", "__init__.py")
# QGIS' own qgis.PyQt modules for Qt 6 keep the Qt 5 home of the classes Qt 6 moved from
# QtWidgets to QtGui (python/PyQt/PyQt6/QtWidgets.py in QGIS), so plugins import them unchanged.
MOVED_TO_QTGUI = {"QAction", "QActionGroup", "QShortcut", "QFileSystemModel", "QUndoCommand"}
# Names qgis.PyQt adds that are not Qt classes.
QGIS_PYQT_EXTRAS = {("", "sip")}

Use = Tuple[str, str, str, int]  # (Qt module, dotted name, file, line)


def shipped_files() -> List[Path]:
    files: List[Path] = []
    for entry in SHIPPED:
        path = REPO_ROOT / entry
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def qt_uses(path: Path) -> Iterator[Use]:
    """Every `qgis.PyQt.<Module>` name the file imports, and each `Name.attr…` chain read from
    such a name (the whole chain, once)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = str(path.relative_to(REPO_ROOT)) if REPO_ROOT in path.parents else str(path)
    imported: Dict[str, Tuple[str, str]] = {}  # local name -> (module, name in module)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("qgis.PyQt"):
            module = (node.module or "")[len("qgis.PyQt"):].lstrip(".")
            for alias in node.names:
                imported[alias.asname or alias.name] = (module, alias.name)
                yield module, alias.name, where, node.lineno
    inner: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue
        chain, root = [], node
        while isinstance(root, ast.Attribute):
            chain.append(root.attr)
            root = root.value
        if isinstance(root, ast.Name) and root.id in imported:
            module, name = imported[root.id]
            dotted = ".".join([name, *reversed(chain)])
            yield module, dotted, where, node.lineno


def resolve(uses: Sequence[Use]) -> List[str]:
    """Inside the PyQt6 venv: the uses PyQt6 does not resolve, as messages."""
    import importlib

    problems = []
    for module, dotted, where, line in uses:
        head = dotted.split(".")[0]
        if (module, head) in QGIS_PYQT_EXTRAS:
            continue
        if module == "QtWidgets" and head in MOVED_TO_QTGUI:
            module = "QtGui"
        try:
            target = importlib.import_module(f"PyQt6.{module}" if module else "PyQt6")
            for part in dotted.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError):
            problems.append(f"{where}:{line}: qgis.PyQt.{module} {dotted} does not exist in PyQt6")
    return problems


def pyqt6_python() -> Path:
    python = VENV / "bin" / "python"
    marker = VENV / ".installed"
    if not (marker.is_file() and marker.read_text() == PYQT6):
        venv.create(VENV, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        PYQT6], check=True)
        marker.write_text(PYQT6)
    return python


def main(argv: Sequence[str]) -> int:
    if argv[:1] == ["--prepare"]:
        pyqt6_python()
        return 0
    if argv[:1] == ["--resolve"]:
        problems = resolve([tuple(use) for use in json.load(sys.stdin)])
        print("\n".join(problems))
        return 1 if problems else 0
    files = [Path(arg).resolve() for arg in argv] or shipped_files()
    uses = sorted({use for path in files for use in qt_uses(path)})
    done = subprocess.run(
        [str(pyqt6_python()), str(Path(__file__).resolve()), "--resolve"],
        input=json.dumps(uses), text=True, capture_output=True, check=False,
    )
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr)
        return 2
    if done.stdout.strip():
        print(done.stdout.strip())
        print(f"{len(done.stdout.strip().splitlines())} name(s) PyQt6 lacks.")
        return 1
    print(f"All {len(uses)} qgis.PyQt names of {len(files)} files exist in PyQt6.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
