"""A generated département for one day: its sources, their documents, the sites that serve them.

Used by ``bench/departement_day.py``.  The territory is the Nord (59, 647 communes, from the
project's commune gazetteer).  ``build(scale)`` makes about ``600 * scale`` sources of five kinds
and about ``100,000 * scale`` French documents published over one day (``DAY``, Paris time, with a
daily rhythm):

| group | kind | sources | share of the documents | what |
|---|---|---|---|---|
| municipal | ``feed`` | 260 | 6 % | town-hall news: works, school, council, culture (RSS, full text) |
| press | ``feed`` | 40 | 9 % | local press lines and short articles |
| mastodon | ``mastodon`` | 90 | 25 % | posts of a hashtag, replies that mention the author |
| forum | ``discourse`` | 110 | 30 % | citizens' forum topics and their replies |
| reddit | ``reddit`` | 100 | 30 % | posts of a subreddit and nested comment trees |

Texts come from the sentence templates of municipal life of ``bench/alerts_eval.py`` (and the demo's
non-flood sentences), filled with the département's communes and street names.  Social documents
are threads (about a third are roots): replies have a ``parent_id`` and Mastodon replies mention
their parent's author, so the influence stage has graph edges.  Two bursts are injected (a storm
in the Roubaix-Tourcoing area in the evening, brown tap water in Douai in the morning), so the
alerts stage has something to fire on.

The documents are in the demo's format (``vigie/demo/lambersart.jsonl``) and each source is served
by the demo sites' platform module (``vigie.demo.sites``), below ``/s/<source id>`` on one of the
loopback hosts (``serve``).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from alerts_eval import FILLERS, HOURLY, ORDINARY, demo_sentences  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2026, 12, 3)   # a Thursday
DEPARTEMENT = "59"
DOCS = 100_000
GROUPS = {  # group: (kind, sources at scale 1, share of the day's documents)
    "municipal": ("feed", 260, 0.06),
    "press": ("feed", 40, 0.09),
    "mastodon": ("mastodon", 90, 0.25),
    "forum": ("discourse", 110, 0.30),
    "reddit": ("reddit", 100, 0.30),
}
STREETS = ["la rue de la République", "la place du Général-de-Gaulle", "l'école Jean-Jaurès", "la rue Victor-Hugo",
           "le parc municipal", "la gare", "la médiathèque", "la salle des fêtes", "le marché couvert",
           "la rue Pasteur", "le collège Jules-Ferry", "la piscine", "le boulevard de la Liberté", "le centre-ville",
           "la zone commerciale", "le stade", "la rue Jean-Moulin", "l'église Saint-Martin", "le canal",
           "la résidence des Tilleuls", "le rond-point", "la rue du Moulin", "le cimetière", "la maison de quartier"]
MUNICIPAL = [
    ("Travaux de voirie {p}", "Des travaux de réfection de la chaussée ont lieu {p} à {c} à partir de lundi, pour {n} "
     "jours. La circulation sera alternée et le stationnement interdit. Merci de votre compréhension."),
    ("Conseil municipal du {n} décembre", "Le conseil municipal de {c} se réunira le {n} décembre à 19 h en mairie. "
     "À l'ordre du jour : le budget primitif, les subventions aux associations et le plan vélo. La séance est "
     "publique et retransmise en direct."),
    ("Inscriptions scolaires", "Les inscriptions pour la rentrée sont ouvertes en mairie de {c} jusqu'au {n} "
     "janvier. Pensez à vous munir du livret de famille et d'un justificatif de domicile."),
    ("Collecte des encombrants", "La prochaine collecte des encombrants aura lieu le {n} décembre dans les quartiers "
     "nord de {c}. Inscription obligatoire auprès des services techniques."),
    ("Marché de Noël", "Le marché de Noël de {c} ouvre ses portes {p} ce week-end avec {n} chalets, une patinoire "
     "et des animations pour les enfants. Entrée libre."),
    ("Fermeture exceptionnelle", "En raison d'une intervention technique, {p} de {c} sera fermée le {n} décembre. "
     "Réouverture aux horaires habituels le lendemain."),
    ("Plan grand froid", "La ville de {c} active son plan grand froid : le CCAS appelle les personnes isolées et "
     "un accueil de jour est ouvert {p}. Signalez toute personne en difficulté au 115."),
    ("Concertation", "Une réunion publique sur le réaménagement {p} se tiendra le {n} décembre à {c}. Les "
     "habitants sont invités à donner leur avis sur le projet."),
]
PRESS = [
    "{c} : le chantier {p} prend du retard, les riverains s'impatientent.",
    "À {c}, la municipalité vote une hausse de {n} % du budget consacré aux écoles.",
    "{c} : un incendie dans un entrepôt {p}, pas de blessé.",
    "Le club de handball de {c} s'impose {n} à 24 et rejoint le haut du classement.",
    "{c} : la fermeture de la classe de l'école {p} inquiète les parents.",
    "Élections municipales : à {c}, une liste citoyenne se déclare.",
    "{c} : le nouveau plan de circulation autour {p} divise les commerçants.",
    "Intercommunalité : {c} rejoint le réseau de bus à haut niveau de service.",
    "{c} : {n} logements sociaux vont sortir de terre près {p}.",
    "Faits divers : un cambriolage {p} à {c}, la police lance un appel à témoins.",
]
REPLIES = [
    "Pareil à {c}, ça dure depuis {n} jours.", "Merci pour l'info !", "Quelqu'un a prévenu la mairie ?",
    "C'est scandaleux, personne ne fait rien {p}.", "Bonne nouvelle, enfin !", "Je confirme, j'y suis passé ce matin.",
    "Vous avez des nouvelles ? Rien sur le site de la ville.", "Il faut écrire au maire, je l'ai fait hier.",
    "Pas d'accord, c'est très bien comme ça.", "On en parle au conseil de quartier jeudi ?",
    "Même chose {p}, c'est pénible.", "Top, merci aux agents !",
]
EVENTS = [  # name, commune names, start (Paris hour), minutes, posts at scale 1, templates
    ("tempete", ["Roubaix", "Tourcoing", "Wattrelos"], 17.5, 90, 900, [
        "Arbre tombé sur la chaussée {p} à {c}, la tempête fait des dégâts.",
        "Rafales violentes à {c} : toiture arrachée {p}, les pompiers interviennent.",
        "Tempête sur {c}, des branches partout {p}, restez chez vous.",
        "Coupure de courant après la tempête {p} à {c}, Enedis est prévenu ?",
    ]),
    ("eau-marron", ["Douai", "Sin-le-Noble", "Cuincy"], 8.0, 120, 500, [
        "Eau marron au robinet à {c} ce matin, c'est normal ?",
        "L'eau du robinet est toute marron {p} à {c}.",
        "Eau marron aussi chez nous à {c}, on peut la boire ?",
        "Eau marron à {c} : la régie des eaux parle d'une canalisation cassée {p}.",
    ]),
]


@dataclass
class Source:
    id: str
    group: str
    kind: str
    commune: str
    host: str = ""
    docs: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Territory:
    communes: list[tuple[str, str, int]]       # (insee, name, population), most populous first
    sources: list[Source]

    @property
    def documents(self) -> int:
        return sum(len(s.docs) for s in self.sources)


def communes(dep: str = DEPARTEMENT) -> list[tuple[str, str, int]]:
    path = ROOT / "nlp" / "data" / "communes" / "communes.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle][1:]
    found = [(r[0], r[1], int(r[3] or 0)) for r in rows if r[2] == dep]
    return sorted(found, key=lambda c: -c[2])


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


class _Ids:
    def __init__(self):
        self.n = 1000

    def next(self) -> int:
        self.n += 1
        return self.n


def _when(rng: random.Random, start_hour: float | None = None, minutes: int | None = None) -> datetime:
    midnight = datetime(DAY.year, DAY.month, DAY.day, tzinfo=PARIS)
    if start_hour is not None:
        return midnight + timedelta(hours=start_hour, minutes=rng.uniform(0, minutes))
    hour = rng.choices(range(24), weights=HOURLY)[0]
    return midnight + timedelta(hours=hour, seconds=rng.uniform(0, 3599))


def _author(rng: random.Random, pool: list[dict[str, Any]]) -> dict[str, Any]:
    # A few accounts post a lot (the ones the influence ranking should find), most post once or twice.
    return pool[min(int(rng.paretovariate(1.1)) - 1, len(pool) - 1)] if rng.random() < 0.5 else rng.choice(pool)


def _people(rng: random.Random, count: int, domain: str, prefix: str) -> list[dict[str, Any]]:
    first = ["camille", "nadia", "hugo", "ines", "rene", "lea", "karim", "julie", "thomas", "sophie", "yanis",
             "manon", "lucas", "emma", "farid", "chloe", "maxime", "sarah", "nicolas", "amandine"]
    people = []
    for i in range(count):
        handle = f"{rng.choice(first)}_{rng.choice(['59', 'nord', 'velo', 'ch', 'lille', 'dk'])}{i}"
        people.append({"id": f"{prefix}{10_000 + i}", "handle": handle, "name": handle.replace("_", " ").title(),
                       "url": f"https://{domain}/u/{handle}", "followers": int(rng.paretovariate(1.2) * 40)})
    return people


def _text(rng: random.Random, commune: str, sentences: list[str]) -> str:
    place = rng.choice(STREETS)
    if rng.random() < 0.2:
        return rng.choice(sentences)
    topic = rng.choice(list(ORDINARY))
    text = rng.choice(ORDINARY[topic]).format(p=place, n=rng.randint(2, 40))
    filler = rng.choice(FILLERS).replace("#Lambersart", f"#{slug(commune).replace('-', '')}")
    return f"{text.replace('Lambersart', commune)} À {commune}.{filler}"


def build(scale: float = 1.0, seed: int = 18) -> Territory:
    """The sources and their documents; deterministic for a (scale, seed)."""
    rng = random.Random(seed)
    towns = communes()
    names = {name for _, name, _ in towns}
    sentences = [s for s in demo_sentences() if "Lambersart" not in s]
    ids = _Ids()
    total = max(50, int(DOCS * scale))
    sources: list[Source] = []
    for group, (kind, count, share) in GROUPS.items():
        n_sources = max(1, round(count * scale))
        per_source = max(3, round(total * share / n_sources))
        for i in range(n_sources):
            commune = towns[i % len(towns)][1] if group != "municipal" else towns[i][1]
            source = Source(f"{group}-{i:03d}-{slug(commune)}"[:60].rstrip("-"), group, kind, commune)
            count_here = max(3, int(per_source * rng.uniform(0.5, 1.5)))
            if kind == "feed":
                source.docs = [_feed_doc(rng, source, ids, group) for _ in range(count_here)]
            else:
                source.docs = _thread_docs(rng, source, ids, count_here, sentences)
            sources.append(source)
    _inject_events(rng, sources, ids, scale, names)
    return Territory(towns, sources)


def _feed_doc(rng: random.Random, source: Source, ids: _Ids, group: str) -> dict[str, Any]:
    n, place, commune = ids.next(), rng.choice(STREETS), source.commune
    when = _when(rng)
    if group == "municipal":
        title, body = rng.choice(MUNICIPAL)
        fill = {"c": commune, "p": place, "n": rng.randint(2, 28)}
        title, text = title.format(**fill), body.format(**fill)
        site = f"www.ville-{slug(commune)}.fr"
        author = {"id": f"mairie-{slug(commune)}", "handle": f"ville_{slug(commune)}", "name": f"Ville de {commune}",
                  "url": f"https://{site}/", "followers": 0}
    else:
        lines = [rng.choice(PRESS).format(c=commune, p=place, n=rng.randint(2, 40)) for _ in range(rng.randint(2, 5))]
        title, text = lines[0], "\n\n".join(lines)
        site = f"{slug(source.id)}.example"
        reporter = f"{rng.choice(['Julie', 'Marc', 'Anne', 'Paul', 'Nora'])} {rng.choice(['Dupont', 'Caron'])}"
        author = {"id": slug(reporter), "handle": slug(reporter), "name": reporter, "url": f"https://{site}/",
                  "followers": 0}
    url = f"https://{site}/actualites/{when:%Y-%m-%d}/{n}"
    return _doc("rss", source, url, url, title, text, author, when, "article", None, None)


def _doc(platform: str, source: Source, item_id: str, url: str, title: str | None, text: str,
         author: dict[str, Any], when: datetime, kind: str, parent: dict[str, Any] | None,
         root: dict[str, Any] | None) -> dict[str, Any]:
    from vigie.schema import make_doc_id

    doc = {"item_id": item_id, "platform": platform, "source_id": source.id, "source_kind": source.kind,
           "kind": kind, "url": url, "title": title, "text": text, "language": "fr", "author": author,
           "engagement": {"likes": 0, "shares": 0, "replies": 0, "views": None},
           "published_at": when.isoformat(), "parent_id": None, "thread_id": None}
    doc["doc_id"] = make_doc_id(platform, item_id)
    if parent is not None:
        doc["parent_id"], doc["thread_id"] = parent["doc_id"], (root or parent)["doc_id"]
        parent["engagement"]["replies"] += 1
    elif kind != "article":
        doc["thread_id"] = doc["doc_id"]
    return doc


def _thread_docs(rng: random.Random, source: Source, ids: _Ids, count: int, sentences: list[str],
                 texts: list[str] | None = None, start: tuple[float, int] | None = None) -> list[dict[str, Any]]:
    """``count`` documents of a social source: about a third are roots, the others reply to a root or
    to an earlier reply of its thread (later than it)."""
    kind, commune = source.kind, source.commune
    domain = {"mastodon": "mastodon.example", "discourse": f"forum-{slug(commune)}.example",
              "reddit": "www.reddit.com"}[kind]
    pool = getattr(source, "_pool", None) or _people(rng, max(20, count // 3), domain,
                                                     "" if kind == "discourse" else source.id[:3])
    source._pool = pool   # the same people reply to each other across a source's threads
    roots: list[list[dict[str, Any]]] = []
    docs: list[dict[str, Any]] = []
    for i in range(count):
        author = _author(rng, pool)
        text = rng.choice(texts).format(c=commune, p=rng.choice(STREETS)) if texts else _text(rng, commune, sentences)
        if roots and (i % 3 or rng.random() < 0.2):
            thread = rng.choice(roots)
            parent = rng.choice(thread[-3:])
            when = datetime.fromisoformat(parent["published_at"]) + timedelta(minutes=rng.uniform(1, 90))
            last = datetime(DAY.year, DAY.month, DAY.day, 23, 59, 59, tzinfo=PARIS)
            when = min(when, max(last, datetime.fromisoformat(parent["published_at"])))
            if not texts:
                text = rng.choice(REPLIES).format(c=commune, p=rng.choice(STREETS), n=rng.randint(2, 20))
            if kind == "mastodon":
                text = f"@{parent['author']['handle']} {text}"
            doc = _social(source, ids, kind, domain, thread, parent, author, text, when)
            thread.append(doc)
        else:
            when = _when(rng, *start) if start else _when(rng)
            doc = _social(source, ids, kind, domain, None, None, author, text, when)
            roots.append([doc])
        docs.append(doc)
    return docs


def _social(source: Source, ids: _Ids, kind: str, domain: str, thread: list[dict[str, Any]] | None,
            parent: dict[str, Any] | None, author: dict[str, Any], text: str, when: datetime) -> dict[str, Any]:
    n = ids.next()
    root = thread[0] if thread else None
    if kind == "mastodon":
        item = f"{int(when.timestamp())}{n:07d}"
        url = f"https://{domain}/@{author['handle'].split('@')[0]}/{item}"
        handle = author["handle"] if "@" in author["handle"] else f"{author['handle']}@{domain}"
        author = {**author, "handle": handle, "url": f"https://{domain}/@{author['handle']}"}
        return _doc("mastodon", source, item, url, None, text, author, when, "comment" if parent else "post",
                    parent, root)
    if kind == "discourse":
        topic = int(root["url"].rsplit("/", 2)[1]) if root else n
        number = len(thread) + 1 if thread else 1
        title = None if root else text.split(".")[0][:80]
        url = f"https://{domain}/t/{slug(title or root['title'] or 'sujet')[:40] or 'sujet'}/{topic}/{number}"
        return _doc("discourse", source, f"post-{n}", url, title, text, author, when,
                    "comment" if parent else "post", parent, root)
    base36 = _base36(n)
    if root is None:
        title = text.split(".")[0][:80]
        url = f"https://www.reddit.com/r/lille/comments/{base36}/{slug(title)[:40]}/"
        return _doc("reddit", source, f"t3_{base36}", url, title, text,
                    {**author, "id": f"t2_{author['id']}"}, when, "post", None, None)
    url = f"{root['url']}{base36}/"
    return _doc("reddit", source, f"t1_{base36}", url, None, text, {**author, "id": f"t2_{author['id']}"}, when,
                "comment", parent, root)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return "z" + out


def _inject_events(rng: random.Random, sources: list[Source], ids: _Ids, scale: float, names: set[str]) -> None:
    social = [s for s in sources if s.kind != "feed"]
    for _name, towns, start_hour, minutes, posts, templates in EVENTS:
        count = max(20, int(posts * scale))
        chosen = rng.sample(social, min(len(social), max(1, count // 25)))
        for i, source in enumerate(chosen):
            here = count // len(chosen) + (1 if i < count % len(chosen) else 0)
            saved = source.commune
            source.commune = rng.choice([t for t in towns if t in names] or [saved])
            source.docs += _thread_docs(rng, source, ids, here, [], texts=templates, start=(start_hour, minutes))
            source.commune = saved


# ------------------------------------------------------------------------------------------ sites
def site_for(source: Source):
    from vigie.demo.sites.discourse import DiscourseSite
    from vigie.demo.sites.mastodon import MastodonSite
    from vigie.demo.sites.reddit import RedditSite
    from vigie.demo.sites.rss import PressSite

    docs = [{**d, "source_id": source.id} for d in source.docs]
    if source.kind == "feed":
        return PressSite(docs)
    if source.kind == "mastodon":
        return MastodonSite(docs)
    if source.kind == "discourse":
        return DiscourseSite(docs)
    return RedditSite(docs)


def source_entry(source: Source, base: str) -> list[str]:
    """The source's lines in the watch file (``base``: ``http://HOST:PORT/s/<id>``)."""
    per = len(source.docs)
    lines = [f"      - id: {source.id}", f"        kind: {source.kind}", "        allow_private_networks: true"]
    common = "download_delay: 0, max_pages: 5000"
    if source.kind == "feed":
        lines += [f"        url: '{base}/presse/{source.id}/rss.xml'", f"        options: {{{common}}}"]
    elif source.kind == "mastodon":
        lines += [f"        url: '{base}/mastodon'",
                  f"        options: {{{common}, instance: '{base}/mastodon', hashtags: [{slug(source.commune)}], "
                  f"max_list_pages: {per // 40 + 2}, max_threads: {per + 1}}}"]
    elif source.kind == "discourse":
        lines += [f"        url: '{base}/discourse'",
                  f"        options: {{{common}, max_topics: {per + 1}, max_list_pages: {per // 30 + 2}}}"]
    else:
        lines += [f"        options: {{{common}, subreddits: [lille], api_url: '{base}/reddit', "
                  f"max_list_pages: {per // 100 + 2}}}"]
    return lines


