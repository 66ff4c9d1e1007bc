# Every target sets up what it needs: a virtual environment in .venv with pinned packages.
# A stamp file per requirements lock means a second run with nothing changed installs nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Site engine for `make site`: mkdocs (MkDocs + Material), properdocs (the maintained MkDocs 1.6 fork, same theme)
# or zensical (reads the same mkdocs.yml).
ENGINE ?= mkdocs
# Root installs system packages directly; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site offline preview serve check render schema bench lighthouse test test-fast lint lock clean

site: $(VENV)/.site-stamp
	$(PY) -m generator build --engine $(ENGINE)

offline: $(VENV)/.site-stamp node_modules/.stamp
	$(PY) -m generator offline

preview: $(VENV)/.site-stamp
	@test -n "$(PR)" || { echo "usage: make preview PR=<number>"; exit 2; }
	$(PY) -m generator preview --pr $(PR) $(if $(PREVIEW_BASE),--base $(PREVIEW_BASE))

serve: $(VENV)/.site-stamp
	$(PY) -m generator serve

check: $(VENV)/.site-stamp
	$(PY) -m generator check

render: $(VENV)/.site-stamp
	$(PY) -m generator render --out build/markdown

# JSON Schemas of the content files, from the models (committed; a test keeps them in sync).
schema: $(VENV)/.site-stamp
	$(PY) -m generator schema

# Synthetic catalogues of 100, 1,000 and 5,000 drugs against plain MkDocs (about 30 minutes on 2 cores);
# `make bench SIZES="100 1000"` for a shorter run (about 10). Prints a table; results in build/bench/results.json.
bench: $(VENV)/.site-stamp node_modules/.stamp
	$(PY) bench/run.py $(if $(SIZES),--sizes $(SIZES))

# Lighthouse (npm, pinned) with Debian's Chromium on four pages, phone and desktop: builds the site for a
# loopback address, serves it with gzip, prints the scores table (about 5 minutes; reports in build/lighthouse/).
lighthouse: $(VENV)/.site-stamp node_modules/.stamp /usr/bin/chromium
	$(PY) tests/lighthouse.py

# Every test: what CI runs.
test: lint node_modules/.stamp /usr/bin/chromium
	$(PY) -m pytest

# Unit and in-process tests only: no Chromium, no npm packages, no whole-site builds (markers
# `browser` and `slow`, see tests/conftest.py). For the edit-test loop; `make test` before pushing.
test-fast: lint
	$(PY) -m pytest -m "not browser and not slow"

lint: $(VENV)/.test-stamp
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check --quiet generator tests bench

$(VENV)/.site-stamp: requirements/site.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/site.txt
	touch $@

$(VENV)/.test-stamp: requirements/test.txt $(VENV)/.site-stamp
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/test.txt
	touch $@

# Browser tests drive Debian's Chromium with Playwright (never `playwright install`).
/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# Front-end files the site and tests self-host (iframe-worker shim, axe-core), from the lock.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Re-pin after editing requirements/*.in (needs the registry; not part of a normal build).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements/site.in
	{ echo "# Pinned by 'pip freeze' from site.in; regenerate with 'make lock'."; .venv-lock/bin/pip freeze; } > requirements/site.txt
	.venv-lock/bin/pip install --quiet -r requirements/test.in
	{ echo "# Pinned by 'pip freeze' from test.in; regenerate with 'make lock'."; echo "-r site.txt"; \
	  .venv-lock/bin/pip freeze | grep -vxFf requirements/site.txt; } > requirements/test.txt
	rm -rf .venv-lock

clean:
	rm -rf build site site.* dist preview
