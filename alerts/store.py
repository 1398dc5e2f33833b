"""Alerts in Elasticsearch: ``<prefix>-alerts``, read per watch through ``<prefix>-watch-<id>-alerts``.

Writes use the alert id as ``_id``: writing an alert again replaces it, never duplicates it.
"""

from __future__ import annotations

from datetime import datetime

from elasticsearch import NotFoundError
from elasticsearch.helpers import streaming_bulk

from vigie.alerts.model import Alert
from vigie.indexnames import IndexNames


class AlertStore:
    def __init__(self, client, names: IndexNames):
        self.names = names
        self.client = client

    def ensure(self, watch_id: str) -> None:
        from vigie.indexes.setup import install

        if not self.client.indices.exists_alias(name=self.names.watch_alerts_alias(watch_id)):
            install(self.client, [watch_id], names=self.names)

    def save(self, alerts: list[Alert], refresh: str = "wait_for") -> int:
        if not alerts:
            return 0
        actions = ({"_op_type": "index", "_index": self.names.alerts_index(), "_id": a.alert_id,
                    "_source": a.to_dict()} for a in alerts)
        errors = []
        for ok, item in streaming_bulk(self.client, actions, raise_on_error=False, max_retries=3,
                                       refresh=refresh):
            if not ok:
                errors.append(item)
        if errors:
            raise RuntimeError(f"{len(errors)} alert(s) refused by Elasticsearch: {errors[:3]}")
        return len(alerts)

    def get(self, alert_id: str, watch_id: str | None = None) -> Alert | None:
        try:
            res = self.client.get(index=self.names.alerts_index(), id=alert_id)
        except NotFoundError:
            return None
        alert = Alert.from_dict(res["_source"])
        if watch_id and alert.watch_id != watch_id:
            return None
        return alert

    def recent(self, watch_id: str, since: datetime) -> list[Alert]:
        """The watch's alerts seen since ``since`` (the prior state of a run)."""
        return self.search(watch_id, since=since, size=1000)

    def search(self, watch_id: str | None = None, status: str | None = None, since: datetime | None = None,
               size: int = 50) -> list[Alert]:
        index = self.names.watch_alerts_alias(watch_id) if watch_id else self.names.alerts_index()
        filters = []
        if status:
            filters.append({"term": {"status": status}})
        if since:
            filters.append({"range": {"last_seen": {"gte": since.isoformat()}}})
        try:
            res = self.client.search(index=index, query={"bool": {"filter": filters}}, size=size,
                                     sort=[{"fired_at": "desc"}, {"alert_id": "asc"}])
        except NotFoundError:
            return []
        return [Alert.from_dict(h["_source"]) for h in res["hits"]["hits"]]
