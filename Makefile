# `make` installs everything into .venv and builds dist/; `make test` runs the tests.
# System packages: pango (WeasyPrint's text engine) and HarfBuzz's subsetter, which makes
# font subsetting several times faster; poppler-utils lets you look at pages as images;
# espeak-ng speaks the audio edition and ffmpeg encodes it (Ogg Opus) and converts members'
# recordings from their phones (.m4a, .mp3, .wav, .ogg).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils espeak-ng ffmpeg
# The browser tests drive Debian's Chromium (headless, network blocked) and inject axe-core
# from npm; without them they skip. Debian's gettext gives `msgfmt --check`, which the PO
# tests run on every exported file. Each package, and the command that shows it is there.
TEST_PACKAGES := chromium npm gettext
TEST_COMMANDS := chromium npm msgfmt

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
	@if (for c in $(TEST_COMMANDS); do command -v $$c >/dev/null 2>&1 || exit 1; done); then \
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

# axe-core, which the accessibility test injects into pages, pinned by its lock file.
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json | system-test
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --silent --no-audit --no-fund --prefix tests/browser; \
	else \
	  echo "note: npm is missing: the accessibility test will be skipped"; \
	fi

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

build: $(VENV)/.installed
	$(PY) build.py

check: $(VENV)/.installed
	$(PY) build.py check

test: system-test $(VENV)/.test-installed $(AXE)
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) bench/run.py

clean:
	rm -rf dist
