# Every target sets up what it needs: a virtual environment in .venv with pinned packages.
# A stamp file per requirements lock means a second run with nothing changed installs nothing.
# A fresh machine needs only python3 (with venv and pip) and make: the machine's pip installs uv,
# pinned with hashes, and uv installs everything else from hashed locks (see "Set-up" below).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV_BIN := $(BIN)/uv
# Site engine for `make site`: mkdocs (MkDocs + Material), properdocs (the maintained MkDocs 1.6 fork, same theme)
# or zensical (reads the same mkdocs.yml).
ENGINE ?= mkdocs
# Root installs system packages directly; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site offline preview serve check render schema bench lighthouse test test-fast lint lock clean

# OFFLINE_ZIP=dist/medsite-offline-<version>-<date>.zip publishes that bundle under downloads/ (deploy.yml).
site: $(VENV)/.site-stamp
	$(PY) -m generator build --engine $(ENGINE) $(if $(OFFLINE_ZIP),--offline-zip $(OFFLINE_ZIP))

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

# Synthetic catalogues of 100, 1,000 and 5,000 drugs, each beside the stock MkDocs build loop on the same
# mkdocs.yml and content, and a cold build at 10,000 for memory: issue 14's figures and targets (about
# 40 minutes on 2 idle cores; it prints its estimate). `make bench SIZES="100 1000"` for a short run
# (about 6 minutes; no 10,000 unless MEMORY_SIZES=10000). Prints a table; results in build/bench/results.json.
# `.venv/bin/python bench/profile_build.py --drugs N [--stock]` profiles one cold build by area.
MEMORY_SIZES ?= $(if $(SIZES),,10000)
bench: $(VENV)/.site-stamp node_modules/.stamp
	$(PY) bench/run.py $(if $(SIZES),--sizes $(SIZES)) --memory-sizes $(MEMORY_SIZES)

# Lighthouse (npm, pinned) with Debian's Chromium on four pages, phone and desktop: builds the site for a
# loopback address, serves it with gzip, prints the scores table (about 5 minutes; reports in build/lighthouse/).
lighthouse: $(VENV)/.site-stamp node_modules/.stamp /usr/bin/chromium
	$(PY) tests/lighthouse.py

# Every test: what CI runs.
test: lint node_modules/.stamp /usr/bin/chromium /usr/bin/java
	$(PY) -m pytest

# Unit and in-process tests only: no Chromium, no npm packages, no whole-site builds (markers
# `browser` and `slow`, see tests/conftest.py), on every core (pytest-xdist: a test must not write
# into the checkout, another may be reading it). For the edit-test loop; `make test` before pushing.
test-fast: lint
	$(PY) -m pytest -m "not browser and not slow" -n auto

lint: $(VENV)/.test-stamp
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check --quiet generator tests bench

# --- Set-up ----------------------------------------------------------------------------------
# requirements/*.in name what we depend on; requirements/*.txt are the locks `make lock` writes from
# them: every package pinned, with the hashes of its files, so an install cannot pick up anything else.
# test.txt is the whole lock for the tests (the site's packages too, at the same versions as site.txt).

# uv reads neither pip's config nor PIP_* variables. Where pip is pointed at another index (a mirror:
# PIP_INDEX_URL or index-url in pip's config), uv is handed the same one, unless UV_INDEX_URL or
# UV_DEFAULT_INDEX already says. Expanded only when uv runs, so a run that installs nothing asks pip nothing.
# (`pip config list` prints section.key='value', sorted: an [install] index-url comes after a [global] one.)
PIP_INDEX = $(or $(PIP_INDEX_URL),$(shell $(PYTHON) -m pip config list 2>/dev/null | \
	sed -n "s/^[a-z]*\.index-url='\(.*\)'$$/\1/p" | tail -n 1))
UV_INDEX = $(if $(UV_INDEX_URL)$(UV_DEFAULT_INDEX),,$(PIP_INDEX))
UV = $(if $(UV_INDEX),UV_DEFAULT_INDEX='$(UV_INDEX)' )$(UV_BIN)
# `uv pip sync` makes the venv exactly a lock: a package dropped from the lock is uninstalled
# (uv itself, which no lock names, is always left in place).
SYNC = $(UV) pip sync --quiet --python $(PY) --require-hashes

# The venv, and uv in it from requirements/uv.txt (pinned, with hashes). The venv gets no pip of its own
# (ensurepip was the slowest step of a fresh set-up): the machine's pip installs uv into it through
# `pip --python` (pip 22.3 or newer). Use `.venv/bin/uv pip install` for a package by hand.
$(UV_BIN): requirements/uv.txt
	test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/uv.txt
	touch $@

# The site's packages (make site, check, serve, ...). A venv that has had the test lock keeps it: test.txt
# holds every pin of site.txt at the same version, so `make site` after `make test` uninstalls nothing.
$(VENV)/.site-stamp: requirements/site.txt $(UV_BIN)
	$(SYNC) $(if $(wildcard $(VENV)/.test-stamp),requirements/test.txt,requirements/site.txt)
	touch $@

# The site's and the tests' packages in one sync; the venv then satisfies site.txt too.
$(VENV)/.test-stamp: requirements/test.txt requirements/site.txt $(UV_BIN)
	$(SYNC) requirements/test.txt
	touch $@ $(VENV)/.site-stamp

# Browser tests drive Debian's Chromium with Playwright (never `playwright install`).
/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# The HTML validator (vnu.jar, from npm's vnu-jar) runs on Java: Debian's default headless runtime.
/usr/bin/java:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless

# Front-end files the site and tests self-host (iframe-worker shim, axe-core, vnu-jar), from the lock.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Re-pin after editing requirements/*.in (needs the registry; not part of a normal build). uv keeps each
# current pin that still fits; `make lock UPGRADE=1` moves everything to the newest releases instead.
# Resolved for Python 3.11.5 and newer (pymdown-extensions needs 3.11.5) on any platform, as CI and the
# workflows use 3.11. test.txt is resolved first, from both .in files; site.txt is then held to its versions.
# uv's own version is the one in requirements/uv.in (a bump there takes effect on the next set-up).
LOCK = $(UV) pip compile --quiet --python $(PY) --universal --python-version 3.11.5 \
	--generate-hashes --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)

lock: $(UV_BIN)
	$(LOCK) requirements/uv.in -o requirements/uv.txt
	$(LOCK) requirements/site.in requirements/test.in -o requirements/test.txt
	$(LOCK) requirements/site.in --constraint requirements/test.txt -o requirements/site.txt

clean:
	rm -rf build site site.* dist preview
