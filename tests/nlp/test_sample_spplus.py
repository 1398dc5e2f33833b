"""The builder of the Services Publics+ held-out set (nlp/eval/sample_spplus.py): which experiences
it keeps and how it repairs the copy's mis-decoded characters."""

from __future__ import annotations

import csv
import json

from vigie.nlp.eval.sample_spplus import build, repair

LONG = "Accueil au guichet de la préfecture, rendez-vous pris en ligne trois semaines avant. " * 5


def test_windows_1252_characters_read_as_latin_1_are_repaired():
    assert repair("l\x92agent m\x92a demandé 25 \x80") == "l’agent m’a demandé 25 €"
    assert repair("déjà très bien") == "déjà très bien"


def test_only_long_positive_and_negative_experiences_are_kept(tmp_path):
    source = tmp_path / "balanced.csv"
    rows = [
        {"ID expérience": "1", "Titre": "Merci", "Description": LONG, "Ressenti usager": "Positif",
         "Intitulé Typologie 1": "CAF", "Pseudonyme usager": "Jean D."},
        {"ID expérience": "2", "Titre": "", "Description": LONG + "Jamais de réponse.", "Ressenti usager": "Négatif",
         "Intitulé Typologie 1": "", "Pseudonyme usager": "X"},
        {"ID expérience": "3", "Titre": "Bof", "Description": LONG, "Ressenti usager": "Neutre",
         "Intitulé Typologie 1": "CAF", "Pseudonyme usager": "Y"},
        {"ID expérience": "4", "Titre": "Court", "Description": "Trop court.", "Ressenti usager": "Négatif",
         "Intitulé Typologie 1": "CAF", "Pseudonyme usager": "Z"},
        {"ID expérience": "5", "Titre": "Merci", "Description": LONG, "Ressenti usager": "Positif",
         "Intitulé Typologie 1": "CAF", "Pseudonyme usager": "Jean D."},
    ]
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out.jsonl"
    assert build(str(source), str(out)) == {"written": 2, "positive": 1, "negative": 1}
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [i["id"] for i in items] == ["1", "2"]
    assert items[0]["text"].startswith("Merci. Accueil") and items[1]["service"] is None
    assert "Jean" not in out.read_text(encoding="utf-8")  # no pseudonym kept
