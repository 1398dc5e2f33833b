"""What the Kibana export needs of a watch: its topics, its communes' names and a map centre."""

from __future__ import annotations

from pathlib import Path

import yaml

from vigie.indexes.kibana.export import WatchView
from vigie.indexnames import IndexNames

TAXONOMY = Path(__file__).resolve().parent.parent.parent / "nlp" / "data" / "taxonomy.yaml"


def topics_of(watch, taxonomy: Path = TAXONOMY) -> list[tuple[str, str]]:
    """The taxonomy's topics (id, French label), with the watch's own topics added or relabelled."""
    data = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    topics = {t["id"]: t["label"] for t in data["topics"]}
    for rule in watch.topics:
        topics[rule.id] = rule.label or topics.get(rule.id) or rule.id
    return list(topics.items())


def watch_view(watch, names: IndexNames, space: str | None = None, basemap: bool = True) -> WatchView:
    from vigie.nlp.territory.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    communes, points, places = {}, [], []
    for code in watch.territory.communes:
        commune = gazetteer.get(code)
        communes[code] = commune.name if commune else code
        if commune and commune.point:
            points.append(commune.point)
            places.append((commune.name, *commune.point))
    center = points[0] if points else (46.6, 2.4)
    return WatchView(watch_id=watch.id, name=watch.name, communes=communes, topics=topics_of(watch), names=names,
                     center=center, zoom=12 if len(points) <= 1 else 10, places=places, space=space,
                     basemap=basemap)
