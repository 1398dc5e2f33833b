"""The commune gazetteer: loading (cached per folder) and the lookup tables built from it."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vigie.nlp.territory.normalize import name_tokens

DATA = Path(__file__).resolve().parent.parent / "data" / "communes"
FILES = ("communes.tsv.gz", "departements.tsv", "meta.json")

_LINKS = {"le", "la", "les", "l", "de", "du", "des", "d", "en", "sur", "sous", "saint", "sainte", "et", "aux", "au"}
# "Le Havre" is "du Havre", "au Havre"; "Les Lilas" is "aux Lilas", "des Lilas".
_CONTRACTED = {"le": ("au", "du"), "les": ("aux", "des")}


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str
    dep: str
    pop: int
    lat: float | None
    lon: float | None
    postcodes: tuple[str, ...]
    flag: str  # "" | "w" common word | "f" common word without accents | "e" also another place

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.lat is None else (self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class Entry:
    """One way of naming a commune: ``kind`` is name, former, short or contracted."""

    commune: Commune
    kind: str
    flag: str = ""  # of this name, as Commune.flag
    needs: tuple[str, ...] = ()  # for "contracted": the words that must precede ("au", "du")
    surface: str = ""  # the name as written, for flag "f" (common word only without its accents)


class Gazetteer:
    """Communes, départements and the token index of their names."""

    def __init__(self, communes: list[Commune], former: dict[str, list[tuple[str, str]]],
                 short: dict[str, tuple[str, str]], departements: list[dict]):
        self.communes = communes
        self.by_insee = {c.insee: c for c in communes}
        self.departements = {d["code"]: d for d in departements}
        self.entries: dict[tuple[str, ...], list[Entry]] = {}
        self.by_postcode: dict[str, list[Commune]] = {}
        for c in communes:
            tokens = name_tokens(c.name)
            self._add(tokens, Entry(c, "name", c.flag, surface=c.name))
            for old, flag in former.get(c.insee, ()):
                if len("".join(name_tokens(old))) <= 3:
                    continue  # "Lez" (now Saint-Béat-Lez) would be every "les"
                self._add(name_tokens(old), Entry(c, "former", flag, surface=old))
                head = name_tokens(old[: -len(c.name) - 1])
                if old.endswith("-" + c.name) and head[-1] not in _LINKS:  # "Hellemmes-Lille" is "Hellemmes"
                    self._add(head, Entry(c, "former", flag))
            if c.insee in short:
                self._add(name_tokens(short[c.insee][0]), Entry(c, "short", short[c.insee][1]))
            if len(tokens) > 1 and tokens[0] in _CONTRACTED:
                self._add(tokens[1:], Entry(c, "contracted", c.flag, _CONTRACTED[tokens[0]], c.name))
            for cp in c.postcodes:
                self.by_postcode.setdefault(cp, []).append(c)
        # Longest entry starting with each word, so matching tries only the lengths that exist.
        self.longest: dict[str, int] = {}
        for key in self.entries:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        # Département names; ``dep_names`` keeps those that are no commune's name ("Nord"; not
        # "Corrèze" nor "La Réunion", a commune of Lot-et-Garonne), to be used anywhere in a text.
        self.dep_names_all = {name_tokens(d["name"]): code for code, d in self.departements.items()}
        self.dep_names: dict[tuple[str, ...], str] = {
            key: code for key, code in self.dep_names_all.items()
            if not any(e.kind == "name" for e in self.entries.get(key, ()))
        }
        self.dep_longest = max(len(k) for k in self.dep_names)

    def _add(self, key: tuple[str, ...], entry: Entry) -> None:
        if not key:
            return
        bucket = self.entries.setdefault(key, [])
        if all(e.commune is not entry.commune for e in bucket):
            bucket.append(entry)

    def __len__(self) -> int:
        return len(self.communes)

    def get(self, insee: str) -> Commune | None:
        return self.by_insee.get(insee)

    def find(self, name: str, dep: str | None = None) -> list[Commune]:
        """Communes whose official name is ``name`` (folded), optionally in département ``dep``."""
        entries = self.entries.get(name_tokens(name), [])
        return [e.commune for e in entries if e.kind == "name" and (dep is None or e.commune.dep == dep)]


def _read_communes(folder: Path):
    communes, former, short = [], {}, {}
    with (folder / "communes.tsv.gz").open("rb") as raw:
        text = io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8", newline="")
        for row in csv.DictReader(text, delimiter="\t"):
            communes.append(Commune(
                insee=row["insee"], name=row["name"], dep=row["dep"], pop=int(row["pop"] or 0),
                lat=float(row["lat"]) if row["lat"] else None, lon=float(row["lon"]) if row["lon"] else None,
                postcodes=tuple(row["postcodes"].split(",")) if row["postcodes"] else (), flag=row["flag"],
            ))
            if row["former_names"]:
                former[row["insee"]] = list(zip(row["former_names"].split("|"), row["former_flags"].split("|"),
                                                strict=True))
            if row["short"]:
                short[row["insee"]] = (row["short"], row["short_flag"])
    return communes, former, short


@lru_cache(maxsize=4)
def load_gazetteer(folder: str | Path | None = None) -> Gazetteer:
    """The gazetteer of ``folder`` (default: the one committed in ``nlp/data/communes``), cached."""
    folder = Path(folder) if folder else DATA
    communes, former, short = _read_communes(folder)
    with (folder / "departements.tsv").open(encoding="utf-8", newline="") as f:
        departements = list(csv.DictReader(f, delimiter="\t"))
    return Gazetteer(communes, former, short, departements)
