"""The layers of docs/ARCHITECTURE.md hold, and the contracts that check them can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = str(Path(sys.executable).with_name("lint-imports"))


def lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([LINT, "--no-cache", str(cwd / "setup.cfg")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_contracts_are_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "application > stage packages > core KEPT" in result.stdout
    assert "the core imports no stage package KEPT" in result.stdout
    assert "a crawl process never loads the Elasticsearch client, spaCy or pandas KEPT" in result.stdout


def test_every_core_module_is_in_the_contracts():
    """A new module directly in vigie/ is core: it must be named in both contracts, or nothing checks it."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    core_layer = config["importlinter:contract:layers"]["layers"].strip().splitlines()[-1]
    in_layer = {name.strip() for name in core_layer.split(":")}
    in_forbidden = set(config["importlinter:contract:core"]["source_modules"].split())
    modules = {f"vigie.{p.stem}" for p in (ROOT / "vigie").glob("*.py") if p.stem not in {"__init__", "cli"}}
    assert modules == in_layer == in_forbidden


def copy_of_the_package(tmp_path: Path) -> Path:
    """The ``vigie`` package's Python files (stage folders included, through their links)."""
    shutil.copytree(ROOT / "vigie", tmp_path / "vigie", ignore=shutil.ignore_patterns("data", "sites", "*.jsonl",
                                                                                        "es_plugin", "__pycache__"))
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    return tmp_path


def test_a_core_module_importing_a_stage_breaks_the_contracts(tmp_path):
    tree = copy_of_the_package(tmp_path)
    schema = tree / "vigie" / "schema.py"
    schema.write_text(schema.read_text() + "\n\ndef _upward():\n    from vigie.indexes import client  # noqa\n")
    result = lint(tree, pythonpath=tree)
    assert result.returncode == 1, result.stdout
    assert "the core imports no stage package BROKEN" in result.stdout
    assert "vigie.schema -> vigie.indexes.client" in result.stdout


def test_a_stage_importing_the_application_breaks_the_layers(tmp_path):
    tree = copy_of_the_package(tmp_path)
    module = tree / "vigie" / "nlp" / "pipeline.py"
    module.write_text(module.read_text() + "\n\ndef _upward():\n    from vigie.stages import enrich  # noqa\n")
    result = lint(tree, pythonpath=tree)
    assert result.returncode == 1, result.stdout
    assert "application > stage packages > core BROKEN" in result.stdout
    assert "vigie.nlp.pipeline -> vigie.stages.enrich" in result.stdout
