"""Push saved objects through Kibana's saved objects import API, and report what happened."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

from vigie.redact import redact_url


class KibanaImportError(RuntimeError):
    pass


@dataclass
class ImportReport:
    created: list[tuple[str, str]] = field(default_factory=list)      # (type, title)
    overwritten: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (type, title, reason)
    copies: list[tuple[str, str, str]] = field(default_factory=list)  # (type, title, new id): Kibana changed the id

    @property
    def ok(self) -> bool:
        return not self.errors


def _auth_headers() -> dict[str, str]:
    env = os.environ
    api_key = env.get("KIBANA_API_KEY") or env.get("ELASTICSEARCH_API_KEY")
    if api_key:
        return {"Authorization": f"ApiKey {api_key}"}
    return {}


def _basic_auth() -> tuple[str, str] | None:
    env = os.environ
    user = env.get("KIBANA_USERNAME") or env.get("ELASTICSEARCH_USERNAME")
    if user and not (env.get("KIBANA_API_KEY") or env.get("ELASTICSEARCH_API_KEY")):
        return user, env.get("KIBANA_PASSWORD") or env.get("ELASTICSEARCH_PASSWORD") or ""
    return None


def import_ndjson(url: str, path: str | Path, space: str | None = None, overwrite: bool = True,
                  timeout: float = 60) -> ImportReport:
    """POST the file to ``/api/saved_objects/_import`` (or ``/s/<space>/…``) as multipart/form-data."""
    path = Path(path)
    endpoint = url.rstrip("/") + (f"/s/{quote(space)}" if space else "") + "/api/saved_objects/_import"
    verify: bool | str = os.environ.get("KIBANA_CA_CERTS") or True
    try:
        resp = requests.post(
            endpoint,
            params={"overwrite": "true"} if overwrite else None,
            headers={"kbn-xsrf": "vigie", **_auth_headers()},
            auth=_basic_auth(),
            files={"file": (path.name, path.read_bytes(), "application/ndjson")},
            timeout=timeout,
            verify=verify,
        )
    except requests.RequestException as exc:
        raise KibanaImportError(f"Kibana is not reachable at {redact_url(url)}: {type(exc).__name__}") from None
    if resp.status_code in (401, 403):
        raise KibanaImportError(f"Kibana refused the credentials ({resp.status_code}): set KIBANA_API_KEY, "
                                "or KIBANA_USERNAME and KIBANA_PASSWORD")
    try:
        body = resp.json()
    except ValueError:
        body = None
    if resp.status_code != 200 or not isinstance(body, dict):
        detail = body.get("message") if isinstance(body, dict) else resp.text[:300]
        raise KibanaImportError(f"Kibana answered {resp.status_code} to the import: {detail}")
    report = ImportReport()
    for item in body.get("successResults", []):
        entry = (item.get("type", "?"), (item.get("meta") or {}).get("title") or item.get("id", "?"))
        (report.overwritten if item.get("overwrite") else report.created).append(entry)
        if item.get("destinationId") and item["destinationId"] != item.get("id"):
            report.copies.append((*entry, item["destinationId"]))
    for item in body.get("errors", []):
        error = item.get("error") or {}
        reason = error.get("type", "unknown")
        if reason == "missing_references":
            reason += ": " + ", ".join(f"{r.get('type')} {r.get('id')}" for r in error.get("references", []))
        report.errors.append((item.get("type", "?"), (item.get("meta") or {}).get("title") or item.get("id", "?"),
                              reason))
    return report
