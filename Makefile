# Two commands (README): `make run` sets everything up and runs the corpus; `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup bench bench-100 bench-throughput bench-incremental bench-scale clean

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(PY) -m pipeline run --corpus corpus --out outputs

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)   # whole run vs plain ja_ginza, rule-edit re-run vs cold, one new document vs a plain script
	$(PY) bench/bench_speed.py

bench-100: $(STAMP)   # the same on 100 documents
	$(PY) bench/bench_speed.py --docs 100

bench-throughput: $(STAMP)
	$(PY) bench/bench_throughput.py

bench-incremental: $(STAMP)
	$(PY) bench/bench_incremental.py --docs 100

bench-scale: $(STAMP)   # ~30 min on 2 cores
	$(PY) bench/bench_scale.py --docs 500

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.json outputs/report.html outputs/.cache outputs/.manifest.json
