"""Typed source options: every kind declares its options (``crawlers/spiders/<kind>.py``, ``Options``),
one registry lists the kinds, and ``vigie config check`` reports an unknown or ill-typed option with
its key path and line."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import vigie.crawlers  # noqa: F401  installs the registry of source kinds that load_config checks against
from tests.conftest import ROOT, VIGIE
from vigie.config import ConfigError, load_config
from vigie.crawlers import kinds
from vigie.crawlers.options import SourceOptions

# The smallest valid source of each kind (flow YAML, on one line).
MINIMAL = {
    "bluesky": "{options: {actors: [lambersart.fr]}}",
    "decidim": '{url: "https://participer.example"}',
    "discourse": '{url: "https://forum.example"}',
    "facebook_page": "{options: {page_id: 104857600123456}}",
    "feed": '{url: "https://journal.example/rss"}',
    "forum": '{url: "https://voisins.example/", options: {thread_list: "a.thread", post: "article", text: ".body"}}',
    "import": "{options: {path: exports/meta.csv}}",
    "mastodon": '{url: "https://mastodon.example", options: {timeline: local}}',
    "phpbb": '{url: "https://forum.example/index.php"}',
    "reddit": "{options: {subreddits: [lille]}}",
    "spip": '{url: "https://quartiers.example/"}',
    "telegram": '{url: "https://t.me/s/mairie"}',
    "web": '{url: "https://www.ville.example/"}',
    "youtube": "{options: {channel_id: UC7kq2LambersartVille0xA}}",
}
# One ill-typed option per kind: (option, value in YAML, words of the error).
ILL_TYPED = {
    "bluesky": ("limit", "cinquante", "valid integer"),
    "decidim": ("graphql_url", "participer.example/api", "is not an http(s) URL"),
    "discourse": ("max_topics", "0", "greater than or equal to 1"),
    "facebook_page": ("lookback_days", "deux semaines", "valid number"),
    "feed": ("follow", "peut-être", "valid boolean"),
    "forum": ("max_threads", "beaucoup", "valid integer"),
    "import": ("format", "xlsx", "'csv', 'jsonl'"),
    "mastodon": ("limit", "100", "less than or equal to 40"),
    "phpbb": ("max_topics", "[1, 2]", "valid integer"),
    "reddit": ("limit", "1000", "less than or equal to 100"),
    "spip": ("article_pattern", '"article(["', "is not a regular expression"),
    "telegram": ("max_pages", "-1", "greater than or equal to 1"),
    "web": ("min_text_chars", "court", "valid integer"),
    "youtube": ("max_videos", "dix", "valid integer"),
}
HEADER = """\
watches:
  - id: x
    name: X
    territory: {communes: ["59328"]}
    sources:
