#!/usr/bin/env bash
# Browser tests of the web UI (docs/web-ui.md): headless Chromium driven by
# playwright-core against `icts serve` on a free loopback port. Run by ctest:
#   run.sh ICTS_BINARY SOURCE_ROOT ARTEFACT_DIR
# Screenshots go to ARTEFACT_DIR. Exits 77 (skipped) when node >= 20,
# node_modules/playwright-core, Chromium or the vendored UI modules are
# missing, naming what and how to get it; with CI set, that is a failure.
set -uo pipefail
ICTS=$1
ROOT=$2
ARTEFACTS=$3

skip() {
  if [ -n "${CI:-}" ]; then
    echo "FAIL: $1 (CI is set: the browser tests must run)" >&2
    exit 1
  fi
  echo "SKIP: $1"
  exit 77
}

command -v node >/dev/null 2>&1 || skip "node not found (scripts/install-deps.sh installs it)"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || skip "node $(node --version) is older than 20 (playwright-core needs 20)"
[ -f "$ROOT/node_modules/playwright-core/package.json" ] ||
  skip "$ROOT/node_modules/playwright-core is missing: run scripts/install-npm.sh"
CHROMIUM=${ICTS_CHROMIUM:-$(command -v chromium || true)}
[ -n "$CHROMIUM" ] && [ -x "$CHROMIUM" ] ||
  skip "chromium not found (scripts/install-deps.sh installs Debian's chromium)"
WEB_DIR="$(dirname "$ICTS")/web"
[ -f "$WEB_DIR/vendor/preact.mjs" ] ||
  skip "$WEB_DIR/vendor has no modules: node_modules was missing when the project was built; run scripts/install-npm.sh and build again"

mkdir -p "$ARTEFACTS"
export ICTS ROOT ARTEFACTS CHROMIUM
# One test file; its tests share a server and a browser, so they run in order.
exec node --test --test-reporter=spec --test-concurrency=1 "$ROOT/tests/web/ui.test.mjs"
