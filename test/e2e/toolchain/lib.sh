# shellcheck shell=bash
# Shared helpers of the toolchain scripts: the cache layout, the Go environment, logged build
# steps with progress, and version stamps. Sourced, never run.

set -euo pipefail

TOOLCHAIN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$TOOLCHAIN_DIR/versions.sh"

# Everything the toolchain makes lives under one per-user directory: `rm -rf` it for a cold run.
E2E_CACHE="${GOVCLOUD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/govcloud-blueprint/e2e}"
E2E_BIN="$E2E_CACHE/bin"
E2E_LOGS="$E2E_CACHE/logs"
E2E_PROVIDER_MIRROR="$E2E_CACHE/terraform-providers"
mkdir -p "$E2E_BIN" "$E2E_LOGS"

log() { printf '[e2e toolchain] %s\n' "$*" >&2; }

die() {
  printf '[e2e toolchain] ERROR: %s\n' "$*" >&2
  exit 1
}

# Fails early, naming the tool and how to get it.
require_tool() {
  local tool="$1" hint="$2"
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH. $hint"
}

# Go from PATH, else the default tarball location. Its module and build caches go under the e2e
# cache (not the user's own), so one directory holds everything and a cold run is reproducible.
# Static binaries (no cgo): no C toolchain needed, and they run anywhere on linux/amd64.
setup_go() {
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
  require_tool go "Install Go 1.23 or later (https://go.dev/dl/); the toolchain builds from the Go module proxy."
  export GOMODCACHE="$E2E_CACHE/go/mod"
  export GOCACHE="$E2E_CACHE/go/build"
  # -modcacherw: plain `rm -rf` can clear the module cache. -trimpath: no local paths in binaries.
  export GOFLAGS="-modcacherw -trimpath"
  export CGO_ENABLED=0
  export GOWORK=off
}

# The artifact at $1 is up to date when its stamp file holds exactly the recipe $2.
stamp_matches() { [ -f "$1.stamp" ] && [ "$(cat "$1.stamp")" = "$2" ] && [ -e "$1" ]; }
write_stamp() { printf '%s' "$2" >"$1.stamp"; }

# Runs a long command with its output in a log file, printing a line every 30 s so a first build
# (many minutes) visibly progresses. On failure: the log's tail, the log's path, and exit.
run_logged() {
  local what="$1" logfile="$2"
  shift 2
  local started=$SECONDS
  log "$what (log: $logfile)"
  "$@" >"$logfile" 2>&1 &
  local pid=$! status=0 next=30
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( SECONDS - started >= next )); then
      log "  ... $what: $(( (SECONDS - started) / 60 ))m$(( (SECONDS - started) % 60 ))s so far"
      next=$(( next + 30 ))
    fi
  done
  wait "$pid" || status=$?
  if (( status != 0 )); then
    printf '[e2e toolchain] ERROR: %s failed (exit %s). Last lines of %s:\n' "$what" "$status" "$logfile" >&2
    tail -n 40 "$logfile" | sed 's/^/    /' >&2
    exit 1
  fi
  log "  $what: done in $(( SECONDS - started ))s"
}

# A throwaway Go module directory under the cache, recreated for every build.
fresh_module_dir() {
  local dir="$E2E_CACHE/src/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s' "$dir"
}
