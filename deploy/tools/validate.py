"""Validate Kubernetes manifests offline: every document of every file, or the command fails.

- Kinds of Kubernetes itself: against the JSON schemas of ``kubernetes-validate`` (shipped inside that
  PyPI package, so no network), strict: an unknown field is an error, as with ``kubectl --validate=strict``.
- ECK kinds (``Elasticsearch``, ``Kibana``): against the ``openAPIV3Schema`` of the CRDs vendored in
  ``deploy/vendor/eck-crds``, made strict the same way; their ``podTemplate`` (free-form in the CRD) is
  checked as a core ``PodTemplateSpec``.
- The KubernetesExecutor's pod template, which the Airflow chart renders as text inside a ConfigMap,
  is parsed and checked as a ``Pod``.
- A document of any other kind has no schema here, and that is an error too (nothing passes unchecked).
- In every pod spec, each container's volume mounts name a volume of the pod (the API server refuses a
  pod that does not; no schema can say so).

Runs in the tools' virtual environment that ``make deploy-check`` builds (deploy/tools/requirements.txt).

    python deploy/tools/validate.py --kubernetes-version 1.33 --crds deploy/vendor/eck-crds FILE...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml
from kubernetes_validate import utils as kv_utils

POD_TEMPLATE_KEY = "pod_template_file.yaml"
MAX_ERRORS_PER_DOCUMENT = 5


def pod_spec(doc: dict):
    """The pod spec inside a workload (or a Pod), else None."""
    spec = doc.get("spec")
    kind = doc.get("kind")
    if kind == "CronJob":
        spec = ((spec or {}).get("jobTemplate") or {}).get("spec")
    if kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}:
        spec = ((spec or {}).get("template") or {}).get("spec")
    elif kind != "Pod":
        return None
    return spec if isinstance(spec, dict) else None


def unmounted_volumes(spec: dict) -> list[str]:
    """Volume mounts of the containers of ``spec`` whose volume the pod does not have."""
    volumes = {v.get("name") for v in spec.get("volumes") or [] if isinstance(v, dict)}
    missing = []
    for group in ("initContainers", "containers"):
        for container in spec.get(group) or []:
            for mount in (container.get("volumeMounts") or []) if isinstance(container, dict) else []:
                if isinstance(mount, dict) and mount.get("name") not in volumes:
                    missing.append(f"{group} {container.get('name')}: volume {mount.get('name')!r} "
                                   "is mounted but not in the pod's volumes")
    return missing


def strict_schema(node):
    """An OpenAPI v3 structural schema of a CRD as a JSON schema that rejects unknown fields."""
    if isinstance(node, list):
        return [strict_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: strict_schema(value) for key, value in node.items()}
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out.pop("anyOf", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.pop("nullable", False) and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    preserve = out.pop("x-kubernetes-preserve-unknown-fields", False)
    if out.pop("x-kubernetes-embedded-resource", False):
        props = out.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    for key in [k for k in out if k.startswith("x-kubernetes-")]:
        out.pop(key)
    if "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    return out


def load_crds(folder: Path) -> dict[tuple[str, str], dict]:
    """(apiVersion, kind) -> JSON schema, for every served version of every CRD in ``folder``."""
    schemas = {}
    for path in sorted(folder.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = doc["spec"]["group"], doc["spec"]["names"]["kind"]
            for version in doc["spec"]["versions"]:
                schema = (version.get("schema") or {}).get("openAPIV3Schema")
                if version.get("served") and schema:
                    schema = strict_schema(schema)
                    schema["properties"].setdefault("apiVersion", {"type": "string"})
                    schema["properties"].setdefault("kind", {"type": "string"})
                    schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


class Validator:
    def __init__(self, kubernetes_version: str, crds: dict[tuple[str, str], dict]):
        self.version = kubernetes_version
        self.crds = crds
        self.errors: list[str] = []
        self.checked: dict[str, int] = {}

    # ------------------------------------------------------------------ core kinds
    def core(self, doc: dict, where: str) -> None:
        try:
            kubernetes_validate.validate(doc, self.version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            self.fail(where, exc)
        except kubernetes_validate.SchemaNotFoundError:
            self.errors.append(f"{where}: no schema for {doc.get('apiVersion')} {doc.get('kind')} "
                               f"in Kubernetes {self.version}")
        else:
            self.count(doc)

    def part(self, schema_name: str, value: dict, where: str) -> None:
        """``value`` against one of kubernetes-validate's strict part schemas (e.g. podtemplatespec-v1)."""
        from referencing import Registry, Resource

        version = [v for v in kv_utils.all_versions()
                   if kv_utils.major_minor(v) <= kv_utils.major_minor(self.version)][-1]
        folder = f"kubernetes-json-schema/v{version}-local-strict"
        schema = kv_utils.schema_contents(f"{folder}/{schema_name}.json", self.version)
        definitions = kv_utils.schema_contents(f"{folder}/_definitions.json", self.version)
        registry = Resource.from_contents(schema) @ (Resource.from_contents(definitions) @ Registry())
        validator = jsonschema.Draft202012Validator(schema, registry=registry)
        self.report(validator.iter_errors(value), where)

    # ------------------------------------------------------------------ custom resources
    def custom(self, doc: dict, where: str) -> None:
        schema = self.crds[(doc["apiVersion"], doc["kind"])]
        before = len(self.errors)
        self.report(jsonschema.Draft4Validator(schema).iter_errors(doc), where)
        spec = doc.get("spec") or {}
        for i, node_set in enumerate(spec.get("nodeSets") or []):
            if isinstance(node_set, dict) and isinstance(node_set.get("podTemplate"), dict):
                self.part("podtemplatespec-v1", node_set["podTemplate"],
                          f"{where} spec.nodeSets[{i}].podTemplate")
        if isinstance(spec.get("podTemplate"), dict):
            self.part("podtemplatespec-v1", spec["podTemplate"], f"{where} spec.podTemplate")
        if len(self.errors) == before:
            self.count(doc)

    # ------------------------------------------------------------------ plumbing
    def report(self, errors, where: str) -> None:
        errors = sorted(errors, key=lambda e: list(e.absolute_path))
        for error in errors[:MAX_ERRORS_PER_DOCUMENT]:
            path = ".".join(str(p) for p in error.absolute_path) or "(root)"
            self.errors.append(f"{where}: {path}: {error.message[:300]}")
        if len(errors) > MAX_ERRORS_PER_DOCUMENT:
            self.errors.append(f"{where}: ... and {len(errors) - MAX_ERRORS_PER_DOCUMENT} more")

    def fail(self, where: str, exc: Exception) -> None:
        cause = getattr(exc, "caused_by", None) or exc
        path = ".".join(str(p) for p in getattr(cause, "absolute_path", [])) or "(root)"
        message = getattr(cause, "message", str(cause))
        self.errors.append(f"{where}: {path}: {message[:300]}")

    def count(self, doc: dict) -> None:
        key = f"{doc['apiVersion']} {doc['kind']}"
        self.checked[key] = self.checked.get(key, 0) + 1

    def document(self, doc, where: str) -> None:
        if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
            self.errors.append(f"{where}: not a Kubernetes object (no apiVersion and kind)")
            return
        where = f"{where} {doc['kind']}/{(doc.get('metadata') or {}).get('name', '?')}"
        if (doc["apiVersion"], doc["kind"]) in self.crds:
            self.custom(doc, where)
        else:
            self.core(doc, where)
        spec = pod_spec(doc)
        if spec is not None:
            self.errors.extend(f"{where}: {problem}" for problem in unmounted_volumes(spec))
        if doc["kind"] == "ConfigMap":
            for key, text in (doc.get("data") or {}).items():
                if key == POD_TEMPLATE_KEY:
                    try:
                        pod = yaml.safe_load(text)
                    except yaml.YAMLError as exc:
                        self.errors.append(f"{where} data.{key}: not YAML: {exc}")
                        continue
                    self.document(pod, f"{where} data.{key} ->")

    def file(self, path: Path) -> int:
        try:
            docs = list(yaml.safe_load_all(path.read_text()))
        except yaml.YAMLError as exc:
            self.errors.append(f"{path}: not YAML: {exc}")
            return 0
        n = 0
        for i, doc in enumerate(docs):
            if doc is None:
                continue
            n += 1
            self.document(doc, f"{path}#{i}")
        return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes-version", required=True)
    parser.add_argument("--crds", type=Path, required=True, help="folder of vendored CRD YAML files")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    crds = load_crds(args.crds)
    if not crds:
        print(f"no CRD schema in {args.crds}", file=sys.stderr)
        return 2
    validator = Validator(args.kubernetes_version, crds)
    total = sum(validator.file(path) for path in args.files)
    for error in validator.errors:
        print(f"INVALID {error}", file=sys.stderr)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(validator.checked.items()))
    if validator.errors or total == 0:
        print(f"{len(validator.errors)} error(s) in {total} document(s) of {len(args.files)} file(s)",
              file=sys.stderr)
        return 1
    print(f"{total} document(s) valid against Kubernetes {args.kubernetes_version} and the ECK CRDs "
          f"({kinds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
