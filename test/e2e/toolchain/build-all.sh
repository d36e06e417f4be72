#!/usr/bin/env bash
# Builds (or finds in the cache) everything the e2e suite runs, then writes <cache>/toolchain.json
# for the suite. Each step is timed. Run by the suite's jest globalSetup; safe to run by hand.
#
# Environment:
#   GOVCLOUD_E2E_CACHE=DIR         cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/govcloud-blueprint/e2e)
#   GOVCLOUD_E2E_PROVIDERS=registry  take the providers from the Terraform registry (machines that
#                                  reach it) instead of building them from source
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_tool terraform "Install Terraform 1.11 or later (https://developer.hashicorp.com/terraform/install)."
require_tool kubectl "Install kubectl 1.32 or later (https://kubernetes.io/docs/tasks/tools/)."
require_tool openssl "Install OpenSSL (Debian: apt-get install openssl); it makes the test API server's certificates."
# CHROMIUM_PATH names another Chromium build; .ci/run installs Debian's package when it is missing.
[ -n "${CHROMIUM_PATH:-}" ] || require_tool chromium "Install Chromium (Debian: apt-get install chromium); the HTML report's test opens the report in it, headless."
# (stderr dropped: a TF_CLI_CONFIG_FILE naming a missing file only warns, and is not ours to judge here)
terraform_version="$(terraform version -json 2>/dev/null | sed -n 's/^[[:space:]]*"terraform_version": "\(.*\)",$/\1/p')"
case "$terraform_version" in
  0.* | 1.[0-9].* | 1.10.*) die "Terraform $terraform_version is too old: the stacks need 1.11 or later (write-only attributes)." ;;
esac

providers_mode="${GOVCLOUD_E2E_PROVIDERS:-source}"
case "$providers_mode" in source | registry) ;; *) die "GOVCLOUD_E2E_PROVIDERS must be 'source' or 'registry', got '$providers_mode'" ;; esac

log "cache: $E2E_CACHE"
timings=()
step() {
  local name="$1" started=$SECONDS
  shift
  "$@"
  timings+=("\"$name\": $(( SECONDS - started ))")
}

if [ "$providers_mode" = source ]; then
  step terraformProviders bash "$TOOLCHAIN_DIR/build-terraform-providers.sh"
else
  log "terraform providers: from the Terraform registry (GOVCLOUD_E2E_PROVIDERS=registry)"
fi
step etcd bash "$TOOLCHAIN_DIR/build-etcd.sh"
step kubernetes bash "$TOOLCHAIN_DIR/build-kubernetes.sh"
step helm bash "$TOOLCHAIN_DIR/build-helm.sh"
step promtool bash "$TOOLCHAIN_DIR/build-promtool.sh"
step kubeScore bash "$TOOLCHAIN_DIR/build-kube-score.sh"
step checkov bash "$TOOLCHAIN_DIR/build-checkov.sh"

installed() { if [ -f "$E2E_PROVIDER_MIRROR/$1.version" ]; then cat "$E2E_PROVIDER_MIRROR/$1.version"; fi; }
cat >"$E2E_CACHE/toolchain.json" <<JSON
{
  "cache": "$E2E_CACHE",
  "providers": {
    "mode": "$providers_mode",
    "terraformrc": "$( [ "$providers_mode" = source ] && printf '%s' "$E2E_CACHE/terraformrc" )",
    "installed": { "kubernetes": "$( [ "$providers_mode" = source ] && installed kubernetes )", "helm": "$( [ "$providers_mode" = source ] && installed helm )" }
  },
  "bin": {
    "etcd": "$E2E_BIN/etcd",
    "kubeApiserver": "$E2E_BIN/kube-apiserver",
    "kubeControllerManager": "$E2E_BIN/kube-controller-manager",
    "helm": "$E2E_BIN/helm",
    "promtool": "$E2E_BIN/promtool",
    "kubeScore": "$E2E_BIN/kube-score",
    "checkov": "$E2E_BIN/checkov"
  },
  "versions": { "kubernetes": "$KUBERNETES_VERSION", "etcd": "$ETCD_VERSION", "terraform": "$terraform_version", "helm": "$HELM_VERSION", "promtool": "$PROMETHEUS_MODULE_VERSION", "kubeScore": "$KUBE_SCORE_VERSION", "checkov": "$CHECKOV_VERSION" },
  "stepSeconds": { $(IFS=,; printf '%s' "${timings[*]}") }
}
JSON
log "toolchain ready: $E2E_CACHE/toolchain.json"
