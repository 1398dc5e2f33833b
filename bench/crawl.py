"""Crawl throughput: our full stack (middlewares + pipelines) against a bare Scrapy spider.

Usage: .venv/bin/python bench/crawl.py [--pages 5000] [--rounds 3] [--web]

A site of N pages (French municipal notices, about 3 KB of text each, all different) is
generated in a temporary folder, listed in a sitemap and served on 127.0.0.1 by the tests'
fixture server (a thread of this process).  In the same run, alternately:

- **bare**: a plain ``scrapy.Spider`` reading the sitemap and fetching every page, Scrapy's
  default middlewares, no pipelines;
- **vigie**: a ``VigieSpider`` that reads the same sitemap and turns each page into a Document
  (title and paragraphs by lxml) through all of Vigie's downloader middlewares (SSRF guard,
  conditional GET, Retry-After, content type, redirect loops) and item pipelines (normalise,
  exact duplicates, MinHash LSH near-duplicates, JSONL writer, state), via ``vigie.crawlers.run``.

Both use the same concurrency (16 requests, all on the one host), no delay, no AutoThrottle,
robots.txt obeyed.  ``--web`` adds one run of the real ``web`` spider (trafilatura + htmldate
on every page): that figure is the cost of main-text extraction, not of the crawler.

Each crawl runs in its own process; pages/s is pages fetched over the crawl's own time
(Scrapy's start/finish stats, start-up excluded: the near-duplicate pipeline imports
datasketch lazily, so the vigie child imports it before the crawl, as the bare child imports
Scrapy); memory is the child's peak RSS.  The machine may be shared: each round runs bare then
vigie back to back, and the bench prints each round's ratio, the median of those ratios (the
figure to report) and the same ratio in pages per CPU second of the crawl (user + system time of
the child from the crawl's start, its imports done, which other jobs on the machine disturb less
than the wall clock).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "voirie", "stationnement", "travaux", "chaussée", "trottoir", "école", "cantine", "crèche", "médiathèque",
    "piscine", "marché", "conseil", "municipal", "délibération", "budget", "subvention", "association", "quartier",
    "riverains", "circulation", "déviation", "arrêté", "collecte", "déchets", "propreté", "éclairage", "public",
    "espaces", "verts", "jardin", "parc", "Deûle", "Citadelle", "Canon", "Or", "Bourg", "Pacot-Vandracq",
    "Conquérants", "habitants", "réunion", "publique", "concertation", "sécurité", "police", "municipale", "vélo",
    "piste", "cyclable", "bus", "ligne", "horaires", "fermeture", "ouverture", "inscription", "dossier", "mairie",
    "service", "élus", "maire", "adjoint", "commune", "métropole",
]
CONCURRENCY = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
               "AUTOTHROTTLE_ENABLED": False, "CLOSESPIDER_PAGECOUNT": 0, "ROBOTSTXT_OBEY": True,
               "LOG_LEVEL": "INFO", "LOGSTATS_INTERVAL": 0, "TELNETCONSOLE_ENABLED": False,
               "REMOTE_CONTROL_ENABLED": False, "STATS_DUMP": False}


def generate_site(root: Path, pages: int) -> None:
    rng = random.Random(20261121)
    (root / "avis").mkdir(parents=True)
    entries = []
    for i in range(pages):
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 90))).capitalize() + ".</p>"
            for _ in range(5))
        (root / "avis" / f"{i:05d}.html").write_text(
            f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Avis municipal n° {i}</title>"
            f"<meta property='article:published_time' content='2026-11-{1 + i % 28:02d}T08:00:00+01:00'>"
            f"</head><body><header><a href='/'>Ville de Lambersart</a></header><main><article>"
            f"<h1>Avis municipal n° {i}</h1>{paragraphs}</article></main></body></html>", encoding="utf-8")
        entries.append(f"<url><loc>{{{{base}}}}/avis/{i:05d}.html</loc></url>")
    (root / "sitemap.xml").write_text(
        "<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        + "".join(entries) + "</urlset>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /prive/\n", encoding="utf-8")


# ------------------------------------------------------------------ children
def _bare_spider():
    import scrapy

    from vigie.crawlers.extract.web import parse_sitemap

    class BareSpider(scrapy.Spider):
        name = "bare"

        def __init__(self, sitemap: str, **kwargs):
            super().__init__(**kwargs)
            self.sitemap = sitemap

        async def start(self):
            yield scrapy.Request(self.sitemap, callback=self.parse_sitemap)

        def parse_sitemap(self, response):
            for entry in parse_sitemap(response.body)["entries"]:
                yield scrapy.Request(entry["loc"], callback=self.parse)

        def parse(self, response):
            return None

    return BareSpider


def _vigie_spider():
    from vigie.crawlers.extract._dates import parse_iso
    from vigie.crawlers.extract._html import node_text, parse_html
    from vigie.crawlers.extract.web import parse_sitemap
    from vigie.crawlers.spiders.base import VigieSpider

    class BenchSpider(VigieSpider):
        kind = "web"
        name = "vigie-bench"
        platform = "web"

        async def start(self):
            yield self.request(self.source.url, self.parse_sitemap)

        def parse_sitemap(self, response):
            for entry in parse_sitemap(response.body)["entries"]:
                yield self.request(entry["loc"], self.parse_page, conditional=True)

        def parse_page(self, response):
            tree = parse_html(self.text(response))
            when = tree.xpath('//meta[@property="article:published_time"]/@content')
            yield self.document(item_id=response.url, url=response.url, kind="article",
                                title=(tree.xpath("//h1//text()") or [None])[0],
                                text="\n".join(node_text(p) for p in tree.xpath("//article/p")),
                                published_at=parse_iso(when[0]))

    return BenchSpider


def child(mode: str, base_url: str, workdir: str) -> None:
    from vigie.crawlers.run import run_in_this_process

    work = Path(workdir)
    # start-up, not crawling: what each side imports before its crawl starts (the near-duplicate pipeline
    # imports datasketch lazily), so that the CPU time below is the crawl's
    import scrapy.crawler  # noqa: F401
    if mode != "bare":
        import datasketch  # noqa: F401

        import vigie.config
        import vigie.crawlers.batch
        import vigie.crawlers.spiders.base  # noqa: F401
    cpu_before = _cpu_seconds()
    if mode == "bare":
        from scrapy.crawler import AsyncCrawlerProcess

        process = AsyncCrawlerProcess({**CONCURRENCY, "USER_AGENT": "bench"})
        crawler = process.create_crawler(_bare_spider())
        process.crawl(crawler, sitemap=f"{base_url}/sitemap.xml")
        process.start()
        stats = crawler.stats.get_stats()
        pages = stats.get("downloader/response_count", 0)
        elapsed = (stats["finish_time"] - stats["start_time"]).total_seconds()
        written = 0
    else:
        config = work / f"watch-{mode}.yaml"
        config.write_text(
            "watches:\n  - id: bench\n    name: Bench\n    territory: {communes: ['59328']}\n    sources:\n"
            f"      - id: site\n        kind: web\n        url: '{base_url}/sitemap.xml'\n"
            "        allow_private_networks: true\n", encoding="utf-8")
        summary = run_in_this_process(config, "bench", "site", work / f"out-{mode}", dict(CONCURRENCY),
                                      state_dir=work / f"state-{mode}",
                                      spider_cls=_vigie_spider() if mode == "vigie" else None)
        pages, elapsed, written = summary["fetched"], summary["elapsed_seconds"], summary["written"]
    cpu = _cpu_seconds() - cpu_before
    print(json.dumps({"mode": mode, "pages": pages, "seconds": elapsed, "written": written,
                      "pages_per_second": pages / elapsed, "cpu_seconds": cpu, "pages_per_cpu_second": pages / cpu,
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_child(mode: str, base_url: str, workdir: Path, tag: str) -> dict:
    work = workdir / tag
    work.mkdir()
    result = subprocess.run([sys.executable, __file__, "--child", mode, "--base-url", base_url,
                             "--workdir", str(work)], capture_output=True, text=True, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{mode} crawl failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--web", action="store_true", help="also run the real web spider (trafilatura)")
    parser.add_argument("--child")
    parser.add_argument("--base-url")
    parser.add_argument("--workdir")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.base_url, args.workdir)
        return

    from tests.crawlers.server import FixtureServer

    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as tmp:
        tmp_path = Path(tmp)
        started = time.perf_counter()
        generate_site(tmp_path / "site", args.pages)
        size = sum(p.stat().st_size for p in (tmp_path / "site" / "avis").iterdir()) / args.pages / 1024
        print(f"site: {args.pages} pages of {size:.1f} KiB on average, generated in "
              f"{time.perf_counter() - started:.1f} s")
        results: dict[str, list[dict]] = {"bare": [], "vigie": []}
        with FixtureServer(tmp_path / "site") as server:
            for round_ in range(args.rounds):
                for mode in ("bare", "vigie"):
                    result = run_child(mode, server.base_url, tmp_path, f"{mode}-{round_}")
                    results[mode].append(result)
                    print(f"round {round_ + 1} {mode:>5}: {result['pages']} pages in {result['seconds']:.1f} s = "
                          f"{result['pages_per_second']:.0f} pages/s, {result['cpu_seconds']:.1f} CPU s "
                          f"({result['pages_per_cpu_second']:.0f} pages per CPU s), "
                          f"peak RSS {result['peak_rss_mib']:.0f} MiB"
                          + (f", {result['written']} Documents written" if mode != "bare" else ""))
            if args.web:
                web = run_child("web", server.base_url, tmp_path, "web")
                print(f"web spider (trafilatura + htmldate): {web['pages']} pages in {web['seconds']:.1f} s = "
                      f"{web['pages_per_second']:.0f} pages/s, peak RSS {web['peak_rss_mib']:.0f} MiB")
    bare = statistics.median(r["pages_per_second"] for r in results["bare"])
    vigie = statistics.median(r["pages_per_second"] for r in results["vigie"])
    pairs = list(zip(results["bare"], results["vigie"], strict=True))
    rounds = [v["pages_per_second"] / b["pages_per_second"] for b, v in pairs]
    cpu = [v["pages_per_cpu_second"] / b["pages_per_cpu_second"] for b, v in pairs]
    print("ratio vigie/bare per round (pages/s): " + ", ".join(f"{r:.2f}" for r in rounds)
          + "; per CPU second: " + ", ".join(f"{r:.2f}" for r in cpu))
    print(f"median: bare {bare:.0f} pages/s, vigie {vigie:.0f} pages/s, ratio {vigie / bare:.2f}; "
          f"median of the rounds' ratios {statistics.median(rounds):.2f} (target >= 0.8); "
          f"per CPU second {statistics.median(cpu):.2f}")
    print(f"peak RSS: bare {max(r['peak_rss_mib'] for r in results['bare']):.0f} MiB, "
          f"vigie {max(r['peak_rss_mib'] for r in results['vigie']):.0f} MiB")


if __name__ == "__main__":
    main()