"""
FIRST_SOURCE_LINE = 6


def own_options(kind: str) -> list[str]:
    return [f for f in kinds.get(kind).options.model_fields if f not in SourceOptions.model_fields]


def misspelled(kind: str) -> tuple[str, str]:
    name = own_options(kind)[0]
    return name, name[:-1] + ("x" if name[-1] != "x" else "y")


def source_line(kind: str, **options: str) -> str:
    """``- {id: …, kind: …, …}`` with ``options`` (YAML values) added to the minimal source."""
    body = MINIMAL[kind][1:-1]
    extra = ", ".join(f"{k}: {v}" for k, v in options.items())
    if "options: {" in body:
        body = body.replace("options: {", "options: {" + extra + ", ", 1) if extra else body
    elif extra:
        body = (body + ", " if body else "") + f"options: {{{extra}}}"
    return f"      - {{id: {kind.replace('_', '-')}, kind: {kind}{', ' if body else ''}{body}}}\n"


def write(tmp_path, lines: list[str]):
    path = tmp_path / "watch.yaml"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def problems(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def test_every_kind_is_declared_once():
    assert set(kinds.names()) == set(MINIMAL) == set(ILL_TYPED)  # a new kind adds its cases here
    for name in kinds.names():
        kind = kinds.get(name)
        assert issubclass(kind.options, SourceOptions) and kind.options is not SourceOptions, name
        assert kind.label_fr and own_options(name), name
    needs_url = {n for n in kinds.names() if kinds.get(n).needs_url}
    assert needs_url == {"feed", "web", "discourse", "phpbb", "spip", "forum", "mastodon", "decidim"}


def test_common_options_are_the_settings_options():
    from vigie.crawlers.settings import SETTINGS_OPTIONS

    assert set(SourceOptions.model_fields) == SETTINGS_OPTIONS | {"platform"}


def test_minimal_sources_are_valid(tmp_path):
    watch = load_config(write(tmp_path, [source_line(k) for k in kinds.names()])).watches[0]
    assert [s.kind for s in watch.sources] == list(kinds.names())


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_misspelled_option_is_reported(tmp_path, kind):
    right, wrong = misspelled(kind)
    found = problems(write(tmp_path, [source_line(kind, **{wrong: "3"})]))
    assert len(found) == 1, found
    assert found[0].startswith(f"watches[0].sources[0].options.{wrong} (line {FIRST_SOURCE_LINE}): "
                               f"unknown option for kind {kind!r}; did you mean {right!r}?"), found


@pytest.mark.parametrize("kind", sorted(ILL_TYPED))
def test_ill_typed_option_is_reported(tmp_path, kind):
    option, value, words = ILL_TYPED[kind]
    found = problems(write(tmp_path, [source_line(kind, **{option: value})]))
    assert len(found) == 1, found
    assert found[0].startswith(f"watches[0].sources[0].options.{option}"), found
    assert f"(line {FIRST_SOURCE_LINE})" in found[0] and words in found[0], found


def test_missing_required_option_names_its_line(tmp_path):
    path = write(tmp_path, ['      - id: voisins\n        kind: forum\n        url: "https://voisins.example/"\n',
                            "        options:\n          thread_list: a.thread\n          text: .body\n"])
    assert problems(path) == ["watches[0].sources[0].options.post (line 10): required option of kind 'forum' "
                              "is missing"]


def _check(path):
    return subprocess.run([VIGIE, "config", "check", str(path)], capture_output=True, text=True, timeout=120)


def test_config_check_reports_a_misspelled_option_of_every_kind(tmp_path):
    names = kinds.names()
    path = write(tmp_path, [source_line(k, **{misspelled(k)[1]: "3"}) for k in names])
    result = _check(path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{path} is not a valid watch file" in result.stderr
    for j, kind in enumerate(names):
        right, wrong = misspelled(kind)
        assert (f"  - watches[0].sources[{j}].options.{wrong} (line {FIRST_SOURCE_LINE + j}): unknown option for "
                f"kind {kind!r}; did you mean {right!r}?") in result.stderr, (kind, result.stderr)


def test_config_check_reports_an_ill_typed_option_of_every_kind(tmp_path):
    names = kinds.names()
    path = write(tmp_path, [source_line(k, **{ILL_TYPED[k][0]: ILL_TYPED[k][1]}) for k in names])
    result = _check(path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    for j, kind in enumerate(names):
        option, _value, words = ILL_TYPED[kind]
        where = f"  - watches[0].sources[{j}].options.{option} (line {FIRST_SOURCE_LINE + j}): "
        assert any(line.startswith(where) and words in line for line in lines), (kind, result.stderr)


def test_shipped_watch_files_pass_config_check():
    for name in ("demo.yaml", "watch.example.yaml"):
        result = _check(ROOT / "config" / name)
        assert result.returncode == 0 and result.stdout.rstrip().endswith("OK"), result.stderr


def test_core_config_does_not_import_the_crawlers(tmp_path):
    """The core checks sources against a registry it does not import: alone, it checks their shape."""
    path = write(tmp_path, [source_line("feed", follw="true")])
    code = textwrap.dedent(f"""
        import json, sys
        from vigie.config import load_config
        watch = load_config({str(path)!r}).watches[0]
        print(json.dumps([watch.sources[0].options, sorted(m for m in sys.modules if m.startswith("vigie.crawlers"))]))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(result.stdout) == [{"follw": True}, []]


def test_spiders_read_typed_options_with_defaults_from_the_models():
    from vigie.config import Source
    from vigie.crawlers.spiders import spider_for

    spider = spider_for("web")(Source(id="site", kind="web", url="https://www.ville.example/",
                                      options={"allow": "/actualites/", "min_text_chars": "120"}), "x")
    assert spider.options.allow == ["/actualites/"] and spider.options.min_text_chars == 120
    assert spider.options.follow_links is True and spider.options.sitemaps == []


def test_digest_labels_come_from_the_kinds():
    from vigie.digest import french

    assert [french.source_kind_label(k) for k in ("facebook_page", "feed", "discourse", None, "fax")] == [
        "Pages Facebook", "Presse et fils RSS", "Forums", "Autres", "Fax"]
    assert all(french.source_kind_label(k) == kinds.get(k).label_fr for k in kinds.names())


def test_a_source_with_nothing_to_read_is_reported(tmp_path):
    path = write(tmp_path, ["      - {id: videos, kind: youtube, options: {max_videos: 5}}\n",
                            "      - {id: ciel, kind: bluesky}\n"])
    assert problems(path) == [
        "watches[0].sources[0].options (line 6): a youtube source needs options.channel_id (or options.channels)",
        "watches[0].sources[1].options (line 7): a bluesky source needs options.actors or options.search"]


def test_a_literal_option_lists_its_values(tmp_path):
    path = write(tmp_path, ['      - {id: m, kind: mastodon, url: "https://mastodon.example", '
                            "options: {timeline: federated}}\n"])
    assert problems(path) == ["watches[0].sources[0].options.timeline (line 6): Input should be 'local' or 'public' "
                              "(got 'federated')"]


def test_settings_options_are_strict(tmp_path):
    """crawlers/settings.py casts the raw values: 'no' would be true there, so it is refused here."""
    path = write(tmp_path, [source_line("feed", obey_robots='"no"', download_delay='"1.5"', max_pages="2.5")])
    found = problems(path)
    assert [p.split(":")[0] for p in found] == [f"watches[0].sources[0].options.{o} (line 6)"
                                                for o in ("obey_robots", "download_delay", "max_pages")], found
    assert load_config(write(tmp_path, [source_line("feed", obey_robots="false", download_delay="1",
                                                    max_pages="20")])).watches[0].sources[0].options == {
        "obey_robots": False, "download_delay": 1, "max_pages": 20}
