"""Writes the dev set of alert-label events (for tuning; the blind set is scored by the lead only).

    .venv/bin/python bench/alert_events_dev.py [OUT]   # default tests/fixtures/alert_events_dev.jsonl

One JSON line per event, the format ``bench/alerts_eval.py --events`` reads:
``{"id", "commune", "posts": [{"text", "author", "minutes"}], "place": [variants], "event": [event words]}``.
Each event is written from a handful of sentences in the way posts go: retweets (``RT @x:``), ``via
@x``, handles, hashtags, links, times and counts, a quarter of the posts all in lower case.  Written
by the author of the labeller, so they are a dev set, not an evaluation.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# commune, place variants, event words, sentences ({p}: a place variant, {c}: the commune, {n}: a number)
EVENTS = [
    ("Armentières", ["D933", "D 933"], ["accident", "collision", "route"], [
        "Accident grave sur la D933 à {c}, la route est coupée",
        "Collision entre deux voitures sur la {p}, {n} blessés",
        "La D933 fermée après l'accident, déviation par le centre",
        "Encore un accident sur la D933, il faut sécuriser ce tronçon",
    ]),
    ("Lambersart", ["rue des Saules"], ["inondation", "cave", "eau", "crue"], [
        "Rue des Saules inondée, {n} cm d'eau dans les caves",
        "Inondation rue des Saules à {c}, les pompiers pompent les caves",
        "Les caves de la rue des Saules sont sous l'eau depuis {n}h",
        "Toujours de l'eau rue des Saules, l'inondation ne baisse pas",
    ]),
    ("Tourcoing", ["rue de Lille"], ["incendie", "immeuble", "feu"], [
        "Incendie dans un immeuble rue de Lille à {c}, fumée épaisse",
        "Gros feu rue de Lille, {n} familles évacuées de l'immeuble",
        "L'incendie de l'immeuble de la rue de Lille est maîtrisé",
        "Les pompiers encore sur place rue de Lille après l'incendie",
    ]),
    ("Roubaix", ["quartier de l'Épeule", "Épeule"], ["coupure", "électricité", "courant", "panne"], [
        "Coupure d'électricité dans tout le quartier de l'Épeule depuis {n}h",
        "Panne de courant à l'Épeule, Enedis annonce un retour vers {n}h",
        "Toujours pas d'électricité quartier de l'Épeule à {c}",
        "Coupure de courant à l'Épeule, les commerçants ferment",
    ]),
    ("Villeneuve-d'Ascq", ["avenue du Pont de Bois", "Pont de Bois"], ["fuite", "gaz"], [
        "Fuite de gaz avenue du Pont de Bois, périmètre de sécurité",
        "Odeur de gaz au Pont de Bois à {c}, GRDF sur place",
        "La fuite de gaz de l'avenue du Pont de Bois est colmatée",
        "Immeubles évacués avenue du Pont de Bois à cause d'une fuite de gaz",
    ]),
    ("Marcq-en-Barœul", ["avenue Foch"], ["arbre", "chute", "tempête"], [
        "Un arbre est tombé sur l'avenue Foch, circulation bloquée",
        "Tempête : chute d'un arbre avenue Foch à {c}",
        "L'arbre tombé avenue Foch a écrasé {n} voitures",
        "Avenue Foch toujours fermée, l'arbre n'est pas dégagé",
    ]),
    ("Wattrelos", ["canal de Roubaix"], ["pollution", "poisson", "canal"], [
        "Des poissons morts par dizaines dans le canal de Roubaix à {c}",
        "Pollution du canal de Roubaix : nappe irisée et poissons morts",
        "Qui a pollué le canal de Roubaix ? Encore des poissons morts ce matin",
        "La pollution du canal de Roubaix s'étend sur {n} km",
    ]),
    ("Halluin", ["école Jean Macé", "Jean Macé"], ["fermeture", "classe", "école"], [
        "Fermeture d'une classe à l'école Jean Macé, les parents mobilisés",
        "Pétition contre la fermeture de classe à Jean Macé à {c}",
        "L'école Jean Macé perd une classe à la rentrée, colère des parents",
        "Rassemblement devant l'école Jean Macé contre la fermeture",
    ]),
    ("Comines", ["pont de la Lys", "Lys"], ["fermeture", "pont", "travaux"], [
        "Le pont de la Lys fermé pour travaux pendant {n} semaines",
        "Fermeture du pont de la Lys à {c} : bouchons monstres",
        "Travaux du pont de la Lys, les commerçants inquiets",
        "Pont de la Lys fermé, détour de {n} km pour aller en Belgique",
    ]),
    ("Seclin", ["rue Roger Bouvry"], ["cambriolage", "vol"], [
        "Série de cambriolages rue Roger Bouvry à {c}",
        "Encore un cambriolage rue Roger Bouvry cette nuit, {n} maisons visitées",
        "Vols dans les maisons de la rue Roger Bouvry, la police enquête",
        "Les habitants de la rue Roger Bouvry excédés par les cambriolages",
    ]),
    ("Lomme", ["parc urbain", "parc de Lomme"], ["chien", "attaque", "morsure"], [
        "Un chien a attaqué un enfant au parc urbain de {c}",
        "Attaque de chien au parc urbain : l'enfant mordu au bras",
        "Morsure de chien au parc urbain, le propriétaire recherché",
        "Après l'attaque du chien, le parc urbain de Lomme sous surveillance",
    ]),
    ("Loos", ["quartier des Oliveaux", "Oliveaux"], ["eau", "robinet", "pollution"], [
        "Eau marron au robinet aux Oliveaux à {c}",
        "L'eau du robinet est marron dans tout le quartier des Oliveaux",
        "Eau marron aux Oliveaux depuis {n}h, peut-on la boire ?",
        "La régie explique l'eau marron des Oliveaux par une canalisation",
    ]),
    ("Haubourdin", ["rue Sadi Carnot"], ["effondrement", "chaussée", "trou"], [
        "Effondrement de chaussée rue Sadi Carnot à {c}, un trou de {n} mètres",
        "Un trou énorme rue Sadi Carnot après l'effondrement de la chaussée",
        "Rue Sadi Carnot fermée : la chaussée s'est effondrée",
        "L'effondrement de la rue Sadi Carnot dû à une canalisation",
    ]),
    ("Croix", ["usine Lesaffre", "Lesaffre"], ["odeur", "usine", "pollution"], [
        "Odeur insupportable autour de l'usine Lesaffre à {c}",
        "Encore cette odeur de l'usine Lesaffre, on ne peut pas ouvrir les fenêtres",
        "Pollution olfactive près de l'usine Lesaffre, les riverains se plaignent",
        "L'odeur de l'usine Lesaffre gêne {n} quartiers",
    ]),
    ("Wasquehal", ["piscine"], ["fermeture", "piscine", "légionellose"], [
        "Fermeture de la piscine de {c} après une alerte légionellose",
        "La piscine fermée pour {n} jours, légionelles détectées",
        "Légionellose : la piscine de Wasquehal reste fermée",
        "Les clubs privés de piscine après la fermeture pour légionellose",
    ]),
    ("La Madeleine", ["rue du Général de Gaulle"], ["manifestation", "rassemblement"], [
        "Manifestation rue du Général de Gaulle à {c} contre le projet immobilier",
        "Rassemblement de {n} personnes rue du Général de Gaulle",
        "La manifestation bloque la rue du Général de Gaulle",
        "Fin de la manifestation rue du Général de Gaulle, dans le calme",
    ]),
    ("Bondues", ["golf", "route de Linselles"], ["incendie", "champ", "feu"], [
        "Incendie de champ route de Linselles à {c}, {n} hectares brûlés",
        "Feu de champ près de la route de Linselles, fumée visible de Lille",
        "L'incendie route de Linselles est maîtrisé",
        "Les pompiers surveillent le champ brûlé route de Linselles",
    ]),
    ("Mouvaux", ["boulevard Carnot"], ["nid", "chaussée", "voirie"], [
        "Nids-de-poule énormes boulevard Carnot à {c}, {n} pneus crevés",
        "Chaussée défoncée boulevard Carnot, quand la voirie va-t-elle réparer ?",
        "Boulevard Carnot : encore un nid-de-poule, une roue cassée",
        "La voirie du boulevard Carnot est dangereuse pour les vélos",
    ]),
    ("Hazebrouck", ["gare", "gare d'Hazebrouck"], ["train", "suppression", "retard", "grève"], [
        "Trains supprimés en gare d'Hazebrouck, grève surprise",
        "Encore {n} trains supprimés à la gare, les usagers à bout",
        "Grève à la gare d'Hazebrouck : aucun train vers Lille ce matin",
        "Retards et suppressions de trains à la gare de {c}",
    ]),
    ("Bailleul", ["Mont Noir"], ["incendie", "forêt", "feu"], [
        "Incendie dans la forêt du Mont Noir près de {c}",
        "Feu de forêt au Mont Noir, {n} pompiers engagés",
        "Le Mont Noir interdit au public après l'incendie",
        "Fumée au-dessus du Mont Noir, l'incendie progresse",
    ]),
    ("Douai", ["place d'Armes"], ["marché", "annulation", "noël"], [
        "Annulation du marché de Noël de la place d'Armes à {c}",
        "Le marché de Noël place d'Armes annulé, les exposants furieux",
        "Pourquoi annuler le marché de Noël de la place d'Armes ?",
        "Marché de Noël place d'Armes : {n} chalets déjà montés avant l'annulation",
    ]),
    ("Cambrai", ["rue de Noyon"], ["explosion", "immeuble", "gaz"], [
        "Explosion dans un immeuble rue de Noyon à {c}",
        "Forte explosion rue de Noyon, {n} blessés, le gaz soupçonné",
        "L'immeuble de la rue de Noyon détruit par l'explosion",
        "Après l'explosion de la rue de Noyon, les habitants relogés",
    ]),
    ("Valenciennes", ["A2", "autoroute A2"], ["bouchon", "accident", "poids lourd", "camion"], [
        "Accident de poids lourd sur l'A2 à hauteur de {c}, bouchon de {n} km",
        "L'A2 bloquée après l'accident d'un camion",
        "Camion renversé sur l'autoroute A2, circulation coupée",
        "Bouchon énorme sur l'A2 après l'accident du poids lourd",
    ]),
    ("Maubeuge", ["Sambre"], ["crue", "inondation", "rivière"], [
        "La Sambre en crue à {c}, les berges inondées",
        "Crue de la Sambre : {n} maisons inondées",
        "Inondation près de la Sambre, le chemin de halage fermé",
        "La Sambre continue de monter, vigilance crue",
    ]),
    ("Dunkerque", ["port", "port de Dunkerque"], ["pollution", "hydrocarbure", "nappe"], [
        "Nappe d'hydrocarbures dans le port de Dunkerque",
        "Pollution au port de {c} : {n} mètres de nappe",
        "Les oiseaux mazoutés près du port après la pollution",
        "Hydrocarbures dans le port de Dunkerque, barrages flottants installés",
    ]),
    ("Gravelines", ["plage des Huttes", "Huttes"], ["baignade", "interdiction", "noyade"], [
        "Noyade à la plage des Huttes à {c}",
        "Baignade interdite plage des Huttes après la noyade",
        "Interdiction de baignade aux Huttes pour {n} jours",
        "Drame plage des Huttes : la noyade d'un adolescent",
    ]),
    ("Béthune", ["Grand-Place"], ["rats", "invasion", "propreté"], [
        "Invasion de rats sur la Grand-Place de {c}",
        "Des rats partout sur la Grand-Place, la propreté en cause",
        "Les rats de la Grand-Place filmés en plein jour",
        "Dératisation de la Grand-Place après l'invasion de rats",
    ]),
    ("Lens", ["stade Bollaert", "Bollaert"], ["bagarre", "supporters", "violence"], [
        "Bagarre entre supporters près du stade Bollaert à {c}",
        "Violences aux abords de Bollaert, {n} interpellations",
        "Les supporters se battent devant le stade Bollaert",
        "Après la bagarre de Bollaert, la préfecture réagit",
    ]),
    ("Arras", ["rue Saint-Aubert"], ["travaux", "bruit", "nuit", "chantier"], [
        "Travaux de nuit rue Saint-Aubert à {c}, impossible de dormir",
        "Le chantier de la rue Saint-Aubert fait du bruit jusqu'à {n}h",
        "Bruit des travaux rue Saint-Aubert toute la nuit",
        "Quand finit le chantier de nuit de la rue Saint-Aubert ?",
    ]),
    ("Saint-Omer", ["marais audomarois", "marais"], ["sécheresse", "eau", "niveau"], [
        "Le marais audomarois à sec, niveau d'eau historiquement bas",
        "Sécheresse dans le marais de {c}, les bateaux bloqués",
        "Le niveau d'eau du marais audomarois baisse encore de {n} cm",
        "Sécheresse : les maraîchers du marais inquiets pour l'eau",
    ]),
    ("Lille", ["boulevard Victor Hugo"], ["feux", "panne", "circulation", "carrefour"], [
        "Panne des feux boulevard Victor Hugo à {c}, carrefour dangereux",
        "Feux tricolores en panne boulevard Victor Hugo, circulation chaotique",
        "Circulation très difficile boulevard Victor Hugo, les feux ne marchent plus",
        "La panne des feux du boulevard Victor Hugo dure depuis {n}h",
    ]),
    ("Ronchin", ["rue Jules Guesde"], ["incendie", "voiture", "feu"], [
        "Incendie de voitures rue Jules Guesde à {c} cette nuit",
        "{n} voitures brûlées rue Jules Guesde",
        "Encore des voitures en feu rue Jules Guesde, les riverains excédés",
        "Rue Jules Guesde : l'incendie des voitures serait criminel",
    ]),
]
HANDLES = ["@prefet59", "@actu_nord", "@lavoixdunord", "@france3hdf", "@pompiers59", "@info_trafic", "@meteo_nord"]
HASHTAGS = ["#alerte", "#info", "#urgent", "#Nord", "#HautsDeFrance"]


def event_record(rng: random.Random, k: int, commune: str, places: list[str], words: list[str],
                 sentences: list[str]) -> dict:
    posts, written = [], []
    size = rng.randint(12, 40)
    minutes = rng.choice([90, 180, 360, 720])
    for i in range(size):
        minute = round(minutes * (i / size) ** 1.4 + rng.random() * 4)
        if written and rng.random() < 0.3:
            text = f"RT {rng.choice(HANDLES)}: {rng.choice(written)}"
        else:
            text = rng.choice(sentences).format(p=rng.choice(places), c=commune, n=rng.randint(2, 60))
            if rng.random() < 0.3:
                text += f" #{commune.replace('-', '').replace(' ', '').replace('’', '')}"
            if rng.random() < 0.2:
                text += f" {rng.choice(HASHTAGS)}"
            if rng.random() < 0.15:
                text += f" https://t.example/{rng.randint(1000, 9999)}"
            if rng.random() < 0.15:
                text += f" via {rng.choice(HANDLES)}"
            if rng.random() < 0.1:
                text = f"{rng.choice(HANDLES)} {text}"
            if rng.random() < 0.25:
                text = text.lower()   # casual posts: no capital letters, place names included
            written.append(text)
        posts.append({"text": text, "author": f"user{rng.randint(1, 400)}", "minutes": minute})
    return {"id": f"dev-{k:02d}", "commune": commune, "posts": posts, "place": places, "event": words}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "tests" / "fixtures" / "alert_events_dev.jsonl"
    rng = random.Random(2026)
    with out.open("w", encoding="utf-8") as handle:
        for k, spec in enumerate(EVENTS):
            handle.write(json.dumps(event_record(rng, k, *spec), ensure_ascii=False) + "\n")
    print(f"{len(EVENTS)} events written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
