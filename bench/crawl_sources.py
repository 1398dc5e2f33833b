"""Many small sources: Vigie's ``vigie crawl`` (batches of sources per process) against a bare Scrapy process.

Usage: .venv/bin/python bench/crawl_sources.py [--sources 1000] [--batch-size 50] [--parallel 2]
                                               [--delay 1.0] [--rounds 1] [--hosts 125]

N RSS 2.0 feeds of 20 items each (French municipal news, about 600 characters of text per item,
all different; about 21 KB per feed) are generated in a temporary folder and served by the tests'
fixture server on ``--hosts`` loopback hosts (default 125: 127.0.1.1 to 127.0.1.125; 8 gives
127.0.0.2 to 127.0.0.9; Linux routes all of 127/8 to ``lo``), source ``i`` on host ``i % hosts``,
each host with a robots.txt.  A territory's sources are mostly on different hosts (every commune's
site, the local press); 125 hosts for 1,000 sources puts 8 sources on each.  The servers run in a
separate process (one thread each).  In the same run, one after the other:

- **vigie**: the real command, ``vigie crawl --config W --out O --batch-size B --parallel P --json``
  on a watch file of N ``feed`` sources.  Each source keeps what a real source keeps: robots.txt
  obeyed, the SSRF guard's configuration (``allow_private_networks: true``, as the tests set it:
  the hosts are loopback addresses), conditional GET, every middleware and pipeline (normalise,
  privacy, exact and near duplicates, JSONL output, state), its own log and summary,
  AutoThrottle, and the politeness delay ``--delay`` as its ``download_delay`` option;
- **bare**: one plain ``scrapy.Spider`` in one process fetching the same N feed URLs (robots.txt
  obeyed, the same ``DOWNLOAD_DELAY``, AutoThrottle and per-domain concurrency as a source's
  defaults), parsing nothing.

Politeness is the same for both: the sources of a crawl process pass one per-host gate
(``vigie.crawlers.hostgate``), so two requests to a host are ``--delay`` apart whichever source sends
them, as the bare spider's one slot per host keeps them.  Each Vigie source still asks for its own
robots.txt (2 requests per source; the bare spider asks once per host).  ``--delay 0`` compares
the crawlers' own costs.

Bytecode: the crawl processes of both modes read compiled bytecode from a cache folder of the run
(``PYTHONPYCACHEPREFIX``, filled by a warm-up import before the first measure), as an installed
package does; a sandbox with ``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__`` would otherwise
compile every module in every process (seconds each).

Measured: sources/s (sources over the command's wall time, start-up included), total time, CPU time
of the process tree (user + system: on a machine shared with other jobs, sources per CPU second
says what 2 dedicated cores would do), peak memory (the summed RSS of the process tree: ``vigie
crawl`` and its crawl processes; the bare process), and the ratio vigie/bare.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOSTS: list[str] = []  # set by ``main`` from ``--hosts``


def loopback_hosts(count: int) -> list[str]:
    """``count`` loopback addresses: 127.0.0.2-127.0.0.9 for 8, then 127.0.1.1, 127.0.1.2…"""
    if count <= 8:
        return [f"127.0.0.{i}" for i in range(2, 2 + count)]
    return [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(count)]
ITEMS = 20
WORDS = [
    "voirie", "stationnement", "travaux", "chaussée", "trottoir", "école", "cantine", "crèche", "médiathèque",
    "piscine", "marché", "conseil", "municipal", "délibération", "budget", "subvention", "association", "quartier",
    "riverains", "circulation", "déviation", "arrêté", "collecte", "déchets", "propreté", "éclairage", "public",
    "espaces", "verts", "jardin", "parc", "habitants", "réunion", "publique", "concertation", "sécurité", "police",
    "vélo", "piste", "cyclable", "bus", "ligne", "horaires", "fermeture", "ouverture", "inscription", "mairie",
]


# -------------------------------------------------------------------- the sites
def generate(root: Path, sources: int) -> None:
    rng = random.Random(20261206)
    for host in HOSTS:
        (root / host / "feeds").mkdir(parents=True)
        (root / host / "robots.txt").write_text("User-agent: *\nDisallow: /prive/\n", encoding="utf-8")
    for i in range(sources):
        host = HOSTS[i % len(HOSTS)]
        items = []
        for j in range(ITEMS):
            text = " ".join(rng.choice(WORDS) for _ in range(90)).capitalize() + f". Avis {i}-{j}."
            items.append(f"<item><title>Actualité {i}-{j} de la commune</title>"
                         f"<link>http://{host}/articles/{i}/{j}.html</link><guid>http://{host}/articles/{i}/{j}.html</guid>"
                         f"<pubDate>Sat, {1 + j % 28:02d} Nov 2026 08:00:00 +0100</pubDate>"
                         f"<description>{text}</description></item>")
        (root / host / "feeds" / f"{i:05d}.xml").write_text(
            "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
            f"<title>Commune {i}</title><link>http://{host}/</link><language>fr</language>"
            + "".join(items) + "</channel></rss>", encoding="utf-8")


def feed_url(base: dict[str, str], i: int) -> str:
    host = HOSTS[i % len(HOSTS)]
    return f"{base[host]}/feeds/{i:05d}.xml"


def serve(root: Path) -> None:
    """Child: the 8 fixture servers (threads); prints their base URLs as JSON, serves until killed."""
    from tests.crawlers.server import FixtureServer

    servers = [FixtureServer(root / host, host=host).start() for host in HOSTS]
    print(json.dumps({host: server.base_url for host, server in zip(HOSTS, servers, strict=True)}), flush=True)
    threading.Event().wait()


# ------------------------------------------------------------------- the crawls
def tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of ``pid`` and its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {pid}, [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in tree)


def measured(command: list[str], env: dict[str, str], log: Path) -> tuple[float, int, str, float]:
    """Run ``command``; returns (seconds, peak RSS of its process tree, stdout, CPU seconds of the tree)."""
    import resource

    peak = 0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as errors:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True)
        chunks: list[str] = []
        reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)
        reader.start()
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.25)
        reader.join()
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tree's processes were all waited for
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({process.returncode}), see {log}:\n{log.read_text()[-3000:]}")
    return seconds, peak, "".join(chunks), usage.ru_utime + usage.ru_stime - before


def child_env(pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache)}


def warm_up(pycache: Path) -> None:
    """Compile the bytecode both modes load, once, into the run's cache folder."""
    subprocess.run([sys.executable, "-c", "import tests.crawlers._preload, vigie.cli, vigie.crawlers.batch, "
                    "vigie.crawlers.spiders.feed, datasketch, feedparser, scrapy.crawler"],
                   env=child_env(pycache), cwd=ROOT, check=True)


