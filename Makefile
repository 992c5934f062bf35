# The two commands a new user needs (see README.md):
#   make render   render the default dataset into outputs/urban_day
#   make test     run the whole test suite, including real Cycles renders
# Both create .venv (Python 3.11) and install simgen into it first.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Consumer tests (tests_consumers/): torchvision, supervision, datumaro, FiftyOne, Ultralytics and
# examples/train_detectors.py, in their own environment (numpy >= 2 there; bpy needs numpy < 2 here).
CONSUMERS_VENV ?= .venv-consumers
CBIN := $(CONSUMERS_VENV)/bin
CONSUMERS_STAMP := $(CONSUMERS_VENV)/.installed

.PHONY: render test lint venv clean consumers consumers-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[render,dev,sweep,ray]"
	touch $(STAMP)

venv: $(STAMP)

render: $(STAMP)
	$(BIN)/simgen $(ARGS)

# The suite runs on TEST_WORKERS processes (pytest-xdist; `auto` = one per CPU core, at most 4),
# each test file on one worker (--dist loadfile: a module's fixtures are built once).
# TEST_WORKERS=0 runs it in this process, serially.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

$(CONSUMERS_STAMP): tests_consumers/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(CONSUMERS_VENV)
	$(CBIN)/python -m pip install --quiet --upgrade pip
	$(CBIN)/python -m pip install --quiet -r tests_consumers/requirements.txt
	$(CBIN)/python -m pip install --quiet --no-deps -e .
	touch $(CONSUMERS_STAMP)

consumers-venv: $(CONSUMERS_STAMP)

consumers: $(STAMP) $(CONSUMERS_STAMP)
	SIMGEN_PYTHON=$(abspath $(BIN))/python $(CBIN)/python -m pytest -q -p no:cacheprovider -m consumers \
		-W ignore::DeprecationWarning --timeout 1800 tests_consumers

lint: $(STAMP)
	$(BIN)/ruff check simgen tests bench tests_consumers examples

clean:
	rm -rf $(VENV) $(CONSUMERS_VENV) outputs .pytest_cache
