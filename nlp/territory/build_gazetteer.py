"""Build the commune gazetteer (``nlp/data/communes/``) from official open data.

Sources (see ``nlp/data/communes/README.md``):

- ``@etalab/decoupage-administratif`` from the npm registry (version ``ETALAB_VERSION``):
  current communes (type ``commune-actuelle``) with INSEE code, name, département, région,
  postal codes, population and former codes; ``commune-deleguee``/``commune-associee`` give the
  former names of merged communes; départements and régions give their names.
- ``commune_centroids_2018.csv`` (Admin Express 2018 polygons, centroid of the largest polygon).

Join: by INSEE code.  A commune without a 2018 centroid gets the mean of its former communes'
centroids (``anciensCodes``), else the mean of the centroids of the communes of its
département sharing one of its postal codes (communes split again after 2018), else no point
(overseas collectivities, absent from Admin Express).

Each name (official, former, short) is flagged from the French lexicon of ``fr_core_news_sm``
(its lemmatizer tables) plus the hand lists below: ``w`` a common French word ("Vue", "Bar",
"Tours"), ``f`` a common word once its accents are dropped ("Mairé"), ``x`` an English or German
word or a foreign city but the French city when capitalised mid-sentence ("Nice", "Valence"),
``e`` also a region, country, département or foreign city ("Bretagne", "Mons", "Vienne",
"Corrèze").  The tagger asks for evidence before tagging them.
The short form of a compound name ("Marquette" for Marquette-lez-Lille, "Montbonnot" for
Montbonnot-Saint-Martin) is stored too: the tagger uses it only near the watch's communes.

Usage::

    python -m vigie.nlp.territory.build_gazetteer [--package DIR_OR_TGZ] [--centroids CSV] [--out DIR]

Without ``--package`` it runs ``npm pack @etalab/decoupage-administratif@ETALAB_VERSION`` in a
temporary folder (the npm registry must be reachable).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

from vigie.nlp.territory.normalize import fold, name_key

ETALAB_PACKAGE = "@etalab/decoupage-administratif"
ETALAB_VERSION = "6.0.0"
CENTROIDS = Path("/work/shared/data/territory/commune_centroids_2018.csv")
OUT = Path(__file__).resolve().parent.parent / "data" / "communes"

COLUMNS = ("insee", "name", "dep", "pop", "lat", "lon", "point", "postcodes", "former_names", "former_flags",
           "former_codes", "flag", "short", "short_flag")


def _words(text: str) -> set[str]:
    return set(text.split())


# Common nouns the lemmatizer's noun index knows but whose lookup table lacks (its noun index
# also holds proper names such as "lille", so it cannot be used as such).
COMMON_NOUNS = _words("""
abondance aiguillon aire anse arceau aubaine aube autruche avion aviron avoine avril azur ballon bar
baron bonnet bouchon bouillon boulon bouquet bourg bouée camarade campagne chapeau chemin château
châtelain citerne colombe colonne confort cordon couleuvre courbette couture dauphin degré denier don
drap falaise faucon fontaine fosse fossé four gland gousse goyave grillon jardin job jury lama levier
maillot mer moisson montagne mont mouchard orgueil peintre pelouse pin plaisir poil poisson pommier
pont port rang rivière roche seuil son soupir talon tendon teneur tonnerre tricot ver ville y école
écurie écueil étain étalon plan vue eu bar salon cognac parc vars col tulle bois toussaint réveillon
""")
# Names that also denote a region, a country or a foreign city, or that are a common word in a
# language often met in French feeds: tagged only with evidence.
NEEDS_EVIDENCE = _words("""
anjou artois auvergne béarn berry bourbonnais bourgogne bretagne champagne dauphiné flandre gascogne
guyenne languedoc limousin lorraine lyonnais maine marche navarre nivernais normandie orléanais
picardie poitou provence roussillon saintonge savoie touraine vendée quercy périgord rouergue médoc
vexin beauce brie sologne morvan vercors camargue cévennes
argentine suisse soudan aragon belgique italie espagne allemagne bruges venise pavie grenade munster
florence mons vienne orange sedan condé berlin londres rome
""")
# Also a common word of English or German, or a foreign city, but a big French city when written with
# a capital in the middle of a sentence ("nice", "die"; Valencia is "Valence" in French).
OTHER_MEANINGS = {"nice", "die", "bar", "plan", "gap", "hum", "valence"}
# Common-word flag lifted for these (the lookup table has them as inflected forms, but the
# capitalised word is nearly always the place).
NOT_COMMON = {"lille", "paris", "bordeaux", "limoges", "quimper", "rodez", "calais", "cambrai",
              "valenciennes", "périgueux", "privas", "castres", "langres", "bourges", "marennes", "provins",
              "pithiviers", "coulommiers", "étampes", "chantilly", "sarcelles"}
# The short form people use: "Marquette" (Marquette-lez-Lille), "Brive" (Brive-la-Gaillarde),
# "Montbonnot" (Montbonnot-Saint-Martin), "Villeneuve" (Villeneuve-d'Ascq).
SHORT = re.compile(r"^(.+?)-(?:lès|lez|les|en|sur|sous|la|le)-|^([^-' ]{4,})-", re.IGNORECASE)


def fetch_package(workdir: Path) -> Path:
    """``npm pack`` the Etalab package into ``workdir`` and return the tarball."""
    out = subprocess.run(
        ["npm", "pack", f"{ETALAB_PACKAGE}@{ETALAB_VERSION}"], cwd=workdir, check=True,
        capture_output=True, text=True,
    )
    return workdir / out.stdout.strip().splitlines()[-1]


def read_package(source: Path, workdir: Path) -> Path:
    """Return the ``package`` folder of the Etalab package (unpacking a tarball if needed)."""
    if source.is_dir():
        return source
    with tarfile.open(source) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


class Lexicon:
    """French word forms from the lemmatizer tables of ``fr_core_news_sm``, to flag common-word names.

    ``words``: inflected forms (lookup table, exceptions) and the adjective, adverb and verb lemma
    indexes; ``nouns``: the noun lemma index, which also holds proper names ("lille"), so it is used
    only for names built on an article ("Le Parc", "La Garde") and through ``COMMON_NOUNS``.
    """

    def __init__(self) -> None:
        import spacy

        nlp = spacy.load("fr_core_news_sm", exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler", "ner"])
        tables = nlp.get_pipe("lemmatizer").lookups
        strings = nlp.vocab.strings
        lookup = tables.get_table("lemma_lookup")
        words = {strings[key] for key in lookup if key in strings}
        index = tables.get_table("lemma_index")
        for pos in ("adj", "adv", "verb"):
            words.update(index.get(strings[pos], []))
        for forms in tables.get_table("lemma_exc").values():
            words.update(forms.keys())
        self._lookup = lookup
        self.words = words | COMMON_NOUNS | set(nlp.Defaults.stop_words)
        self.nouns = set(index.get(strings["noun"], []))
        self.folded = {fold(w) for w in self.words}
        self.folded_nouns = {fold(w) for w in self.nouns}

    def known(self, word: str, article: bool) -> bool:
        from spacy.strings import hash_string

        return word in self.words or hash_string(word) in self._lookup or (article and word in self.nouns)

    def known_folded(self, word: str) -> bool:
        """Also nouns: "f" only matters when a text drops the name's accents ("Mairé" -> "maire")."""
        word = fold(word)
        return word in self.folded or word in self.folded_nouns


