"""Reading fixture files for pure extractor tests (``{{base}}`` replaced as the server does)."""

from __future__ import annotations

from pathlib import Path

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
BASE = "https://lambersart.example"


def fixture_bytes(kind: str, name: str, base: str = BASE) -> bytes:
    return (SITES / kind / name).read_bytes().replace(b"{{base}}", base.encode())


def fixture_text(kind: str, name: str, base: str = BASE) -> str:
    return fixture_bytes(kind, name, base).decode("utf-8")
