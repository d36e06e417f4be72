#!/usr/bin/env bash
# supervise.sh PARENT_PID COMMAND [ARGS...]
#
# Runs COMMAND and stops it (SIGTERM, then SIGKILL after 10 s) when this script is terminated or
# when PARENT_PID is gone, so a test server never outlives the test run, even when jest itself is
# killed without a chance to clean up.
parent="$1"
shift
"$@" &
child=$!

stop() {
  kill -TERM "$child" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$child" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$child" 2>/dev/null
  wait "$child" 2>/dev/null
}
trap 'stop; exit 0' TERM INT HUP

while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
  sleep 0.5
done
if kill -0 "$child" 2>/dev/null; then
  stop
  exit 0
fi
# The command ended on its own: pass its status on.
wait "$child"
