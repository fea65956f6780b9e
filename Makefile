# `make` installs everything into .venv and builds dist/; `make test` runs the tests.
# System packages: pango (WeasyPrint's text engine) and HarfBuzz's subsetter, which makes
# font subsetting several times faster; poppler-utils lets you look at pages as images.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
# The browser tests drive Debian's Chromium (headless, network blocked); without it they skip.
TEST_PACKAGES := chromium

.PHONY: all build test check bench system system-test clean

all: build

system:
	@if command -v dpkg >/dev/null 2>&1 && dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing system packages: $(SYSTEM_PACKAGES)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES)) >/dev/null \
	    || echo "warning: could not install $(SYSTEM_PACKAGES); install them with your package manager"; \
	else \
	  echo "note: install these system packages if missing (as root: apt-get install $(SYSTEM_PACKAGES))"; \
	fi

system-test: system
	@if command -v chromium >/dev/null 2>&1; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing test packages: $(TEST_PACKAGES)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_PACKAGES)) >/dev/null \
	    || echo "warning: could not install $(TEST_PACKAGES): the browser tests will be skipped"; \
	else \
	  echo "note: install $(TEST_PACKAGES) to run the browser tests; they are skipped without it"; \
	fi

$(VENV)/.installed: requirements.txt pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

build: $(VENV)/.installed
	$(PY) build.py

check: $(VENV)/.installed
	$(PY) build.py check

test: system-test $(VENV)/.test-installed
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) bench/run.py

clean:
	rm -rf dist
