# Two commands matter: `make run` and `make test`. Both build .venv from the pinned requirements.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
CHROMIUM ?= /usr/bin/chromium
SOFFICE  ?= /usr/bin/soffice
NGINX    ?= /usr/sbin/nginx
SERVE_PORT ?= 8080
REPLICAS   ?= $(shell nproc)

.PHONY: run serve test test-fast test-browser test-slow bench bench-site check screenshots clean site

$(BIN)/python:
	$(PY) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq python3-venv && $(PY) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# The browser tests drive Debian's Chromium; CJK fonts so Chinese renders in screenshots.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "Chromium missing: run 'sudo apt-get install chromium fonts-noto-cjk' (browser tests will be skipped)"; fi

# The spreadsheet-export test opens the .xlsx in LibreOffice (headless, no GUI libraries).
$(SOFFICE):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; \
	else echo "LibreOffice missing: run 'sudo apt-get install libreoffice-calc-nogui' (its export test will be skipped)"; fi

# nginx in front of the replicas (make serve) and in the browser test of that setup.
$(NGINX):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx >/dev/null; \
	else echo "nginx missing: run 'sudo apt-get install nginx' (make serve needs it; its browser test will be skipped)"; fi

run: $(VENV)/.runtime
	$(BIN)/python -m ui.serve --server.port $(PORT) --server.address localhost --server.headless true --browser.gatherUsageStats false

# Production: nginx on SERVE_PORT in front of REPLICAS Streamlit replicas (one per core), no file watching.
serve: $(VENV)/.runtime $(NGINX)
	$(BIN)/python -m deploy.stack --port $(SERVE_PORT) --replicas $(REPLICAS)

# One pytest worker per core (pytest-xdist); tests/conftest.py keeps each browser file, and the
# static-edition tests, on one worker so they share their server and their site build.
# PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist loadgroup

test: $(VENV)/.dev $(CHROMIUM) $(SOFFICE) $(NGINX)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow" $(XDIST)

test-fast: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not browser" $(XDIST)

test-browser: $(VENV)/.dev $(CHROMIUM) $(NGINX)
	$(BIN)/python -m pytest -q -m "browser and not slow" $(XDIST)

# Load tests (twenty browser sessions at once): minutes on two cores, so not part of make test.
test-slow: $(VENV)/.dev $(CHROMIUM) $(NGINX)
	$(BIN)/python -m pytest -q -m slow

check: $(VENV)/.runtime
	$(BIN)/python -m loaders check

bench: $(VENV)/.dev $(CHROMIUM) $(NGINX)
	$(BIN)/python -m benchmarks

# The static edition (python -m publish): every page, permalink, chart image and the data package
# into site/, replaced only once complete. Chart images need Chromium; without it the site still
# builds (tables and text only). See README.md, "The static edition".
site: $(VENV)/.runtime $(CHROMIUM)
	$(BIN)/python -m publish --out site/

# The static edition's own measurements (also run by `make bench`); Lighthouse is installed into .lighthouse/.
bench-site: $(VENV)/.dev $(CHROMIUM)
	$(BIN)/python -m benchmarks site --update-doc

screenshots: $(VENV)/.dev $(CHROMIUM)
	SCREENSHOTS=1 $(BIN)/python -m pytest -q -m browser -k screenshot

clean:
	rm -rf $(VENV) .pytest_cache screenshots site .lighthouse .serve
