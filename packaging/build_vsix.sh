#!/usr/bin/env bash
# Builds the installable TrackIT VSIX for the current platform: dist/trackit-<platform>-<version>.vsix
# (run by `npm run package` at the repo root).
#
# The VSIX ships a FROZEN sidecar (PyInstaller one-dir at sidecar-bin/trackit/) so TrackIT works offline,
# in regulated teams that may not pip-install anything, and on machines whose only Python is whatever the
# notebook uses: no Python setup is needed at all. The extension falls back to `python -m trackit_sidecar`
# only when the frozen binary is absent (see the extension contract).
#
# Steps: 1. PyInstaller (into the repo .venv if missing) -> frozen sidecar in a temp dir
#        2. run the frozen binary's self-test (imports, boto3 bedrock-runtime client, DuckDB)
#        3. build the extension bundle (npm --prefix extension run build)
#        4. stage extension + sidecar-bin/trackit/ in a temp dir, @vscode/vsce package --target <platform>
#        5. print the size; fail above the limit (60 MB)
#
# Env: PYTHON (default <repo>/.venv/bin/python), TRACKIT_VSIX_MAX_MB (default 60),
#      TRACKIT_PYI_SIDECAR_SRC / TRACKIT_PYI_ENTRY (see trackit.spec), TRACKIT_BUILD_CACHE (PyInstaller work dir
#      cache, default ~/.cache/trackit-build), KEEP_STAGE=1 keeps the staging dir for inspection.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGING="$REPO_ROOT/packaging"
EXT_DIR="$REPO_ROOT/extension"
PYTHON="${PYTHON:-$REPO_ROOT/.venv/bin/python}"
MAX_MB="${TRACKIT_VSIX_MAX_MB:-60}"
BUILD_CACHE="${TRACKIT_BUILD_CACHE:-$HOME/.cache/trackit-build}"

log() { printf '[build_vsix] %s\n' "$*" >&2; }
die() { printf 'build_vsix: %s\n' "$*" >&2; exit 1; }

[[ -x "$PYTHON" ]] || die "no Python at $PYTHON (create the repo venv first, or set PYTHON)"
[[ -f "$EXT_DIR/package.json" ]] || die "extension/package.json missing"
SIDECAR_SRC="${TRACKIT_PYI_SIDECAR_SRC:-$REPO_ROOT/sidecar}"
[[ -f "$SIDECAR_SRC/trackit_sidecar/cli/__init__.py" ]] ||
  die "$SIDECAR_SRC/trackit_sidecar/cli/__init__.py missing: the frozen binary's entry is trackit_sidecar.cli:main"

