#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: the Python sidecar in .venv, the extension's npm packages.
# `scripts/setup.sh python` does only the Python part (enough for the demo).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if ! command -v "$PY" >/dev/null; then
  echo "setup: $PY not found; install Python 3.10+ (Debian: apt-get install python3 python3-venv)" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# a stamp keyed by pyproject.toml: re-running set-up costs nothing when nothing changed
stamp=.venv/.trackit-installed
want=$(sha256sum pyproject.toml | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  echo "$want" > "$stamp"
fi

[ "${1:-all}" = python ] && exit 0

if ! command -v npm >/dev/null; then
  echo "setup: npm not found; install Node.js 20+ (Debian: apt-get install nodejs npm)" >&2
  exit 2
fi
npm ci --no-audit --no-fund --loglevel=error