def flag_name(name: str, lexicon: Lexicon, places: set[str], chef_lieu: bool = False) -> str:
    """``e``: also a region, country, département or foreign city; ``w``: a common word;
    ``f``: a common word once accents are dropped ("Mairé", "Champagné"); ``""``: a plain name."""
    lower = name.lower()
    if lower in NEEDS_EVIDENCE or (name_key(name) in places and not chef_lieu):
        return "e"  # "Corrèze", "Bretagne"; not Paris nor Saint-Martin, the seat of their own
    words = lower.replace("-", " ").replace("'", " ").split()
    tokens = [t for t in words if t not in ARTICLES]
    article = len(tokens) < len(words)
    if lower in OTHER_MEANINGS:
        return "x"
    if len(name_key(name).replace(" ", "")) <= 2:
        return "w"
    if not tokens:
        return "w"  # a name made of articles only ("Lez")
    if lower in NOT_COMMON or ("-" in name and len(tokens) > 1):
        return ""  # a hyphenated compound ("Joué-lès-Tours") is no accident of prose
    if all(lexicon.known(t, article) for t in tokens):
        return "w"
    if all(lexicon.known_folded(t) for t in tokens) and fold(name) != name.lower():
        return "f"
    return ""


def short_form(name: str, lexicon: Lexicon, places: set[str]) -> dict[str, str]:
    """The short form of a compound name and its flag (used by the tagger near the watch only)."""
    m = SHORT.match(name)
    short = (m.group(1) or m.group(2)) if m else ""
    if not short or short.lower() in ("saint", "sainte", "le", "la", "les") or len(name_key(short)) < 3:
        return {"short": "", "short_flag": ""}
    return {"short": short, "short_flag": flag_name(short, lexicon, places)}


