"""`make package` output checked against the plugins.qgis.org upload rules."""

import configparser
import importlib.util
import py_compile
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED_METADATA = (
    "name", "description", "about", "version", "qgisMinimumVersion", "author", "email",
    "tracker", "repository", "homepage",
)
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory) -> Path:
    destination = tmp_path_factory.mktemp("dist") / "pixxel_qgis.zip"
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "package.py"), str(destination)], check=True
    )
    return destination


@pytest.fixture(scope="module")
def unpacked(built_zip, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(built_zip) as archive:
        archive.extractall(target)
    return target / "pixxel_qgis"


@pytest.fixture(scope="module")
def metadata(unpacked) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(unpacked / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_one_top_folder_with_a_valid_name(built_zip):
    with zipfile.ZipFile(built_zip) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    assert tops == {"pixxel_qgis"}
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", "pixxel_qgis")


def test_nothing_but_the_plugin_goes_in(built_zip):
    with zipfile.ZipFile(built_zip) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    forbidden = re.compile(
        r"(__pycache__|\.pyc$|/\.git|/\.venv|/tests/|/sandbox/|/bench/|/scripts/|/docs/|\.part$)"
    )
    assert [name for name in names if forbidden.search(name)] == []
    assert not any(stat.S_ISLNK(info.external_attr >> 16) for info in infos)
    assert "pixxel_qgis/LICENSE" in names
    assert "pixxel_qgis/__init__.py" in names
    assert built_zip.stat().st_size <= MAX_UPLOAD_BYTES


def test_metadata_has_every_required_field(metadata, unpacked):
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key, "").strip()]
    assert missing == []
    for key in ("tracker", "repository", "homepage"):
        assert re.match(r"https://[\w.-]+\.\w+(/\S*)?$", metadata[key]), key
    assert metadata["name"] == "Pixxel"
    assert metadata["qgisMinimumVersion"] == "3.22"
    assert metadata["qgisMaximumVersion"] == "4.99"
    assert metadata["category"] == "Raster"
    assert metadata["hasProcessingProvider"] == "yes"
    assert len(metadata["tags"].split(",")) >= 3
    assert (unpacked / metadata["icon"]).is_file()
    assert len(metadata["about"]) > 200


def test_version_and_changelog_agree_with_changelog_md(metadata):
    changelog = _load_script("changelog")
    changelog_md = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = [line for line in changelog.changelog_lines(changelog_md) if line[0].isdigit()]
    assert releases[0] == metadata["version"]
    source_metadata = (REPO_ROOT / "metadata.txt").read_text(encoding="utf-8")
    assert changelog.metadata_with_changelog(source_metadata, changelog_md) == source_metadata, (
        "run `make changelog`"
    )
    assert metadata["changelog"].strip().startswith(metadata["version"])


def test_every_python_file_compiles(unpacked, tmp_path):
    sources = list(unpacked.rglob("*.py"))
    assert sources
    for source in sources:
        py_compile.compile(str(source), cfile=str(tmp_path / "c.pyc"), doraise=True)


def test_upload_scanners_find_nothing(unpacked):
    """plugins.qgis.org blocks uploads on bandit and detect-secrets findings."""
    bandit = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", str(unpacked)], capture_output=True, text=True
    )
    assert bandit.returncode == 0, bandit.stdout + bandit.stderr
    secrets = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "--all-files", str(unpacked)],
        capture_output=True, text=True, check=True, cwd=unpacked,
    )
    assert '"results": {}' in secrets.stdout, secrets.stdout


def test_every_translation_ships_compiled_and_no_linguist_source_does(built_zip):
    languages = sorted(path.stem for path in (REPO_ROOT / "i18n").glob("pixxel_qgis_*.ts"))
    assert "pixxel_qgis_fr" in languages
    with zipfile.ZipFile(built_zip) as archive:
        names = archive.namelist()
        shipped = sorted(
            name.rsplit("/", 1)[1][: -len(".qm")] for name in names if name.endswith(".qm")
        )
        assert shipped == languages
        assert "pixxel_qgis/i18n/pixxel_qgis_fr.qm" in names
        assert archive.read("pixxel_qgis/i18n/pixxel_qgis_fr.qm").startswith(QM_MAGIC)
    assert [name for name in names if name.endswith(".ts")] == []
    assert len(names) == len(set(names))


def test_packaging_with_a_translation_but_no_lrelease_fails_loudly(tmp_path):
    package = _load_script("package")
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "pixxel_qgis_fr.ts").write_text("<TS/>", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", (
            "import sys; sys.path.insert(0, sys.argv[1]); import package; "
            "package.DEBIAN_LRELEASE = '/nonexistent/lrelease'; "
            "package.build(package.Path(sys.argv[2]) / 'out.zip', package.Path(sys.argv[2]))"
        ), str(REPO_ROOT / "scripts"), str(tmp_path)],
        capture_output=True, text=True, env={"PATH": str(tmp_path), "LRELEASE": ""},
    )
    assert result.returncode != 0
    assert "lrelease not found" in result.stderr
    assert list(tmp_path.glob("out.zip*")) == []
    assert package.translation_sources(tmp_path) == [Path("i18n", "pixxel_qgis_fr.ts")]
