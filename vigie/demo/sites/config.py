"""``write_demo_config``: the demo watch file, pointed at a running ``DemoSites``."""

from __future__ import annotations

from pathlib import Path

from vigie.demo.sites.server import CONFIG_PORT, HOST
from vigie.settings import DEMO_CONFIG

__all__ = ["DEMO_CONFIG", "write_demo_config"]


def write_demo_config(dest_dir: str | Path, base_url: str, source: str | Path = DEMO_CONFIG) -> Path:
    """A copy of the demo watch file (``vigie/demo/demo.yaml``, ``config/demo.yaml`` in a clone) in ``dest_dir``
    whose source URLs point at ``base_url``
    (``http://127.0.0.1:PORT``); returns its path.  Comments and everything else are kept."""
    text = Path(source).read_text(encoding="utf-8")
    written = f"http://{HOST}:{CONFIG_PORT}"
    if written not in text:
        raise ValueError(f"{source} has no source on {written}: nothing to point at {base_url}")
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "demo.yaml"
    path.write_text(text.replace(written, base_url.rstrip("/")), encoding="utf-8")
    return path
