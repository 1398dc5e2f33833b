"""``python -m vigie.demo.sites [--port N]``: serve the demo sites until killed."""

from __future__ import annotations

import argparse
import sys

from vigie.demo.sites import DemoPortBusy, DemoSites, default_port
from vigie.httpserve import serve_until_interrupted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vigie.demo.sites",
                                     description="Serve the demo territory's sites on 127.0.0.1 until killed.")
    parser.add_argument("--port", type=int, default=None,
                        help="TCP port (default: VIGIE_DEMO_PORT, else 8740; 0 for a free port)")
    args = parser.parse_args(argv)
    try:
        sites = DemoSites(port=default_port() if args.port is None else args.port).start()
    except (DemoPortBusy, ValueError) as exc:
        print(f"error: {exc.strerror if isinstance(exc, OSError) else exc}", file=sys.stderr)
        return 1
    print(sites.base_url, flush=True)
    serve_until_interrupted(sites.stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
