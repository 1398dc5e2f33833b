"""`make deploy-check` (deploy/, docs/DEPLOY.md): the Airflow chart renders with Vigie's values and every
manifest validates offline; a broken values file or manifest makes it fail, naming the fault.

The first run builds Helm with `go install` (minutes) and the validator's virtual environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

pytestmark = [
    pytest.mark.skipif(shutil.which("go") is None,
                       reason="Go is not installed: make deploy-check builds Helm with `go install` "
                              "from the Go module proxy"),
    pytest.mark.timeout(1800),
]


def deploy_check(out: Path, **variables: str) -> subprocess.CompletedProcess:
    args = ["make", "--no-print-directory", "deploy-check", *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(args, cwd=ROOT, env={**os.environ, "DEPLOY_OUT": str(out)},
                          capture_output=True, text=True, check=False)


def documents(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def named(docs: list[dict], kind: str, name: str) -> dict:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("render")
    run = deploy_check(out)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "document(s) valid against Kubernetes" in run.stdout
    for kind in ("Elasticsearch", "Kibana", "apps/v1 Deployment", "batch/v1 Job", "v1 Pod"):
        assert kind in run.stdout
    return out


def test_everything_renders_and_validates(rendered):
    assert sorted(p.name for p in rendered.glob("*.yaml")) == [
        "airflow-departement.yaml", "airflow-region.yaml", "airflow.yaml"]


def test_kubernetes_executor_git_sync_and_the_crawl_pool(rendered):
    docs = documents(rendered / "airflow.yaml")
    cfg = named(docs, "ConfigMap", "vigie-config")["data"]["airflow.cfg"]
    assert "executor = KubernetesExecutor" in cfg
    assert "dags_folder = /opt/airflow/dags/repo/dags" in cfg
    scheduler = named(docs, "Deployment", "vigie-scheduler")["spec"]["template"]["spec"]
    init = [c["name"] for c in scheduler["initContainers"]]
    # the pool is imported after the migrations are there
    assert init.index("wait-for-airflow-migrations") < init.index("vigie-pools")
    pools = {}
    for name in ("airflow", "airflow-departement", "airflow-region"):
        data = named(documents(rendered / f"{name}.yaml"), "ConfigMap", "vigie-vigie-pools")["data"]
        pools[name] = json.loads(data["pools.json"])["vigie_crawl"]["slots"]
    assert pools == {"airflow": 4, "airflow-departement": 4, "airflow-region": 16}
    pod = yaml.safe_load(named(docs, "ConfigMap", "vigie-config")["data"]["pod_template_file.yaml"])
    env = {e["name"]: e for e in pod["spec"]["containers"][0]["env"]}
    assert env["VIGIE_CRAWL_POOL"]["value"] == "vigie_crawl"
    assert any(c["name"] == "git-sync-init" for c in pod["spec"]["initContainers"])


def test_the_region_spreads_its_monthly_indices_over_three_primary_shards(rendered):
    """docs/DEPLOY.md, "Sizing": ~60 GB a month at a million documents a day, over the 50 GB a shard holds."""
    from vigie.settings import check_index_shards

    shards = {}
    for name in ("airflow", "airflow-departement", "airflow-region"):
        config = named(documents(rendered / f"{name}.yaml"), "ConfigMap", "vigie-config")["data"]
        env = {e["name"]: e for e in yaml.safe_load(config["pod_template_file.yaml"])["spec"]["containers"][0]["env"]}
        shards[name] = check_index_shards(env.get("VIGIE_INDEX_SHARDS", {}).get("value"), name)
    assert shards == {"airflow": None, "airflow-departement": None, "airflow-region": 3}


def test_connections_and_keys_come_from_secrets(rendered):
    """No connection, password or key is written in the values: each is a secretKeyRef, in every pod."""
    docs = documents(rendered / "airflow.yaml")
    pod = yaml.safe_load(named(docs, "ConfigMap", "vigie-config")["data"]["pod_template_file.yaml"])
    containers = [pod["spec"]["containers"][0]] + [
        c for d in docs if d["kind"] == "Deployment" for c in d["spec"]["template"]["spec"]["containers"]
        if c["name"] in {"scheduler", "api-server", "dag-processor"}]
    assert len(containers) == 4
    for container in containers:
        env = {e["name"]: e for e in container["env"]}
        for name in ("AIRFLOW_CONN_VIGIE_ES", "AIRFLOW_CONN_VIGIE_SMTP", "VIGIE_PSEUDONYM_KEY",
                     "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CORE__FERNET_KEY"):
            assert "value" not in env[name], (container["name"], name)
            assert env[name]["valueFrom"]["secretKeyRef"]["name"], (container["name"], name)
    assert not [d for d in docs if d["kind"] == "Job" and "create-user" in d["metadata"]["name"]]


@pytest.mark.parametrize(("values", "messages"), [
    # a secretKeyRef without its key, in every container and in the task pods' template
    ("broken-values.yaml", ["'key' is a required property", "data.pod_template_file.yaml"]),
    # a mount of a volume the pod does not have
    ("broken-mount-values.yaml", ["Deployment/vigie-dag-processor",
                                  "volume 'nowhere' is mounted but not in the pod's volumes"]),
])
def test_a_broken_values_file_fails_in_the_rendered_manifests(tmp_path, values, messages):
    """Values the chart's own schema accepts but whose manifests are invalid: the validator fails."""
    run = deploy_check(tmp_path, DEPLOY_EXTRA_VALUES=str(HERE / values))
    assert run.returncode != 0
    assert "INVALID" in run.stderr
    for message in messages:
        assert message in run.stderr, run.stderr[-3000:]


def test_values_the_chart_refuses_fail(tmp_path):
    run = deploy_check(tmp_path, DEPLOY_EXTRA_VALUES=str(HERE / "refused-values.yaml"))
    assert run.returncode != 0
    assert "NoSuchExecutor" in run.stderr or "/executor" in run.stderr


@pytest.mark.parametrize(("manifest", "messages"), [
    ("broken-elasticsearch.yaml", ["spec.nodeSets.0.count: 'three' is not of type 'integer'",
                                   "'storageSize' was unexpected"]),
    ("broken-pod-template.yaml", ["data.pod_template_file.yaml", "'cpuLimit' was unexpected"]),
])
def test_a_broken_manifest_fails(tmp_path, manifest, messages):
    run = deploy_check(tmp_path, DEPLOY_EXTRA_MANIFESTS=str(HERE / manifest))
    assert run.returncode != 0
    for message in messages:
        assert message in run.stderr, run.stderr[-3000:]
