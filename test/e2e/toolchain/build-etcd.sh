#!/usr/bin/env bash
# etcd from the Go module proxy, into <cache>/bin/etcd, through the wrapper module in etcd/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_go

target="$E2E_BIN/etcd"
recipe="etcd $ETCD_VERSION"
if stamp_matches "$target" "$recipe"; then
  log "etcd $ETCD_VERSION: cached"
  exit 0
fi

log "etcd $ETCD_VERSION: building from the Go module proxy"
module_dir="$(fresh_module_dir etcd)"
cp "$TOOLCHAIN_DIR/etcd/main.go" "$module_dir/"
# The server and every sibling module at the one release, as etcd's own replace lines would have it.
cat >"$module_dir/go.mod" <<GOMOD
module govcloud-blueprint.e2e/etcd

go 1.22

require (
	go.etcd.io/etcd/api/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/v2 $ETCD_CLIENT_V2_VERSION
	go.etcd.io/etcd/client/v3 $ETCD_VERSION
	go.etcd.io/etcd/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/raft/v3 $ETCD_VERSION
	go.etcd.io/etcd/server/v3 $ETCD_VERSION
)
GOMOD

run_logged "go build etcd $ETCD_VERSION" "$E2E_LOGS/etcd.log" \
  bash -c 'cd "$1" && go build -mod=mod -ldflags "-s -w" -o "$2.partial" .' _ "$module_dir" "$target"
mv "$target.partial" "$target"
write_stamp "$target" "$recipe"
"$target" --version | head -n 1 >&2
