"""Build the bundled Vigie demo data set ``vigie/demo/lambersart.jsonl`` (a development tool: the
package ships the file, not this script; ``tests/demo/test_demo_data.py`` checks they agree).

All texts below are fictional: they were written for the Vigie demo and are
not copied from any real article, post or comment.  The outlets
("Le Journal de la Métropole", "Lambersart Infos"), the people, the accounts,
the incidents and the URLs (``*.example`` domains, made-up post ids) are
invented; only the commune, its neighbourhoods and its neighbours are real
places.  Any resemblance to real persons is coincidental.

The documents are kept here as Python data (parents referenced by their
platform item id); this script fills the platform defaults, computes
``thread_id``/``parent_id`` with :func:`vigie.schema.make_doc_id`, validates
every record with :class:`vigie.schema.Document` and writes one JSON object
per line, sorted by ``published_at``::

    .venv/bin/python tools/build_demo.py
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

from vigie.schema import Document, make_doc_id

OUT = Path(__file__).resolve().parent.parent / "vigie" / "demo" / "lambersart.jsonl"
WATCH_IDS = ["lambersart"]
TZ = "+01:00"
MONTH = "2026-11-"

# --------------------------------------------------------------------------
# Platforms: source id, source kind and default kind of a root item.
# --------------------------------------------------------------------------
PLATFORMS = {
    "rss": {"source_kind": "feed", "kind": "article"},
    "facebook": {"source_id": "ville-lambersart-fb", "source_kind": "facebook_page", "kind": "post"},
    "mastodon": {"source_id": "mastodon-59", "source_kind": "mastodon", "kind": "post"},
    "discourse": {"source_id": "forum-lambersart", "source_kind": "discourse", "kind": "post"},
    "reddit": {"source_id": "reddit-lille", "source_kind": "reddit", "kind": "post"},
    "decidim": {"source_id": "decidim-lambersart", "source_kind": "decidim", "kind": "post"},
}

FB_PAGE_ID = "100064518273940"

# --------------------------------------------------------------------------
# Authors (all fictional).  followers: town page ~18000, local news page ~9000,
# citizens 20-800, one national account 250000.
# --------------------------------------------------------------------------
def _fb(uid: str, handle: str, name: str, followers: int) -> dict:
    return {"id": uid, "handle": handle, "name": name,
            "url": f"https://www.facebook.com/{handle}", "followers": followers}


def _masto(uid: str, user: str, name: str, followers: int, host: str = "mastodon.example") -> dict:
    return {"id": uid, "handle": f"{user}@{host}", "name": name,
            "url": f"https://{host}/@{user}", "followers": followers}


def _forum(uid: str, user: str, name: str, followers: int) -> dict:
    return {"id": uid, "handle": user, "name": name,
            "url": f"https://forum-lambersart.example/u/{user}", "followers": followers}


def _reddit(user: str, followers: int) -> dict:
    return {"id": f"t2_{hashlib.blake2b(user.encode(), digest_size=4).hexdigest()}",
            "handle": user, "name": user,
            "url": f"https://www.reddit.com/user/{user}", "followers": followers}


def _decidim(uid: str, nick: str, name: str, followers: int) -> dict:
    return {"id": uid, "handle": nick, "name": name,
            "url": f"https://decidim.lambersart.example/profiles/{nick}", "followers": followers}


AUTHORS = {
    # press
    "li": {"id": "lambersart-infos", "handle": "lambersartinfos", "name": "Lambersart Infos",
           "url": "https://lambersart-infos.example", "followers": 9120},
    "jm_deroo": {"id": "jm-claire-deroo", "handle": "cderoo", "name": "Claire Deroo (Le Journal de la Métropole)",
                 "url": "https://journal-metropole.example/auteurs/claire-deroo", "followers": None},
    "jm_vantorre": {"id": "jm-mathieu-vantorre", "handle": "mvantorre",
                    "name": "Mathieu Vantorre (Le Journal de la Métropole)",
                    "url": "https://journal-metropole.example/auteurs/mathieu-vantorre", "followers": None},
    # the town's Facebook page
    "ville": {"id": FB_PAGE_ID, "handle": "VilleDeLambersart", "name": "Ville de Lambersart",
              "url": "https://www.facebook.com/VilleDeLambersart", "followers": 18240},
    # Facebook citizens
    "fb_nadine": _fb("100008812345671", "nadine.lefebvre.59", "Nadine Lefebvre", 312),
    "fb_kevin": _fb("100023456789012", "kevin.dhondt.7", "Kévin Dhondt", 148),
    "fb_aurelie": _fb("100004455667788", "aurelie.marchand.lbs", "Aurélie Marchand", 527),
    "fb_yassine": _fb("100031122334455", "yassine.benali.59", "Yassine Benali", 231),
    "fb_brigitte": _fb("100002233445566", "brigitte.delcroix.3", "Brigitte Delcroix", 86),
    "fb_thomas": _fb("100019988776655", "thomas.vercruysse", "Thomas Vercruysse", 403),
    "fb_spam": _fb("100091000000001", "promo.cadeaux.france2026", "Promo Cadeaux France", 21),
    "fb_julie": _fb("100027766554433", "julie.desmet.80", "Julie Desmet", 689),
    "fb_gerard": _fb("100001122993344", "gerard.wattel", "Gérard Wattel", 57),
    "fb_sandrine": _fb("100015544332211", "sandrine.pollet.lbs", "Sandrine Pollet", 264),
    # Mastodon
    "m_camille": _masto("109882341", "camille_velo", "Camille 🚲", 412),
    "m_hugo": _masto("110203317", "hugo_lbs", "Hugo L.", 138),
    "m_lea": _masto("110554102", "lea_dufour", "Léa Dufour", 276),
    "m_pacot": _masto("111020987", "pacot_vandracq", "Pacot-Vandracq en transition", 745),
    "m_marc": _masto("109771206", "marc_nord", "Marc (Nord)", 59),
    "m_meteo": _masto("108400115", "infos_meteo_fr", "Infos Météo France Direct", 250000,
                      host="social-info.example"),
    "m_losc": _masto("110990431", "dogue_forever", "Dogue forever 🔴", 318),
    # forum
    "d_sophie": _forum("412", "sophie_v", "Sophie V.", 64),
    "d_papa": _forum("587", "papa_de_3", "Papa de 3", 22),
    "d_rene": _forum("133", "rene_bourg", "René", 131),
    "d_ines": _forum("702", "ines_cdo", "Inès (Canon d'Or)", 45),
    "d_fred": _forum("268", "fred59", "Fred", 97),
    "d_mod": _forum("2", "modo_forum", "Équipe du forum", 380),
    # reddit
    "r_ch": _reddit("Chti_en_velo", 240),
    "r_lambe": _reddit("Lambersartois_du_dimanche", 35),
    "r_biloute": _reddit("biloute_59", 512),
    "r_exch": _reddit("maple_exchange_student", 28),
    "r_deule": _reddit("Quai_de_la_Deule", 167),
    # decidim
    "p_collectif": _decidim("u-2231", "collectif_deule", "Collectif Berges de la Deûle", 184),
    "p_parents": _decidim("u-1907", "ape_canondor", "Parents d'élèves du Canon d'Or", 233),
    "p_hubert": _decidim("u-2650", "hubert_pacot", "Hubert Catteau", 41),
}

# --------------------------------------------------------------------------
# Documents.  Keys:
#   p      platform            id     the platform's own item id
#   parent item id of the parent (same platform), absent for roots
#   at     "DD HH:MM" in November 2026, +01:00
#   src    source_id (rss only)   slug  used to build the URL
#   eng    (likes, shares, replies, views)   lang  default "fr"
# --------------------------------------------------------------------------
DOCS: list[dict] = [
    # ===================================================== local press (rss)
    {
        "p": "rss", "src": "journal-metropole", "id": "jm-2026-11-02-hippodrome-travaux",
        "slug": "lambersart-travaux-de-voirie-avenue-de-l-hippodrome-jusqu-a-mi-decembre",
        "at": "02 08:30", "author": "jm_deroo", "eng": (41, 12, 6, 3870),
        "title": "Lambersart : des travaux de voirie avenue de l'Hippodrome jusqu'à mi-décembre",
        "text": (
            "Les automobilistes qui traversent Lambersart devront s'armer de patience. Depuis ce lundi, "
            "la Métropole et la commune ont lancé un important chantier de voirie sur une partie de "
            "l'avenue de l'Hippodrome, entre le Centre et le Canon d'Or. Au programme : reprise complète "
            "de la chaussée, abaissement des trottoirs aux passages piétons et création d'une bande "
            "cyclable protégée. Les travaux doivent durer jusqu'à la mi-décembre, si la météo le permet.\n\n"
            "Pendant toute la durée du chantier, la circulation se fait en sens unique vers Lille et une "
            "déviation est mise en place par les rues adjacentes. Deux lignes de bus Ilévia sont "
            "également déviées et trois arrêts sont provisoirement déplacés. « Nous savons que la gêne "
            "est réelle, mais cette chaussée était devenue dangereuse, avec de nombreux nids-de-poule », "
            "explique l'adjoint chargé des travaux. Les riverains peuvent poser leurs questions lors "
            "d'une permanence en mairie chaque jeudi matin."
        ),
    },
    {
        "p": "rss", "src": "lambersart-infos", "id": "li-4812",
        "slug": "cantine-plus-de-bio-et-de-local-dans-les-ecoles",
        "at": "05 11:00", "author": "li", "eng": (88, 19, 14, 5210),
        "title": "Cantine : plus de bio et de produits locaux dans les écoles lambersartoises",
        "text": (
            "À partir de janvier, les repas servis à la cantine des écoles publiques de Lambersart "
            "compteront 60 % de produits bio ou sous label, contre 45 % aujourd'hui. La commune a "
            "renouvelé son marché de restauration scolaire en imposant davantage de légumes de la "
            "région et un menu végétarien par semaine, comme le prévoit la loi.\n\n"
            "Le prix du repas ne change pas pour les familles : la différence est prise en charge par "
            "le budget municipal. Côté périscolaire, la ville annonce aussi le recrutement de six "
            "animateurs supplémentaires pour l'accueil du soir, souvent saturé à l'école Verhaeren et "
            "au groupe scolaire des Conquérants. Les associations de parents d'élèves saluent l'effort "
            "mais demandent que les travaux promis dans l'office de l'école du Canon d'Or, où les plats "
            "arrivent parfois tièdes, soient enfin réalisés."
        ),
    },
    {
        "p": "rss", "src": "lambersart-infos", "id": "li-4820",
        "slug": "espaces-verts-300-arbres-plantes-cet-hiver",
        "at": "06 09:15", "author": "li", "eng": (132, 27, 9, 4480),
        "title": "Espaces verts : 300 arbres plantés cet hiver dans les quartiers",
        "text": (
            "Érables, tilleuls, charmes et arbres fruitiers : la ville de Lambersart va planter 300 "
            "arbres entre novembre et mars. Les services des espaces verts ont retenu une quinzaine de "
            "sites, en priorité dans les quartiers les moins ombragés comme Les Conquérants et "
            "Pacot-Vandracq, mais aussi le long des berges de la Deûle.\n\n"
            "Des écoliers participeront à certaines plantations, dans le cadre d'un projet pédagogique "
            "sur la biodiversité. Une « forêt urbaine » de 400 m² doit également voir le jour près du "
            "Bourg. La commune rappelle que les habitants peuvent parrainer un arbre et que des sacs de "
            "feuilles mortes sont collectés chaque lundi jusqu'à la mi-décembre."
        ),
    },
    {
        "p": "rss", "src": "journal-metropole", "id": "jm-2026-11-07-cambriolages-lambersart",
        "slug": "cambriolages-les-conquerants-et-le-canon-d-or-sous-surveillance",
        "at": "07 07:45", "author": "jm_vantorre", "eng": (57, 31, 22, 6120),
        "title": "Cambriolages : les Conquérants et le Canon d'Or sous surveillance",
        "text": (
            "Une dizaine de cambriolages en trois semaines : la série inquiète les habitants de "
            "Lambersart, en particulier dans les quartiers des Conquérants et du Canon d'Or. Les "
            "malfaiteurs agissent en fin d'après-midi, lorsque la nuit tombe tôt, et visent surtout "
            "des maisons individuelles dont les occupants sont absents.\n\n"
            "La police nationale et la police municipale ont renforcé leurs patrouilles. La mairie "
            "rappelle l'existence de l'opération Tranquillité Vacances, qui permet de signaler son "
            "absence pour bénéficier de passages réguliers, y compris pendant les week-ends. Les "
            "habitants sont invités à signaler tout comportement suspect en composant le 17. Une "
            "réunion publique sur la prévention des cambriolages se tiendra à la mairie de quartier le "
            "20 novembre."
        ),
    },
    {
        "p": "rss", "src": "lambersart-infos", "id": "li-4833",
        "slug": "zone-bleue-le-stationnement-reglemente-etendu-au-canon-d-or",
        "at": "09 16:20", "author": "li", "eng": (46, 38, 57, 7340),
        "title": "Zone bleue : le stationnement réglementé étendu au Canon d'Or",
        "text": (
            "Le conseil municipal a validé l'extension de la zone bleue à une douzaine de rues du "
            "Canon d'Or à partir du 1er décembre. Le stationnement y sera limité à 1 h 30 du lundi au "
            "samedi, de 9 h à 19 h, avec un disque à placer derrière le pare-brise.\n\n"
            "Objectif affiché : libérer des places pour les clients des commerces et éviter les "
            "voitures ventouses de personnes qui se garent à Lambersart avant de prendre le bus vers "
            "Lille. Les résidents pourront demander une carte de stationnement gratuite, dans la "
            "limite d'un véhicule par foyer. Plusieurs habitants dénoncent déjà une mesure « qui "
            "déplace le problème dans les rues voisines » et demandent une concertation."
        ),
    },
    {
        "p": "rss", "src": "journal-metropole", "id": "jm-2026-11-11-depots-sauvages-cameras",
        "slug": "depots-sauvages-lambersart-installe-des-cameras-le-long-de-la-deule",
        "at": "11 09:10", "author": "jm_deroo", "eng": (73, 25, 18, 5020),
        "title": "Dépôts sauvages : Lambersart installe des caméras le long de la Deûle",
        "text": (
            "Matelas, gravats, pneus, sacs de déchets verts : les dépôts sauvages se multiplient aux "
            "abords du chemin de halage et près du Bois de Boulogne. Pour y mettre un frein, la ville "
            "de Lambersart va installer quatre caméras nomades, déplacées selon les signalements.\n\n"
            "Les auteurs identifiés s'exposent à une amende pouvant dépasser 1 500 euros, ainsi qu'au "
            "paiement des frais d'enlèvement. La commune rappelle que la collecte des encombrants se "
            "fait sur rendez-vous et que les déchèteries de la métropole sont gratuites pour les "
            "particuliers. Les services municipaux disent enlever en moyenne 12 tonnes de déchets "
            "abandonnés chaque mois, pour un coût de plusieurs dizaines de milliers d'euros par an."
        ),
    },
    {
        "p": "rss", "src": "lambersart-infos", "id": "li-4851",
        "slug": "conseil-municipal-la-saint-jean-et-la-braderie-reconduites-en-2027",
        "at": "13 18:00", "author": "li", "eng": (64, 9, 11, 3300),
        "title": "Conseil municipal : la fête de la Saint-Jean et la braderie reconduites en 2027",
        "text": (
            "Réunis jeudi soir, les élus de Lambersart ont débattu des orientations budgétaires "
            "pour 2027. Malgré la hausse des coûts de l'énergie, la majorité a choisi de maintenir les "
            "grands rendez-vous festifs : la fête de la Saint-Jean, avec son feu et son bal populaire, "
            "et la grande braderie de septembre, qui attire chaque année plusieurs milliers de "
            "chineurs.\n\n"
            "L'opposition a regretté l'absence de chiffrage précis pour la rénovation des écoles et "
            "pour la gestion des eaux pluviales dans les quartiers proches de la Deûle. Le vote du "
            "budget aura lieu en décembre. Les associations souhaitant tenir un stand lors de la fête "
            "de la Saint-Jean peuvent déjà se faire connaître auprès du service des fêtes."
        ),
    },
    {
        "p": "rss", "src": "journal-metropole", "id": "jm-2026-11-14-lomme-piscine",
        "slug": "lomme-la-piscine-fermee-pour-travaux-jusqu-en-fevrier",
        "at": "14 10:30", "author": "jm_vantorre", "eng": (29, 7, 5, 2150),
        "title": "Lomme : la piscine fermée pour travaux jusqu'en février",
        "text": (
            "Mauvaise nouvelle pour les nageurs de Lomme : la piscine municipale ferme ses portes à "
            "partir de lundi pour trois mois de travaux. Le chantier porte sur le remplacement du "
            "système de traitement de l'air et la reprise des plages, dont le carrelage s'est dégradé.\n\n"
            "Les clubs ont été relogés dans les bassins voisins de la métropole, et les créneaux "
            "scolaires sont maintenus grâce à un accord avec d'autres communes. La réouverture est "
            "annoncée pour la fin février, avec des horaires élargis le dimanche matin. Coût de "
            "l'opération : environ 1,2 million d'euros."
        ),
    },
    {
        "p": "rss", "src": "lambersart-infos", "id": "li-4866",
        "slug": "marche-de-noel-35-chalets-attendus-place-du-centre",
        "at": "15 12:00", "author": "li", "eng": (214, 61, 19, 8900),
        "title": "Marché de Noël : 35 chalets attendus sur la place du Centre",
        "text": (
            "Le marché de Noël de Lambersart revient du 4 au 7 décembre, avec 35 chalets d'artisans et "
            "de producteurs installés dans le Centre. Nouveauté de cette édition : une piste de luge "
            "synthétique pour les enfants et une navette gratuite depuis Les Conquérants et "
            "Pacot-Vandracq le samedi.\n\n"
            "Les écoles de la ville présenteront leurs chorales le vendredi soir, et la parade aux "
            "lanternes partira du Bourg le samedi à 18 h. Côté circulation, les rues autour de la "
            "place seront fermées pendant le week-end : la mairie recommande de venir à pied, à vélo "
            "ou en V'Lille. Le marché de Noël est ouvert de 11 h à 21 h, jusqu'à 19 h le dimanche."
        ),
    },
    {
        "p": "rss", "src": "lambersart-infos", "id": "li-4880",
        "slug": "orage-une-rue-evacuee-le-passage-souterrain-ferme",
        "at": "17 20:45", "author": "li", "eng": (377, 244, 63, 21400),
        "title": "Orage : une rue évacuée à Lambersart, le passage souterrain fermé",
        "text": (
            "Un violent orage s'est abattu sur Lambersart en fin d'après-midi ce mardi, avec des "
            "précipitations exceptionnelles en moins d'une heure. Le passage souterrain situé sous la "
            "voie ferrée, côté Pacot-Vandracq, a été totalement submergé vers 19 h : une voiture y est "
            "restée bloquée, son conducteur a pu sortir par ses propres moyens.\n\n"
            "Par précaution, les pompiers et la police municipale ont procédé à l'évacuation d'une "
            "vingtaine de logements de la rue des Saules, où l'eau atteignait le seuil des maisons. "
            "Les habitants sont accueillis à la salle polyvalente du Bourg. Plusieurs rues inondées et "
            "de nombreuses caves inondées sont signalées dans le quartier. La mairie demande d'éviter "
            "tout déplacement dans le secteur et de ne pas descendre dans les sous-sols. Nous "
            "mettrons cet article à jour dans la soirée."
        ),
    },
    {
        "p": "rss", "src": "journal-metropole", "id": "jm-2026-11-18-deule-en-crue",
        "slug": "orages-la-deule-en-crue-caves-inondees-a-lambersart-et-marquette",
        "at": "18 07:30", "author": "jm_deroo", "eng": (198, 120, 41, 18750),
        "title": "Orages : la Deûle en crue, des caves inondées à Lambersart et Marquette",
        "text": (
            "Au lendemain des violents orages qui ont frappé la métropole lilloise, la Deûle en crue "
            "est surveillée de près. Le niveau de la rivière a monté de près d'un mètre dans la nuit, "
            "et les chemins de halage sont fermés entre Lambersart et Marquette-lez-Lille.\n\n"
            "À Lambersart, les inondations ont surtout touché le quartier Pacot-Vandracq : une "
            "vingtaine de foyers de la rue des Saules ont passé la nuit hors de chez eux, et les "
            "pompiers ont réalisé plus de 80 interventions pour des caves inondées. Le passage "
            "souterrain reste fermé ce mercredi matin. Les habitants réclament depuis plusieurs années "
            "des travaux sur le réseau d'eaux pluviales. La commune annonce qu'elle va demander la "
            "reconnaissance de l'état de catastrophe naturelle, indispensable pour l'indemnisation par "
            "les assurances. À Saint-André-lez-Lille et Lomme, les dégâts restent limités."
        ),
    },
    {
        "p": "rss", "src": "lambersart-infos", "id": "li-4891",
        "slug": "apres-les-inondations-une-cellule-d-aide-aux-sinistres",
        "at": "19 15:00", "author": "li", "eng": (156, 88, 24, 9870),
        "title": "Après les inondations, la mairie ouvre une cellule d'aide aux sinistrés",
        "text": (
            "Deux jours après l'orage du 17 novembre, la mairie de Lambersart a ouvert une cellule "
            "d'aide aux habitants touchés par les inondations. Installée à l'hôtel de ville, elle "
            "accompagne les familles dans leurs démarches auprès des assurances et recense les dégâts "
            "pour le dossier de catastrophe naturelle, à déposer en préfecture.\n\n"
            "Des bennes ont été installées rue des Saules pour évacuer le mobilier abîmé, et les "
            "services techniques nettoient la voirie couverte de boue. Le passage souterrain a rouvert "
            "ce jeudi midi après inspection. Une réunion publique sur la gestion des inondations et "
            "des eaux pluviales est annoncée pour début décembre, en présence de la Métropole."
        ),
    },

    # ============================================== town Facebook page + comments
    {
        "p": "facebook", "id": f"{FB_PAGE_ID}_1052", "at": "03 10:00", "author": "ville",
        "eng": (96, 41, 38, None),
        "text": (
            "🚧 TRAVAUX DE VOIRIE | Avenue de l'Hippodrome\n"
            "Depuis hier et jusqu'à la mi-décembre, la chaussée est entièrement refaite entre le Centre "
            "et le Canon d'Or. Circulation en sens unique vers Lille, déviation fléchée par les rues "
            "voisines. Les bus Ilévia sont déviés : consultez les arrêts provisoires sur le site "
            "d'Ilévia.\nMerci de votre patience 🙏 Plus d'infos sur lambersart.example/travaux"
        ),
    },
    {
        "p": "facebook", "id": "1052_90011", "parent": f"{FB_PAGE_ID}_1052", "at": "03 10:42",
        "author": "fb_nadine", "eng": (34, 0, 1, None),
        "text": (
            "C'est bien pour l'avenue mais quand est-ce que la rue des Tilleuls sera réparée ? Il y a "
            "des nids-de-poule énormes depuis l'hiver dernier, j'ai déjà crevé un pneu. On a fait "
            "trois signalements !"
        ),
    },
    {
        "p": "facebook", "id": "1052_90027", "parent": "1052_90011", "at": "03 14:05",
        "author": "ville", "eng": (12, 0, 0, None),
        "text": (
            "Bonjour Nadine, la réfection complète de la rue des Tilleuls est inscrite au programme "
            "voirie 2027 avec la Métropole. En attendant, une équipe interviendra la semaine prochaine "
            "pour reboucher les trous les plus dangereux. Merci pour vos signalements."
        ),
    },
    {
        "p": "facebook", "id": "1052_90058", "parent": f"{FB_PAGE_ID}_1052", "at": "03 18:30",
        "author": "fb_kevin", "eng": (9, 0, 0, None),
        "text": (
            "Toujours les mêmes quartiers qui passent en premier et nous à Pacot on attend depuis 10 "
            "ans. Bande d'incapables."
        ),
    },
    {
        "p": "facebook", "id": f"{FB_PAGE_ID}_1067", "at": "08 09:30", "author": "ville",
        "eng": (58, 22, 27, None),
        "text": (
            "📚 ÉCOLES | Inscriptions à l'accueil périscolaire et aux centres de loisirs des vacances "
            "de Noël ouvertes jusqu'au 28 novembre sur le Portail Famille. Les dossiers papier sont "
            "acceptés au guichet Famille de l'hôtel de ville. Rappel : la cantine est accessible à "
            "tous les enfants scolarisés dans les écoles publiques de la ville."
        ),
    },
    {
        "p": "facebook", "id": "1067_90102", "parent": f"{FB_PAGE_ID}_1067", "at": "08 11:15",
        "author": "fb_aurelie", "eng": (6, 0, 1, None),
        "text": (
            "Bonjour, à qui dois-je m'adresser pour inscrire mon fils à la cantine en cours d'année ? "
            "Nous venons d'emménager aux Conquérants et il commence à l'école lundi. Merci d'avance !"
        ),
    },
    {
        "p": "facebook", "id": "1067_90118", "parent": "1067_90102", "at": "08 13:40",
        "author": "ville", "eng": (4, 0, 0, None),
        "text": (
            "Bonjour Aurélie et bienvenue à Lambersart ! Vous pouvez créer votre compte sur le Portail "
            "Famille ou passer au guichet Famille de l'hôtel de ville (lundi-vendredi, 8h30-17h) avec "
            "un justificatif de domicile. L'inscription à la cantine est effective sous 48 h."
        ),
    },
    {
        "p": "facebook", "id": "1067_90131", "parent": f"{FB_PAGE_ID}_1067", "at": "08 20:02",
        "author": "fb_yassine", "eng": (21, 0, 0, None),
        "text": (
            "c quand qu'on aura des vrais repas chauds dans les ecoles du canon d'or ?? ma fille "
            "mange tiède 2x par semaine, et le périscolaire du soir est blindé 😡😡"
        ),
    },
    {
        "p": "facebook", "id": f"{FB_PAGE_ID}_1081", "at": "12 11:00", "author": "ville",
        "eng": (73, 54, 31, None),
        "text": (
            "♻️ PROPRETÉ | Vos encombrants sont collectés gratuitement sur rendez-vous : prenez "
            "rendez-vous en ligne ou par téléphone auprès du service propreté. Les dépôts sauvages "
            "sont interdits et passibles d'une amende : ne laissez rien sur le trottoir en dehors des "
            "jours de collecte des poubelles. Ensemble, gardons Lambersart propre 🌿"
        ),
    },
    {
        "p": "facebook", "id": "1081_90205", "parent": f"{FB_PAGE_ID}_1081", "at": "12 12:24",
        "author": "fb_brigitte", "eng": (17, 0, 1, None),
        "text": (
            "Et les poubelles de la rue du Bourg alors ? Pas ramassées depuis jeudi, ça déborde sur "
            "le trottoir et les rats se régalent. Qui dois-je appeler ?"
        ),
    },
    {
        "p": "facebook", "id": "1081_90219", "parent": f"{FB_PAGE_ID}_1081", "at": "12 15:48",
        "author": "fb_spam", "eng": (0, 0, 0, None),
        "text": (
            "🎁🎁 FÉLICITATIONS !! Vous faites partie des 100 gagnants sélectionnés cette semaine pour "
            "recevoir un smartphone dernière génération. Cliquez vite sur le lien de notre page pour "
            "réclamer votre cadeau, offre limitée !!! 🎁🎁"
        ),
    },
    {
        "p": "facebook", "id": "1081_90236", "parent": f"{FB_PAGE_ID}_1081", "at": "12 19:10",
        "author": "fb_thomas", "eng": (26, 0, 0, None),
        "text": (
            "J'ai signalé un dépôt sauvage près du chemin de halage hier matin, enlevé dans l'après-midi. "
            "Bravo et merci aux agents de la propreté 👏"
        ),
    },
    {
        "p": "facebook", "id": f"{FB_PAGE_ID}_1094", "at": "15 17:00", "author": "ville",
        "eng": (412, 187, 44, None),
        "text": (
            "🎄 MARCHÉ DE NOËL | Du 4 au 7 décembre, 35 chalets vous attendent dans le Centre ! "
            "Artisans, producteurs locaux, piste de luge pour les petits, chorales des écoles et "
            "parade aux lanternes samedi à 18h depuis le Bourg ✨ Navette gratuite le samedi depuis "
            "Les Conquérants et Pacot-Vandracq."
        ),
    },
    {
        "p": "facebook", "id": "1094_90301", "parent": f"{FB_PAGE_ID}_1094", "at": "15 17:36",
        "author": "fb_julie", "eng": (15, 0, 1, None),
        "text": "Super !! Il y aura encore le chalet des vins chauds de l'an dernier ? 😍🍷",
    },
    {
        "p": "facebook", "id": "1094_90322", "parent": f"{FB_PAGE_ID}_1094", "at": "15 21:12",
        "author": "fb_gerard", "eng": (38, 0, 0, None),
        "text": (
            "Merci à la ville pour ce beau marché de Noël chaque année, et bravo pour la navette, "
            "c'est parfait pour les personnes âgées comme moi."
        ),
    },
    # --- crisis burst, 17 November evening
    {
        "p": "facebook", "id": f"{FB_PAGE_ID}_1108", "at": "17 19:20", "author": "ville",
        "eng": (356, 612, 148, None),
        "text": (
            "⚠️ ALERTE ORAGE | Suite aux fortes pluies, le passage souterrain de Pacot-Vandracq est "
            "inondé et FERMÉ à la circulation. Plusieurs rues sont inondées dans le quartier. "
            "Évitez le secteur, ne vous engagez jamais dans une voie inondée et ne descendez pas dans "
            "vos caves. En cas de danger, composez le 18 ou le 112."
        ),
    },
    {
        "p": "facebook", "id": "1108_90410", "parent": f"{FB_PAGE_ID}_1108", "at": "17 19:34",
        "author": "fb_sandrine", "eng": (22, 0, 1, None),
        "text": (
            "Ma cave est inondée, il y a déjà 30 cm d'eau et ça monte encore !! Qui faut-il appeler "
            "si ce n'est pas dangereux ? Les pompiers sont débordés 😰"
        ),
    },
    {
        "p": "facebook", "id": "1108_90433", "parent": f"{FB_PAGE_ID}_1108", "at": "17 20:18",
        "author": "fb_kevin", "eng": (47, 0, 0, None),
        "text": (
            "Bande d'incapables. Ça fait 3 ans qu'on signale que ce passage souterrain se remplit à "
            "chaque orage et rien n'a été fait. Il faudra un accident pour que ça bouge ?"
        ),
    },
    {
        "p": "facebook", "id": f"{FB_PAGE_ID}_1109", "at": "17 20:10", "author": "ville",
        "eng": (289, 455, 73, None),
        "text": (
            "🚨 ÉVACUATION PRÉVENTIVE | Les pompiers procèdent à l'évacuation des habitations de la rue "
            "des Saules. Les habitants sont accueillis à la salle polyvalente du Bourg (boissons "
            "chaudes, couvertures). Si vous avez de la famille dans la rue, merci de relayer. Nous "
            "tiendrons cette page à jour."
        ),
    },
    {
        "p": "facebook", "id": "1109_90507", "parent": f"{FB_PAGE_ID}_1109", "at": "17 21:55",
        "author": "fb_thomas", "eng": (131, 0, 0, None),
        "text": (
            "Évacués avec les enfants, on est à la salle du Bourg. Un grand merci aux pompiers et aux "
            "agents de la ville, accueil au top, soupe chaude et lits de camp ❤️"
        ),
    },
    {
        "p": "facebook", "id": "1108_90462", "parent": "1108_90410", "at": "17 22:20",
        "author": "ville", "eng": (9, 0, 0, None),
        "text": (
            "Bonjour Sandrine, si aucun appareil électrique n'est sous l'eau et que personne n'est en "
            "danger, coupez l'électricité de la cave et attendez la décrue. Le numéro d'astreinte des "
            "services techniques figure sur le site de la ville ; les pompiers passeront par ordre de "
            "priorité."
        ),
    },
    {
        "p": "facebook", "id": f"{FB_PAGE_ID}_1115", "at": "18 12:00", "author": "ville",
        "eng": (201, 173, 52, None),
        "text": (
            "📢 POINT DE SITUATION | Les habitants de la rue des Saules ont pu regagner leur domicile "
            "ce matin. Le passage souterrain reste fermé jusqu'à nouvel ordre. Victimes des "
            "inondations : déclarez vos dégâts à votre assurance sous 5 jours et signalez-les en "
            "mairie pour le dossier de catastrophe naturelle. Des bennes sont à disposition rue des "
            "Saules."
        ),
    },
    {
        "p": "facebook", "id": "1115_90611", "parent": f"{FB_PAGE_ID}_1115", "at": "18 13:27",
        "author": "fb_brigitte", "eng": (12, 0, 1, None),
        "text": (
            "Bonjour, est-ce qu'il y a une aide de la commune pour les caves inondées ? Ma chaudière "
            "est HS et je suis locataire, je ne sais pas à qui m'adresser."
        ),
    },
    {
        "p": "facebook", "id": "1115_90629", "parent": "1115_90611", "at": "18 16:05",
        "author": "ville", "eng": (7, 0, 0, None),
        "text": (
            "Bonjour Brigitte, prévenez votre propriétaire et votre assurance habitation. Le CCAS "
            "peut accorder une aide d'urgence : une cellule d'accueil ouvre demain à l'hôtel de ville, "
            "sans rendez-vous."
        ),
    },

    # ================================================================ Mastodon
    {
        "p": "mastodon", "id": "113442187650012301", "at": "04 08:15", "author": "m_camille",
        "eng": (23, 8, 3, None),
        "text": (
            "Ce matin, deux nids-de-poule évités de justesse rue des Tilleuls à vélo, dont un en plein "
            "virage 😬 Vivement que la voirie soit refaite. @velo_metropole@mastodon.example vous avez "
            "une carte des points noirs ? #Lambersart #vélotaf #voirie"
        ),
    },
    {
        "p": "mastodon", "id": "113453390112098817", "at": "06 18:40", "author": "m_hugo",
        "eng": (14, 5, 2, None),
        "text": (
            "Troisième soir de la semaine sans aucun V'Lille à la station du Canon d'Or 🙃 et le bus "
            "dévié à cause des travaux met 35 min pour rejoindre Lille. @ilevia_fans@mastodon.example "
            "ça s'améliore quand ? #VLille #Ilévia #Lambersart"
        ),
    },
    {
        "p": "mastodon", "id": "113464771209855604", "at": "08 15:00", "author": "m_lea",
        "eng": (61, 12, 2, None),
        "text": (
            "Balade d'automne le long de la Deûle entre #Lambersart et la Citadelle 🍂 Les berges ont "
            "été joliment replantées, merci aux jardiniers de la ville. Le Bois de Boulogne est "
            "magnifique en ce moment. #espacesverts #Lille"
        ),
    },
    {
        "p": "mastodon", "id": "113475120043318290", "at": "10 07:55", "author": "m_pacot",
        "eng": (48, 29, 7, None),
        "text": (
            "Devant l'école du Canon d'Or ce matin : des voitures à 60-70 km/h dans une zone 30, en "
            "pleine entrée des classes. La vitesse excessive ici est un vrai danger pour les enfants. "
            "Un radar pédagogique, c'est trop demander ? @parents_lambersart@mastodon.example "
            "#SécuritéRoutière #Lambersart"
        ),
    },
    {
        "p": "mastodon", "id": "113486302777410055", "at": "12 21:00", "author": "m_losc",
        "eng": (37, 4, 6, None),
        "text": (
            "Quel match ce soir !! Trois points arrachés à la 89e, le stade a tremblé 🔴⚪ On tient "
            "quelque chose cette saison, les gars. #LOSC #Ligue1"
        ),
    },
    {
        "p": "mastodon", "id": "113491885520663071", "at": "13 13:20", "author": "m_marc",
        "eng": (19, 11, 1, None),
        "text": (
            "Encore un dépôt sauvage près du Bois de Boulogne côté Lambersart : un canapé, des sacs "
            "de gravats et des pots de peinture. Les encombrants sont gratuits sur rendez-vous, "
            "franchement… #dépôtsauvage #Lambersart #propreté"
        ),
    },
    {
        "p": "mastodon", "id": "113508824491030122", "at": "16 10:00", "author": "m_pacot",
        "eng": (33, 21, 0, None),
        "text": (
            "Dimanche 22/11 : braderie solidaire et bourse aux jouets à la salle du Bourg, au profit "
            "des familles du quartier 🧸 Dépôt des jouets samedi. Venez nombreux ! #braderie "
            "#Lambersart #solidarité"
        ),
    },
    {
        "p": "mastodon", "id": "113514260118874401", "at": "17 19:05", "author": "m_hugo",
        "eng": (88, 97, 4, None),
        "text": (
            "Le passage souterrain côté Pacot-Vandracq est complètement sous l'eau, une voiture est "
            "coincée dedans 😱 Ne passez pas par là ! #Lambersart #orage #inondation"
        ),
    },
    {
        "p": "mastodon", "id": "113514565830227719", "at": "17 20:30", "author": "m_meteo",
        "eng": (1240, 865, 97, None),
        "text": (
            "⛈️ #Orages : fortes précipitations ce soir dans le Nord. À Lambersart, près de Lille, "
            "une rue a été évacuée et un passage souterrain est inondé. Vigilance orange maintenue "
            "jusqu'à demain matin. Ne vous engagez pas sur les routes inondées. #inondation #Nord"
        ),
    },
    {
        "p": "mastodon", "id": "113514734402297350", "parent": "113514260118874401",
        "at": "17 22:40", "author": "m_camille", "eng": (12, 2, 0, None),
        "text": (
            "@hugo_lbs@mastodon.example pareil rue des Saules, rue inondée sur toute la longueur et "
            "les pompiers évacuent. Courage à tous 💙 #Lambersart"
        ),
    },
    {
        "p": "mastodon", "id": "113517480052816443", "at": "18 08:30", "author": "m_lea",
        "eng": (42, 36, 3, None),
        "text": (
            "Ce matin la Deûle en crue au niveau de Lambersart : le chemin de halage est sous l'eau et "
            "barré. Les caves inondées se comptent par dizaines dans le quartier. "
            "@mairie_lambersart@mastodon.example quelles suites pour les sinistrés ? #inondations "
            "#Deûle #Lambersart"
        ),
    },
    {
        "p": "mastodon", "id": "113528190476550038", "at": "19 09:00", "author": "m_marc",
        "eng": (16, 3, 1, None),
        "text": (
            "Bonne nouvelle à Marquette-lez-Lille : la passerelle piétonne sur le canal a rouvert "
            "après deux mois de travaux. Ça raccourcit bien le trajet vers Wambrechies à vélo 🚲 "
            "#Marquette #mobilité"
        ),
    },

    # ================================================================ forum
    {
        "p": "discourse", "id": "post-5120", "at": "07 22:10", "author": "d_rene",
        "slug": ("cambriolage-rue-du-bourg-hier-soir", 318, 1), "eng": (8, 0, 3, 412),
        "title": "Cambriolage rue du Bourg hier soir",
        "text": (
            "Bonsoir à tous, nos voisins se sont fait cambrioler hier soir entre 18 h et 20 h, porte "
            "fracturée à l'arrière de la maison. C'est le troisième cambriolage dans la rue depuis la "
            "rentrée. Est-ce que quelqu'un a vu une voiture suspecte ? On pense monter un groupe de "
            "voisins vigilants, qui serait partant ?"
        ),
    },
    {
        "p": "discourse", "id": "post-5123", "parent": "post-5120", "at": "08 07:40",
        "author": "d_ines", "slug": ("cambriolage-rue-du-bourg-hier-soir", 318, 2), "eng": (5, 0, 0, None),
        "text": (
            "Partante ! Chez nous au Canon d'Or aussi ça tourne. Pensez à l'opération Tranquillité "
            "Vacances, la police municipale passe même pour un week-end d'absence."
        ),
    },
    {
        "p": "discourse", "id": "post-5131", "at": "10 20:00", "author": "d_sophie",
        "slug": ("periscolaire-a-l-ecole-verhaeren-vos-retours", 322, 1), "eng": (11, 0, 3, 530),
        "title": "Périscolaire à l'école Verhaeren : vos retours ?",
        "text": (
            "Bonjour, nous hésitons à inscrire notre fille à l'accueil périscolaire du soir à l'école "
            "Verhaeren. Il paraît qu'il y a beaucoup d'enfants pour peu d'animateurs. Qu'en pensez-vous ? "
            "Et la cantine, les enfants mangent bien ?"
        ),
    },
    {
        "p": "discourse", "id": "post-5134", "parent": "post-5131", "at": "10 21:12",
        "author": "d_papa", "slug": ("periscolaire-a-l-ecole-verhaeren-vos-retours", 322, 2),
        "eng": (7, 0, 1, None),
        "text": (
            "mes 3 y vont, les animateurs sont supers mais c vrai que c'est plein a craquer apres 17h. "
            "pour la cantine rien a dire, ils mangent mieux qu'a la maison lol. l'ecole a l'air de "
            "recruter en plus"
        ),
    },
    {
        "p": "discourse", "id": "post-5139", "parent": "post-5134", "at": "11 08:05",
        "author": "d_sophie", "slug": ("periscolaire-a-l-ecole-verhaeren-vos-retours", 322, 3),
        "eng": (2, 0, 0, None),
        "text": "Merci beaucoup, ça me rassure ! Je fais l'inscription sur le Portail Famille ce soir.",
    },
    {
        "p": "discourse", "id": "post-5142", "at": "11 19:00", "author": "d_ines",
        "slug": ("zone-bleue-au-canon-d-or-on-fait-une-petition", 325, 1), "eng": (19, 0, 2, 760),
        "title": "Zone bleue au Canon d'Or : on fait une pétition ?",
        "text": (
            "La zone bleue arrive chez nous le 1er décembre. Une seule carte résident par foyer, et "
            "nous qui avons deux voitures pour aller travailler on fait comment ? Le stationnement est "
            "déjà impossible le soir. Je propose une pétition pour demander une vraie concertation."
        ),
    },
    {
        "p": "discourse", "id": "post-5147", "parent": "post-5142", "at": "12 09:30",
        "author": "d_fred", "slug": ("zone-bleue-au-canon-d-or-on-fait-une-petition", 325, 2),
        "eng": (6, 0, 0, None),
        "text": (
            "Je comprends, mais perso je suis pour : les voitures ventouses des gens qui prennent le "
            "bus pour Lille, ça suffit. Par contre une deuxième carte payante serait une bonne idée."
        ),
    },
    {
        "p": "discourse", "id": "post-5150", "at": "14 16:45", "author": "d_fred",
        "slug": ("un-bon-garage-vers-verlinghem-ou-perenchies", 327, 1), "eng": (3, 0, 1, 190),
        "title": "Un bon garage vers Verlinghem ou Pérenchies ?",
        "text": (
            "Bonjour, je cherche un garagiste honnête du côté de Verlinghem ou Pérenchies pour un "
            "embrayage. Les devis que j'ai eus à Lille sont délirants. Des adresses à conseiller ?"
        ),
    },
    {
        "p": "discourse", "id": "post-5152", "parent": "post-5150", "at": "14 18:20",
        "author": "d_rene", "slug": ("un-bon-garage-vers-verlinghem-ou-perenchies", 327, 2),
        "eng": (2, 0, 0, None),
        "text": (
            "Il y a un petit garage familial à Pérenchies, près de l'église, très correct. Je vous "
            "envoie le nom en message privé."
        ),
    },
    {
        "p": "discourse", "id": "post-5171", "at": "18 08:00", "author": "d_mod",
        "slug": ("inondation-du-17-11-qui-a-de-l-eau-dans-sa-cave", 331, 1), "eng": (24, 0, 3, 1320),
        "title": "Inondation du 17/11 : qui a de l'eau dans sa cave ?",
        "text": (
            "Après l'orage d'hier soir, ouvrons un sujet d'entraide pour les victimes de "
            "l'inondation : pompes disponibles, déshumidificateurs, bras pour vider les caves, "
            "contacts d'artisans. Indiquez votre rue et ce dont vous avez besoin. Prenez soin de vous."
        ),
    },
    {
        "p": "discourse", "id": "post-5174", "parent": "post-5171", "at": "18 09:12",
        "author": "d_rene", "slug": ("inondation-du-17-11-qui-a-de-l-eau-dans-sa-cave", 331, 2),
        "eng": (9, 0, 1, None),
        "text": (
            "Rue des Saules, 50 cm dans la cave, chaudière noyée. J'ai une pompe vide-cave que je peux "
            "prêter dès que j'ai fini chez moi. C'est la deuxième inondation en quatre ans, il faut "
            "qu'on se mobilise pour que la ville et la Métropole refassent le réseau."
        ),
    },
    {
        "p": "discourse", "id": "post-5176", "parent": "post-5174", "at": "18 11:40",
        "author": "d_papa", "slug": ("inondation-du-17-11-qui-a-de-l-eau-dans-sa-cave", 331, 3),
        "eng": (6, 0, 0, None),
        "text": (
            "je passe cet aprem avec 2 potes et des seaux rue des Saules si besoin, dites moi le "
            "numero de la maison. les ecoles sont ouvertes demain ?"
        ),
    },
    {
        "p": "discourse", "id": "post-5178", "parent": "post-5171", "at": "18 14:02",
        "author": "d_ines", "slug": ("inondation-du-17-11-qui-a-de-l-eau-dans-sa-cave", 331, 4),
        "eng": (4, 0, 0, None),
        "text": (
            "Pour info, la mairie a confirmé que toutes les écoles sont ouvertes demain, sauf la "
            "garderie du matin à Pacot-Vandracq. Et il faut déclarer les caves inondées en mairie "
            "pour le dossier de catastrophe naturelle."
        ),
    },

    # ================================================================ Reddit r/lille
    {
        "p": "reddit", "id": "t3_1gx4k2a", "at": "05 21:30", "author": "r_exch", "lang": "en",
        "slug": "exchange_student_is_lambersart_a_good_place_to_live", "eng": (27, 0, 14, None),
        "title": "Exchange student: is Lambersart a good place to live?",
        "text": (
            "Hi all! I'm coming to Lille in January for a semester at the university and found a room "
            "in Lambersart, near the Citadelle. Is it a nice area? How long does it take to get to the "
            "city centre by bus or V'Lille? Any tips for a Canadian who speaks only a little French? "
            "Thanks a lot!"
        ),
    },
    {
        "p": "reddit", "id": "t3_1gz8m41", "at": "08 08:50", "author": "r_ch",
        "slug": "deviation_lambersart_hippodrome_cest_lenfer_le_matin", "eng": (64, 0, 23, None),
        "title": "Déviation à Lambersart (avenue de l'Hippodrome) : c'est l'enfer le matin",
        "text": (
            "Depuis le début des travaux sur l'avenue de l'Hippodrome, la déviation fait passer tout "
            "le monde par des petites rues et ça bouchonne jusqu'au pont de la Deûle. Le bus Ilévia "
            "met deux fois plus de temps. Quelqu'un a trouvé un itinéraire bis pour aller vers Lomme ?"
        ),
    },
    {
        "p": "reddit", "id": "t1_lz3a9qk", "parent": "t3_1gz8m41", "at": "08 09:35",
        "author": "r_biloute", "slug": "deviation_lambersart_hippodrome_cest_lenfer_le_matin",
        "eng": (41, 0, 1, None),
        "text": (
            "Vélo ou V'Lille, sérieux. Je fais Lambersart → Lille en 15 min par la Citadelle pendant "
            "que les voitures sont à l'arrêt. Les travaux c'est chiant mais la chaussée était pourrie, "
            "des nids-de-poule partout."
        ),
    },
    {
        "p": "reddit", "id": "t1_lz3f0bt", "parent": "t1_lz3a9qk", "at": "08 10:02",
        "author": "r_ch", "slug": "deviation_lambersart_hippodrome_cest_lenfer_le_matin",
        "eng": (12, 0, 0, None),
        "text": "Avec deux gamins à déposer à l'école avant, c'est plus compliqué 😅 mais j'y pense.",
    },
    {
        "p": "reddit", "id": "t3_1h0c7xe", "at": "09 19:15", "author": "r_lambe",
        "slug": "stationnement_a_lambersart_centre_vous_vous_garez_ou", "eng": (18, 0, 9, None),
        "title": "Stationnement à Lambersart centre, vous vous garez où ?",
        "text": (
            "Nouveau dans le coin : le samedi matin, impossible de trouver une place près du marché "
            "et maintenant la zone bleue s'étend au Canon d'Or. Des parkings gratuits pas trop loin "
            "que je ne connaîtrais pas ?"
        ),
    },
    {
        "p": "reddit", "id": "t1_lz9k2mc", "parent": "t3_1h0c7xe", "at": "09 20:01",
        "author": "r_deule", "slug": "stationnement_a_lambersart_centre_vous_vous_garez_ou",
        "eng": (9, 0, 0, None),
        "text": (
            "Le parking derrière la mairie est gratuit et souvent à moitié vide avant 10 h. Sinon "
            "zone bleue = 1 h 30 avec le disque, ça suffit pour le marché."
        ),
    },
    {
        "p": "reddit", "id": "t3_1h5r2vd", "at": "16 14:40", "author": "r_biloute",
        "slug": "saint_andre_lez_lille_le_marche_du_dimanche_vaut_le_coup", "eng": (22, 0, 6, None),
        "title": "Saint-André-lez-Lille : le marché du dimanche vaut le coup ?",
        "text": (
            "On m'a parlé du marché de Saint-André-lez-Lille le dimanche matin, avec des producteurs "
            "du coin. Quelqu'un y est allé récemment ? C'est plutôt fruits et légumes ou aussi "
            "fromages, poisson ?"
        ),
    },
    {
        "p": "reddit", "id": "t3_1h6w9pn", "at": "17 19:50", "author": "r_deule",
        "slug": "lambersart_passage_souterrain_inonde_des_infos", "eng": (93, 0, 31, None),
        "title": "Lambersart : passage souterrain inondé, des infos ?",
        "text": (
            "Je rentrais du taf et les pompiers bloquent l'accès au passage souterrain côté "
            "Pacot-Vandracq, il y a au moins un mètre d'eau. On m'a dit qu'ils évacuent une rue. "
            "Quelqu'un sait ce qui se passe ? Orage de malade ce soir."
        ),
    },
    {
        "p": "reddit", "id": "t1_m01q7hs", "parent": "t3_1h6w9pn", "at": "18 07:10",
        "author": "r_lambe", "slug": "lambersart_passage_souterrain_inonde_des_infos",
        "eng": (37, 0, 0, None),
        "text": (
            "Rue des Saules évacuée hier soir, les gens ont dormi à la salle du Bourg. La mairie a "
            "posté les infos sur sa page FB. Ce matin la Deûle est en crue, le chemin de halage est "
            "fermé. Courage aux sinistrés des inondations."
        ),
    },

    # ================================================================ Decidim
    {
        "p": "decidim", "id": "proposal-231", "at": "06 14:00", "author": "p_collectif",
        "eng": (87, 14, 12, 1240),
        "title": "Installer des poubelles de tri le long de la Deûle",
        "text": (
            "Le long du chemin de halage et près du Bois de Boulogne, il n'y a presque aucune "
            "poubelle, et les déchets finissent dans l'herbe ou dans la Deûle. Nous proposons "
            "d'installer une dizaine de poubelles de tri (recyclables / ordures ménagères), vidées "
            "deux fois par semaine, et des panneaux rappelant l'interdiction des dépôts sauvages. "
            "Coût estimé : 18 000 euros."
        ),
    },
    {
        "p": "decidim", "id": "proposal-238", "at": "10 17:30", "author": "p_parents",
        "eng": (142, 33, 19, 2080),
        "title": "Radar pédagogique et plateau surélevé devant l'école du Canon d'Or",
        "text": (
            "Chaque matin, des voitures roulent bien au-dessus de 30 km/h devant l'école du Canon "
            "d'Or. Pour lutter contre la vitesse excessive, nous demandons un radar pédagogique, un "
            "plateau surélevé et un agent pour sécuriser la traversée aux heures d'entrée et de "
            "sortie des classes. La sécurité des enfants doit passer avant tout."
        ),
    },
    {
        "p": "decidim", "id": "proposal-247", "at": "19 18:45", "author": "p_hubert",
        "eng": (203, 58, 27, 3150),
        "title": "Un bassin de rétention pour protéger Pacot-Vandracq des inondations",
        "text": (
            "Après l'orage du 17 novembre, le passage souterrain et la rue des Saules ont encore été "
            "inondés. Je propose d'étudier la création d'un bassin de rétention des eaux pluviales "
            "près des berges, de désimperméabiliser les cours d'école et parkings du quartier et "
            "d'installer une alerte automatique à l'entrée du passage souterrain. Les inondations "
            "vont se multiplier, il faut anticiper."
        ),
    },
]


# --------------------------------------------------------------------------
# Building the records
# --------------------------------------------------------------------------
def _ts(at: str) -> datetime:
    return datetime.fromisoformat(f"{MONTH}{at.replace(' ', 'T')}:00{TZ}")


def _crawl_delay(item_id: str) -> timedelta:
    """One to about four hours, deterministic per item."""
    n = int(hashlib.blake2b(item_id.encode(), digest_size=4).hexdigest(), 16)
    return timedelta(minutes=60 + n % 180)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def _url(doc: dict, root: dict) -> str:
    p, item = doc["p"], doc["id"]
    if p == "rss":
        host = f"{doc['src']}.example"
        return f"https://{host}/lambersart/{doc['at'][:2]}-11-2026/{doc['slug']}"
    if p == "facebook":
        post = root["id"].split("_", 1)[1]
        base = f"https://www.facebook.com/VilleDeLambersart/posts/{post}"
        return base if doc is root else f"{base}?comment_id={item.split('_', 1)[1]}"
    if p == "mastodon":
        user = AUTHORS[doc["author"]]["url"]
        return f"{user}/{item}"
    if p == "discourse":
        slug, topic, number = doc["slug"]
        return f"https://forum-lambersart.example/t/{slug}/{topic}/{number}"
    if p == "reddit":
        base = f"https://www.reddit.com/r/lille/comments/{root['id'][3:]}/{doc['slug']}/"
        return base if doc is root else f"{base}{item[3:]}/"
    if p == "decidim":
        return ("https://decidim.lambersart.example/processes/budget-participatif-2027/"
                f"f/12/proposals/{item.split('-')[1]}")
    raise ValueError(p)


def build() -> list[dict]:
    by_key = {(d["p"], d["id"]): d for d in DOCS}
    if len(by_key) != len(DOCS):
        raise SystemExit("duplicate item ids")
    children: dict[tuple[str, str], int] = {}
    for d in DOCS:
        if d.get("parent"):
            key = (d["p"], d["parent"])
            children[key] = children.get(key, 0) + 1

    records = []
    for d in DOCS:
        p = d["p"]
        conf = PLATFORMS[p]
        parent = by_key.get((p, d["parent"])) if d.get("parent") else None
        if d.get("parent") and parent is None:
            raise SystemExit(f"{d['id']}: unknown parent {d['parent']}")
        root = d
        while root.get("parent"):
            root = by_key[(p, root["parent"])]
        published = _ts(d["at"])
        if parent is not None and published <= _ts(parent["at"]):
            raise SystemExit(f"{d['id']}: published before its parent")
        if p == "rss":
            kind, thread_id = "article", None
            if not 400 <= len(d["text"]) <= 1200:
                raise SystemExit(f"{d['id']}: article text is {len(d['text'])} characters")
        else:
            kind = "comment" if parent is not None else conf["kind"]
            thread_id = make_doc_id(p, root["id"])
        likes, shares, replies, views = d["eng"]
        replies = max(replies, children.get((p, d["id"]), 0))
        url = _url(d, root)
        record = {
            "item_id": d["id"],
            "platform": p,
            "source_id": d.get("src") or conf["source_id"],
            "source_kind": conf["source_kind"],
            "watch_ids": list(WATCH_IDS),
            "kind": kind,
            "thread_id": thread_id,
            "parent_id": make_doc_id(p, parent["id"]) if parent is not None else None,
            "url": url,
            "canonical_url": url,
            "title": d.get("title"),
            "text": d["text"],
            "language": d.get("lang", "fr"),
            "author": dict(AUTHORS[d["author"]]),
            "engagement": {"likes": likes, "shares": shares, "replies": replies, "views": views},
            "published_at": _iso(published),
            "crawled_at": _iso(published + _crawl_delay(d["id"])),
        }
        Document.model_validate(record)  # raises on any schema problem
        records.append(record)
    records.sort(key=lambda r: (r["published_at"], r["platform"], r["item_id"]))
    return records


def render(records: list[dict]) -> str:
    """The file's text: one JSON object per line."""
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def main() -> None:
    records = build()
    OUT.write_text(render(records), encoding="utf-8")
    print(f"wrote {len(records)} documents to {OUT}")


if __name__ == "__main__":
    main()
