"""Speed of the Vigie French pipeline vs plain fr_core_news_sm, on the same posts, in the same run.

    .venv/bin/python bench/nlp_speed.py [--docs 20000] [--accurate-docs 4000] [--processes 2] [--profiles fast,accurate]

The posts are short social texts generated from templates written for this benchmark (streets,
complaints, questions, event posts, emojis, hashtags, mentions, links, a few English lines).
Side A: ``spacy.load("fr_core_news_sm")`` with its default components, ``nlp.pipe`` in one process.
Side B, for each NLP profile (``fast``, ``accurate``): our whole pipeline through the engine of ``vigie
enrich`` (``vigie.nlp.enrich.Analyser``: text normalisation, both cores), workers started and warmed
before the clock starts (their start-up time is printed apart), then the seconds spent in each
component in one process.  Peak memory: the largest sum of the resident sizes (VmRSS) of this
process and all its children, sampled every 0.2 s, for each side.  Other jobs on the machine depress both
sides; the ratio is what counts.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STREETS = ["rue Victor Hugo", "rue des Tilleuls", "avenue de l'Hippodrome", "rue Pasteur", "place du Marché",
           "boulevard Carnot", "rue Jean Jaurès", "allée des Roses", "rue de Lille", "chemin des Prés",
           "rue Faidherbe", "avenue Foch", "rue de la Gare", "quartier du Canon d'Or", "rue Nationale"]
PEOPLE = ["Marie Dupont", "le maire", "Jean-Pierre Martin", "Sophie Lefebvre", "l'adjoint aux travaux"]
ORGS = ["la Métropole", "Ilévia", "la SNCF", "le CCAS", "Enedis", "la Croix-Rouge", "le club de foot"]
TAGS = ["#Lambersart", "#travaux", "#propreté", "#fête", "#sécurité", "#marché", "#culture", "#MEL"]
MENTIONS = ["@VilleDeLambersart", "@ilevia", "@MetropoleLille", "@voisins_lambersart"]
EMOJIS = ["😡", "🙏", "👏", "😂", "🚧", "❤️", "😤", "🎉", "👍", "🙄", "🌳", "⚽"]
PROBLEMS = ["des nids-de-poule énormes", "un lampadaire en panne", "des poubelles qui débordent",
            "un dépôt sauvage", "une fuite d'eau", "des voitures garées sur le trottoir", "des tags sur les murs",
            "un arbre tombé", "des crottes de chien partout", "un feu tricolore cassé"]
EVENTS = ["la braderie", "le marché de Noël", "le concert de l'harmonie", "la fête des voisins", "le feu d'artifice",
          "le carnaval", "la ducasse", "le forum de l'emploi", "la journée du patrimoine", "le cross des écoles"]
PLACES = ["la médiathèque", "la piscine", "le gymnase", "l'école Jules Ferry", "la mairie", "le parc", "la crèche",
          "le stade", "la salle des fêtes", "la gare"]
TEMPLATES = [
    "Toujours pas de ramassage des poubelles {street} depuis {n} jours, c'est inadmissible ! {mention} {emoji}",
    "Quand est-ce que {street} sera réparée ? Il y a {problem} depuis des semaines.",
    "Il y a {problem} {street}, quelqu'un peut prévenir {mention} ? {emoji}",
    "Super soirée pour {event}, merci à tous les bénévoles {emoji} {tag}",
    "{event} aura lieu samedi à {place}, venez nombreux ! Infos sur https://lambersart.example/agenda {tag}",
    "Bravo aux équipes de {place}, accueil au top {emoji}",
    "Encore {problem} {street}, ça fait {n} fois qu'on signale. Que fait la mairie ?",
    "{person} a présenté le projet de rénovation de {place} hier soir en réunion publique.",
    "{org} annonce des perturbations sur le réseau de bus ce week-end {tag}",
    "Est-ce que {place} est ouverte pendant les vacances ? Merci",
    "Il faudrait plus de places de stationnement près de {place}, impossible de se garer le matin.",
    "Ma fille adore les ateliers de {place} {emoji}",
    "Qui vient à {event} dimanche ? {emoji}",
    "Merci {mention} pour la réactivité, {problem} a été réglé en deux jours {emoji}",
    "Attention {problem} {street}, soyez prudents ce soir {emoji}",
    "Rodéos de motos tous les soirs {street}, on ne dort plus {emoji} {mention}",
    "La réunion du conseil municipal est en ligne : https://lambersart.example/conseil",
    "Trop bien {event} cette année {emoji}{emoji}",
    "Vigilance orange aux orages cet après-midi, rentrez vos objets de balcon. {tag}",
    "Les travaux {street} vont durer jusqu'à mi-décembre selon {org}.",
    "Plus aucun médecin ne prend de nouveaux patients, comment on fait ?",
    "Pourquoi ne pas installer une piste cyclable {street} ? Les vélos risquent leur vie.",
    "{person} était présent à {event}, belle ambiance {emoji}",
    "Offre d'emploi : {org} recrute des animateurs pour l'été, envoyez votre CV !",
    "Bonne journée à tous {emoji}",
    "The road is closed again near {place}, when will it reopen?",
    "Le bus est encore en retard ce matin, {n} minutes d'attente sous la pluie {emoji}",
    "Coupure d'eau prévue {street} mercredi de 9h à 12h.",
    "{emoji}{emoji}{emoji}",
    "Les inscriptions pour la cantine sont ouvertes jusqu'au {n} septembre sur le portail citoyen.",
]


def make_posts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        template = rng.choice(TEMPLATES)
        posts.append(template.format(
            street=rng.choice(STREETS), person=rng.choice(PEOPLE), org=rng.choice(ORGS), tag=rng.choice(TAGS),
            mention=rng.choice(MENTIONS), emoji=rng.choice(EMOJIS), problem=rng.choice(PROBLEMS),
            event=rng.choice(EVENTS), place=rng.choice(PLACES), n=rng.randint(2, 30)))
    return posts


class RSSSampler(threading.Thread):
    """Largest sum of VmRSS over this process and its descendants."""

    def __init__(self, interval: float = 0.2):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self.stop_event = threading.Event()

    @staticmethod
    def _tree(root: int) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as handle:
                        ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [root]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo += children.get(pid, [])
        return out

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def sample(self) -> int:
        total = sum(self._rss(pid) for pid in self._tree(os.getpid()))
        self.peak = max(self.peak, total)
        return total

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            time.sleep(self.interval)

    def stop(self) -> int:
        self.stop_event.set()
        self.join()
        return self.peak


def component_costs(profile: str, posts: list[str]) -> dict[str, float]:
    """Seconds spent in each component of the pipeline, one process, over ``posts`` (after a warm-up)."""
    from vigie.nlp.normalize import normalize
    from vigie.nlp.pipeline import build_pipeline

    nlp = build_pipeline(profile=profile)
    texts = [normalize(p).analysed for p in posts]
    list(nlp.pipe(texts[:50]))
    costs: dict[str, float] = {}
    start = time.perf_counter()
    docs = [nlp.make_doc(t) for t in texts]
    costs["tokenizer"] = time.perf_counter() - start
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=128)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        costs[name] = time.perf_counter() - start
    return costs


def long_texts(posts: list[str], count: int, per_text: int = 8) -> list[str]:
    """Long texts (about 600 characters: reviews, articles) made of consecutive posts."""
    return [" ".join(posts[i * per_text:(i + 1) * per_text]) for i in range(count)]


def long_text_cost(profile: str, texts: list[str]) -> float:
    """Seconds per text spent in ``vigie_sentiment`` on long texts (sentences + long-text model), 1 process."""
    import spacy

    import vigie.nlp.components.sentiment  # noqa: F401  (registers the factory)

    nlp = spacy.blank("fr")
    nlp.add_pipe("vigie_sentiment", config={"profile": profile})
    component = nlp.get_pipe("vigie_sentiment")
    list(component.pipe([nlp.make_doc(t) for t in texts[:5]]))
    docs = [nlp.make_doc(t) for t in texts]
    start = time.perf_counter()
    list(component.pipe(docs, batch_size=128))
    return (time.perf_counter() - start) / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20_000, help="posts timed for plain spaCy and the fast profile")
    parser.add_argument("--accurate-docs", type=int, default=4_000, help="posts timed for the accurate profile")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--profiles", default="fast,accurate")
    parser.add_argument("--cost-docs", type=int, default=1_000, help="posts for the per-component costs (0: skip)")
    parser.add_argument("--long-docs", type=int, default=200,
                        help="long texts (~600 characters) for the cost of vigie_sentiment on long texts (0: skip)")
    args = parser.parse_args()
    posts = make_posts(args.docs)
    chars = sum(len(p) for p in posts)
    print(f"{len(posts)} posts, {chars / len(posts):.0f} characters on average; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f} at start")

    import spacy

    sampler = RSSSampler()
    sampler.start()
    # ---------------------------------------------------------------- A: plain model
    plain = spacy.load("fr_core_news_sm")
    list(plain.pipe(posts[:200]))
    start = time.perf_counter()
    for _ in plain.pipe(posts):
        pass
    plain_time = time.perf_counter() - start
    plain_rate = len(posts) / plain_time
    plain_peak = sampler.stop()
    del plain
    print(f"A  fr_core_news_sm, default components {spacy.load('fr_core_news_sm').pipe_names}, 1 process: "
          f"{plain_time:.1f} s, {plain_rate:.0f} docs/s, peak RSS {plain_peak / 2**30:.2f} GiB")

    # ---------------------------------------------------------------- B: our pipeline, per profile
    from vigie.nlp.enrich import Analyser, Item

    for profile in [p.strip() for p in args.profiles.split(",") if p.strip()]:
        todo = posts if profile == "fast" else posts[: args.accurate_docs]
        sampler = RSSSampler()
        sampler.start()
        start = time.perf_counter()
        analyser = Analyser("fr_core_news_sm", processes=args.processes, batch_size=args.batch_size,
                            profile=profile).start()
        warm = list(analyser.run([Item(p) for p in posts[:500]]))
        startup = time.perf_counter() - start
        start = time.perf_counter()
        results = list(analyser.run(Item(p) for p in todo))
        ours_time = time.perf_counter() - start
        analyser.close()
        peak = sampler.stop()
        assert len(results) == len(todo) and len(warm) == 500
        errors = sum(1 for r in results if r.error)
        rate = len(todo) / ours_time
        labels = {}
        for r in results:
            label = (r.fields.get("sentiment") or {}).get("label")
            labels[label] = labels.get(label, 0) + 1
        print(f"B  profile {profile}: {len(todo)} posts, {args.processes} processes: {ours_time:.1f} s, "
              f"{rate:.0f} docs/s, ratio to A {rate / plain_rate:.2f}, peak RSS {peak / 2**30:.2f} GiB "
              f"(workers started and warmed in {startup:.1f} s; {errors} errors; sentiment {labels})")
        print("   targets: accurate ≥ 50 docs/s; fast ≥ 1.5 × A; peak < 2.5 GiB")
        if args.cost_docs:
            costs = component_costs(profile, posts[: args.cost_docs])
            total = sum(costs.values())
            print(f"   cost per component, 1 process, {args.cost_docs} posts ({args.cost_docs / total:.0f} docs/s): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in costs.items()))
        if args.long_docs:
            texts = long_texts(make_posts(args.long_docs * 8, seed=11), args.long_docs)
            per_text = long_text_cost(profile, texts)
            print(f"   vigie_sentiment on {len(texts)} long texts ({sum(map(len, texts)) / len(texts):.0f} characters "
                  f"on average), 1 process: {per_text * 1000:.1f} ms per text")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