def run_vigie(work: Path, base: dict[str, str], sources: int, delay: float, batch_size: int,
              parallel: int, pycache: Path) -> dict:
    config = work / "watch.yaml"
    lines = ["watches:", "  - id: bench", "    name: Bench", "    territory: {communes: ['59328']}", "    sources:"]
    for i in range(sources):
        lines += [f"      - id: commune-{i:05d}", "        kind: feed", f"        url: '{feed_url(base, i)}'",
                  "        allow_private_networks: true", f"        options: {{download_delay: {delay}}}"]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**child_env(pycache), "VIGIE_STATE_DIR": str(work / "state"), "COLUMNS": "200"}
    command = [str(ROOT / ".venv" / "bin" / "vigie"), "crawl", "--config", str(config), "--out", str(work / "out"),
               "--batch-size", str(batch_size), "--parallel", str(parallel), "--deadline", "0", "--json"]
    seconds, peak, stdout, cpu = measured(command, env, work / "vigie.log")
    summaries = json.loads(stdout)
    ok = sum(1 for s in summaries if s.get("status") == "ok")
    return {"mode": "vigie", "sources": len(summaries), "ok": ok, "seconds": seconds, "peak_rss": peak, "cpu": cpu,
            "documents": sum(int(s.get("written") or 0) for s in summaries),
            "fetched": sum(int(s.get("fetched") or 0) for s in summaries),
            "errors": sum(int(s.get("errors") or 0) for s in summaries)}


def run_bare(work: Path, base: dict[str, str], sources: int, delay: float, pycache: Path) -> dict:
    urls = work / "urls.json"
    urls.write_text(json.dumps([feed_url(base, i) for i in range(sources)]), encoding="utf-8")
    command = [sys.executable, __file__, "--bare-child", str(urls), "--delay", str(delay), "--hosts", str(len(HOSTS))]
    seconds, peak, stdout, cpu = measured(command, child_env(pycache), work / "bare.log")
    result = json.loads(stdout.strip().splitlines()[-1])
    return {"mode": "bare", "sources": sources, "ok": result["ok"], "seconds": seconds, "peak_rss": peak, "cpu": cpu,
            "documents": 0, "fetched": result["fetched"], "errors": sources - result["ok"]}


