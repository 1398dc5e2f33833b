"""Screenshots of a digest in headless Chromium, at desktop and phone widths (tests and demo).

    python -m vigie.digest.screenshot digest.html --out-dir shots/     # desktop (1280) and phone (390) PNGs

The digest is shown in a frame exactly as wide as asked (headless Chromium makes no window narrower than
500 px, so a phone width needs the frame).  The page is first loaded with ``--dump-dom`` and a small script
that records the digest's layout (scroll width and height, viewport width): the screenshot is then taken at
the page's full height, and a digest wider than its viewport (horizontal overflow on a phone) is detected.
Chromium is Debian's package (``make chromium``); a missing Chromium is an error, never a silent skip.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DESKTOP, PHONE = 1280, 390
MAX_HEIGHT = 16000
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--force-device-scale-factor=1", "--allow-file-access-from-files"]
MIN_WINDOW = 600   # headless Chromium does not make windows narrower than 500 px: narrower pages go in a frame
FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>html,body{{margin:0;padding:0;background:#fff}}
</style></head><body><iframe id="page" src="{src}" style="display:block;border:0;width:{width}px;height:{height}px">
</iframe><script>addEventListener('load', function () {{
  var w = document.getElementById('page').contentWindow, d = w.document.documentElement, b = w.document.body;
  document.body.setAttribute('data-vigie-layout', JSON.stringify({{scrollWidth: Math.max(d.scrollWidth, b.scrollWidth),
    scrollHeight: Math.max(d.scrollHeight, b.scrollHeight), innerWidth: w.innerWidth}}));
}});</script></body></html>"""


class ChromiumMissing(RuntimeError):
    pass


def find_chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise ChromiumMissing("headless Chromium is needed for the digest screenshots and is not installed: "
                              "run `make chromium` (Debian's chromium package)")
    return found


def _chromium(args: list[str], timeout: float = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="vigie-chromium-") as profile:
        return subprocess.run([find_chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout, check=False)


def with_inline_images(html: str, images: dict[str, bytes]) -> str:
    """The HTML of an email with its ``cid:`` images replaced by data: URIs (for a browser)."""
    for cid, data in images.items():
        uri = "data:image/png;base64," + base64.b64encode(data).decode()
        html = html.replace(f"cid:{cid.strip('<>')}", uri)
    return html


def _frame(html_path: Path, width: int, height: int) -> Path:
    """A page holding the digest in a frame of exactly ``width`` × ``height`` CSS pixels."""
    html_path = Path(html_path).resolve()
    frame = html_path.with_name(f".{html_path.stem}.{width}.frame.html")
    frame.write_text(FRAME.format(src=html_path.name, width=width, height=height), encoding="utf-8")
    return frame


def layout(html_path: Path, width: int, height: int = 900) -> dict:
    """scrollWidth, scrollHeight and innerWidth of the page in a frame ``width`` pixels wide."""
    frame = _frame(html_path, width, height)
    try:
        done = _chromium([f"--window-size={max(width, MIN_WINDOW)},{height}", "--dump-dom", frame.as_uri()])
    finally:
        frame.unlink(missing_ok=True)
    found = re.search(r'data-vigie-layout="([^"]+)"', done.stdout)
    if not found:
        raise RuntimeError(f"chromium did not lay the page out (exit {done.returncode}): {done.stderr[-800:]}")
    return json.loads(found.group(1).replace("&quot;", '"'))


def screenshot(html_path: Path, png_path: Path, width: int) -> dict:
    """A PNG of the whole page laid out ``width`` CSS pixels wide; returns the layout measured."""
    from PIL import Image  # matplotlib's own dependency

    measured = layout(html_path, width)
    height = min(max(int(measured["scrollHeight"]), 400), MAX_HEIGHT)
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    png_path.unlink(missing_ok=True)
    frame = _frame(html_path, width, height)
    try:
        done = _chromium([f"--window-size={max(width, MIN_WINDOW)},{height}", f"--screenshot={png_path}",
                          frame.as_uri()])
    finally:
        frame.unlink(missing_ok=True)
    if not png_path.exists():
        raise RuntimeError(f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-800:]}")
    with Image.open(png_path) as image:
        if image.size != (width, height):
            image.crop((0, 0, width, height)).save(png_path)
    return {**measured, "width": width, "height": height, "path": str(png_path)}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--out-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out_dir or args.html.parent
    for name, width in (("desktop", DESKTOP), ("phone", PHONE)):
        shot = screenshot(args.html, out / f"{args.html.stem}-{name}.png", width)
        print(f"{shot['path']} ({width}x{shot['height']}, page width {shot['scrollWidth']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
