#!/usr/bin/env bash
# Installs every Debian package the project needs to build, test, fuzz and benchmark.
# Usage: scripts/install-deps.sh            (run as root or with sudo available)
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  g++ cmake ninja-build pkg-config make ca-certificates \
  libsimdjson-dev nlohmann-json3-dev libyaml-cpp-dev libpugixml-dev \
  libicu-dev libsqlite3-dev libpq-dev libssl-dev libzstd-dev libxxhash-dev \
  libcpp-httplib-dev libcli11-dev libfmt-dev libspdlog-dev libtbb-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  clang libclang-rt-14-dev python3 >/dev/null
# The IEEE MAC-address registries (asset inventories name a device's maker from its MAC);
# jq is a reference in the SBOM parse benchmark.
$SUDO apt-get install -y -qq --no-install-recommends ieee-data jq >/dev/null
# The PostgreSQL server the store tests run against (scripts/test-postgres.sh).
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
# HTTP load generator for the server benchmark (bench/serve_bench.sh).
$SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
# Benchmark references (bench/graph_refs.py).
$SUDO apt-get install -y -qq --no-install-recommends python3-numpy python3-scipy python3-networkx >/dev/null
# Printing documents (Declarations of Conformity) to PDF with headless Chromium,
# and reading the PDFs back in the tests.
$SUDO apt-get install -y -qq --no-install-recommends chromium poppler-utils fonts-dejavu-core >/dev/null
# The web UI's browser tests (Chromium through playwright-core) and names in
# Chinese, Japanese and Korean (DejaVu covers Cyrillic and Arabic).
$SUDO apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null
# node and npm for the web UI's modules and its browser tests (node >= 20; an
# installed node is kept, else Debian's).
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
"$(dirname "$0")/install-npm.sh"