def bare_child(urls_file: str, delay: float) -> None:
    """Child: one plain spider fetching every feed, with a source's default politeness settings."""
    import scrapy
    from scrapy.crawler import AsyncCrawlerProcess

    from vigie.crawlers.settings import defaults

    urls = json.loads(Path(urls_file).read_text(encoding="utf-8"))
    ok = []

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):
            ok.append(response.status)

    ours = defaults()
    settings = {k: ours[k] for k in ("ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
                                     "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY",
                                     "AUTOTHROTTLE_TARGET_CONCURRENCY", "DOWNLOAD_TIMEOUT", "COOKIES_ENABLED")}
    settings.update(DOWNLOAD_DELAY=delay, USER_AGENT="bench", LOG_LEVEL="INFO", TELNETCONSOLE_ENABLED=False,
                    LOGSTATS_INTERVAL=0)
    if delay == 0:
        settings["AUTOTHROTTLE_START_DELAY"] = 0.0  # as crawlers/settings.py does for a delay of 0
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"ok": sum(1 for s in ok if s == 200), "fetched": stats.get("downloader/response_count", 0)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=2, help="crawl processes at a time (vigie crawl --parallel)")
    parser.add_argument("--delay", type=float, default=1.0, help="every source's download_delay (bare: DOWNLOAD_DELAY)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--hosts", type=int, default=125, help="loopback hosts the feeds are spread over")
    parser.add_argument("--serve")
    parser.add_argument("--bare-child")
    args = parser.parse_args()
    HOSTS[:] = loopback_hosts(args.hosts)
    if args.serve:
        serve(Path(args.serve))
        return
    if args.bare_child:
        bare_child(args.bare_child, args.delay)
        return

    with tempfile.TemporaryDirectory(prefix="vigie-bench-sources-") as tmp:
        tmp_path = Path(tmp)
        generate(tmp_path / "sites", args.sources)
        size = sum(p.stat().st_size for p in (tmp_path / "sites").rglob("*.xml")) / args.sources / 1024
        print(f"{args.sources} feeds of {ITEMS} items ({size:.1f} KiB on average) on {len(HOSTS)} hosts "
              f"{HOSTS[0]}-{HOSTS[-1]}; download_delay {args.delay} s; vigie: batches of {args.batch_size}, "
              f"{args.parallel} processes at a time; {os.cpu_count()} CPU cores")
        pycache = tmp_path / "pycache"
        warm_up(pycache)
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(tmp_path / "sites"),
                                   "--hosts", str(args.hosts)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True, env=child_env(pycache))
        try:
            base = json.loads(server.stdout.readline())
            results: dict[str, list[dict]] = {"vigie": [], "bare": []}
            for round_ in range(args.rounds):
                for mode in ("vigie", "bare"):
                    work = tmp_path / f"{mode}-{round_}"
                    work.mkdir()
                    result = (run_vigie(work, base, args.sources, args.delay, args.batch_size, args.parallel, pycache)
                              if mode == "vigie" else run_bare(work, base, args.sources, args.delay, pycache))
                    results[mode].append(result)
                    print(f"round {round_ + 1} {mode:>5}: {result['ok']}/{result['sources']} sources ok in "
                          f"{result['seconds']:.1f} s = {result['sources'] / result['seconds']:.1f} sources/s, "
                          f"{result['fetched']} responses, {result['cpu']:.0f} CPU s "
                          f"({result['sources'] / result['cpu']:.1f} sources per CPU second), "
                          f"peak RSS {result['peak_rss'] / 2**20:.0f} MiB"
                          + (f", {result['documents']} Documents written" if mode == "vigie" else ""))
        finally:
            server.terminate()
            server.wait()
    best = {mode: min(rs, key=lambda r: r["seconds"]) for mode, rs in results.items()}
    rates = {mode: r["sources"] / r["seconds"] for mode, r in best.items()}
    print(f"best: vigie {rates['vigie']:.1f} sources/s ({best['vigie']['seconds']:.1f} s), bare "
          f"{rates['bare']:.1f} sources/s ({best['bare']['seconds']:.1f} s); ratio vigie/bare "
          f"{rates['vigie'] / rates['bare']:.2f} (targets: >= 20 sources/s, >= 0.5)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other jobs share the machine)")
    print(f"peak RSS: vigie {best['vigie']['peak_rss'] / 2**20:.0f} MiB (vigie crawl and its crawl processes), "
          f"bare {best['bare']['peak_rss'] / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
