"""The committed demo data is what its generator (``tools/build_demo.py``, outside the package) writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_generator():
    spec = importlib.util.spec_from_file_location("build_demo", ROOT / "tools" / "build_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_demo_data_matches_the_generator():
    generator = load_generator()
    assert generator.OUT == ROOT / "vigie" / "demo" / "lambersart.jsonl"
    committed = generator.OUT.read_text(encoding="utf-8")
    generated = generator.render(generator.build())
    assert generated == committed, "vigie/demo/lambersart.jsonl is stale: run .venv/bin/python tools/build_demo.py"
    assert len(generated.splitlines()) == 73


def test_the_generator_is_not_in_the_package():
    import vigie.demo

    assert not (Path(vigie.demo.__file__).parent / "build_demo.py").exists()
