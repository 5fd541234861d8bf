#!/usr/bin/env bash
# The full check, as CI runs it after `pnpm install --frozen-lockfile`:
# build (tsc -b, which also type-checks the tests), generated files up to date, lint, format,
# packaging, test services (PostgreSQL and Chromium from Debian), then every test. Ends with a
# plain "N passed, N failed" line. Every step says what it starts, prints a line every 15 s while
# it runs (scripts/heartbeat.sh) and its duration when it ends; README.md gives the usual
# durations.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/heartbeat.sh
source scripts/heartbeat.sh

STEPS=8
n=0
step() {
  local label=$1
  shift
  n=$((n + 1))
  echo "::: [$n/$STEPS] $label: $*"
  _certify_heartbeat "$label" "$@" || {
    echo "FAILED: $*"
    exit 1
  }
}

step "build (tsc -b)" pnpm run build
step "contexts up to date" node scripts/sync-contexts.mjs --check
step "docs up to date" node scripts/sync-docs.mjs --check
step "lint (ESLint, type-checked rules)" pnpm run lint
step "format (Prettier)" pnpm run format:check
step "packaging (publint, attw)" pnpm run test:packaging

n=$((n + 1))
echo "::: [$n/$STEPS] test services (PostgreSQL, Chromium)"
# shellcheck source=scripts/test-services.sh
source scripts/test-services.sh || { echo "FAILED: test services"; exit 1; }
# Tests that need a service fail (rather than skip) when it is missing.
export CERTIFY_REQUIRE_SERVICES=1

n=$((n + 1))
echo "::: [$n/$STEPS] tests (vitest, every test file; the longest step)"
mkdir -p .tmp
_certify_heartbeat "tests" pnpm exec vitest run --reporter=default --reporter=json \
  --outputFile=.tmp/vitest-results.json
rc=$?
node scripts/summarize-tests.mjs .tmp/vitest-results.json || rc=1
exit $rc
