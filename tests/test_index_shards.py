"""The number of primary shards of the monthly documents indices: a setting, applied by the template.

Against the real test node, each test with its own index prefix (``es_env``)."""

from __future__ import annotations

import json
import logging
import subprocess

import pytest

from tests.support import names
from vigie.config import ConfigError
from vigie.errors import SettingsError
from vigie.indexes import setup as index_setup
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file
from vigie.settings import Settings

from .conftest import VIGIE

WATCH_FILE = """\
settings:
  index_shards: {shards}
watches:
  - id: ailleurs
    name: Commune d'ailleurs
    territory: {{communes: ["59350"]}}
    own_accounts: [VilleAilleurs]
    digest: {{recipients: [com@ailleurs.example]}}
"""
NOVEMBER, DECEMBER = "2026-11-17T08:00:00+01:00", "2026-12-03T08:00:00+01:00"


def watch_file(tmp_path, shards) -> str:
    path = tmp_path / "ailleurs.yaml"
    path.write_text(WATCH_FILE.format(shards=shards), encoding="utf-8")
    return str(path)


def vigie(env, *args):
    return subprocess.run([VIGIE, *args], env=env, capture_output=True, text=True, timeout=300)


def write_docs(path, docs):
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def primaries(es, index: str) -> list[dict]:
    return [s for s in es.cat.shards(index=index, format="json") if s["prirep"] == "p"]


def index_settings(es, index: str) -> dict:
    return es.indices.get_settings(index=index)[index]["settings"]["index"]


def template(es) -> dict:
    return es.indices.get_index_template(name=names.documents_template())["index_templates"][0]["index_template"]


def test_a_monthly_index_made_with_three_shards_has_three_primaries(es, tmp_path):
    result = install(es, names=names, shards=3)
    assert result["shards"] == 3 and template(es)["template"]["settings"]["index"]["number_of_shards"] == "3"
    report = index_file(es, write_docs(tmp_path / "d.jsonl", [{"id": "1", "text": "Travaux rue de Lille",
                                                               "published_at": NOVEMBER}]), names=names)
    (index,) = report.indices
    assert index_settings(es, index)["number_of_shards"] == "3"
    assert sorted(int(s["shard"]) for s in primaries(es, index)) == [0, 1, 2]


def test_the_default_is_one_shard_and_a_run_without_the_setting_keeps_the_template(es, tmp_path):
    assert Settings.resolve(watch_file(tmp_path, "null"), env={}).index_shards is None
    install(es, names=names)                                            # nothing set, no template yet: 1
    assert template(es)["template"]["settings"]["index"]["number_of_shards"] == "1"
    report = index_file(es, write_docs(tmp_path / "d.jsonl", [{"id": "1", "text": "Marché de Noël",
                                                               "published_at": NOVEMBER}]), names=names)
    (november,) = report.indices
    assert len(primaries(es, november)) == 1
    # Configured to 2, then a command run without the setting (an alert store, a laptop): still 2.
    install(es, names=names, shards=2)
    assert install(es, ["ailleurs"], names=names)["shards"] == 2
    assert template(es)["template"]["settings"]["index"]["number_of_shards"] == "2"
    assert len(primaries(es, november)) == 1                            # an existing index keeps its own


@pytest.mark.parametrize("value", ["0", "65", "-1", "abc", "2.5", "3 shards"])
def test_invalid_values_are_refused_with_a_clear_message(value, tmp_path):
    expected = f"{value!r} is not a number of primary shards per monthly documents index: " \
               "expected an integer from 1 to 64"
    path = watch_file(tmp_path, 1)
    with pytest.raises(SettingsError) as from_env:
        Settings.resolve(path, env={"VIGIE_INDEX_SHARDS": value})
    assert str(from_env.value) == f"VIGIE_INDEX_SHARDS: {expected}"
    with pytest.raises(SettingsError) as from_flag:
        Settings.resolve(path, env={}, index_shards=value)
    assert str(from_flag.value) == f"--shards: {expected}"
    with pytest.raises(ConfigError) as from_file:
        Settings.resolve(watch_file(tmp_path, json.dumps(value)), env={})
    assert from_file.value.problems == [f"settings.index_shards (line 2): {expected}"]


@pytest.mark.parametrize("written", ["true", "3.0", "[3]"])
def test_a_watch_file_value_must_be_written_as_an_integer(written, tmp_path):
    with pytest.raises(ConfigError) as caught:
        Settings.resolve(watch_file(tmp_path, written), env={})
    assert "expected an integer from 1 to 64" in caught.value.problems[0], caught.value.problems


def test_vigie_setup_refuses_a_bad_value_before_touching_the_cluster(cli_env, es, tmp_path):
    env = {**cli_env, "VIGIE_CONFIG": watch_file(tmp_path, 1), "VIGIE_STATE_DIR": str(tmp_path / "state")}
    flag = vigie(env, "setup", "--shards", "100")
    assert flag.returncode == 2 and flag.stderr.strip() == (
        "error: --shards: '100' is not a number of primary shards per monthly documents index: "
        "expected an integer from 1 to 64"), flag.stderr
    variable = vigie({**env, "VIGIE_INDEX_SHARDS": "zero"}, "setup")
    assert variable.returncode == 2 and "VIGIE_INDEX_SHARDS: 'zero' is not a number" in variable.stderr
    assert "Traceback" not in flag.stderr + variable.stderr
    assert not es.indices.exists_index_template(name=names.documents_template())


