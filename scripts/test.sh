#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite: lint, types, unit and
# end-to-end tests (the end-to-end tests start their own Xvfb and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"; ruff check .
echo "== mypy"; mypy
echo "== pytest"; exec pytest "$@"
