# Mutua — every task a developer or CI needs. Only Python 3.11+ and pip are assumed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
BIND ?= 127.0.0.1:8000
# WeasyPrint (PDF) needs Pango; the tests also drive Chromium, read PDFs with poppler and
# extract messages with gettext. fonts-noto-core gives the PDFs and the browser Arabic glyphs
# (Noto Sans/Naskh Arabic) for the pages in Arabic.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils gettext

.PHONY: run test bench lint messages clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("Mutua needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e ".[test,lint]"
	@touch $@

## run: the embedded mode — SQLite, Huey worker on SQLite, demo data, gunicorn on $(BIND)
run: $(VENV)/.installed
	@bash scripts/ensure-debian-packages.sh $(RUN_DEBS)
	$(PY) -m mutua.cli migrate --noinput
	$(PY) -m mutua.cli collectstatic --noinput -v 0
	$(PY) -m mutua.cli load_demo
	$(PY) -m mutua.cli serve --bind $(BIND)

## test: the whole suite (installs test packages, and Chromium when allowed)
test: $(VENV)/.installed-dev
	@bash scripts/ensure-debian-packages.sh $(TEST_DEBS)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	$(PY) bench/engine.py
	$(PY) bench/claims.py
	$(PY) bench/pages.py
	$(PY) bench/guarantee.py

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## messages: refresh the French catalogue after changing user-facing strings
messages: $(VENV)/.installed-dev
	cd mutua && ../$(PY) -m mutua.cli makemessages -l fr --no-location --no-obsolete --ignore 'tests/*'
	cd mutua && ../$(PY) -m mutua.cli compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
