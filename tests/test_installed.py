"""Vigie installed as a package, outside the clone: no reliance on the clone or the current folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

UV = str(Path(sys.executable).with_name("uv"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from this tree, unpacked into a folder of its own (a pure-Python install)."""
    base = tmp_path_factory.mktemp("installed")
    built = subprocess.run([UV, "build", "--wheel", "--out-dir", str(base / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next((base / "dist").glob("vigie-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(base / "site")
    home = base / "home"
    (home / "work").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIGIE_", "ELASTICSEARCH_", "XDG_"))}
    env.update(PYTHONPATH=str(base / "site"), HOME=str(home))
    return {"site": base / "site", "home": home, "env": env}


def python(installed, *args, timeout=300):
    return subprocess.run([sys.executable, *args], env=installed["env"], cwd=installed["home"] / "work",
                          capture_output=True, text=True, timeout=timeout)


def test_the_package_brings_its_own_watch_file_and_keeps_state_under_the_user(installed):
    done = python(installed, "-c", "import json, vigie; from vigie.settings import Settings; s = Settings.resolve(); "
                                   "print(json.dumps([vigie.__file__, str(s.config_path), str(s.state_dir)]))")
    assert done.returncode == 0, done.stderr
    module, config, state = json.loads(done.stdout)
    site = str(installed["site"])
    assert module.startswith(site) and config.startswith(site) and config.endswith("vigie/demo/demo.yaml")
    assert state == str(installed["home"] / ".local" / "state" / "vigie")
    checked = python(installed, "-m", "vigie.cli", "config", "check", config)
    assert checked.returncode == 0 and "lambersart" in checked.stdout, checked.stderr


def test_data_files_come_from_the_package(installed):
    out = installed["home"] / "objects.ndjson"
    done = python(installed, "-m", "vigie.cli", "kibana", "export", "--watch", "lambersart", "--out", str(out))
    assert done.returncode == 0, done.stderr          # the commune gazetteer and the taxonomy, from the package
    assert "Lambersart" in out.read_text(encoding="utf-8")
    analysed = python(installed, "-m", "vigie.cli", "analyze", "Inondation rue de Lille à Lambersart, la mairie ?",
                      "--watch", "lambersart", "--json")
    assert analysed.returncode == 0, analysed.stderr   # the spaCy components' lexicons and models, from the package
    fields = json.loads(analysed.stdout)
    assert "59328" in json.dumps(fields["territory"]) and fields["sentiment"]["label"]
