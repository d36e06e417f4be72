#!/usr/bin/env bash
# The Terraform providers the stacks use, built from source through the Go module proxy into a
# filesystem mirror (unpacked layout), plus a Terraform CLI config that installs them from there:
#
#   <cache>/terraform-providers/registry.terraform.io/hashicorp/<name>/<version>/<os>_<arch>/terraform-provider-<name>_v<version>
#   <cache>/terraformrc
#   <cache>/terraform-providers/<name>.version   the version installed (read by the suite)
#
# The suite points TF_CLI_CONFIG_FILE at that file for its own terraform processes only; the
# user's ~/.terraformrc is never read or written.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_go

platform="$(go env GOOS)_$(go env GOARCH)"

# Builds provider $1 (module $2) at module version $3, installed under the version its
# version/VERSION file declares + "-src.<commit>".
build_provider() {
  local name="$1" module="$2" module_version="$3"
  local recipe="$module source=$module_version"
  local version_file="$E2E_PROVIDER_MIRROR/$name.version"
  if [ -f "$version_file" ]; then
    local installed
    installed="$(cat "$version_file")"
    local binary="$E2E_PROVIDER_MIRROR/registry.terraform.io/hashicorp/$name/$installed/$platform/terraform-provider-${name}_v$installed"
    if stamp_matches "$binary" "$recipe"; then
      log "terraform-provider-$name $installed: cached"
      return 0
    fi
  fi

  local dir version
  dir="$(cd "$E2E_CACHE" && go mod download -json "$module@$module_version" 2>"$E2E_LOGS/terraform-provider-$name-resolve.log" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" ||
    die "the Go module proxy ($(go env GOPROXY)) does not serve $module@$module_version; see $E2E_LOGS/terraform-provider-$name-resolve.log"
  version="$(tr -d '[:space:]' <"$dir/version/VERSION")-src.${module_version##*-}"
  log "terraform-provider-$name: building $module@$module_version, installed as hashicorp/$name $version (a source build, not the release binary)"

  local mirror_dir="$E2E_PROVIDER_MIRROR/registry.terraform.io/hashicorp/$name/$version/$platform"
  local binary="$mirror_dir/terraform-provider-${name}_v$version"
  local gobin="$E2E_CACHE/src/terraform-provider-$name-bin"
  rm -rf "$gobin"
  mkdir -p "$mirror_dir" "$gobin"
  # The helm provider reports main.Version; the kubernetes provider has it as a constant "dev".
  # Cold, each provider takes 2-3 minutes on 2 cores.
  run_logged "go install terraform-provider-$name $version" "$E2E_LOGS/terraform-provider-$name.log" \
    env GOBIN="$gobin" go install -ldflags "-s -w -X main.Version=$version" "$module@$module_version"
  mv "$gobin/terraform-provider-$name" "$binary"
  write_stamp "$binary" "$recipe"
  printf '%s' "$version" >"$E2E_PROVIDER_MIRROR/$name.version"
}

build_provider kubernetes github.com/hashicorp/terraform-provider-kubernetes "$KUBERNETES_PROVIDER_MODULE_VERSION"
build_provider helm github.com/hashicorp/terraform-provider-helm "$HELM_PROVIDER_MODULE_VERSION"

# Every hashicorp/* provider from the mirror, never from the network: a missing one fails
# `terraform init` at once instead of timing out on an unreachable registry.
cat >"$E2E_CACHE/terraformrc" <<HCL
# Written by govcloud-blueprint test/e2e/toolchain/build-terraform-providers.sh; used only by the
# e2e suite's own terraform processes (TF_CLI_CONFIG_FILE).
provider_installation {
  filesystem_mirror {
    path    = "$E2E_PROVIDER_MIRROR"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
HCL
log "terraform CLI config: $E2E_CACHE/terraformrc (mirror $E2E_PROVIDER_MIRROR)"
