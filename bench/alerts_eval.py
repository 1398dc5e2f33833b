"""Alerts benchmark: a week of ordinary French posts with injected events of different sizes and speeds.

Prints recall, false alerts per day, detection latency in slices and replay throughput (one core).

    .venv/bin/python bench/alerts_eval.py [--per-day 3000] [--seed 7] [--json]
    .venv/bin/python bench/alerts_eval.py --events tests/fixtures/alert_events_dev.jsonl [--json]

``--events PATH`` scores alert *labels* on a set of events instead (``label_eval`` below).

Ordinary traffic is built from sentence templates of municipal life (works, parking, school meals,
markets, waste, sport, culture, weather…) filled with the demo territory's places, plus the texts of
the demo documents that are not about the 17 November flood, cut and recombined.  Posts follow a
daily rhythm (few at night), carry hand-set enrichment (topics, sentiment with about a quarter
negative, a little toxicity on the town's page) and some benign crisis words (a bike accident, a
weather forecast with snow), because real traffic has them.  Events are injected after the first
day (the warm-up): each has its own vocabulary, a size, a duration and a shape.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vigie.alerts.engine import Engine  # noqa: E402
from vigie.alerts.text import make_lemmatizer  # noqa: E402
from vigie.config import load_config  # noqa: E402
from vigie.schema import Document, Sentiment, Toxicity  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 11, 23, 0, 0, tzinfo=PARIS)  # a Monday
DAYS = 7
HOURLY = [
    0.15,
    0.08,
    0.05,
    0.05,
    0.08,
    0.2,
    0.5,
    0.9,
    1.2,
    1.1,
    1.0,
    1.0,
    1.2,
    1.1,
    1.0,
    1.0,
    1.1,
    1.3,
    1.5,
    1.6,
    1.5,
    1.2,
    0.8,
    0.4,
]

PLACES = [
    "Canon d'Or",
    "Pacot-Vandracq",
    "Les Conquérants",
    "le Bourg",
    "Verhaeren",
    "la Deûle",
    "la Citadelle",
    "l'avenue de l'Hippodrome",
    "la rue des Tilleuls",
    "la place de la mairie",
    "le parc Coubertin",
    "la rue Foch",
    "le marché",
    "la médiathèque",
    "la gare",
]
ORDINARY = {
    "voirie": [
        "Les travaux de {p} avancent, la circulation reste en sens unique pour {n} semaines.",
        "Encore un nid-de-poule énorme vers {p}, quelqu'un a prévenu la mairie ?",
        "La déviation par {p} rallonge mon trajet de {n} minutes chaque matin.",
        "Belle réfection des trottoirs du côté de {p}, merci aux équipes.",
    ],
    "stationnement": [
        "Impossible de se garer près de {p} le samedi matin.",
        "La zone bleue arrive à {p}, il faudra un disque de stationnement.",
        "Le parking de {p} est gratuit le dimanche, bon à savoir.",
    ],
    "education": [
        "Inscriptions au périscolaire ouvertes pour l'école de {p} jusqu'au {n}.",
        "La cantine de l'école {p} propose un repas bio chaque jeudi.",
        "Réunion des parents d'élèves ce soir à {p} à {n} h.",
    ],
    "proprete": [
        "Les poubelles de {p} n'ont pas été ramassées depuis {n} jours.",
        "Dépôt sauvage de cartons près de {p}, c'est désolant.",
        "Collecte des encombrants sur rendez-vous, pensez-y pour {p}.",
    ],
    "culture": [
        "Super concert hier soir à {p}, bravo aux musiciens !",
        "Exposition de photos anciennes à la médiathèque jusqu'au {n} décembre.",
        "Le marché de Noël ouvre bientôt, {n} chalets attendus près de {p}.",
    ],
    "sport": [
        "Victoire de l'équipe de foot {n} à 1 ce week-end, quel match !",
        "La piscine rouvre lundi après la vidange, horaires habituels.",
        "Course solidaire dimanche matin au départ de {p}, venez nombreux.",
    ],
    "transports": [
        "Le bus a encore {n} minutes de retard ce matin vers {p}.",
        "Plus aucun V'Lille à la station de {p} après 18 h, comme d'habitude.",
        "La nouvelle piste cyclable vers {p} est vraiment agréable.",
    ],
    "vie-locale": [
        "Quelqu'un connaît un bon plombier vers {p} ?",
        "Perdu un chat tigré près de {p}, il répond au nom de Caramel.",
        "Brocante dimanche à {p}, {n} exposants inscrits.",
        "Le nouveau boulanger de {p} est excellent, allez-y !",
        "Petit accident de vélo sans gravité ce matin vers {p}, faites attention aux feuilles.",
        "Météo : il pourrait neiger un peu en fin de semaine selon les prévisions.",
        "Exercice incendie à l'école de {p} ce matin, tout s'est bien passé.",
    ],
}
FILLERS = [
    "",
    "",
    " Bonne journée à tous.",
    " Merci !",
    " Qu'en pensez-vous ?",
    " 🙂",
    " #Lambersart",
    " Franchement.",
    " On en parle ?",
    " Vivement la suite.",
]

EVENTS = [  # name, size, duration (minutes), kind of event, topic, negative share, templates
    (
        "fuite-gaz",
        20,
        45,
        "crisis",
        "risques-crise",
        0.7,
        [
            "Forte odeur de gaz rue {p}, les pompiers sont sur place.",
            "Fuite de gaz à {p} : la rue est bouclée.",
            "Odeur de gaz depuis une heure vers {p}, GRDF est prévenu ?",
            "Périmètre de sécurité autour de la fuite de gaz {p}.",
        ],
    ),
    (
        "coupure-courant",
        50,
        120,
        "crisis",
        "energie",
        0.8,
        [
            "Coupure de courant dans tout le quartier {p} depuis {n} minutes.",
            "Plus d'électricité à {p}, Enedis annonce un retour vers {n} h.",
            "Panne de courant générale vers {p}, les feux de circulation sont éteints.",
            "Toujours pas de courant à {p}…",
        ],
    ),
    (
        "chiens-parc",
        20,
        60,
        "emerging",
        "securite",
        0.6,
        [
            "Des chiens errants dans le parc {p}, les enfants ont eu peur.",
            "Attention, meute de chiens sans maître au parc {p}.",
            "Les chiens errants du parc {p} sont encore là ce soir.",
            "Qui s'occupe des chiens errants du parc {p} ?",
        ],
    ),
    (
        "rumeur-ecole",
        8,
        120,
        "emerging",
        "education",
        0.5,
        [
            "Il paraît que l'école maternelle Jules Ferry va fermer une classe ?",
            "Fermeture d'une classe à Jules Ferry, quelqu'un confirme ?",
            "Pétition contre la fermeture de classe à l'école Jules Ferry.",
            "La fermeture de classe à Jules Ferry serait actée.",
        ],
    ),
    (
        "concert-annule",
        150,
        360,
        "emerging",
        "culture",
        0.6,
        [
            "Le concert de Zaz à la salle Gaston Ramon est annulé, remboursement ?",
            "Annulation du concert de Zaz : colère des spectateurs.",
            "Zaz annule son concert à la salle Gaston Ramon, on nous prévient au dernier moment.",
            "Remboursement des billets du concert de Zaz annulé ?",
        ],
    ),
    (
        "arbre-tombe",
        20,
        30,
        "crisis",
        "voirie",
        0.6,
        [
            "Un arbre tombé bloque la rue vers {p} après les rafales.",
            "Rafales violentes : arbre tombé sur une voiture à {p}.",
            "Coup de vent, des branches et un arbre tombé à {p}.",
            "La rue de {p} est coupée par un arbre tombé.",
        ],
    ),
    (
        "accident-carrefour",
        12,
        60,
        "crisis",
        "voirie",
        0.7,
        [
            "Grave accident au carrefour de {p}, plusieurs blessés.",
            "Collision entre un bus et une voiture à {p}, route coupée.",
            "Accident au carrefour {p}, évitez le secteur.",
            "Encore un accident à ce carrefour de {p}, il faut un feu !",
        ],
    ),
    (
        "poissons-canal",
        30,
        240,
        "crisis",
        "environnement",
        0.7,
        [
            "Des poissons morts par dizaines dans la Deûle près de {p}.",
            "Pollution de la Deûle ? Poissons morts vers {p}.",
            "Nappe irisée et poissons morts dans le canal à {p}.",
            "Qui enquête sur les poissons morts de la Deûle ?",
        ],
    ),
    (
        "pv-stationnement",
        40,
        180,
        "emerging",
        "stationnement",
        0.9,
        [
            "Vague de PV rue {p} ce matin, 35 euros pour deux minutes !",
            "Les agents verbalisent à tour de bras vers {p}, scandaleux.",
            "PV sur toutes les voitures de {p} alors que les panneaux sont cachés.",
            "Ras-le-bol des PV à {p}, c'est du racket.",
        ],
    ),
    (
        "eau-marron",
        20,
        60,
        "crisis",
        "eau-assainissement",
        0.8,
        [
            "Eau marron au robinet à {p} ce soir, c'est normal ?",
            "L'eau du robinet est toute marron vers {p}.",
            "Eau marron aussi chez nous à {p}, on peut la boire ?",
            "Eau marron à {p} : la régie des eaux parle d'une canalisation.",
        ],
    ),
    (
        "travaux-nuit",
        20,
        720,
        "emerging",
        "voirie",
        0.8,
        [
            "Travaux de nuit sur le pont de la Deûle, impossible de dormir.",
            "Marteau-piqueur à 2 h du matin sur le pont de la Deûle !",
            "Le chantier de nuit du pont de la Deûle va durer combien de temps ?",
            "Encore les travaux de nuit du pont, on est épuisés.",
        ],
    ),
]


def _doc(rng, item_id, text, when, topic, negative_share, source, own=False, thread=None):
    label = "negative" if rng.random() < negative_share else rng.choice(["neutral", "neutral", "positive"])
    toxic = own and rng.random() < 0.01
    return Document(
        item_id=item_id,
        platform=source,
        source_id=f"{source}-bench",
        source_kind="facebook_page" if own else "feed",
        text=text,
        published_at=when,
        topics=[topic],
        sentiment=Sentiment(label=label, score=-0.6 if label == "negative" else 0.3),
        toxicity=Toxicity(score=0.8 if toxic else 0.05, flagged=toxic),
        thread_id=thread,
        url=f"https://{source}.example/{item_id}",
    )


def _fill(rng, template):
    return template.format(p=rng.choice(PLACES), n=rng.randint(2, 40)) + rng.choice(FILLERS)


def demo_sentences():
    """Sentences of the demo documents that are not about the flood (17-19 November)."""
    out = []
    for line in (ROOT / "vigie" / "demo" / "lambersart.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["published_at"] >= "2026-11-17":
            continue
        out += [s.strip() for s in d["text"].replace("\n", " ").split(". ") if len(s.split()) >= 6]
    return out


def ordinary(rng, per_day: int) -> list[Document]:
    docs, demo = [], demo_sentences()
    total_w = sum(HOURLY)
    for hour in range(DAYS * 24):
        rate = per_day * HOURLY[hour % 24] / total_w
        for _ in range(_poisson(rng, rate)):
            when = START + timedelta(hours=hour, seconds=rng.randint(0, 3599))
            if rng.random() < 0.25:
                text = " ".join(rng.sample(demo, 2)) + "."
                topic = rng.choice(list(ORDINARY))
            else:
                topic = rng.choice(list(ORDINARY))
                text = _fill(rng, rng.choice(ORDINARY[topic]))
            own = rng.random() < 0.1
            docs.append(
                _doc(
                    rng,
                    f"ord-{len(docs)}",
                    text,
                    when,
                    topic,
                    0.25,
                    "facebook" if own else rng.choice(["mastodon", "reddit", "forum", "rss"]),
                    own,
                )
            )
    return docs


def _poisson(rng, lam):
    n, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return n
        n += 1


def inject(rng) -> tuple[list[Document], list[dict]]:
    docs, truth = [], []
    for k, (name, size, minutes, kind, topic, neg, templates) in enumerate(EVENTS):
        day = 1 + k % (DAYS - 1)
        start = START + timedelta(days=day, hours=rng.choice([8, 10, 14, 17, 19]), minutes=rng.randint(0, 59))
        times = sorted(rng.random() ** 1.5 * minutes for _ in range(size))  # front-loaded, like real bursts
        times[0] = 0.0
        root = None
        for j, minute in enumerate(times):
            when = start + timedelta(minutes=minute)
            d = _doc(
                rng,
                f"evt-{name}-{j}",
                _fill(rng, rng.choice(templates)),
                when,
                topic,
                neg,
                rng.choice(["mastodon", "reddit", "forum", "facebook"]),
                thread=root if j % 3 == 2 else None,
            )
            root = root or d.doc_id
            event_of[d.doc_id] = name
            docs.append(d)
        t20 = times[min(19, size - 1)]
        truth.append(
            {
                "name": name,
                "size": size,
                "minutes": minutes,
                "kind": kind,
                "start": start.timestamp(),
                "twenty_within_hour": size >= 20 and t20 <= 60,
            }
        )
    return docs, truth


def evaluate(per_day: int, seed: int, lemmatizer: str = "light", write: Path | None = None) -> dict:
    rng = random.Random(seed)
    watch = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")
    watch = watch.model_copy(update={"alerts": watch.alerts.model_copy(update={"saved_queries": []})})
    base = ordinary(rng, per_day)
    events, truth = inject(rng)
    if write:  # the stream with its events, for `vigie alerts replay` / `vigie index` + `vigie alerts run`
        from vigie.jsonl import write_jsonl

        write_jsonl(write, sorted(base + events, key=lambda d: (d.published_at, d.doc_id)))
    from vigie.alerts.label import _nlp

    _nlp()  # the labeller's model, loaded once per process (about 5 s): not part of the detection time
    results = {}
    for label, docs in (("ordinary", base), ("with_events", base + events)):
        docs = sorted(docs, key=lambda d: (d.published_at, d.doc_id))
        engine = Engine(watch, lemmatizer=make_lemmatizer(lemmatizer))
        t0, c0 = time.perf_counter(), time.process_time()
        engine.run(docs)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        alerts = list(engine.lifecycle.alerts.values())
        results[label] = {
            "docs": len(docs),
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "docs_per_s": round(len(docs) / cpu),
            "alerts": alerts,
        }
    slice_s = watch.alerts.slice_minutes * 60
    sizes = {t["name"]: t["size"] for t in truth}
    false_ordinary = results["ordinary"]["alerts"]
    detected, false_alerts, per_event = {}, [], {}
    for alert in results["with_events"]["alerts"]:
        names = Counter()
        for doc_id in alert.doc_ids:
            names[event_of.get(doc_id, "ordinary")] += 1
        # the alert detects the event with most documents in it, if they are at least 5 (or the whole
        # event) and a quarter of the alert; an alert with no such event is a false alert
        found = [
            (n, name)
            for name, n in names.items()
            if name != "ordinary" and n >= min(5, sizes[name]) and n * 4 >= sum(names.values())
        ]
        if not found:
            false_alerts.append(alert)
            continue
        _n, name = max(found)
        first = datetime.fromisoformat(alert.history[0]["fired_at"].replace("Z", "+00:00")).timestamp()
        if name not in detected or first < detected[name]["fired"]:
            detected[name] = {"fired": first, "alert": alert}
    for t in truth:
        hit = detected.get(t["name"])
        latency = math.ceil((hit["fired"] - t["start"]) / slice_s) if hit else None
        per_event[t["name"]] = {
            "size": t["size"],
            "minutes": t["minutes"],
            "kind": t["kind"],
            "detected": bool(hit),
            "latency_slices": latency,
            "alert_kind": hit["alert"].kind if hit else None,
            "levels": hit["alert"].level if hit else None,
            "twenty_within_hour": t["twenty_within_hour"],
        }
    fast = [e for e in per_event.values() if e["twenty_within_hour"]]
    return {
        "per_day": per_day,
        "seed": seed,
        "lemmatizer": lemmatizer,
        "days": DAYS,
        "ordinary_docs": results["ordinary"]["docs"],
        "event_docs": len(events),
        "recall": round(sum(e["detected"] for e in per_event.values()) / len(per_event), 3),
        "fast_events_within_2_slices": f"{sum(1 for e in fast if (e['latency_slices'] or 99) <= 2)}/{len(fast)}",
        "false_alerts_per_day_ordinary": round(len(false_ordinary) / DAYS, 2),
        "false_alerts_per_day_with_events": round(len(false_alerts) / DAYS, 2),
        "false_alert_titles": [a.title for a in false_ordinary + false_alerts][:10],
        "docs_per_s_one_core": results["with_events"]["docs_per_s"],
        "detection_cpu_seconds": results["with_events"]["cpu_seconds"],
        "events": per_event,
    }


# ---------------------------------------------------------------------- alert labels (--events)
def _norm(text: str) -> str:
    from vigie.textfold import fold

    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


def _event_word_hit(label: str, words: list[str]) -> bool:
    """An event word is in the label, folded and lemma-tolerant (same light stem, or 5 letters in common
    at the start of two words of at least 5 letters: inondation / inondée)."""
    from vigie.alerts.text import stem

    label_words = set(_norm(label).split())
    for phrase in words:
        for w in _norm(phrase).split():
            for lw in label_words:
                if w == lw or stem(w) == stem(lw) or (min(len(w), len(lw)) >= 5 and w[:5] == lw[:5]):
                    return True
    return False


def _place_hit(label: str, places: list[str], commune: str | None = None) -> bool:
    norm = f" {_norm(label)} "
    return any(f" {_norm(p)} " in norm for p in places if _norm(p))


def label_eval(path: Path, seed: int = 7, noise_per_day: int = 800) -> dict:
    """Each event's posts, with ordinary traffic around them (a day and a half before, half a day after),
    through the real detectors and labeller (``Engine``, the code ``vigie alerts run`` runs; no
    Elasticsearch needed).  The watch is the demo's, with the event's commune as its territory keyword.
    Also scores the labeller alone on the event's posts (``label_docs``: no detection involved)."""
    from vigie.alerts.label import label_docs, label_junk
    from vigie.jsonl import read_lines

    base_watch = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")
    rows, bad = [], 0
    for line in read_lines(path):
        if line.error or not isinstance(line.data, dict) or not line.data.get("posts"):
            bad += 1
            continue
        ev = line.data
        rng = random.Random(f"{seed}:{ev.get('id')}")
        commune = ev.get("commune") or ""
        watch = base_watch.model_copy(update={
            "territory": base_watch.territory.model_copy(update={"keywords": [commune] if commune else []}),
            "alerts": base_watch.alerts.model_copy(update={"saved_queries": []})})
        start = START + timedelta(days=1, hours=12)
        noise = []
        for hour in range(48):
            rate = noise_per_day * HOURLY[hour % 24] / sum(HOURLY)
            for _ in range(_poisson(rng, rate)):
                topic = rng.choice(list(ORDINARY))
                when = START + timedelta(hours=hour, seconds=rng.randint(0, 3599))
                noise.append(_doc(rng, f"noise-{len(noise)}", _fill(rng, rng.choice(ORDINARY[topic])), when, topic,
                                  0.25, rng.choice(["mastodon", "reddit", "forum", "rss"])))
        posts = []
        for j, post in enumerate(ev["posts"]):
            d = _doc(rng, f"event-{j}", str(post.get("text") or ""), start + timedelta(minutes=float(post.get("minutes")
                     or 0)), "risques-crise", 0.5, rng.choice(["mastodon", "x", "facebook"]))
            d = d.model_copy(update={"author": d.author.model_copy(update={"handle": str(post.get("author") or "")})})
            posts.append(d)
        ids = {d.doc_id for d in posts}
        engine = Engine(watch, lemmatizer=make_lemmatizer("light"))
        engine.run(sorted(noise + posts, key=lambda d: (d.published_at, d.doc_id)))
        hits = [(len(ids & set(a.doc_ids)), a) for a in engine.lifecycle.alerts.values()]
        hits = [(n, a) for n, a in hits if n]
        label = max(hits, key=lambda na: na[0])[1].event_label if hits else ""
        direct = label_docs([d.text for d in posts], communes=[[commune]] * len(posts))
        row = {"id": ev.get("id"), "alerts": len(hits), "label": label, "direct_label": direct,
               "max_level": max((a.level for _, a in hits), default=0),
               "false_alerts": sum(1 for a in engine.lifecycle.alerts.values() if not ids & set(a.doc_ids))}
        for key, text in (("", label), ("direct_", direct)):
            row[key + "place"] = bool(text) and _place_hit(text, ev.get("place") or [])
            row[key + "event"] = bool(text) and _event_word_hit(text, ev.get("event") or [])
            row[key + "junk"] = label_junk(text) if text else []
        rows.append(row)
    n = len(rows) or 1
    fired = [r for r in rows if r["alerts"]] or [{}]

    def share(rs, key):
        return round(sum(bool(r.get(key)) for r in rs) / (len(rs) or 1), 3)

    return {
        "events": len(rows), "bad_lines": bad,
        "exactly_one_alert": round(sum(r["alerts"] == 1 for r in rows) / n, 3),
        "no_alert": round(sum(r["alerts"] == 0 for r in rows) / n, 3),
        "max_level_above_3": sum(r["max_level"] > 3 for r in rows),
        "false_alerts_from_noise": sum(r["false_alerts"] for r in rows),
        "alerted_label_has_place": share(fired, "place"),
        "alerted_label_has_event_word": share(fired, "event"),
        "alerted_label_has_junk": share(fired, "junk"),
        "direct_label_has_place": share(rows, "direct_place"),
        "direct_label_has_event_word": share(rows, "direct_event"),
        "direct_label_has_junk": share(rows, "direct_junk"),
        "rows": rows,
    }


