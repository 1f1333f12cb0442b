#!/usr/bin/env bash
# The main job on the bundled example: run it in a real kernel, show its lineage, write its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh python
export PATH="$PWD/.venv/bin:$PATH"
NB=examples/titanic/preprocess.ipynb
DB=.trackit/demo.duckdb
mkdir -p .trackit
rm -f "$DB" "$DB.wal"

echo "== trackit run $NB"
trackit run "$NB" --db "$DB"
echo
echo "== trackit lineage $NB"
trackit lineage "$NB" --db "$DB"
echo
echo "== trackit summarize $NB"
trackit summarize "$NB" --db "$DB" --out .trackit/demo-summary.md
echo
cat .trackit/demo-summary.md
