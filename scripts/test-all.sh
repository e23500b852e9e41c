#!/usr/bin/env bash
# The one test command (npm test): builds, then runs every test in every runtime — Node, Chromium
# (Debian's package), workerd (miniflare), edge-runtime, Deno and Bun (npm packages) — and the
# conformance runner over ../shared/conformance. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium comes from Debian's package, never a downloaded browser build.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test: installing Debian's chromium (needed by the browser tests)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test: Chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH) and try again" >&2
    exit 1
  fi
fi
# Bun's binary is placed by its postinstall; place it if the install skipped it.
[ -x node_modules/bun/bin/bun.exe ] || node node_modules/bun/install.js

npm run build --silent
npx vitest run
