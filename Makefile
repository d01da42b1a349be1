# Chorus: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOME_DIR ?= warehouse
SAMPLE := $(HOME_DIR)/sample
SRC := chorus tools bench dags tests expectations

.PHONY: run test check install lint bench eval airflow clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# `make run` installs the product alone (requirements.txt); every other target everything the
# tests run too: Spark, Celery and the development tools (requirements-dev.txt)
RUN_STAMP := $(VENV)/.installed-run

$(RUN_STAMP): $(BIN)/python requirements.txt constraints.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP) requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

install: $(STAMP)

## run: install the product (not Spark, Celery or the dev tools), then run the whole pipeline on the bundled sample archive
run: $(RUN_STAMP)
	test -f $(SAMPLE)/truth.json || $(BIN)/python -m tools synth --out $(SAMPLE) --seed 7 --formats mixed
	$(BIN)/chorus run --home $(HOME_DIR) $(SAMPLE)/archive

## test: install what is missing, lint, type-check, and run the whole test suite
test: $(STAMP)
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m tools sqllint
	$(BIN)/pytest

## check: the fast tier for the inner loop: lint, types (mypy), the stages' layers, the SQL style (sqlfluff), unit and ingest tests, dbt unit tests (no full build)
check: $(STAMP)
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m tools sqllint
	$(BIN)/pytest -m "not slow" -n 2

lint: $(STAMP)
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/mypy
	$(BIN)/python -m tools sqllint

clean:
	rm -rf $(VENV) $(HOME_DIR)/* transforms/target transforms/logs

## eval: detection scored against the generator's ground truth on several seeds
SEEDS ?= 1,2,3,4
eval: $(STAMP)
	$(BIN)/python -m tools eval --seeds $(SEEDS)

## airflow: airflow standalone with the project's DAGs; its home under the data home (password printed by Airflow)
AIRFLOW_DIR := $(abspath $(HOME_DIR))/airflow
airflow: $(STAMP)
	mkdir -p $(AIRFLOW_DIR) $(abspath $(HOME_DIR))/landing
	AIRFLOW_HOME=$(AIRFLOW_DIR) AIRFLOW__CORE__DAGS_FOLDER=$(CURDIR)/dags AIRFLOW__CORE__LOAD_EXAMPLES=False \
	CHORUS_HOME=$(abspath $(HOME_DIR)) PATH=$(abspath $(BIN)):$$PATH $(BIN)/airflow standalone

## bench: generate ~100k and ~1M tweet archives and time every stage (SIZES="tiny 100k 1m 10m";
## weeks-1m weeks-10m: one week added to 20 and to 200 weeks; dense-350k dense-1m: operations' releases;
## PEER=1 adds coordination-network-toolkit on the same archives, in a venv of its own;
## S3=1 adds the same run with the lake in an S3 bucket, moto's server on loopback;
## ENGINE=spark adds the dbt build on a local SparkSession over the same lake;
## FORMATS=v1 generates v1.1 JSON lines only instead of issue 16's mix of v1.1, v2 pages and IO CSV;
## PEER=1 needs FORMATS=v1)
SIZES ?= 100k 1m
FORMATS ?= mixed
bench: $(STAMP)
	$(BIN)/python -m bench --formats $(FORMATS) $(if $(PEER),--peer) $(if $(S3),--s3) $(if $(filter spark,$(ENGINE)),--spark) $(SIZES)
