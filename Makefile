# Hearth: `make run` serves the embedded demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= hearth.config.settings.embedded

.PHONY: run test lint format lock totp system-packages clean help bench-reminders bench-pages bench-chat bench-video bench-video-group bench-safety bench-match bench-faults bench-load backup restore fuzz check-deploy

help:
	@echo "make run    - set up and serve the embedded demo at http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite"
	@echo "make lint   - ruff check, format check and the import contracts (lint-imports)"
	@echo "make lock   - re-pin requirements/*.lock from requirements/*.in (with hashes)"
	@echo "make totp EMAIL=...  - print the current demo MFA code for a staff account"
	@echo "make backup  - back up the database to var/backups/ (the encryption keys are NOT in it)"
	@echo "make restore FILE=...  - restore a backup into the configured (empty) database"
	@echo "make fuzz    - the Hypothesis fuzz tests with a larger budget (FUZZ_EXAMPLES=50)"
	@echo "make check-deploy  - nginx -t, Janus, coturn and systemd checks of the examples in deploy/"

$(VENV)/.base-stamp: requirements/base.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.dev-stamp: requirements/dev.lock $(VENV)/.base-stamp
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@

node_modules/.stamp: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.base-stamp node_modules/.stamp
	$(PY) manage.py run_embedded --host $(HOST) --port $(PORT)  # migrate, seed, serve: one process

system-packages:
	@scripts/ensure-system-packages.sh

# One pytest worker per core (pytest-xdist); TEST_WORKERS=0 runs in this process (for pdb).
TEST_WORKERS ?= auto
test: $(VENV)/.dev-stamp node_modules/.stamp
	@scripts/ensure-system-packages.sh || true
	DJANGO_SETTINGS_MODULE=hearth.config.settings.test $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench-reminders: $(VENV)/.dev-stamp
	$(PY) -m bench.reminders --reminders 10000 --out var/bench/reminders.json

# Builds the seed_large data set into var/bench/pages.sqlite3 the first time (BENCH_DATABASE_URL for PostgreSQL).
bench-pages: $(VENV)/.dev-stamp
	$(PY) -m bench.pages --out var/bench/pages.json

lint: $(VENV)/.dev-stamp
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m ruff format --check .

format: $(VENV)/.dev-stamp
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

lock: $(VENV)/.base-stamp
	$(PY) -m pip install --quiet pip-tools
	cd requirements && ../$(PY) -m piptools compile -q --generate-hashes --strip-extras --allow-unsafe -o base.lock base.in
	cd requirements && ../$(PY) -m piptools compile -q --generate-hashes --strip-extras --allow-unsafe -o dev.lock dev.in

totp: $(VENV)/.base-stamp
	@$(PY) manage.py demo_totp $(EMAIL)

# A timestamped copy of the configured database in var/backups/ (SQLite online backup API, or pg_dump -Fc).
# No install step: an operator command must not change the environment it backs up.
backup:
	$(PY) manage.py backup_database

# Hypothesis at every form, URL id and chat frame type with a larger budget than CI's (examples per target).
FUZZ_EXAMPLES ?= 50
fuzz: $(VENV)/.dev-stamp
	HEARTH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DJANGO_SETTINGS_MODULE=hearth.config.settings.test $(PY) -m pytest hearth/tests/test_fuzz.py hearth/api/tests/test_schemathesis.py -q
	@cat var/fuzz/report.json

# nginx -t, Janus, coturn keys and systemd-analyze verify on the examples in deploy/.
check-deploy: $(VENV)/.dev-stamp
	DJANGO_SETTINGS_MODULE=hearth.config.settings.test $(PY) -m pytest hearth/tests/test_deploy_configs.py -q -rs

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/hearth-....sqlite3|.dump" >&2; exit 2; }
	$(PY) manage.py restore_database $(FILE) $(RESTORE_ARGS)

clean:
	rm -rf $(VENV) node_modules var

# 1,200 clients in groups of 12 at 200 msg/s (then 500 msg/s) against 2 uvicorn workers + PostgreSQL + Redis, and a
# no-Django floor; "targets" and "pass": p99 <= 10x the floor's at 200 msg/s, p99 <= 50 ms at 500 msg/s.
# The real stack: a fresh PostgreSQL database (dropped and recreated each run) and Redis DB 3.
BENCH_CHAT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hearth_bench_chat
BENCH_CHAT_REDIS_URL ?= redis://127.0.0.1:6379/3
bench-chat: $(VENV)/.dev-stamp
	BENCH_CHAT_DATABASE_URL=$(BENCH_CHAT_DATABASE_URL) BENCH_CHAT_REDIS_URL=$(BENCH_CHAT_REDIS_URL) \
	$(PY) -m bench.chat --clients 1200 --rate 200 --high-rate 500 --workers 2 --search --out var/bench/chat.json

# Mixed load with a pass/fail gate (exit 1 on fail): 600 signed-in participants on chat sockets at
# 100 msg/s while 20 page visits a second (dashboard, calendar, messages, check-in form and submit) hit
# 2 uvicorn workers + PostgreSQL + Redis. Its own scratch database (dropped and recreated each run) and Redis DB 13.
BENCH_LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hearth_bench_load
BENCH_LOAD_REDIS_URL ?= redis://127.0.0.1:6379/13
bench-load: $(VENV)/.dev-stamp
	BENCH_LOAD_DATABASE_URL=$(BENCH_LOAD_DATABASE_URL) BENCH_LOAD_REDIS_URL=$(BENCH_LOAD_REDIS_URL) \
	$(PY) -m bench.load --personas 600 --page-rate 20 --chat-rate 100 --workers 2 --out var/bench/load.json

# Redis restart, a uvicorn worker killed, PostgreSQL restart, each under 1,200 chatting clients, on a
# private redis-server and a private PostgreSQL cluster the bench starts and removes (never the
# shared ones). Needs root (the cluster runs as the postgres OS user) and /usr/lib/postgresql/*/bin.
bench-faults: $(VENV)/.dev-stamp
	$(PY) -m bench.faults --clients 1200 --rate 200 --workers 2 --out var/bench/faults.json

# Join click to first remote frame, mesh (Chromium, loopback-only namespace) and Janus (veth namespace).
bench-video: $(VENV)/.dev-stamp node_modules/.stamp
	$(PY) -m bench.video_join --joins 10 --out var/bench/video_join.json

# A group of 12 on the Janus SFU, joined through Hearth (aiortc peers, veth namespace): join p95, time until
# everyone sees everyone, frames lost, Janus CPU. flock: one heavy bench at a time on a small machine.
bench-video-group: $(VENV)/.dev-stamp
	flock /tmp/bench.lock $(PY) -m bench.video_group --peers 12 --fps 10 --hold 20 --out var/bench/video_group.json

# Crisis detection on the labelled evaluation set (held-out and development parts) and its p99 per message.
bench-safety: $(VENV)/.dev-stamp
	$(PY) -m bench.safety --out var/bench/safety.json

# Mentor matching: 5,000 synthetic participants and 300 mentors in one stable (deferred-acceptance) batch.
bench-match: $(VENV)/.dev-stamp
	$(PY) -m bench.match --participants 5000 --mentors 300 --out var/bench/match.json
