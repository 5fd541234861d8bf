#!/usr/bin/env bash
# The full check, as CI runs it after `pnpm install --frozen-lockfile`:
# build (tsc -b, which also type-checks the tests), generated files up to date, lint, format,
# packaging, test services (PostgreSQL and Chromium from Debian), then every test. Ends with a
# plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

step() {
  echo "::: $*"
  "$@" || { echo "FAILED: $*"; exit 1; }
}

step pnpm run build
step node scripts/sync-contexts.mjs --check
step node scripts/sync-docs.mjs --check
step pnpm run lint
step pnpm run format:check
step pnpm run test:packaging

echo "::: test services (PostgreSQL, Chromium)"
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh || { echo "FAILED: test services"; exit 1; }
# Tests that need a service fail (rather than skip) when it is missing.
export CERTIFY_REQUIRE_SERVICES=1

echo "::: vitest"
mkdir -p .tmp
pnpm exec vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest-results.json
rc=$?
node scripts/summarize-tests.mjs .tmp/vitest-results.json || rc=1
exit $rc
