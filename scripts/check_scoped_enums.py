"""Fail on an enum value read from its class without its enum (`Qt.AlignLeft`, `Qgis.Info`):
QGIS 4's PyQt6 only has the scoped form (`Qt.AlignmentFlag.AlignLeft`), which QGIS 3's PyQt5
understands too. flake8-qgis (also in `make lint`) covers direct PyQt imports and `exec_()`, and
of the enums only those Qt 6 renamed.

Enum values are recognised by asking the installed PyQt5 and QGIS bindings, for every
`Name.attribute` whose Name is imported from `qgis.PyQt.*`, `qgis.core` or `qgis.gui`, whether the
attribute is an instance of an enum type of the same class. Runs with the Python QGIS uses.

    python3 scripts/check_scoped_enums.py [FILE ...]   # default: every tracked *.py file
"""

import ast
import importlib
import subprocess
import sys
from typing import Dict, Iterator, List, Sequence

CHECKED_MODULES = (
    "qgis.PyQt.QtCore",
    "qgis.PyQt.QtGui",
    "qgis.PyQt.QtWidgets",
    "qgis.PyQt.QtNetwork",
    "qgis.PyQt.QtSvg",
    "qgis.PyQt.QtXml",
    "qgis.core",
    "qgis.gui",
)


def tracked_python_files() -> List[str]:
    listing = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"]
    return subprocess.run(listing, check=True, capture_output=True, text=True).stdout.split()


def _imported_names(tree: ast.AST) -> Dict[str, object]:
    """Local name -> the class or module object it was imported as, for the checked modules."""
    names: Dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in CHECKED_MODULES:
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if value is not None:
                    names[alias.asname or alias.name] = value
    return names


def _enum_name(owner: type, kind: type) -> str:
    """The name under which `owner` holds the enum type `kind`, or '' when it holds none. Found by
    identity, not by `kind.__name__`: QGIS moves enums into `Qgis` and keeps the old name as an
    alias (on 3.40 `QgsFeatureRequest.Flag` is `Qgis.FeatureRequestFlag`, whose __name__ the
    class does not have), and PyQt6 knows the value under the alias too."""
    if getattr(owner, kind.__name__, None) is kind:
        return kind.__name__
    for name in dir(owner):
        if not name.startswith("_") and getattr(owner, name, None) is kind:
            return name
    return ""


def _unscoped_enum(owner: object, attribute: str) -> str:
    """The enum's name when `owner.attribute` is an enum value read without its enum, else ''."""
    if not isinstance(owner, type):
        return ""
    try:
        value = getattr(owner, attribute)
    except AttributeError:
        return ""
    if isinstance(value, (type, bool)) or callable(value):
        return ""  # an enum type itself, a class or a method
    enum = _enum_name(owner, type(value))
    return "" if enum == attribute else enum  # '': not one of this class's enums


def problems(path: str, source: str) -> Iterator[str]:
    tree = ast.parse(source, path)
    names = _imported_names(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            continue
        owner = node.value.id
        enum = _unscoped_enum(names[owner], node.attr) if owner in names else ""
        if enum:
            yield (f"{path}:{node.lineno}: {owner}.{node.attr} is not scoped; PyQt6 needs "
                   f"{owner}.{enum}.{node.attr}")


def main(paths: Sequence[str]) -> int:
    found = []
    for path in paths or tracked_python_files():
        with open(path, encoding="utf-8") as source:
            found.extend(problems(path, source.read()))
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
