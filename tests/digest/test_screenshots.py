"""The digest as received by email, rendered in headless Chromium at desktop and phone widths.

The screenshots are kept in ``.vigie/test-artifacts/digest/`` (git-ignored) and their paths printed:

    .venv/bin/python -m pytest tests/digest/test_screenshots.py -s

Chromium is required (``make chromium``): without it these tests fail, they are never skipped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.support import names, run_settings

from .conftest import ROOT, index_docs

ARTIFACTS = ROOT / ".vigie" / "test-artifacts" / "digest"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module", autouse=True)
def chromium():
    from vigie.digest.screenshot import ChromiumMissing, find_chromium

    try:
        return find_chromium()
    except ChromiumMissing as exc:
        pytest.fail(str(exc))


def received_html(server, folder: Path, name: str) -> Path:
    """The HTML part of the one message received, its cid: image inlined, as a file for the browser."""
    from vigie.digest.screenshot import with_inline_images

    assert len(server.messages) == 1
    msg = server.messages[0][1]
    related = msg.get_payload()[1]
    html_part, image = related.get_payload()
    html = with_inline_images(html_part.get_content(), {image["Content-ID"]: image.get_content()})
    assert "cid:" not in html and "data:image/png;base64," in html
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path


def check_shot(shot: dict, width: int) -> None:
    from PIL import Image

    path = Path(shot["path"])
    assert path.exists() and path.stat().st_size > 10_000
    with Image.open(path) as image:
        assert image.size[0] == width and image.size[1] >= 800
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50          # text, tables and the chart: not a blank page
        # the dark blue header band (#1e3a8a) is at the top, whatever the width
        top = rgb.crop((0, 0, width, 100)).getcolors(maxcolors=1 << 20)
        assert dict((c, n) for n, c in top).get((30, 58, 138), 0) > width * 30
    # nothing wider than the viewport: no horizontal scrolling on a phone
    assert shot["innerWidth"] == width and shot["scrollWidth"] <= width, shot


def shoot(html: Path, name: str) -> list[dict]:
    from vigie.digest.screenshot import screenshot

    shots = []
    for label, width in WIDTHS.items():
        shot = screenshot(html, ARTIFACTS / f"{name}-{label}.png", width)
        print(f"screenshot: {shot['path']} ({width}x{shot['height']})")
        check_shot(shot, width)
        shots.append(shot)
    return shots


@pytest.mark.parametrize("day", [date(2026, 11, 17), date(2026, 11, 18)])
def test_demo_digest_screenshots(es, demo_enriched, tmp_path, state, smtp_factory, unused_port, day):
    from vigie.config import load_config
    from vigie.digest.runner import run_digest
    from vigie.mail import SmtpSettings

    watch = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")
    index_docs(es, "lambersart", demo_enriched)
    server = smtp_factory(unused_port)
    outcome = run_digest(run_settings(), watch, day, client=es, send=True,
                         smtp=SmtpSettings("127.0.0.1", unused_port, sender="vigie@lambersart.example", timeout=5))
    assert outcome.status == "sent" and outcome.figures["total"] > 5
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html = received_html(server, ARTIFACTS, f"demo-lambersart-{day}")
    text = html.read_text(encoding="utf-8")
    assert "Veille quotidienne · Ville de Lambersart" in text and "Publications les plus engageantes" in text
    shoot(html, f"demo-lambersart-{day}")


def test_hostile_digest_screenshots_do_not_overflow(constructed, watch, tmp_path, state, smtp_factory,
                                                    unused_port):
    """Long words, hostile markup and long links must neither run nor widen the page on a phone."""
    from vigie.digest.runner import run_digest
    from vigie.mail import SmtpSettings

    server = smtp_factory(unused_port)
    outcome = run_digest(run_settings(), watch, date(2026, 11, 17), client=constructed, send=True,
                         smtp=SmtpSettings("127.0.0.1", unused_port, timeout=5))
    assert outcome.status == "sent"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html = received_html(server, ARTIFACTS, "hostile-testville-2026-11-17")
    assert "&lt;script&gt;" in html.read_text(encoding="utf-8")
    shoot(html, "hostile-testville-2026-11-17")


def test_empty_day_screenshot(es, watch, tmp_path, state):
    from vigie.digest.runner import run_digest
    from vigie.indexes.setup import install

    install(es, ["testville"], names=names)
    outcome = run_digest(run_settings(), watch, date(2026, 11, 17), client=es,
                         out=ARTIFACTS / "empty-testville-2026-11-17.html")
    assert outcome.status == "empty"
    shoot(outcome.html_path, "empty-testville-2026-11-17")
