# The two commands a new user needs (see README.md):
#   make render   render the default dataset into outputs/urban_day
#   make test     run the whole test suite, including real Cycles renders
# Both create .venv (Python 3.11) and install simgen into it first.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: render test lint venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[render,dev,sweep,ray]"
	touch $(STAMP)

venv: $(STAMP)

render: $(STAMP)
	$(BIN)/simgen $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check simgen tests bench

clean:
	rm -rf $(VENV) outputs .pytest_cache
