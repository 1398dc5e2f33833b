"""The installed environment: spaCy's French model from the lock file, and a clean lint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_spacy_french_model_loads_from_the_package():
    import spacy

    nlp = spacy.load("fr_core_news_sm")
    doc = nlp("La mairie de Lambersart ferme le passage souterrain après les inondations.")
    assert nlp.lang == "fr"
    assert "inondation" in {t.lemma_ for t in doc}


def test_ruff_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_lock_pins_every_requirement():
    lock = (ROOT / "requirements.lock").read_text()
    pins = [ln for ln in lock.splitlines() if ln and not ln.startswith((" ", "#"))]
    assert pins and all("==" in ln for ln in pins), [ln for ln in pins if "==" not in ln]
    for needed in ("elasticsearch==", "spacy==", "fr-core-news-sm==", "pydantic=="):
        assert any(ln.startswith(needed) for ln in pins), needed
