"""French stop words, in one place: the index's list, the detection list built on it, and empty nouns.

- ``ELASTICSEARCH_FRENCH``: Lucene's French stop words, the ``_french_`` list of the index's
  ``vigie_french`` analyzer, as it applies them (lowercase words, accents kept, before folding).  The
  offline saved-query evaluator (``vigie.alerts.detect._french_light``) must drop exactly these.
- ``FRENCH``: the words that carry no subject for alert detection and NLP terms: the list above,
  folded (``vigie.textfold.fold``), plus the function words, auxiliaries and verbs, adverbs, greetings
  and abbreviations of social posts ("bonjour", "svp", "bcp"), and the English function words met in
  French feeds.  Folded, so it is compared with folded words.
- ``EMPTY_NOUNS``: nouns that say nothing on their own ("chose", "fois", "gens"): keyphrases skip them.
"""

from __future__ import annotations

from vigie.textfold import fold

_ELASTICSEARCH_FRENCH = """
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes moi mon ne nos notre
nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s
t y été étée étées étés étant suis es est sommes êtes sont serai seras sera serons serez seront serais serait
serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
soient fusse fusses fût fussions fussiez fussent ayant eu eue eues eus ai as avons avez ont aurai auras aura
aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes
eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent ceci cela celà cet cette ici
ils les leurs quel quels quelle quelles sans soi
"""
ELASTICSEARCH_FRENCH = frozenset(_ELASTICSEARCH_FRENCH.split())

_SOCIAL = """
ainsi aller alors apres aucun aucune aujourd aupres auquel aussi autre autres avant avoir bah bcp bien bon
bonjour bonsoir ca car celle celles celui cependant ceux chaque chez ci comme comment deja demain depuis deux
devoir dire donc dont elles encore entre etre faire fais fait faut fois font g h hier hui jusqu lors matin
memes merci moins ni non oui parce peu peut plus pourquoi pouvoir puis quand quelque quoi rien si sien soir
sous stp svp tous tout toute toutes tres trois trop unes uns vers via voila vouloir vu ya
bravo super top genial
and are be for in is it of that the this to was with you
"""
FRENCH = frozenset(fold(word) for word in ELASTICSEARCH_FRENCH) | frozenset(_SOCIAL.split())

EMPTY_NOUNS = ("chose", "fois", "truc", "machin", "gens", "personne", "an", "année", "jour", "mois", "semaine",
               "heure", "minute", "moment", "temps", "monde", "façon", "part", "cas", "bonjour", "merci", "svp",
               "mdr", "lol", "ptdr", "bref", "oui", "non", "ok", "coup", "genre", "rien", "tout", "quelqu'un",
               "soir", "matin", "hier", "aujourd'hui", "demain")
