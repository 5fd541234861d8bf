#!/usr/bin/env bash
# Test services for `pnpm run ci`: Debian's Chromium (browser tests), PostgreSQL (the registry
# suite on PostgreSQL) and curl and jq (the README's local recipe), installed from apt when missing, PostgreSQL started on loopback with a
# throwaway role and database. Source it: it exports CERTIFY_TEST_PG_URL and CERTIFY_CHROMIUM.
# Needs root (or passwordless sudo) only when something must be installed or started.
# Each step that can take a while says so first and prints a line every 15 s while it runs
# (scripts/heartbeat.sh); README.md gives the usual durations.

# shellcheck source=scripts/heartbeat.sh
source "$(dirname "${BASH_SOURCE[0]}")/heartbeat.sh" || return 1

_certify_as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "test-services: '$*' needs root (or sudo)" >&2
    return 1
  fi
}

# Runs a command with its standard output discarded (its errors still show).
_certify_quietly() { "$@" >/dev/null; }

_certify_services() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  # The README's local recipe (test/local-institute/recipe.test.ts) runs curl and jq.
  command -v curl >/dev/null || need+=(curl)
  command -v jq >/dev/null || need+=(jq)
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 ||
    need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    echo "test-services: installing ${need[*]} from Debian (needs root; a few minutes with the downloads)"
    echo "test-services: apt-get update"
    _certify_heartbeat "apt-get update" \
      _certify_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    echo "test-services: apt-get install ${need[*]}"
    _certify_heartbeat "apt-get install ${need[*]}" _certify_quietly \
      _certify_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" ||
      return 1
  fi

  local version cluster
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v { print $2; exit }')
  if [ -z "$cluster" ]; then
    echo "test-services: creating a PostgreSQL $version cluster"
    _certify_heartbeat "pg_createcluster" \
      _certify_quietly _certify_as_root pg_createcluster "$version" main || return 1
    cluster=main
  fi
  if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c' | grep -q online; then
    echo "test-services: starting PostgreSQL $version/$cluster"
    _certify_heartbeat "pg_ctlcluster start" \
      _certify_as_root pg_ctlcluster "$version" "$cluster" start || return 1
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')
  local psql=(psql -v ON_ERROR_STOP=1 -qtA -p "$port")
  local sql_role="DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'certify_test') THEN CREATE ROLE certify_test LOGIN PASSWORD 'certify_test' CREATEDB; END IF; END \$\$;"
  _certify_as_root su postgres -c "$(printf '%q ' "${psql[@]}") -c $(printf '%q' "$sql_role")" ||
    return 1
  if ! _certify_as_root su postgres -c "$(printf '%q ' "${psql[@]}") -c \"SELECT 1 FROM pg_database WHERE datname = 'certify_test'\"" | grep -q 1; then
    _certify_as_root su postgres -c "createdb -p $port -O certify_test certify_test" || return 1
  fi
  export CERTIFY_TEST_PG_URL="postgres://certify_test:certify_test@127.0.0.1:${port}/certify_test"
  export CERTIFY_CHROMIUM=/usr/bin/chromium
  echo "test-services: PostgreSQL $version on 127.0.0.1:$port, Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
}

_certify_services