def print_label_report(report: dict) -> None:
    print(f"{report['events']} events ({report['bad_lines']} bad line(s)); through the detectors:")
    print(f"  exactly one alert: {report['exactly_one_alert']:.0%}   no alert: {report['no_alert']:.0%}   "
          f"level above 3: {report['max_level_above_3']}   false alerts from the noise: "
          f"{report['false_alerts_from_noise']}")
    print(f"  label of the alert: place {report['alerted_label_has_place']:.0%}, event word "
          f"{report['alerted_label_has_event_word']:.0%}, junk {report['alerted_label_has_junk']:.0%}")
    print(f"labeller alone on the posts: place {report['direct_label_has_place']:.0%}, event word "
          f"{report['direct_label_has_event_word']:.0%}, junk {report['direct_label_has_junk']:.0%}")
    for r in report["rows"]:
        flags = ("P" if r["place"] else "-") + ("E" if r["event"] else "-") + ("J" if r["junk"] else "-")
        print(f"  {r['id']:<10} alerts {r['alerts']}  {flags}  {r['label'] or '(no alert)'}   | {r['direct_label']}")


event_of: dict[str, str] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=3000, help="ordinary posts per day (default 3000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lemmatizer", choices=["light", "spacy"], default="light")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", type=Path, help="also write the stream with its events to this JSONL file")
    parser.add_argument("--events", type=Path, help="score alert labels on this JSONL set of events instead")
    args = parser.parse_args()
    if args.events:
        report = label_eval(args.events, args.seed)
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print_label_report(report)
        return
    report = evaluate(args.per_day, args.seed, args.lemmatizer, args.write)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(
        f"ordinary traffic: {report['ordinary_docs']} posts over {DAYS} days; injected: {report['event_docs']} "
        f"posts in {len(report['events'])} events (lemmatizer: {report['lemmatizer']})"
    )
    print(
        f"recall: {report['recall']:.0%}   events reaching 20 posts within an hour alerted within 2 slices: "
        f"{report['fast_events_within_2_slices']}"
    )
    print(
        f"false alerts per day: {report['false_alerts_per_day_ordinary']} on ordinary traffic alone, "
        f"{report['false_alerts_per_day_with_events']} with events"
    )
    print(
        f"throughput: {report['docs_per_s_one_core']:,} documents/s on one core "
        f"({report['detection_cpu_seconds']} s CPU)"
    )
    print(f"{'event':<20}{'size':>6}{'min':>6}  {'kind':<9}{'detected':<10}{'latency':>8}  alert kind (levels)")
    for name, e in report["events"].items():
        lat = "-" if e["latency_slices"] is None else str(e["latency_slices"])
        print(
            f"{name:<20}{e['size']:>6}{e['minutes']:>6}  {e['kind']:<9}{'yes' if e['detected'] else 'NO':<10}"
            f"{lat:>8}  {e['alert_kind'] or ''} ({e['levels'] or ''})"
        )
    for title in report["false_alert_titles"]:
        print(f"  false alert: {title}")


if __name__ == "__main__":
    main()
