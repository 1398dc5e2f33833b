"""A replayed crisis stream: one event over two days, told the way social networks tell it.

A fire at a warehouse of avenue de l'Hippodrome in Testville: a first wave on the afternoon of day 1
(witnesses, the fire brigade, the prefecture), retweets of the same posts (``RT @handle: …``), numbers
everywhere (times, counts of firefighters, a phone number), handles, hashtags and links; a quiet night; a
second wave on day 2 with new words (smoke, air quality, schools closed).  Ordinary traffic of the
town goes on all along, and a day of it comes first (the detectors' warm-up).

``with_second=True`` adds another event at the same time and elsewhere: a water cut in the
Pacot-Vandracq quarter.

    .venv/bin/python -m tests.alerts.crisis_stream OUT.jsonl [--second]   # the stream as JSONL
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta

from tests.alerts.conftest import T0, background, make_doc

HANDLES = ["@prefet59", "@pompiers59", "@actu_testville", "@VilleDeTestville", "@lavoixdunord", "@meteo_nord"]
WAVE1 = [
    "Énorme incendie dans un entrepôt avenue de l'Hippodrome à Testville, fumée noire visible de loin #incendie",
    "Incendie en cours avenue de l'Hippodrome, {n} camions de pompiers sur place {h}",
    "L'entrepôt de l'avenue de l'Hippodrome est en feu, les pompiers demandent d'éviter le secteur #Testville",
    "{h} incendie de l'entrepôt avenue de l'Hippodrome : {n} pompiers mobilisés, pas de blessé pour l'instant",
    "Colonne de fumée au-dessus de l'avenue de l'Hippodrome, l'incendie de l'entrepôt ne faiblit pas",
    "Vidéo de l'incendie de l'entrepôt, avenue de l'Hippodrome, à {n}h{m} https://video.example/{n}",
    "Gros incendie à Testville : l'entrepôt de l'avenue de l'Hippodrome brûle depuis {n} minutes #incendie #Testville",
    "Les pompiers luttent contre l'incendie de l'entrepôt avenue de l'Hippodrome, route barrée",
]
WAVE2 = [
    "Le lendemain de l'incendie de l'entrepôt, l'avenue de l'Hippodrome reste fermée, fumée encore visible",
    "Fumée de l'incendie avenue de l'Hippodrome : la qualité de l'air inquiète les parents {h}",
    "Écoles fermées près de l'avenue de l'Hippodrome après l'incendie de l'entrepôt, {n} classes concernées",
    "Incendie de l'entrepôt de l'avenue de l'Hippodrome : une enquête est ouverte #incendie",
    "Odeur de fumée toute la nuit après l'incendie de l'avenue de l'Hippodrome, fenêtres fermées",
    "{h} l'entrepôt de l'avenue de l'Hippodrome est détruit, {n} salariés au chômage technique après l'incendie",
]
SECOND = [
    "Coupure d'eau dans tout le quartier Pacot-Vandracq depuis {n}h, une canalisation a cédé",
    "Toujours pas d'eau au robinet à Pacot-Vandracq {h} #coupure",
    "Canalisation cassée à Pacot-Vandracq : coupure d'eau pour {n} foyers",
    "Coupure d'eau à Pacot-Vandracq, des bouteilles distribuées à la salle des fêtes",
    "Plus d'eau à Pacot-Vandracq depuis ce matin, la canalisation est en réparation",
]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(n=rng.randint(2, 60), m=f"{rng.randint(0, 59):02d}", h=rng.choice(HANDLES))


def _wave(rng, prefix, templates, start, hours, count, retweet_share=0.35):
    """``count`` posts over ``hours``, denser at first; a share of them are retweets of earlier posts."""
    docs, texts = [], []
    for i in range(count):
        when = start + timedelta(minutes=(hours * 60) * (i / count) ** 1.3 + rng.random() * 3)
        if texts and rng.random() < retweet_share:
            text = f"RT {rng.choice(HANDLES)}: {rng.choice(texts)}"
        else:
            text = _fill(rng, rng.choice(templates))
            texts.append(text)
        if rng.random() < 0.2:
            text += f" via {rng.choice(HANDLES)}"
        docs.append(make_doc(f"{prefix}-{i}", text, when, platform=rng.choice(["mastodon", "bluesky", "x"]),
                             sentiment={"label": rng.choice(["negative", "neutral"]), "score": -0.3}))
    return docs


def crisis_stream(seed: int = 17, with_second: bool = False, second_wave_hour: int = 7) -> list:
    """About 330 posts on the event over day 1 and 2, after a day of ordinary traffic (3 days in all).
    The first wave runs from 14:00 to 22:00 on day 1; the second starts at ``second_wave_hour`` on day 2."""
    rng = random.Random(seed)
    day1 = T0 + timedelta(days=1)
    docs = background(days=3, per_hour=4)
    docs += _wave(rng, "fire1", WAVE1, day1 + timedelta(hours=14), hours=8, count=180)
    docs += _wave(rng, "fire2", WAVE2, day1 + timedelta(days=1, hours=second_wave_hour), hours=8, count=150)
    if with_second:
        docs += _wave(rng, "water", SECOND, day1 + timedelta(hours=15), hours=6, count=60)
    return sorted(docs, key=lambda d: (d.published_at, d.doc_id))


def main(argv: list[str]) -> int:
    from vigie.jsonl import write_jsonl

    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    docs = crisis_stream(with_second="--second" in argv)
    write_jsonl(argv[0], (d.model_dump(mode="json") for d in docs))
    print(f"{len(docs)} documents written to {argv[0]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
