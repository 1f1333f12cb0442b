#!/usr/bin/env bash
# Installs everything the end-to-end test (tests/e2e) needs on a fresh Debian machine, as root:
#   - Debian packages for code-server's native modules, ripgrep and the Chromium browser
#   - code-server (VS Code for the browser, from the npm registry) into a cache OUTSIDE the repo,
#     because it is ~300 MB and takes minutes; re-runs find it and return in seconds
#   - tests/e2e node deps (playwright-core, @vscode/vsce)
# Idempotent: every step checks first. Works offline from the VS Code download site / Marketplace:
# only Debian, npm and (for @vscode/ripgrep) a locally seeded cache are used.
#
# Env:
#   TRACKIT_E2E_HOME   cache dir (default $HOME/.cache/trackit-e2e); code-server goes to $TRACKIT_E2E_HOME/code-server-<ver>
#   SKIP_APT=1         do not touch apt (packages already present / not root)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_DIR="$REPO_ROOT/tests/e2e"
E2E_HOME="${TRACKIT_E2E_HOME:-$HOME/.cache/trackit-e2e}"

pkg_field() { node -p "require('$E2E_DIR/package.json').trackitE2e.$1"; }
CODE_SERVER_VERSION="$(pkg_field codeServerVersion)"
RG_PKG_VERSION="$(pkg_field ripgrepPackageVersion)"
RG_ASSET="$(pkg_field ripgrepAsset)"
CODE_SERVER_PREFIX="$E2E_HOME/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_BIN="$CODE_SERVER_PREFIX/node_modules/.bin/code-server"

log() { printf '[setup_e2e] %s\n' "$*" >&2; }

# --- 1. Debian packages -------------------------------------------------------------------------
APT_PACKAGES=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep chromium build-essential python3)
if [[ "${SKIP_APT:-0}" != "1" ]]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "apt installing: ${missing[*]}"
    if [[ $EUID -ne 0 ]]; then
      echo "setup_e2e.sh: apt packages missing (${missing[*]}) and not root; run as root or install them" >&2
      exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    log "apt packages present"
  fi
fi
command -v rg >/dev/null || { echo "setup_e2e.sh: ripgrep (rg) not found" >&2; exit 1; }
command -v chromium >/dev/null || { echo "setup_e2e.sh: chromium not found" >&2; exit 1; }

# --- 2. code-server into the cache --------------------------------------------------------------
if [[ -x "$CODE_SERVER_BIN" && -d "$CODE_SERVER_PREFIX/node_modules/code-server/lib/vscode/node_modules/node-pty" ]] &&
   "$CODE_SERVER_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  log "code-server $CODE_SERVER_VERSION present at $CODE_SERVER_PREFIX"
else
  # @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here); it first looks in
  # <tmpdir>/vscode-ripgrep-cache-<ver>/<asset>, so seed that with Debian's rg.
  RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PKG_VERSION"
  mkdir -p "$RG_CACHE"
  if [[ ! -s "$RG_CACHE/$RG_ASSET" ]]; then
    tar czf "$RG_CACHE/$RG_ASSET" -C "$(dirname "$(command -v rg)")" rg
    log "seeded ripgrep cache $RG_CACHE/$RG_ASSET"
  fi
  mkdir -p "$CODE_SERVER_PREFIX"
  # npm >= 11 gates dependency install scripts by a policy in the project's package.json (it rejects the
  # --allow-scripts flag in a project-scoped install). code-server's postinstall installs VS Code's own deps
  # and argon2 builds a native module: both are required. Older npm ignores the field.
  echo '{"name":"trackit-e2e-code-server","private":true,"allowScripts":{"code-server":true,"argon2":true}}' \
    >"$CODE_SERVER_PREFIX/package.json"
  log "installing code-server@$CODE_SERVER_VERSION into $CODE_SERVER_PREFIX (takes a few minutes)"
  # ~/.npmrc may set yes=false; code-server's postinstall runs `npx node-gyp` and would stop at the prompt.
  # --unsafe-perm: code-server's postinstall refuses to run as root without it (it checks the env var).
  (cd "$CODE_SERVER_PREFIX" && npm_config_yes=true npm install --no-save --unsafe-perm --no-audit --no-fund \
      "code-server@$CODE_SERVER_VERSION")
  # The postinstall is what creates lib/vscode/node_modules; without it code-server starts but cannot work.
  [[ -d "$CODE_SERVER_PREFIX/node_modules/code-server/lib/vscode/node_modules/node-pty" ]] || {
    echo "setup_e2e.sh: code-server's postinstall did not run (lib/vscode/node_modules missing)" >&2; exit 1; }
  "$CODE_SERVER_BIN" --version >/dev/null
  log "code-server installed: $("$CODE_SERVER_BIN" --version | head -1)"
fi

# --- 3. test node deps (small) ------------------------------------------------------------------
if [[ -d "$E2E_DIR/node_modules/playwright-core" && -d "$E2E_DIR/node_modules/@vscode/vsce" ]]; then
  log "tests/e2e node_modules present"
else
  log "npm install in tests/e2e"
  (cd "$E2E_DIR" && npm install --no-audit --no-fund)
fi

log "done. code-server: $CODE_SERVER_BIN  chromium: $(command -v chromium)"
echo "$CODE_SERVER_BIN"
