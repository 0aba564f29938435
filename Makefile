# Newsflow: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-fast test-slow bench clean-state

setup: $(STAMP) kafka-jars

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@echo "setting up $(VENV) (pip install -e .[test])" >&2
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip >&2
	@# setuptools warns at every editable install that folders named like a package may shadow it
	@# (a framed "!! ... !!" block that reads like a failure); only that warning is silenced
	@PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install -q -e ".[test]" >&2
	@touch $(STAMP)

# Java 17+ and Maven fetch and run the real Apache Kafka broker; install them if missing (Debian).
.PHONY: kafka-jars
kafka-jars: $(STAMP)
	@if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null; \
	  else echo "Java 17+ and Maven are needed for the local Kafka broker"; exit 1; fi; \
	fi
	@$(PY) -c "import sys; from deploy.kafka.broker import ensure_jars; print('kafka jars:', ensure_jars(), file=sys.stderr)"

# stdout carries only the event records (make's own lines are silenced), so `make demo | jq .` works
demo: setup
	@$(VENV)/bin/newsflow demo seeds/

test: setup
	$(PY) -m pytest tests -q

# unit tests need no broker: the venv alone, not Java, Maven or the Kafka jars
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit -q

test-slow: setup
	$(PY) -m pytest tests -m slow -q

bench: setup
	$(PY) bench/extraction.py
	$(PY) bench/clustering.py

# promtool (Prometheus 3, module v0.316.0) for the alert-rule behaviour test; built with Go, a few
# minutes once. Without it that one test is skipped; the other alert checks need only Python.
PROMTOOL := $(HOME)/.cache/newsflow/bin/promtool
.PHONY: promtool
promtool: $(PROMTOOL)
$(PROMTOOL):
	@command -v go >/dev/null || { echo "Go is needed to build promtool"; exit 1; }
	GOBIN=$(dir $(PROMTOOL)) go install github.com/prometheus/prometheus/cmd/promtool@v0.316.0

clean-state:
	rm -rf .newsflow
