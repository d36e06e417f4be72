# shellcheck shell=bash
# Every version the end-to-end toolchain builds, in one place. Changing a value here changes the
# artifact's stamp, so the next run rebuilds that artifact (and only that one).

# --- Terraform providers -----------------------------------------------------------------------
# The versions the synthesized stacks pin: @cdktf/provider-kubernetes 12 and @cdktf/provider-helm 12
# are generated for these, and cdktf writes them as exact `required_providers` versions.
KUBERNETES_PROVIDER_PIN=2.38.0
HELM_PROVIDER_PIN=3.1.1

# The release tags' commits. The providers' go.mod paths have no /v2 or /v3 suffix, so the module
# proxy knows the tags only by commit (as a pseudo-version).
KUBERNETES_PROVIDER_PIN_COMMIT=be88f44271050f69d52f410bca388834afedfe71
HELM_PROVIDER_PIN_COMMIT=1cbf08f6a306ab3cdff6079b87a61c7641b64f3b

# What to build when the module proxy in use does not serve the pinned commit (a curated mirror
# serves only the versions it lists; `go list -m -versions <module>` shows them). These are the
# newest sources such a mirror was seen to serve, with the version their own version/VERSION file
# declares. They are installed under that version with a "-src.<commit>" suffix, so every
# `terraform init` says plainly that the stacks are checked against a source build that is NOT
# the pinned release, and the suite prints the substitution.
KUBERNETES_PROVIDER_FALLBACK_MODULE_VERSION=v1.13.4-0.20260821094251-3a33fb6cc605
HELM_PROVIDER_FALLBACK_MODULE_VERSION=v1.3.3-0.20260629194918-a4f1c1d8b008

# --- Kubernetes API server ---------------------------------------------------------------------
# kube-apiserver and kube-controller-manager from k8s.io/kubernetes; each k8s.io/* staging module
# is replaced by its published v0.<minor>.<patch> twin, derived from this version. It must be a
# release whose twins the module proxy serves: on the curated proxy of our CI machines v1.32.13
# lacks k8s.io/endpointslice v0.32.13 (kube-controller-manager needs it); v1.33.13 has them all.
# (kubectl 1.32 is within the supported one-minor skew.)
KUBERNETES_VERSION=v1.33.13

# --- etcd ------------------------------------------------------------------------------------------
# The etcd release the Kubernetes above is built with (k8s.io/kubernetes v1.33.13's go.mod requires
# go.etcd.io/etcd/server/v3 v3.5.21). Debian bookworm's etcd-server is 3.4.23, a minor Kubernetes
# 1.33 is no longer tested against, so etcd is built from the module proxy as well.
ETCD_VERSION=v3.5.21
# etcd 3.5's v2 client module is versioned v2.305.<patch>.
ETCD_CLIENT_V2_VERSION=v2.305.21

# --- helm --------------------------------------------------------------------------------------------
# helm.sh/helm/v3, built with the official build's version flags (../shared/charts/README.md); the
# Kubernetes version it tells charts (.Capabilities.KubeVersion) is the major.minor of
# KUBERNETES_VERSION above, so charts render for the same Kubernetes as the test API server.
HELM_VERSION=v3.18.4

# --- promtool --------------------------------------------------------------------------------------
# promtool from github.com/prometheus/prometheus (Prometheus 3.x is published as module v0.3XX.Y:
# v0.316.0 is Prometheus 3.16.0). Built inside a copy of the module, with the module's own go.mod
# and go.sum, the way the project's release build does.
PROMETHEUS_MODULE_VERSION=v0.316.0

# --- kube-score ------------------------------------------------------------------------------------
# github.com/zegl/kube-score, an independent Kubernetes object linter the suite runs on every
# manifest folder (../external-scanners.e2e.ts). Its go.mod has no replace lines, so `go install`.
# v1.20.0 is the newest release the module proxy serves (`go list -m -versions github.com/zegl/kube-score`).
KUBE_SCORE_VERSION=v1.20.0

# --- Checkov ---------------------------------------------------------------------------------------
# checkov from PyPI, an independent IaC scanner the suite runs on every manifest folder and every
# stack (../external-scanners.e2e.ts), installed into a virtualenv under the cache. Every package
# it pulls in is pinned by checkov-constraints.txt (its `pip freeze` on Python 3.11), so a run next
# month scans with the same code; the file's hash is part of the stamp.
CHECKOV_VERSION=3.3.30
