# Vigie: `make demo` runs the main job on the embedded default, `make test` runs the tests.
# Both set up everything: .venv from requirements.lock (spaCy's French model included) and the
# local Elasticsearch node (downloaded once into ~/.cache/vigie, data in .vigie/es).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed

.PHONY: install chromium kibana-render demo airflow airflow-celery airflow-celery-stop scaleout-services test \
	test-scaleout es-start es-stop es-status lint lock bench clean deploy-tools deploy-check

$(STAMP): requirements.lock setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Vigie needs Python 3.11 (set PYTHON=/path/to/python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(STAMP)

# Headless Chromium renders the digest at desktop and phone widths in the tests (Debian's package).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium (for the digest screenshots)…"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
		else echo "chromium is missing: install it (apt-get install chromium) for the digest screenshot tests" >&2; exit 1; fi; }

# Node packages (vega, hjson) that render the Kibana export's Vega specs in the tests, from the
# committed lockfile; re-installed only when the lockfile changes.
KIBANA_RENDER := tests/kibana_render
$(KIBANA_RENDER)/node_modules/.installed: $(KIBANA_RENDER)/package.json $(KIBANA_RENDER)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 20+ for the Kibana render tests" >&2; exit 1; }
	cd $(KIBANA_RENDER) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

kibana-render: $(KIBANA_RENDER)/node_modules/.installed

demo: install
	$(BIN)/vigie demo

# Airflow 3 standalone with the project's DAGs, the local node and the demo territory (Ctrl-C stops it).
airflow: install
	$(BIN)/python -m vigie.demo.airflow

# The scale-out deployment on this machine (docs/deploy-local.md): PostgreSQL and Redis from the
# distribution's packages, a two-node Elasticsearch cluster, Airflow's CeleryExecutor with two workers
# and the project's DAGs. In the foreground; Ctrl-C or `make airflow-celery-stop` stops everything.
scaleout-services:
	@{ command -v redis-server >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's postgresql and redis-server (run as processes of ours, not services)…"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql redis-server >/dev/null 2>&1 || \
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql redis-server >/dev/null; }; \
		else echo "postgresql and redis-server are missing: apt-get install postgresql redis-server" >&2; exit 1; fi; }

airflow-celery: install scaleout-services
	$(BIN)/python -m vigie.demo.celery start

airflow-celery-stop: install
	$(BIN)/python -m vigie.demo.celery stop

# The scale-out test (tests/scaleout): starts and stops its own deployment on free ports.
test-scaleout: install scaleout-services
	$(BIN)/python -m pytest -m scaleout tests/scaleout -s

# Two pytest-xdist workers, whole files per worker (module fixtures and in-file order kept); one test
# node, started by the controller. TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2

test: install chromium kibana-render
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=25

es-start: install
	$(BIN)/vigie es start

es-stop: install
	$(BIN)/vigie es stop

es-status: install
	$(BIN)/vigie es status

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/bench_index.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/nlp_speed.py
	$(BIN)/python bench/nlp_eval.py
	$(BIN)/python bench/alerts_eval.py

# Kubernetes (deploy/, docs/DEPLOY.md): render the vendored Airflow chart with Vigie's values and
# validate every manifest offline. Helm is built from the Go module proxy (needs Go), the validator's
# schemas come with kubernetes-validate from PyPI; both go under .vigie/deploy-tools, once.
DEPLOY_TOOLS := .vigie/deploy-tools
HELM_VERSION := v4.3.2
HELM := $(DEPLOY_TOOLS)/helm-$(HELM_VERSION)/helm
DEPLOY_VENV := $(DEPLOY_TOOLS)/venv
K8S_VERSION := 1.33.0

$(HELM):
	@command -v go >/dev/null 2>&1 || { echo "go is missing: install Go to build Helm $(HELM_VERSION) (make deploy-check)" >&2; exit 1; }
	GOBIN=$(abspath $(dir $(HELM))) go install helm.sh/helm/v4/cmd/helm@$(HELM_VERSION)

$(DEPLOY_VENV)/.installed: deploy/tools/requirements.txt
	test -x $(DEPLOY_VENV)/bin/python || $(PYTHON) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r deploy/tools/requirements.txt
	touch $@

deploy-tools: $(HELM) $(DEPLOY_VENV)/.installed

deploy-check: deploy-tools
	HELM=$(HELM) DEPLOY_PYTHON=$(DEPLOY_VENV)/bin/python K8S_VERSION=$(K8S_VERSION) \
		DEPLOY_EXTRA_VALUES="$(DEPLOY_EXTRA_VALUES)" DEPLOY_EXTRA_MANIFESTS="$(DEPLOY_EXTRA_MANIFESTS)" \
		bash deploy/tools/check.sh

# Re-pin after changing the ranges in setup.cfg.
lock: install
	$(BIN)/uv pip compile setup.cfg --extra dev --extra scaleout --python-version 3.11 --generate-hashes \
		--output-file requirements.lock

clean:
	-$(BIN)/vigie es stop
	rm -rf $(VENV) .vigie .pytest_cache .ruff_cache *.egg-info
