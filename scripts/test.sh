#!/usr/bin/env bash
# Every test, after set-up: Python (pytest), extension unit tests (node --test), end-to-end in code-server.
# Prints each runner's own closing lines, then one combined line; exits non-zero if anything failed or
# if a runner ran no test at all.
set -uo pipefail
cd "$(dirname "$0")/.."
ART=test-artifacts
mkdir -p "$ART"

step() { printf '\n==== %s\n' "$*"; }

step "set-up: Python venv + npm packages"
bash scripts/setup.sh || { echo "set-up failed"; exit 2; }
step "set-up: code-server + Chromium for the end-to-end test"
bash scripts/setup_e2e.sh || { echo "end-to-end set-up failed"; exit 2; }
step "build: extension bundle + frozen sidecar + VSIX"
npm run package || { echo "packaging failed"; exit 2; }

passed=0; failed=0; status=0
count() {  # $1 = runner name, $2 = its exit code, $3 = passed, $4 = failed
  passed=$((passed + $3)); failed=$((failed + $4))
  if [ "$2" -ne 0 ] || [ "$4" -ne 0 ]; then status=1; echo "!! $1 failed (exit $2)"; fi
  if [ "$(( $3 + $4 ))" -eq 0 ]; then status=1; echo "!! $1 ran no test"; fi
}

step "pytest"
.venv/bin/python -m pytest 2>&1 | tee "$ART/pytest.log"
rc=${PIPESTATUS[0]}
tail_line=$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' "$ART/pytest.log" | tail -1)
p=$(echo "$tail_line" | awk '{for(i=1;i<NF;i++) if($(i+1) ~ /^passed/) s+=$i} END{print s+0}')
f=$(echo "$tail_line" | awk '{for(i=1;i<NF;i++) if($(i+1) ~ /^(failed|error|errors)/) s+=$i} END{print s+0}')
count pytest "$rc" "${p:-0}" "${f:-0}"

node_counts() {  # node --test's summary: "ℹ pass N" / "ℹ fail N" (spec reporter) or "# pass N" (TAP)
  local log=$1
  p=$(grep -aE '^(# |ℹ )pass [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  f=$(grep -aE '^(# |ℹ )fail [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
}

step "extension unit tests (node --test)"
npm run --silent test:unit 2>&1 | tee "$ART/unit.log"
rc=${PIPESTATUS[0]}; node_counts "$ART/unit.log"; count "extension unit" "$rc" "${p:-0}" "${f:-0}"

step "end-to-end: real VS Code (code-server) in Chromium"
npm run --silent test:e2e 2>&1 | tee "$ART/e2e.log"
rc=${PIPESTATUS[0]}; node_counts "$ART/e2e.log"; count "end-to-end" "$rc" "${p:-0}" "${f:-0}"

echo
echo "total: $passed passed, $failed failed"
exit $status
