#!/usr/bin/env bash
# kube-score from the Go module proxy, into <cache>/bin/kube-score, with the version flags of its
# release build (goreleaser's defaults: main.version without the "v", main.commit, main.date; the
# module proxy knows no commit or date, so those say so).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_go

target="$E2E_BIN/kube-score"
recipe="kube-score github.com/zegl/kube-score@$KUBE_SCORE_VERSION"
if stamp_matches "$target" "$recipe"; then
  log "kube-score $KUBE_SCORE_VERSION: cached"
  exit 0
fi

log "kube-score $KUBE_SCORE_VERSION: building from the Go module proxy"
ldflags="-s -w -X main.version=${KUBE_SCORE_VERSION#v} -X main.commit=module-proxy -X main.date=unknown"
gobin="$E2E_CACHE/src/kube-score-bin"
rm -rf "$gobin"
mkdir -p "$gobin"
run_logged "go install kube-score $KUBE_SCORE_VERSION" "$E2E_LOGS/kube-score.log" \
  env GOBIN="$gobin" go install -ldflags "$ldflags" "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
mv "$gobin/kube-score" "$target"
rm -rf "$gobin"
write_stamp "$target" "$recipe"
log "  $("$target" version)"
