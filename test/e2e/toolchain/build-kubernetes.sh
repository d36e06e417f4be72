#!/usr/bin/env bash
# kube-apiserver and kube-controller-manager from the Go module proxy, into <cache>/bin/.
#
# The controller manager runs only its resourcequota controller: the kubernetes provider waits
# after creating a ResourceQuota until the quota controller has copied spec.hard to status.hard,
# and the ResourceQuota admission plugin rejects objects a quota counts (Services, PVCs) while the
# quota has no status. Both binaries come from one wrapper module and share one build cache.
#
# k8s.io/kubernetes cannot be built with `go install module@version`: its go.mod requires every
# k8s.io/* staging module at v0.0.0 and replaces it with ./staging/src/... A tiny wrapper module
# requires k8s.io/kubernetes and replaces each of those staging modules with its published twin
# (Kubernetes v1.X.Y is published as v0.X.Y), read from k8s.io/kubernetes's own replace block so a
# version bump needs no list to maintain.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_go

commands=(kube-apiserver kube-controller-manager)
recipe="kubernetes $KUBERNETES_VERSION"
up_to_date=1
for command in "${commands[@]}"; do stamp_matches "$E2E_BIN/$command" "$recipe" || up_to_date=0; done
if (( up_to_date )); then
  log "kube-apiserver and kube-controller-manager $KUBERNETES_VERSION: cached"
  exit 0
fi

log "kube-apiserver and kube-controller-manager $KUBERNETES_VERSION: building from the Go module proxy (cold: about 6 minutes on 2 cores)"
module_dir="$(fresh_module_dir kubernetes)"
kubernetes_gomod="$(cd "$module_dir" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
[ -f "$kubernetes_gomod" ] || die "could not download k8s.io/kubernetes@$KUBERNETES_VERSION from the Go module proxy ($(go env GOPROXY))"

staging_version="v0.${KUBERNETES_VERSION#v1.}"
go_version="$(sed -n 's/^go //p' "$kubernetes_gomod")"
{
  printf 'module govcloud-blueprint.e2e/kubernetes\n\ngo %s\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$go_version" "$KUBERNETES_VERSION"
  # Lines such as "	k8s.io/api => ./staging/src/k8s.io/api" become "	k8s.io/api => k8s.io/api v0.32.13".
  sed -n "s#^[[:space:]]*\(k8s.io/[^[:space:]]*\) => \./staging/.*#\t\1 => \1 $staging_version#p" "$kubernetes_gomod"
  printf ')\n'
} >"$module_dir/go.mod"
grep -q "=> k8s.io/api $staging_version" "$module_dir/go.mod" || die "found no staging replace lines in $kubernetes_gomod"

# The version Kubernetes' own build stamps in (kubectl version and /version show it).
minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

for command in "${commands[@]}"; do
  target="$E2E_BIN/$command"
  run_logged "go build $command $KUBERNETES_VERSION" "$E2E_LOGS/$command.log" \
    bash -c 'cd "$1" && go build -mod=mod -ldflags "$2" -o "$3.partial" "k8s.io/kubernetes/cmd/$4"' _ "$module_dir" "$ldflags" "$target" "$command"
  mv "$target.partial" "$target"
  write_stamp "$target" "$recipe"
  log "  $("$target" --version)"
done
