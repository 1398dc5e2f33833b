#!/usr/bin/env bash
# Render the vendored Airflow chart with Vigie's values (alone, département, région) and validate every
# rendered manifest, the ECK manifests and the plain ones, offline. Run by `make deploy-check`, which
# installs the tools first and sets HELM and DEPLOY_PYTHON.
#   DEPLOY_EXTRA_VALUES     values files layered last on every render (the test's broken ones)
#   DEPLOY_EXTRA_MANIFESTS  more manifests to validate
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HELM:?set HELM (make deploy-check does)}" "${DEPLOY_PYTHON:?set DEPLOY_PYTHON (make deploy-check does)}"
K8S_VERSION=${K8S_VERSION:-1.33.0}
OUT=${DEPLOY_OUT:-.vigie/deploy-render}
CHART=deploy/vendor/airflow-chart/airflow-1.18.0.tgz

extra=()
for file in ${DEPLOY_EXTRA_VALUES:-}; do extra+=(-f "$file"); done

rm -rf "$OUT"
mkdir -p "$OUT"
render() {
    local name=$1
    shift
    echo "helm template: $name"
    "$HELM" template vigie "$CHART" --namespace vigie --kube-version "$K8S_VERSION" \
        -f deploy/airflow/values.yaml "$@" "${extra[@]}" > "$OUT/$name.yaml"
}
render airflow
render airflow-departement -f deploy/airflow/values-departement.yaml
render airflow-region -f deploy/airflow/values-region.yaml

# shellcheck disable=SC2086
"$DEPLOY_PYTHON" deploy/tools/validate.py --kubernetes-version "$K8S_VERSION" --crds deploy/vendor/eck-crds \
    "$OUT"/*.yaml deploy/eck/*.yaml deploy/eck/region/*.yaml deploy/manifests/*.yaml ${DEPLOY_EXTRA_MANIFESTS:-}
