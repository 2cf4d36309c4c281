#!/usr/bin/env bash
# Installs the npm packages pinned in package-lock.json into node_modules/:
# preact, htm and cytoscape (the web UI's browser modules, which the build
# copies into <build>/web/vendor/) and playwright-core (the browser tests,
# which drive Debian's chromium). Needs node >= 20 and npm.
# Usage: scripts/install-npm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "install-npm: npm not found; install nodejs (>= 20) and npm" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "install-npm: warning: node $(node --version 2>/dev/null) is older than 20;" \
    "the browser tests need node >= 20" >&2
fi
# No install scripts: none of the packages needs one, and playwright-core must
# not download a browser (the tests use /usr/bin/chromium).
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
