# shellcheck shell=bash
# Every version the end-to-end toolchain builds, in one place. Changing a value here changes the
# artifact's stamp, so the next run rebuilds that artifact (and only that one).

# --- Terraform providers -----------------------------------------------------------------------
# The stacks require hashicorp/kubernetes >= 3.2.1, < 3.3.0 and hashicorp/helm >= 3.2.0, < 3.3.0
# (PROVIDER_VERSIONS in constructs/core/cluster-stack.ts). The suite builds them from these module
# versions (commits of their 3.2 sources; the providers' go.mod paths have no /v3 suffix, so the
# module proxy knows them only as pseudo-versions; `go list -m -versions <module>` lists what a
# curated proxy serves). Each is installed as the version its version/VERSION file declares plus
# "-src.<commit>": Terraform never takes a pre-release for a range, so the suite asks for that
# exact build (an override file beside each stack) and proves separately that the stacks' range
# admits its release number (validate-stacks.e2e.ts). Moving to another minor means moving
# PROVIDER_VERSIONS with it.
KUBERNETES_PROVIDER_MODULE_VERSION=v1.13.4-0.20260821094251-3a33fb6cc605
HELM_PROVIDER_MODULE_VERSION=v1.3.3-0.20260629194918-a4f1c1d8b008

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
