"""Commune and place tagging of one text: matching over folded words, then homonym resolution.

Matching: the text's words are folded (case, accents, ligatures, "St"/"Saint", "lez"/"lès"/"les")
and looked up, longest first, in the gazetteer's index of official names, former names ("Lomme"
is Lille), short forms ("Marquette", "Aix") and names without their article ("au Havre"), and in
the watch's places; hyphen and space variants ("Saint-André-lez-Lille", "St André lez Lille") and
elisions ("d'Armentières") meet the same key.  A département name longer than a commune match
("Saint-Pierre-et-Miquelon") and a few names of other things ("Paris Saint-Germain") hide it.

Resolution, per mention: each candidate commune is scored by the watch (its communes, its
départements, distance to its communes), evidence in the text (a département number, name or
postal code right after the mention or anywhere in the text, distance to the communes named
without ambiguity), population and a small metropolitan prior.  Then the mention is accepted or
not: names that are also common words ("Vue", "Bar", "Plan"), other places ("Mons", "Vienne") or
foreign words ("Nice") need a capital and evidence (a cue before them: "à", "de", "commune de";
a département or postal code; the watch; a big city written with a capital mid-sentence); a
name after a street, wood or venue noun ("rue de Lille", "parc Léon Blum"), a "Saint-…" after an
article or a church ("la Saint-Jean"), a name inside a hyphenated compound ("Jean-Luc") or after
a first name ("Charles Martel"), or followed by a foreign country, is not a commune mention.
Short forms are used near the watch's communes, or anywhere for communes of 30,000 people or more.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from vigie.nlp.territory.gazetteer import Commune, Entry, Gazetteer
from vigie.nlp.territory.normalize import name_tokens, tokenize

# Words that introduce a place name ("à Vue", "de Bar", "sur Eu", "jusqu'à Plan").
LOCATIVE = {"a", "de", "d", "sur", "in", "to", "from", "at", "vers", "depuis", "pres", "via", "jusqu", "entre", "chez",
            "pour"}
STRONG = {"a", "in", "to", "at", "jusqu", "via"}
# Nouns that, followed by "de", introduce a commune ("commune de Y", "mairie d'Eu").
COMMUNE_NOUNS = {"commune", "ville", "mairie", "maire", "village", "habitants", "municipalite", "hotel",
                 "conseil", "centre", "cite", "bourg", "agglomeration", "secteur", "canton", "bienvenue"}
OFFICIAL_NOUNS = {"commune", "ville", "mairie", "maire", "village", "municipalite"}
# A commune name after these is a street, a wood or a building, not the commune ("rue de Lille",
# "Bois de Boulogne", "église Saint-Martin", "la Saint-Jean").
STREETS = {"rue", "avenue", "av", "bd", "boulevard", "place", "allee", "chemin", "route", "quai", "impasse",
           "square", "parvis", "voie", "sentier", "residence", "lotissement", "pont", "porte", "col", "lac", "pic",
           "bois", "foret"}
# A name right after these is a person's: "parc Léon Blum", "collège Jean Moulin".
VENUES = {"parc", "jardin", "stade", "salle", "gymnase", "ecole", "college", "lycee", "espace", "square",
          "piscine", "mediatheque", "bibliotheque", "complexe", "groupe", "residence", "cite", "hopital"}
MONTHS = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
          "novembre", "decembre"}
SAINT_BLOCKERS = STREETS | {"la", "le", "l", "eglise", "college", "lycee", "ecole", "chapelle", "fete", "cathedrale",
                            "basilique", "abbaye", "paroisse", "hopital", "clinique", "institut", "stade", "salle",
                            "gymnase", "piscine", "quartier", "prieure", "couvent", "foire", "marche"}
FOREIGN = {"belgique", "suisse", "italie", "espagne", "autriche", "allemagne", "luxembourg", "canada", "quebec",
           "belge", "italienne", "espagnole", "autrichienne", "suisses", "etats", "usa", "angleterre", "royaume"}
ARTICLES = {"le", "la", "les", "l", "un", "une", "des", "ce", "cette", "mon", "ma", "son", "sa", "notre", "votre"}
# Words that follow a common noun rather than a city at the start of a sentence ("Tours de manège").
AFTER_NOUN = {"de", "du", "des", "d", "a", "au", "aux", "en", "pour", "sans", "avec"}
SENTENCE_END = re.compile(r"[.!?…\n\r:;\"«»“”()\[\]|•]")
POSTCODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")
DEPCODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2a|2b|97[1-6])$")
# Names that hold commune names but name something else (a club, an agglomeration).
NOT_COMMUNES = (("paris", "saint", "germain"), ("saint", "quentin", "en", "yvelines"))
BIG_CITY = 20000  # a capitalised common-word name this big is the city ("Tours", "Cannes")
BIG_SHORT = 30000  # the short form of a commune this big is used anywhere ("Aix", "Brive")


@dataclass(slots=True)
class Watch:
    """What the tagger uses of a watch: its communes, départements, points and places."""

    communes: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()
    points: tuple[tuple[float, float], ...] = ()
    order: tuple[str, ...] = ()
    places: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict)  # key -> (place, needs capital)
    place_longest: int = 0
    overseas: bool = False


@lru_cache(maxsize=256)
def make_watch(gazetteer: Gazetteer, communes: tuple[str, ...], departements: tuple[str, ...],
               places: tuple[str, ...]) -> Watch:
    known = [gazetteer.get(code) for code in communes]
    deps = set(departements) | {c.dep for c in known if c}
    index = {}
    for place in places:
        key = name_tokens(place)
        if key:
            content = [t for t in key if t not in ARTICLES and t not in ("de", "du", "d")]
            index[key] = (place, len(content) < 2)
            if len(key) > 1 and key[0] in ("le", "la", "les", "l"):  # "quartier des Conquérants"
                index.setdefault(key[1:], (place, True))
    return Watch(
        communes=frozenset(communes), departements=frozenset(deps),
        points=tuple(c.point for c in known if c and c.point), order=tuple(communes),
        places=index, place_longest=max((len(k) for k in index), default=0),
        overseas=any(d.startswith("97") for d in deps),
    )


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dx = (a[1] - b[1]) * 111.32 * math.cos(lat)
    dy = (a[0] - b[0]) * 110.57
    return math.hypot(dx, dy)


@dataclass(slots=True)
class Mention:
    start: int  # word indexes
    end: int
    entries: list[Entry]
    place: tuple[str, bool] | None = None
    commune: Commune | None = None


class Tagger:
    def __init__(self, gazetteer: Gazetteer):
        self.g = gazetteer

    # -- matching -------------------------------------------------------------------------------
    def _match(self, words: list[str], watch: Watch) -> tuple[list[Mention], list[tuple[int, int, str]]]:
        """Longest matches, left to right: watch places, commune names, département names."""
        entries, longest, deps = self.g.entries, self.g.longest, self.g.dep_names
        mentions, places = [], []
        i, n = 0, len(words)
        while i < n:
            place = size = 0
            for size in range(min(watch.place_longest, n - i), 0, -1):
                if place := watch.places.get(tuple(words[i:i + size])):
                    break
            hit = None
            for csize in range(min(longest.get(words[i], 0), n - i), size if place else 0, -1):
                if hit := entries.get(tuple(words[i:i + csize])):
                    break
            if hit and words[i] in ARTICLES and (inner := watch.places.get(tuple(words[i + 1:i + csize]))):
                places.append((i + 1, i + csize, inner))  # "la Villeneuve": the quartier, not the commune
                i += csize
                continue
            if hit:
                dsize = next((k for k in range(min(self.g.dep_longest, n - i), csize, -1)
                              if tuple(words[i:i + k]) in deps), 0)
                dsize = dsize or next((len(b) for b in NOT_COMMUNES if tuple(words[i:i + len(b)]) == b), 0)
                if dsize:  # "Saint-Pierre-et-Miquelon" is no mention of Saint-Pierre
                    i += dsize
                    continue
                mentions.append(Mention(i, i + csize, hit))
                i += csize
            elif place:
                same = entries.get(tuple(words[i:i + size]))
                mention = Mention(i, i + size, same, place=place) if same else None
                if mention and self._commune_meant(words, mention, watch):
                    mentions.append(mention)  # "la commune de Noailles dans l'Oise"
                else:
                    places.append((i, i + size, place))
                i += size
            else:
                i += 1
        return mentions, places

    def _commune_meant(self, words: list[str], m: Mention, watch: Watch) -> bool:
        """A watch place that is also a commune's name names the commune only on clear evidence."""
        prev = words[m.start - 1] if m.start else ""
        prev2 = words[m.start - 2] if m.start > 1 else ""
        after = self._deps_after(words, m.end)
        return bool(after - watch.departements) or (prev in ("de", "d") and prev2 in OFFICIAL_NOUNS)

    # -- evidence -------------------------------------------------------------------------------
    @staticmethod
    def _sentence_start(text: str, spans, i: int) -> bool:
        if i == 0:
            return True
        gap = text[spans[i - 1][1]:spans[i][0]]
        return bool(SENTENCE_END.search(gap))

    def _deps_after(self, words: list[str], end: int) -> set[str]:
        """Départements named right after a mention: "(59)", "59130", "dans le Nord", "en Isère"."""
        deps: set[str] = set()
        for j in range(end, min(end + 4, len(words))):
            w = words[j]
            if DEPCODE.match(w):
                deps.add(w.upper())
            elif POSTCODE.match(w):
                deps.update(c.dep for c in self.g.by_postcode.get(w, ()))
            else:
                for size in range(min(self.g.dep_longest, len(words) - j), 0, -1):
                    code = self.g.dep_names_all.get(tuple(words[j:j + size]))
                    if code:
                        deps.add(code)
                        break
            if deps or w not in ("dans", "le", "la", "l", "les", "en", "departement", "du", "de", "d"):
                break
        return deps

    def _text_evidence(self, text: str, spans, words: list[str]) -> tuple[set[str], set[str]]:
        """Départements and postal codes named anywhere in the text."""
        deps, postcodes = set(), set()
        names, longest = self.g.dep_names, self.g.dep_longest
        for j, w in enumerate(words):
            if POSTCODE.match(w):
                postcodes.add(w)
                deps.update(c.dep for c in self.g.by_postcode.get(w, ()))
            elif DEPCODE.match(w) and self._names_departement(text, spans, words, j):
                deps.add(w.upper())
            for size in range(min(longest, len(words) - j), 0, -1):
                code = names.get(tuple(words[j:j + size]))
                if code and (size > 1 or text[spans[j][0]].isupper()):
                    deps.add(code)
                    break
        return deps, postcodes

    @staticmethod
    def _names_departement(text: str, spans, words: list[str], j: int) -> bool:
        """Whether the number at ``j`` is a département: "(59)", "dans le 59", "du 93", not "le 31 mars"."""
        start, end, _ = spans[j]
        if text[start - 1:start] == "(" and text[end:end + 1] == ")":
            return True
        prev = words[j - 1] if j else ""
        nxt = words[j + 1] if j + 1 < len(words) else ""
        if nxt in MONTHS:
            return False
        return prev in ("departement", "du") or (prev == "le" and j > 1 and words[j - 2] == "dans")

    # -- resolution -----------------------------------------------------------------------------
    def _accept(self, text, spans, words, m: Mention, best: Entry, after: set[str], deps: set[str],
                foreign: bool, watch: Watch, covered: set[int]) -> bool:
        """Whether the mention names ``best`` at all (false friends, streets, feasts, foreign places)."""
        if foreign:
            return False
        commune, key = best.commune, words[m.start:m.end]
        head = m.start + 1 if key[0] in ARTICLES and len(key) > 1 else m.start  # "Les Lilas": "Lilas"
        capital = text[spans[head][0]].isupper() or (spans[m.start][0] > 0 and text[spans[m.start][0] - 1] == "#")
        opening = self._sentence_start(text, spans, m.start)
        prev = words[m.start - 1] if m.start and not opening else ""  # cues do not cross a full stop
        prev2 = words[m.start - 2] if m.start > 1 and not opening else ""
        if prev in STREETS or (prev in ("de", "du", "d", "des") and prev2 in STREETS) or prev in VENUES:
            return False
        if key[0] in ("saint", "sainte") and prev in SAINT_BLOCKERS and not after:
            return False
        if best.kind in ("former", "short") and not capital:
            return False
        if (best.kind == "short" and prev not in LOCATIVE and prev not in COMMUNE_NOUNS
                and self._sentence_start(text, spans, m.start)):
            return False  # "Noisy neighbours": a short form opening a sentence needs "à", "de"…
        if self._inside_compound(text, spans, m, commune, best.flag):
            return False  # "Jean-Luc" is no mention of Luc, "Aix-Marseille" none of Aix (Corrèze)
        if (len(key) == 1 and m.start and prev not in LOCATIVE and prev not in COMMUNE_NOUNS
                and m.start - 1 not in covered and text[spans[m.start - 1][0]].isupper()
                and not text[spans[m.start - 1][0]:spans[m.start - 1][1]].isupper()
                and not self._sentence_start(text, spans, m.start)
                and commune.pop < BIG_CITY and commune.dep not in watch.departements):
            return False  # "Charles Martel": a surname after a capitalised first name
        flag = best.flag
        if flag == "f":  # "Mairé" is a commune, "maire" a word
            flag = "" if self._accented(text, spans, m, best.surface) else "w"
        if flag not in ("w", "e", "x") and len("".join(key)) > 2:
            return capital or len("".join(key)) >= 4
        # A false friend: capitalised, and some evidence that a place is meant.
        if not capital:
            return False
        if flag == "e":  # "de Condé", "de Corrèze": only "à", "commune de…" or a code will do
            cue = prev in STRONG or (prev in ("de", "d") and prev2 in COMMUNE_NOUNS)
        else:
            cue = prev in LOCATIVE or prev in COMMUNE_NOUNS or (prev in ("de", "d") and prev2 in COMMUNE_NOUNS)
        if cue or commune.dep in after or commune.dep in deps:
            return True
        local = commune.insee in watch.communes or commune.dep in watch.departements
        # "Tours", "Cannes": a big city; not so a short form ("le Salon de l'agriculture")
        known = flag in ("w", "x") and ((best.kind != "short" and commune.pop >= BIG_CITY) or local)
        start = self._sentence_start(text, spans, m.start)
        if key[0] in ("le", "la", "les", "l") and len(key) > 1 and text[spans[m.start + 1][0]].isupper():
            start = False  # "Le Havre": the capital of "Havre" owes nothing to the sentence start
        if start:  # "Cannes se prépare" yes, "Tours de manège" no
            nxt = m.end < len(words) and text[spans[m.end][0]]
            big = flag == "w" and best.kind != "short" and commune.pop >= BIG_CITY
            return bool(big and nxt and nxt.islower() and words[m.end] not in AFTER_NOUN)
        return commune.insee in watch.communes or known

    @staticmethod
    def _inside_compound(text: str, spans, m: Mention, commune: Commune, flag: str) -> bool:
        """Whether the name is glued by a hyphen to a word before or after it ("Jean-Luc",
        "Notre-Dame-de-la-Garde"); a city is still itself in "Lorient-Brest" or "Lille-Flandres"."""
        start, end = spans[m.start][0], spans[m.end - 1][1]
        before = m.start > 0 and text[spans[m.start - 1][1]:start] == "-"
        after = m.end < len(spans) and text[end:spans[m.end][0]] == "-"
        return (before or after) and (commune.pop < BIG_CITY or flag != "")

    @staticmethod
    def _accented(text: str, spans, m: Mention, surface: str) -> bool:
        """Whether the text writes the name with its accents."""
        written = [text[a:b].lower() for a, b, _ in spans[m.start:m.end]]
        return bool(surface) and written == [w.lower() for w in re.findall(r"[^\W_]+", surface)]

    def _usable(self, entry: Entry, prev: str, watch: Watch) -> bool:
        """Short forms name only communes near the watch; "Havre" needs its "au"/"du"."""
        if entry.kind == "contracted":
            return prev in entry.needs
        if entry.kind == "short":  # "Marquette" near Lille; "Brive", "Aix", "Charleville" anywhere
            return entry.commune.pop >= BIG_SHORT or self._near_watch(entry.commune, watch)
        return True

    def _near_watch(self, commune: Commune, watch: Watch, km: float = 25.0) -> bool:
        if commune.insee in watch.communes:
            return True
        if commune.point is None:
            return False
        return any(_distance_km(commune.point, p) <= km for p in watch.points)

    def _score(self, entry: Entry, after: set[str], deps: set[str], postcodes: set[str], anchors,
               watch: Watch) -> float:
        c = entry.commune
        score = math.log10(c.pop + 1)
        if c.insee in watch.communes:
            score += 100
        if c.dep in watch.departements:
            score += 40
        if c.dep in after:
            score += 60
        if c.dep in deps:
            score += 25
        if postcodes and postcodes.intersection(c.postcodes):
            score += 40
        if c.point and anchors:
            d = min(_distance_km(c.point, p) for p in anchors)
            score += 30 if d < 15 else 15 if d < 40 else 5 if d < 100 else 0
        if not c.dep.startswith("97") and not watch.overseas:
            score += 0.5  # "Saint-Denis" alone: the one of Seine-Saint-Denis rather than of La Réunion
        if entry.kind == "former":
            score -= 3
        elif entry.kind == "short" and c.pop >= BIG_SHORT:
            score -= 1
        elif entry.kind in ("short", "contracted"):
            score -= 8
        return score

    def tag(self, text: str, watch: Watch) -> dict:
        result = {"communes": [], "places": [], "location": None}
        if not text or not text.strip():
            return result
        spans = tokenize(text)
        words = [w for _, _, w in spans]
        mentions, places = self._match(words, watch)
        for i, j, (place, needs_capital) in places:
            if needs_capital and not any(text[spans[k][0]].isupper() for k in range(i, j)):
                continue
            prev, prev2 = words[i - 1] if i else "", words[i - 2] if i > 1 else ""
            street = prev in STREETS or (prev in ("de", "du", "d", "des") and prev2 in STREETS)
            if street and len(name_tokens(place)) != j - i:
                continue  # "rue du Bourg" is a street named after Le Bourg; "place du Capitole" is the Capitole
            if place not in result["places"]:
                result["places"].append(place)
        if mentions:
            self._resolve(text, spans, words, mentions, watch)
        seen, counts = {}, {}
        for m in mentions:
            if m.commune is None:
                continue
            c = m.commune
            counts[c.insee] = counts.get(c.insee, 0) + 1
            if c.insee not in seen:
                seen[c.insee] = c
                result["communes"].append({"insee": c.insee, "name": c.name, "departement": c.dep})
        main = next((seen[code] for code in seen if code in watch.communes), None)
        if main is None and seen:
            main = seen[max(seen, key=lambda code: counts[code])]  # first of the most mentioned
        if main is None and result["places"] and watch.order:
            main = self.g.get(watch.order[0])
        if main is not None and main.point:
            result["location"] = {"lat": main.lat, "lon": main.lon}
        return result

    def _resolve(self, text, spans, words, mentions: list[Mention], watch: Watch) -> None:
        deps, postcodes = self._text_evidence(text, spans, words)
        anchors, anchored = list(watch.points), set()
        covered = {k for m in mentions for k in range(m.start, m.end)}
        # Unambiguous names first: they anchor the others ("Lambersart et Saint-André").
        ordered = sorted(mentions, key=lambda m: len(m.entries) > 1)
        for m in ordered:
            after = self._deps_after(words, m.end)
            nxt = words[m.end:m.end + 2]
            foreign = bool(FOREIGN.intersection(nxt)) and not after
            ranked = sorted(m.entries, key=lambda e: -self._score(e, after, deps, postcodes, anchors, watch))
            prev = words[m.start - 1] if m.start else ""
            best = next((e for e in ranked if self._usable(e, prev, watch)), None)
            if best and self._accept(text, spans, words, m, best, after, deps, foreign, watch, covered):
                m.commune = best.commune
                if len(m.entries) == 1 and best.commune.point and best.commune.insee not in anchored:
                    anchored.add(best.commune.insee)
                    anchors.append(best.commune.point)
