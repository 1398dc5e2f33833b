"""Airflow connections, for the settings that may come from one (``VIGIE_ES_CONN_ID``, ``VIGIE_SMTP_CONN_ID``).

Airflow's own ``Connection`` parses ``AIRFLOW_CONN_<ID>`` (URI or JSON form), so both forms mean exactly
what they mean to Airflow; without that variable the connection comes from Airflow's store (metadata
database or secrets backend) through ``BaseHook``.  Airflow is imported only when a connection is used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any


class ConnectionInvalid(ValueError):
    """The connection cannot be read; the message says why (never with its secrets)."""


def get(conn_id: str, env: Mapping[str, str] | None = None) -> Any:
    """The Airflow ``Connection`` named ``conn_id``: ``AIRFLOW_CONN_<ID>`` of ``env`` first, else Airflow's store."""
    env = os.environ if env is None else env
    value = env.get(f"AIRFLOW_CONN_{conn_id.upper()}")
    from airflow.sdk import BaseHook
    from airflow.sdk.definitions.connection import Connection

    if not value:
        return BaseHook.get_connection(conn_id)
    if not value.lstrip().startswith("{"):
        try:
            return Connection.from_uri(value, conn_id=conn_id)
        except ValueError:  # its message may quote a part of the password
            raise ConnectionInvalid(
                f"the connection {conn_id!r} is not a valid URI: write the special characters of its login and "
                "password percent-encoded (@ as %40, / as %2F, # as %23, ? as %3F, : as %3A)") from None
    try:
        data = json.loads(value)
    except ValueError as exc:
        raise ConnectionInvalid(f"the connection {conn_id!r} is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ConnectionInvalid(f"the connection {conn_id!r} in JSON must be an object")
    extra = data.get("extra")
    if isinstance(extra, str) and extra.strip():
        try:
            json.loads(extra)
        except ValueError as exc:
            raise ConnectionInvalid(f"the connection {conn_id!r}: its extra is not valid JSON: {exc.msg}") from None
    return Connection.from_json(value, conn_id=conn_id)


def extras(conn: Any) -> dict:
    extra = conn.extra_dejson or {}
    if not isinstance(extra, dict):
        raise ConnectionInvalid(f"the connection {conn.conn_id!r}: its extra must be an object")
    return extra
