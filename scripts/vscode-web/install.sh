#!/usr/bin/env bash
# Installs VS Code for the web (code-server from npm) and the Debian packages it needs into .vscode-web/.
# Idempotent: a finished install leaves a stamp file and later runs return at once.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DEST="${VSCODE_WEB_DIR:-$ROOT/.vscode-web}"
STAMP="$DEST/.installed-$CODE_SERVER_VERSION"
APT_PACKAGES=(libkrb5-dev pkg-config build-essential python3 ripgrep chromium)

log() { printf '[vscode-web] %s\n' "$*"; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ "${KPROC_SKIP_APT:-}" == 1 ]]; then
    log "missing Debian packages: ${missing[*]} (KPROC_SKIP_APT=1, not installing)"; exit 1
  fi
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ -f "$STAMP" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in $DEST"; exit 0
fi

# Native modules are built with node-gyp; the machine's npm config may answer "no" to prompts.
export npm_config_yes=true
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false

mkdir -p "$DEST"
cd "$DEST"
[[ -f package.json ]] || echo '{"name":"kproc-vscode-web","private":true}' > package.json
log "npm install code-server@$CODE_SERVER_VERSION"
npm install --no-save --ignore-scripts "code-server@$CODE_SERVER_VERSION"
npm rebuild argon2

cd node_modules/code-server/lib/vscode
log "installing VS Code's own dependencies"
npm install --omit=dev --ignore-scripts
# The package's postinstall downloads ripgrep from GitHub; use Debian's instead.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
log "building native modules"
npm rebuild
ln -sfn node_modules node_modules.asar
cd extensions
log "installing built-in extensions' dependencies"
npm install --omit=dev --ignore-scripts

touch "$STAMP"
log "done: $DEST"