def test_setup_again_with_the_same_value_changes_nothing(cli_env, es, tmp_path):
    env = {**cli_env, "VIGIE_CONFIG": watch_file(tmp_path, 3), "VIGIE_STATE_DIR": str(tmp_path / "state")}
    first = vigie(env, "setup")
    assert first.returncode == 0 and "3 primary shard(s) per new monthly index" in first.stdout, first.stderr
    index_file(es, write_docs(tmp_path / "d.jsonl", [{"id": "1", "text": "Fête de la musique",
                                                      "published_at": NOVEMBER}]), names=names)
    index = f"{names.prefix}-documents-2026.11"
    before = (template(es), es.indices.get(index=names.documents_pattern()), primaries(es, index))
    again = vigie(env, "setup")
    assert again.returncode == 0 and again.stdout == first.stdout, again.stderr
    assert (template(es), es.indices.get(index=names.documents_pattern()), primaries(es, index)) == before

    # A new value: the template and the months to come change, the month that exists does not.
    changed = vigie({**env, "VIGIE_INDEX_SHARDS": "2"}, "setup")
    assert changed.returncode == 0 and "2 primary shard(s)" in changed.stdout, changed.stderr
    report = index_file(es, write_docs(tmp_path / "e.jsonl", [{"id": "2", "text": "Marché de Noël",
                                                               "published_at": DECEMBER}]), names=names)
    assert report.indices == {f"{names.prefix}-documents-2026.12"}
    assert len(primaries(es, f"{names.prefix}-documents-2026.12")) == 2
    assert index_settings(es, index)["number_of_shards"] == "3"
    assert index_settings(es, index)["uuid"] == next(iter(before[1].values()))["settings"]["index"]["uuid"]


def test_documents_across_shards_are_all_searchable_and_deduplicated(es, tmp_path):
    install(es, ["ailleurs"], names=names, shards=3)
    docs = [{"id": f"doc-{i}", "text": f"Réunion publique numéro{i} à la mairie", "published_at": NOVEMBER,
             "watch_ids": ["ailleurs"]} for i in range(60)]
    first = index_file(es, write_docs(tmp_path / "d.jsonl", [*docs, docs[7]]), names=names)  # doc-7 twice
    again = index_file(es, write_docs(tmp_path / "e.jsonl", docs[:10]), names=names)          # and again
    assert first.created == 60 and again.created == 0 and not first.rejects + again.rejects
    es.indices.refresh(index=names.documents_pattern())
    (index,) = first.indices
    per_shard = [int(s["docs"]) for s in primaries(es, index)]
    assert len(per_shard) == 3 and all(per_shard) and sum(per_shard) == 60   # spread, each id once
    assert es.count(index=names.watch_alias("ailleurs"))["count"] == 60
    for i in range(60):
        hits = es.search(index=names.documents_alias(), query={"match": {"text": f"numéro{i}"}})["hits"]
        assert hits["total"]["value"] == 1 and hits["hits"][0]["_source"]["text"] == docs[i]["text"]
    ids = es.search(index=names.documents_alias(), size=100, query={"match_all": {}})["hits"]["hits"]
    assert len({h["_id"] for h in ids}) == 60


def test_setup_warns_when_a_month_would_overfill_its_shards(es, tmp_path, monkeypatch, caplog):
    install(es, names=names, shards=2)
    index_file(es, write_docs(tmp_path / "d.jsonl", [{"id": "1", "text": "Inondation rue du Moulin",
                                                      "published_at": NOVEMBER}]), names=names)
    es.indices.flush(index=names.documents_pattern())
    with caplog.at_level(logging.INFO, logger="vigie.indexes.setup"):
        assert install(es, names=names)["warning"] is None                 # kilobytes: far below 50 GB
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    size = es.indices.stats(index=names.documents_pattern(), metric="store")["_all"]["primaries"]["store"][
        "size_in_bytes"]
    monkeypatch.setattr(index_setup, "SHARD_SIZE_LIMIT", size // 3 + 1)   # as if the month were ~150 GB
    with caplog.at_level(logging.INFO, logger="vigie.indexes.setup"):
        result = install(es, names=names)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [result["warning"]] and "raise index_shards (VIGIE_INDEX_SHARDS) to at least 3" in warnings[0]
    assert result["shards"] == 2                                        # a warning, not a change


def test_the_index_and_housekeeping_tasks_install_the_configured_count(es, tmp_path):
    """The Airflow tasks install the template with the run's settings (VIGIE_INDEX_SHARDS here)."""
    from vigie.stages.index import index
    from vigie.stages.maintenance import housekeeping

    path = watch_file(tmp_path, "null")
    env = {"VIGIE_INDEX_PREFIX": names.prefix, "VIGIE_STATE_DIR": str(tmp_path / "state")}
    index(Settings.resolve(path, env={**env, "VIGIE_INDEX_SHARDS": "4"}), "ailleurs", tmp_path / "none.jsonl",
          client=es)
    assert template(es)["template"]["settings"]["index"]["number_of_shards"] == "4"
    housekeeping(Settings.resolve(path, env={**env, "VIGIE_INDEX_SHARDS": "2"}), client=es)
    assert template(es)["template"]["settings"]["index"]["number_of_shards"] == "2"
