#!/usr/bin/env bash
# Install everything and run the whole test suite (lint, unit, PostgreSQL when
# LMS_CX_TEST_DATABASE_URL is set, browser). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Two workers: the suite (SQLite, PostgreSQL, browser) takes about half as long on two cores.
exec .venv/bin/python -m pytest -n 2 "$@"
