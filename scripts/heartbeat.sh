#!/usr/bin/env bash
# Sourced by scripts/ci.sh and scripts/test-services.sh: runs one long step so that it is never
# silent. `_certify_heartbeat <label> <command> [args...]` runs the command in the foreground and,
# while it runs, prints "<label>: still running (N s)" every CERTIFY_HEARTBEAT_SECONDS seconds
# (default 15), then "<label>: done in N s" or "<label>: failed after N s". Returns the command's
# exit status. The body is a subshell, so a shell that sources this gets no job-control noise and
# no leftover ticker, even when the step is interrupted.

_certify_heartbeat() (
  label=$1
  shift
  every=${CERTIFY_HEARTBEAT_SECONDS:-15}
  start=$(date +%s)
  parent=$BASHPID
  (
    n=0
    # Stops by itself within a second once the step's shell is gone (Ctrl-C included).
    while kill -0 "$parent" 2>/dev/null; do
      sleep 1
      n=$((n + 1))
      if [ $((n % every)) -eq 0 ]; then
        echo "    ${label}: still running ($(($(date +%s) - start)) s)"
      fi
    done
  ) &
  ticker=$!
  "$@"
  rc=$?
  kill "$ticker" 2>/dev/null
  wait "$ticker" 2>/dev/null
  if [ "$rc" -eq 0 ]; then
    echo "    ${label}: done in $(($(date +%s) - start)) s"
  else
    echo "    ${label}: failed after $(($(date +%s) - start)) s"
  fi
  exit "$rc"
)
