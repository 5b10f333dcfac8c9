# The README's two commands: `make demo` and `make test`. Nothing else is needed on a
# machine with Python 3.10+ and make: the virtual environment is created here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools reports every editable install as a warning ("Editable installation ... be careful
# with folders named like the package"): information for packagers that reads as a failed install.
$(VENV)/.installed $(VENV)/.installed-test: export PYTHONWARNINGS = ignore:Editable installation

# Reinstall when the package metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	bash examples/demo.sh

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed-test
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf demo-output .pytest_cache

# Regenerate the command reference from the CLI (a test checks it is current).
docs: $(VENV)/.installed
	$(BIN)/python -m slqual.cli.reference > docs/commands.md
