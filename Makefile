# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# Each creates .venv if needed and refreshes it whenever pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test test-slow test-all lint i18n screenshot bench package package-test clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev,package]'
	touch $(STAMP)

run: $(STAMP)
	QT_QPA_PLATFORM= $(VENV)/bin/lenet-desktop

# The quick suite, for every change. Slow tests (training runs, the wheel build) are in test-slow.
test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -m "not slow and not packaging" -q

test-slow: $(STAMP)
	$(PY) -m pytest -m "slow and not packaging" -q

test-all: test test-slow

lint: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

# Translations: refresh the .ts files from every tr() in the GUI (no line numbers, so unrelated edits
# do not touch them; no obsolete entries), then compile the .qm files the app loads; all are committed.
# English is the source language: its file holds only the plural forms ("1 tensor", "10 tensors").
I18N := resources/i18n/lenet_desktop
LUPDATE := $(VENV)/bin/pyside6-lupdate -silent -locations none -no-obsolete $(wildcard lenet_desktop/gui/*.py lenet_desktop/gui/*/*.py lenet_desktop/core/*.py lenet_desktop/core/*/*.py)

i18n: $(STAMP)
	$(LUPDATE) -ts $(I18N)_vi.ts
	$(LUPDATE) -pluralonly -ts $(I18N)_en.ts
	for language in vi en; do $(VENV)/bin/pyside6-lrelease -silent $(I18N)_$$language.ts -qm $(I18N)_$$language.qm || exit 1; done

# On a real X server (Xvfb) where there is one, so the picture shows the xcb platform's rendering.
screenshot: $(STAMP)
	for shot in "docs/screenshot.png en" "docs/screenshot-vi.png vi" "docs/screenshot-number.png en number" "docs/screenshot-enrolment.png en enrolment"; do \
	  if command -v xvfb-run >/dev/null; then \
	    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1200x24" $(PY) -m lenet_desktop.gui.devtools.screenshot $$shot || exit 1; \
	  else \
	    $(PY) -m lenet_desktop.gui.devtools.screenshot $$shot || exit 1; \
	  fi; \
	done

# Speed goals live here, never in tests; results go to docs/BENCHMARKS.md with the machine.
bench: $(STAMP)
	PYTHONPATH=tests $(PY) bench/bench_predict.py
	PYTHONPATH=tests $(PY) bench/bench_gui_latency.py --drawings 240
	$(PY) bench/bench_train.py --batch-size 128 --batches 200 --repeats 5
	$(PY) bench/bench_training_responsiveness.py --runs 3
	$(PY) bench/bench_startup.py --runs 7

package: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build packaging/lenet_desktop.spec

package-test: $(STAMP)
	$(PY) -m pytest -m packaging -q

clean:
	rm -rf build dist .pytest_cache