ARTICLES = {"le", "la", "les", "l", "d", "de", "du", "des", "et", "en", "sur", "sous", "lès", "lez", "aux", "au"}


def build(package: Path, centroids: Path, out: Path) -> dict:
    data = package / "data"
    communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads((data / "departements.json").read_text(encoding="utf-8"))
    regions = {r["code"]: r["nom"] for r in json.loads((data / "regions.json").read_text(encoding="utf-8"))}
    with centroids.open(encoding="utf-8", newline="") as f:
        points = {row["insee"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(f)}

    current = [c for c in communes if c["type"] == "commune-actuelle"]
    former_names: dict[str, list[str]] = {}
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee"):
            parent = c.get("chefLieu") or c["code"]
            former_names.setdefault(parent, []).append(c["nom"])

    by_postcode: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for c in current:
        if c["code"] in points:
            for cp in c.get("codesPostaux", []):
                by_postcode.setdefault((c["departement"], cp), []).append(points[c["code"]])

    def mean(pts):
        return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))

    lexicon = Lexicon()
    seats = {d["chefLieu"] for d in departements if d.get("chefLieu")}
    # Names of départements and régions: a commune of that name needs evidence ("Corrèze").
    places = {name_key(d["nom"]) for d in departements} | {name_key(n) for n in regions.values()}
    rows, sources = [], {"centroid": 0, "former": 0, "postcode": 0, "none": 0}
    for c in sorted(current, key=lambda c: c["code"]):
        code, pop = c["code"], int(c.get("population") or 0)
        if code in points:
            point, how = points[code], "centroid"
        elif former := [points[a] for a in c.get("anciensCodes", []) if a in points]:
            point, how = mean(former), "former"
        elif near := [p for cp in c.get("codesPostaux", []) for p in by_postcode.get((c["departement"], cp), [])]:
            point, how = mean(near), "postcode"
        else:
            point, how = None, "none"
        sources[how] += 1
        olds = sorted({n for n in former_names.get(code, []) if n != c["nom"]})
        flags = [flag_name(n, lexicon, places) for n in olds]
        rows.append({
            "insee": code, "name": c["nom"], "dep": c["departement"], "pop": str(pop),
            "lat": f"{point[0]:.5f}" if point else "", "lon": f"{point[1]:.5f}" if point else "",
            "point": how, "postcodes": ",".join(c.get("codesPostaux", [])),
            "former_names": "|".join(olds), "former_codes": "|".join(c.get("anciensCodes", [])),
            "former_flags": "|".join(flags), "flag": flag_name(c["nom"], lexicon, places, code in seats),
            **short_form(c["nom"], lexicon, places),
        })

    out.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    writer = csv.DictWriter(text, COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with (out / "communes.tsv.gz").open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as f:
        f.write(text.getvalue().encode("utf-8"))  # mtime=0 and no file name: reproducible bytes
    with (out / "departements.tsv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(("code", "name", "region", "region_name"))
        for d in sorted(departements, key=lambda d: d["code"]):
            writer.writerow((d["code"], d["nom"], d.get("region", ""), regions.get(d.get("region", ""), "")))
    meta = {"etalab_package": ETALAB_PACKAGE, "etalab_version": ETALAB_VERSION, "communes": len(rows),
            "points": sources, "flags": {f: sum(r["flag"] == f for r in rows) for f in ("w", "f", "e", "x")}}
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="unpacked package folder or .tgz (default: npm pack)")
    parser.add_argument("--centroids", type=Path, default=CENTROIDS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = args.package or fetch_package(workdir)
        print(json.dumps(build(read_package(source, workdir), args.centroids, args.out), indent=2))


if __name__ == "__main__":
    main()
