"""The layers of core/ as the folders show them, checked on the source (the AST of every shipped
module, not a grep): imports run one way, ui → core.qgis → core.{imagery, download, pixxel}
and processing → core.qgis; the pure rooms import neither Qt nor QGIS; no import circle."""

import ast
from pathlib import Path
from typing import Dict, Iterator, Set, Tuple

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("core", "ui")

# room -> the rooms it may import from (itself included)
MAY_IMPORT = {
    "core": {"core"},  # the package itself
    "core.pixxel": {"core.pixxel"},
    "core.download": {"core.download", "core.pixxel"},
    "core.imagery": {"core.imagery", "core.download", "core.pixxel"},
    "core.qgis": {"core.qgis", "core.imagery", "core.download", "core.pixxel"},
    "core.processing": {"core.processing", "core.qgis", "core.imagery", "core.download",
                        "core.pixxel"},
    "ui": {"ui", "core.qgis", "core.imagery", "core.download", "core.pixxel"},
}
PURE_ROOMS = ("core.pixxel", "core.download", "core.imagery")
QT_OR_QGIS = ("qgis", "PyQt5", "PyQt6", "sip")


def shipped_modules() -> Dict[str, Path]:
    modules = {}
    for top in SHIPPED:
        for path in sorted((REPO_ROOT / top).rglob("*.py")):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(module: str, path: Path) -> Iterator[Tuple[str, int]]:
    """(imported module, line) for every import in the file, lazy ones inside functions and
    TYPE_CHECKING blocks included; relative imports resolved against the plugin package."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield node.module or "", node.lineno
                continue
            base = package[: len(package) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            if node.module:
                yield target, node.lineno
            # `from . import x` imports the module `x` of that package.
            for alias in node.names:
                yield f"{target}.{alias.name}", node.lineno


def room_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "core" else parts[0]


MODULES = shipped_modules()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module):
    room = room_of(module)
    allowed = MAY_IMPORT.get(room)
    assert allowed is not None, f"{module} lies in no known room: add it to docs/ARCHITECTURE.md"
    for target, line in imports_of(module, MODULES[module]):
        if target.split(".")[0] not in SHIPPED:
            continue
        assert room_of(target) in allowed, f"{module}:{line} imports {target}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith(PURE_ROOMS)))
def test_pure_rooms_import_neither_qt_nor_qgis(module):
    for target, line in imports_of(module, MODULES[module]):
        assert target.split(".")[0] not in QT_OR_QGIS, f"{module}:{line} imports {target}"


def test_no_import_circle():
    graph: Dict[str, Set[str]] = {
        module: {target for target, _ in imports_of(module, path) if target in MODULES}
        for module, path in MODULES.items()
    }
    for node in graph.values():
        node.discard("core")  # the package itself
    circles = []
    state: Dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    # The walk must find lazy and relative imports, or the tests above could not fail.
    sample = tmp_path / "api.py"
    sample.write_text("def f():\n    from ...ui import dock\n    import qgis.core\n")
    found = {target for target, _ in imports_of("core.pixxel.api", sample)}
    assert {"ui", "ui.dock", "qgis.core"} <= found
