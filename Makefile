# Pixxel for QGIS — every developer task is one make target. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := python3-qgis qgis qgis-providers xvfb xauth python3-venv python3-gdal gdal-bin curl \
                tinyproxy python3-socks qttools5-dev-tools pngquant
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD := build

# No display here or in CI: Qt renders offscreen.
export QT_QPA_PLATFORM ?= offscreen
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup test test-unit test-qgis test-e2e test-matrix lint package repository deploy sandbox demo bench changelog translations screenshot clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup:  ## install Debian packages, .venv and pinned dev tools (idempotent)
	@missing=$$(for p in $(APT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@# --system-site-packages: qgis, PyQt5, GDAL and requests come from Debian, never from pip.
	@test -x $(PY) || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	@cat requirements-dev.txt constraints.txt | cmp -s - $(VENV)/.installed-requirements || { \
	    $(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt && \
	    cat requirements-dev.txt constraints.txt > $(VENV)/.installed-requirements; }
	@# PyQt6 for scripts/check_pyqt6_names.py (lint and its unit tests), so tests need no network.
	@$(SYSTEM_PYTHON) scripts/check_pyqt6_names.py --prepare

test: setup  ## run every test tier (unit, qgis, e2e), print the count per tier
	@mkdir -p $(BUILD); rm -f $(BUILD)/junit-*.xml
	@status=0; \
	$(MAKE) --no-print-directory test-unit || status=1; \
	$(MAKE) --no-print-directory test-qgis || status=1; \
	$(MAKE) --no-print-directory test-e2e || status=1; \
	$(PY) scripts/test_summary.py unit=$(BUILD)/junit-unit.xml qgis=$(BUILD)/junit-qgis.xml \
	    e2e=$(BUILD)/junit-e2e.xml || status=1; \
	exit $$status

test-unit: setup  ## fast tier: pure Python and the sandbox, no QGIS
	$(PY) -m pytest -p no:pytest_qgis -p no:pytest-qt tests/unit --junitxml=$(BUILD)/junit-unit.xml $(PYTEST_ARGS)

test-qgis: setup  ## real QGIS tier (pytest-qgis, offscreen)
	$(PY) -m pytest tests/qgis --junitxml=$(BUILD)/junit-qgis.xml $(PYTEST_ARGS)

test-e2e: setup  ## end-to-end tier: the packaged plugin in qgis_process against the sandbox
	$(PY) -m pytest -p no:pytest_qgis -p no:pytest-qt tests/e2e --junitxml=$(BUILD)/junit-e2e.xml $(PYTEST_ARGS)

# Debian trixie (QGIS 3.40 LTR, Python 3.13, urllib3 2) and sid (newest QGIS, Python 3.14) in
# debootstrap'd roots under build/matrix/<suite>, cached in ~/.cache/pixxel-matrix; needs root.
test-matrix:  ## `make test` in fresh trixie and sid roots (SUITES=trixie, MATRIX_CMD="make bench")
	$(SUDO) $(SYSTEM_PYTHON) scripts/test_matrix.py $(SUITES) $(if $(MATRIX_CMD),--cmd "$(MATRIX_CMD)")

# flake8-qgis: QGS1xx (QGIS API use) and QGS4xx (Qt 6 / QGIS 4 readiness) except QGS402, whose
# QMetaType field types do not exist before QGIS 3.38 and would break the 3.22 minimum.
lint: setup  ## ruff, flake8-qgis, bandit, secrets scan, scoped enums, Qt names PyQt6 has
	$(VENV)/bin/ruff check .
	$(VENV)/bin/flake8 --select=QGS1,QGS4 --extend-ignore=QGS402 --exclude=$(VENV),dist,build,demo-output .
	$(VENV)/bin/bandit -q -c pyproject.toml -r .
	git ls-files -z --cached --others --exclude-standard | xargs -0 $(VENV)/bin/detect-secrets-hook --baseline .secrets.baseline
	$(PY) scripts/check_scoped_enums.py
	$(SYSTEM_PYTHON) scripts/check_pyqt6_names.py

package:  ## build dist/pixxel_qgis.zip for plugins.qgis.org
	$(SYSTEM_PYTHON) scripts/package.py dist/pixxel_qgis.zip

repository:  ## dist/repository/: a plugin repository for the Plugin Manager (BASE_URL=http://host/dir)
	$(SYSTEM_PYTHON) scripts/plugin_repository.py $(if $(BASE_URL),--base-url "$(BASE_URL)")

deploy: package  ## install into a QGIS profile (PROFILE=name, QGIS_PROFILES=dir)
	$(SYSTEM_PYTHON) scripts/deploy.py dist/pixxel_qgis.zip

sandbox: setup  ## run the local Pixxel API + storage in the foreground
	$(PY) -m sandbox $(SANDBOX_ARGS)

demo: setup  ## the main job on the sandbox: QGIS with the Pixxel panel, or headless into demo-output/
	$(PY) scripts/demo.py

bench: setup  ## benchmarks against a reference run (BENCH="throughput paging" for some); docs/PERFORMANCE.md
	$(PY) -m bench $(BENCH)

changelog:  ## write CHANGELOG.md's entries into metadata.txt
	$(SYSTEM_PYTHON) scripts/changelog.py --write

translations: setup  ## update i18n/*.ts from the code's tr() strings, compile i18n/*_<lang>.ts to .qm
	$(PY) scripts/translations.py

screenshot: setup  ## docs/img/*.png: real QGIS under Xvfb, the dock listing, imagery on the map
	$(PY) scripts/screenshot.py

clean:  ## remove build output (keeps .venv)
	rm -rf $(BUILD) dist .pytest_cache .ruff_cache