# Platform in VS Code's target naming: linux-x64, linux-arm64, darwin-arm64, win32-x64, ...
TARGET="$(node -p 'process.platform + "-" + process.arch')"
VERSION="$(node -p "require('$EXT_DIR/package.json').version")"
NAME="$(node -p "require('$EXT_DIR/package.json').name")"
EXE_NAME="trackit"; [[ "$TARGET" == win32-* ]] && EXE_NAME="trackit.exe"
OUT="$REPO_ROOT/dist/$NAME-$TARGET-$VERSION.vsix"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/trackit-vsix.XXXXXX")"
cleanup() { [[ "${KEEP_STAGE:-0}" == "1" ]] && log "kept $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT

# --- 1. frozen sidecar ----------------------------------------------------------------------------
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  log "installing pyinstaller into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
  "$PYTHON" -m pip install --quiet "pyinstaller>=6.10"
fi
mkdir -p "$BUILD_CACHE"
log "PyInstaller one-dir build (sidecar source: $SIDECAR_SRC)"
# PYTHONPATH first so a non-default TRACKIT_PYI_SIDECAR_SRC wins over the editable install.
PYTHONPATH="$SIDECAR_SRC${PYTHONPATH:+:$PYTHONPATH}" TRACKIT_PYI_SIDECAR_SRC="$SIDECAR_SRC" \
  "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$WORK/pyi-dist" --workpath "$BUILD_CACHE/pyi-work" "$PACKAGING/trackit.spec"
FROZEN_DIR="$WORK/pyi-dist/trackit"
FROZEN_BIN="$FROZEN_DIR/$EXE_NAME"
[[ -x "$FROZEN_BIN" ]] || die "PyInstaller produced no $FROZEN_BIN"

# --- 2. self-test of the frozen binary ------------------------------------------------------------
log "self-test of the frozen sidecar"
if ! SELFTEST_OUT="$(env -i HOME="$HOME" PATH=/usr/bin:/bin TRACKIT_FROZEN_SELFTEST=1 "$FROZEN_BIN" 2>&1)"; then
  printf '%s\n' "$SELFTEST_OUT" >&2
  die "frozen sidecar self-test failed (see above)"
fi
printf '%s\n' "$SELFTEST_OUT" >&2
# The CLI itself must start in the frozen binary (argparse help, no Python on PATH).
env -i HOME="$HOME" PATH=/usr/bin:/bin "$FROZEN_BIN" --help >/dev/null || die "frozen '$EXE_NAME --help' failed"

# vsce zips regular files only; PyInstaller may leave symlinks in _internal/. Replace them by copies.
find "$FROZEN_DIR" -type l | while read -r link; do
  target="$(readlink -f "$link")"; rm "$link"; cp -a "$target" "$link"
done

# --- 3. extension bundle --------------------------------------------------------------------------
if [[ ! -d "$EXT_DIR/node_modules" && ! -d "$REPO_ROOT/node_modules/vscode-languageclient" ]]; then
  log "npm install (repo workspaces)"
  (cd "$REPO_ROOT" && npm install --no-audit --no-fund)
fi
log "building the extension bundle"
npm --prefix "$EXT_DIR" run build >&2
[[ -f "$EXT_DIR/dist/extension.js" ]] || die "extension build produced no extension/dist/extension.js"

# --- 4. stage + vsce -------------------------------------------------------------------------------
STAGE="$WORK/stage"
mkdir -p "$STAGE"
# Only what the installed extension needs: manifest, bundle, docs, icons/media. No sources, no node_modules
# (everything incl. vscode-languageclient is in the esbuild bundle).
cp "$EXT_DIR/package.json" "$STAGE/"
cp -r "$EXT_DIR/dist" "$STAGE/dist"
for extra in README.md CHANGELOG.md LICENSE LICENSE.md LICENSE.txt media resources images icons package.nls.json; do
  [[ -e "$EXT_DIR/$extra" ]] && cp -r "$EXT_DIR/$extra" "$STAGE/"
done
[[ -e "$STAGE/README.md" ]] || cp "$REPO_ROOT/README.md" "$STAGE/README.md"
[[ -e "$STAGE/LICENSE" || -e "$STAGE/LICENSE.md" || -e "$STAGE/LICENSE.txt" || ! -e "$REPO_ROOT/LICENSE" ]] ||
  cp "$REPO_ROOT/LICENSE" "$STAGE/LICENSE"
find "$STAGE/dist" -name '*.map' -delete
mkdir -p "$STAGE/sidecar-bin"
cp -a "$FROZEN_DIR" "$STAGE/sidecar-bin/trackit"
# The staged manifest must not rebuild (no sources or node_modules here) nor carry dev-only fields.
node -e '
  const fs = require("fs"); const p = process.argv[1]; const m = JSON.parse(fs.readFileSync(p, "utf8"));
  if (m.scripts) { delete m.scripts["vscode:prepublish"]; delete m.scripts.prepublish; }
  delete m.devDependencies; delete m.dependencies;
  fs.writeFileSync(p, JSON.stringify(m, null, 2) + "\n");
' "$STAGE/package.json"
printf '%s\n' '**/*.map' '**/__pycache__/**' >"$STAGE/.vscodeignore"

VSCE="$PACKAGING/node_modules/.bin/vsce"
if [[ ! -x "$VSCE" ]]; then
  log "npm install in packaging/ (@vscode/vsce)"
  (cd "$PACKAGING" && npm install --no-audit --no-fund)
fi
mkdir -p "$REPO_ROOT/dist"
rm -f "$OUT"
log "vsce package --target $TARGET"
(cd "$STAGE" && "$VSCE" package --target "$TARGET" --no-dependencies --allow-missing-repository \
    --skip-license --out "$OUT" >&2)
[[ -f "$OUT" ]] || die "vsce produced no $OUT"

# --- 5. size ---------------------------------------------------------------------------------------
BYTES="$(stat -c %s "$OUT" 2>/dev/null || stat -f %z "$OUT")"
MB="$(node -p "($BYTES / 1048576).toFixed(1)")"
FROZEN_MB="$(du -sm "$FROZEN_DIR" | cut -f1)"
echo "VSIX: $OUT  size: $MB MB ($BYTES bytes; frozen sidecar unpacked: ${FROZEN_MB} MB)"
node -e "process.exit($BYTES > $MAX_MB * 1048576 ? 1 : 0)" || die "VSIX is $MB MB, over the $MAX_MB MB limit"
