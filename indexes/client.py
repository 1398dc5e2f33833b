"""An Elasticsearch client from the environment, and a clear error when it is unreachable."""

from __future__ import annotations

import time

from elasticsearch import ApiError, AuthenticationException, Elasticsearch, TransportError

from vigie.errors import ClusterUnavailable
from vigie.settings import ESSettings

__all__ = ["ClusterUnavailable", "connect", "make_client"]  # ClusterUnavailable: vigie.errors


def _settings() -> ESSettings:
    from vigie.connections import ConnectionInvalid

    try:
        return ESSettings.from_env()
    except ConnectionInvalid as exc:  # an unreadable VIGIE_ES_CONN_ID connection; the message has no secret
        raise ClusterUnavailable(str(exc)) from None


def make_client(es: ESSettings | None = None, **kwargs) -> Elasticsearch:
    es = es or _settings()
    options: dict = {
        "request_timeout": 30,
        "retry_on_timeout": True,
        "max_retries": 3,
    }
    if es.api_key:
        options["api_key"] = es.api_key
    elif es.username:
        options["basic_auth"] = (es.username, es.password or "")
    if es.ca_certs:
        options["ca_certs"] = es.ca_certs
    if not es.verify_certs:
        options["verify_certs"] = False
    options.update(kwargs)
    try:
        return Elasticsearch(es.url, **options)
    except ValueError:  # its message quotes the whole URL, password included
        raise ClusterUnavailable(
            f"the Elasticsearch URL {es.display_url} cannot be read: write the special characters of a user "
            "name or password percent-encoded (@ as %40, / as %2F, # as %23, ? as %3F, : as %3A), or use "
            "ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD") from None


def _hint(es: ESSettings) -> str:
    if es.external:
        return "Check ELASTICSEARCH_URL and that the cluster is up."
    return "Start the local node with `vigie es start`, or set ELASTICSEARCH_URL to an existing cluster."


def connect(es: ESSettings | None = None, wait: float = 0, **kwargs) -> Elasticsearch:
    """A client whose cluster answers and is at least yellow (waiting up to ``wait`` seconds)."""
    es = es or _settings()
    client = make_client(es, **kwargs)
    deadline = time.monotonic() + wait
    while True:
        try:
            health = client.options(request_timeout=10, max_retries=0).cluster.health(
                wait_for_status="yellow", timeout="5s")
            if health.get("status") in {"green", "yellow"}:
                return client
            problem = f"the cluster status is {health.get('status')}"
        except AuthenticationException:
            raise ClusterUnavailable(
                f"Elasticsearch at {es.display_url} refused the credentials: check ELASTICSEARCH_API_KEY or "
                "ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD."
            ) from None
        except (TransportError, ApiError) as exc:
            problem = f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"
        if time.monotonic() >= deadline:
            raise ClusterUnavailable(f"Elasticsearch is not reachable at {es.display_url} ({problem}). {_hint(es)}")
        time.sleep(1)
