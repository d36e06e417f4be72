#!/usr/bin/env bash
# helm from the Go module proxy, into <cache>/bin/helm, with the version flags of helm's own
# release build (its Makefile; ../shared/charts/README.md shows the command). Without them helm
# reports no version and tells charts the cluster is Kubernetes v1.20.0; here it tells them the
# major.minor of KUBERNETES_VERSION, the Kubernetes of the suite's API server.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_go

k8s_minor="${KUBERNETES_VERSION#v1.}"; k8s_minor="${k8s_minor%%.*}"
target="$E2E_BIN/helm"
recipe="helm $HELM_VERSION k8s=1.$k8s_minor"
if stamp_matches "$target" "$recipe"; then
  log "helm $HELM_VERSION: cached"
  exit 0
fi

log "helm $HELM_VERSION (charts see Kubernetes 1.$k8s_minor): building from the Go module proxy"
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor"
ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor"

gobin="$E2E_CACHE/src/helm-bin"
rm -rf "$gobin"
mkdir -p "$gobin"
run_logged "go install helm $HELM_VERSION" "$E2E_LOGS/helm.log" \
  env GOBIN="$gobin" go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
mv "$gobin/helm" "$target"
rm -rf "$gobin"
write_stamp "$target" "$recipe"
log "  $("$target" version --short)"
