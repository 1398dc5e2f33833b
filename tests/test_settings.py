"""One settings object: flag, then environment, then watch file; VIGIE_CONFIG reaches every command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from vigie.settings import DEMO_CONFIG, Settings

from .conftest import VIGIE

ELSEWHERE = """\
settings:
  index_prefix: from-the-file
watches:
  - id: elsewhere
    name: Commune d'ailleurs
    territory: {communes: ["59350"]}
    own_accounts: [VilleAilleurs]
    digest: {recipients: [com@ailleurs.example]}
"""


def write_watch_file(folder: Path) -> Path:
    path = folder / "ailleurs.yaml"
    path.write_text(ELSEWHERE, encoding="utf-8")
    return path


def test_resolution_order_flag_then_environment_then_file_then_default(tmp_path):
    path = write_watch_file(tmp_path)
    env = {"VIGIE_STATE_DIR": str(tmp_path / "state")}
    assert Settings.resolve(env=env).config_path == DEMO_CONFIG                      # the one default
    from_env = Settings.resolve(env={**env, "VIGIE_CONFIG": str(path)})
    assert from_env.config_path == path and from_env.index_prefix == "from-the-file"  # the file's settings
    assert from_env.names.watch_alias("elsewhere") == "from-the-file-watch-elsewhere"
    env_prefix = Settings.resolve(env={**env, "VIGIE_CONFIG": str(path), "VIGIE_INDEX_PREFIX": "Env"})
    assert env_prefix.index_prefix == "env"                                           # environment over file
    flag = Settings.resolve(DEMO_CONFIG, index_prefix="flag", env={**env, "VIGIE_CONFIG": str(path)})
    assert flag.config_path == DEMO_CONFIG and flag.index_prefix == "flag"            # flags over environment
    assert flag.state_dir == tmp_path / "state" and flag.data_dir == tmp_path / "state" / "data"
    child = flag.child_env()
    assert child["VIGIE_CONFIG"] == str(DEMO_CONFIG) and child["VIGIE_INDEX_PREFIX"] == "flag"


def test_a_relative_watch_file_is_resolved_once_at_the_edge(tmp_path, monkeypatch):
    write_watch_file(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings = Settings.resolve("ailleurs.yaml", env={})
    assert settings.config_path == tmp_path / "ailleurs.yaml" and settings.config_path.is_absolute()


def run(env, *args, cwd=None):
    return subprocess.run([VIGIE, *args], env=env, capture_output=True, text=True, timeout=300, cwd=cwd)


# Every command that reads a watch file, with `--watch elsewhere` (a watch only the VIGIE_CONFIG file has).
COMMANDS = [
    ("setup",),
    ("kibana", "export", "--watch", "elsewhere", "--out", "{tmp}/objects.ndjson"),
    ("alerts", "run", "--watch", "elsewhere", "--no-deliver"),
    ("alerts", "list", "--watch", "elsewhere"),
    ("influencers", "--watch", "elsewhere", "--no-store"),
    ("engagement", "--watch", "elsewhere"),
    ("privacy", "report", "--watch", "elsewhere"),
    ("privacy", "enforce", "--watch", "elsewhere"),
    ("forget", "--platform", "mastodon", "--author", "quelquun", "--watch", "elsewhere", "--later"),
    ("digest", "--watch", "elsewhere", "--date", "2026-11-17", "--out", "{tmp}/digest.html"),
    ("crawl", "--watch", "elsewhere", "--out", "{tmp}/raw"),
]


@pytest.fixture
def elsewhere_env(cli_env, es, tmp_path):
    return {**cli_env, "VIGIE_CONFIG": str(write_watch_file(tmp_path)), "VIGIE_STATE_DIR": str(tmp_path / "state")}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_vigie_config_is_the_watch_file_of_every_command(command, elsewhere_env, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    done = run(elsewhere_env, *args, cwd=tmp_path)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    assert "no watch" not in done.stderr
    # Without VIGIE_CONFIG the same command reads the demo territory's file, which has no such watch.
    if "--watch" in args:
        demo_env = {k: v for k, v in elsewhere_env.items() if k != "VIGIE_CONFIG"}
        refused = run(demo_env, *args, cwd=tmp_path)
        assert refused.returncode == 2 and "elsewhere" in refused.stderr, refused.stderr


def test_setup_installs_the_watch_aliases_of_the_vigie_config_file(elsewhere_env, es, tmp_path):
    done = run(elsewhere_env, "setup")
    assert done.returncode == 0, done.stderr
    prefix = elsewhere_env["VIGIE_INDEX_PREFIX"]
    assert f"{prefix}-watch-elsewhere" in done.stdout and f"{prefix}-watch-lambersart" not in done.stdout


def test_alerts_replay_reads_the_vigie_config_file(elsewhere_env, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"doc_id": "d1", "text": "Rien à signaler", "watch_ids": ["elsewhere"],
                                "published_at": "2026-11-17T08:00:00+01:00"}) + "\n", encoding="utf-8")
    done = run(elsewhere_env, "alerts", "replay", str(docs))
    assert "of watch elsewhere" in done.stderr, done.stderr


def test_search_takes_its_index_prefix_from_the_vigie_config_file(elsewhere_env, es, tmp_path):
    prefix = elsewhere_env["VIGIE_INDEX_PREFIX"]
    path = Path(elsewhere_env["VIGIE_CONFIG"])
    path.write_text(ELSEWHERE.replace("index_prefix: from-the-file", f"index_prefix: {prefix}"), encoding="utf-8")
    env = {k: v for k, v in elsewhere_env.items() if k != "VIGIE_INDEX_PREFIX"}   # the prefix: only in the file
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "1", "text": "Inondation rue du Moulin", "published_at": "2026-11-17T08:00:00Z"})
                    + "\n", encoding="utf-8")
    assert run(env, "index", str(docs), "--watch", "elsewhere").returncode == 0
    found = run(env, "search", "inondation", "--watch", "elsewhere", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["text"] == "Inondation rue du Moulin", found.stderr
    demo_env = {k: v for k, v in env.items() if k != "VIGIE_CONFIG"}
    assert run(demo_env, "search", "inondation", "--watch", "elsewhere").returncode == 1   # prefix vigie: no index


def test_a_bad_settings_section_is_a_watch_file_error_with_its_line(tmp_path):
    from vigie.config import ConfigError

    path = write_watch_file(tmp_path)
    path.write_text(ELSEWHERE.replace("index_prefix: from-the-file", "index_prefix: 'Not A Prefix!'"),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Settings.resolve(path, env={})
    assert any(p.startswith("settings.index_prefix (line 2)") for p in caught.value.problems), caught.value.problems


def test_resolving_the_settings_does_not_load_the_crawlers(tmp_path):
    """Every command resolves its settings: that must not cost the crawlers' (Scrapy's) start-up."""
    import sys

    code = ("import sys, vigie.crawlers.cli; from vigie.settings import Settings; Settings.resolve(); "
            "print('scrapy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr


@pytest.mark.parametrize(("name", "value", "message"), [
    ("VIGIE_CRAWL_BATCH_SIZE", "abc", "VIGIE_CRAWL_BATCH_SIZE: 'abc' is not an integer of at least 1"),
    ("VIGIE_CRAWL_BATCH_SIZE", "0", "VIGIE_CRAWL_BATCH_SIZE: '0' is not an integer of at least 1"),
    ("VIGIE_SEARCH_TIMEOUT", "soon", "VIGIE_SEARCH_TIMEOUT: 'soon' is not a number of at least 0.1"),
    ("VIGIE_SEARCH_TIMEOUT", "nan", "VIGIE_SEARCH_TIMEOUT: 'nan' is not a number of at least 0.1"),
    ("VIGIE_NLP_PROFILE", "turbo", "VIGIE_NLP_PROFILE: unknown NLP profile 'turbo'"),
])
def test_a_bad_environment_value_is_a_clear_error_with_exit_code_2(tmp_path, name, value, message):
    from vigie.errors import SettingsError

    with pytest.raises(SettingsError, match=message.split(":")[0]):
        Settings.resolve(DEMO_CONFIG, env={name: value, "VIGIE_STATE_DIR": str(tmp_path)})
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VIGIE_STATE_DIR": str(tmp_path), name: value,
           "ELASTICSEARCH_URL": "http://127.0.0.1:9"}
    done = subprocess.run([VIGIE, "search", "école"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_good_environment_numbers_are_read(tmp_path):
    env = {"VIGIE_STATE_DIR": str(tmp_path), "VIGIE_CRAWL_BATCH_SIZE": " 7 ", "VIGIE_SEARCH_TIMEOUT": "2.5"}
    settings = Settings.resolve(DEMO_CONFIG, env=env)
    assert settings.crawl_batch_size == 7 and settings.search_timeout == 2.5
    assert Settings.resolve(DEMO_CONFIG, env={"VIGIE_STATE_DIR": str(tmp_path)}).search_timeout == 30.0
