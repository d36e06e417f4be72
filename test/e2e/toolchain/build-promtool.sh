#!/usr/bin/env bash
# promtool from the Go module proxy, into <cache>/bin/promtool.
#
# Built the way Prometheus' own build does it: inside the module (a writable copy of it from the
# module cache), with its own go.mod and go.sum. `go install module@version` refuses a module whose
# go.mod has replace or exclude lines; building inside the module works either way. The version
# flag is the one of Prometheus' .promu.yml, with the version from the module's VERSION file (the
# module proxy knows no commit or branch, so those stay empty).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_go

target="$E2E_BIN/promtool"
recipe="promtool github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION"
if stamp_matches "$target" "$recipe"; then
  log "promtool ($PROMETHEUS_MODULE_VERSION): cached"
  exit 0
fi

log "promtool (github.com/prometheus/prometheus $PROMETHEUS_MODULE_VERSION): building from the Go module proxy"
download_log="$E2E_LOGS/promtool-download.log"
source_dir="$(cd "$E2E_CACHE" && go mod download -json "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION" 2>"$download_log" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || true
[ -n "$source_dir" ] && [ -f "$source_dir/go.mod" ] ||
  die "could not download github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION from the Go module proxy ($(go env GOPROXY)); see $download_log and \`go list -m -versions github.com/prometheus/prometheus\`"

build_dir="$(fresh_module_dir prometheus)"
cp -R "$source_dir/." "$build_dir/"
chmod -R u+w "$build_dir"
prometheus_version="$(tr -d '[:space:]' <"$build_dir/VERSION")"
ldflags="-s -w -X github.com/prometheus/common/version.Version=$prometheus_version"

run_logged "go build promtool $prometheus_version" "$E2E_LOGS/promtool.log" \
  bash -c 'cd "$1" && go build -ldflags "$2" -o "$3.partial" ./cmd/promtool' _ "$build_dir" "$ldflags" "$target"
mv "$target.partial" "$target"
rm -rf "$build_dir"
write_stamp "$target" "$recipe"
log "  $("$target" --version | head -n 1)"