def serve(territory: Territory, hosts: list[str], ready: threading.Event | None = None) -> dict[str, str]:
    """One ``LoopbackServer`` per host, each serving its sources below ``/s/<source id>``; returns
    {source id: base URL}.  The servers run in daemon threads of this process."""
    from vigie.demo.sites._http import Request
    from vigie.httpserve import LoopbackServer

    class HostSites(LoopbackServer):
        name = "vigie-bench-territory"
        server_version = "VigieBenchTerritory/1.0"
        etags = True

        def __init__(self, host: str):
            super().__init__(0)
            self.host = host
            self.sites: dict[str, Any] = {}

        def _record(self, hit):   # hundreds of thousands of requests: keep no history
            pass

        def answer(self, hit):
            if hit.path == "/robots.txt":
                return 200, {"Content-Type": "text/plain; charset=utf-8"}, b"User-agent: *\nAllow: /\n"
            parts = hit.path.split("/", 3)
            site = self.sites.get(parts[2]) if len(parts) == 4 and parts[1] == "s" else None
            rest = "/" + parts[3] if site is not None else ""
            if site is not None and (rest == site.prefix or rest.startswith(site.prefix + "/")):
                prefix = f"/s/{parts[2]}{site.prefix}"
                sub = Request(hit.method, rest[len(site.prefix):] or "/", {k: v[0] for k, v in hit.query.items()},
                              {k.lower(): v for k, v in hit.headers.items()}, hit.body, self.base_url + prefix,
                              hit.query)
                found = site.handle(sub)
                if found is not None:
                    return found
            return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not found\n"

    servers = {host: HostSites(host).start() for host in hosts}
    bases = {}
    for i, source in enumerate(territory.sources):
        source.host = hosts[i % len(hosts)]
        server = servers[source.host]
        server.sites[source.id] = site_for(source)
        bases[source.id] = f"{server.base_url}/s/{source.id}"
    return bases


def serve_child(scale: float, seed: int, hosts: list[str]) -> None:
    """Child process: build the territory, serve it, print {source id: base URL} as JSON, serve until killed."""
    territory = build(scale, seed)
    bases = serve(territory, hosts)
    print(json.dumps(bases), flush=True)
    threading.Event().wait()


if __name__ == "__main__":   # the sites' process: territory_day.py SCALE SEED HOSTS
    from crawl_sources import loopback_hosts

    serve_child(float(sys.argv[1]), int(sys.argv[2]), loopback_hosts(int(sys.argv[3])))
