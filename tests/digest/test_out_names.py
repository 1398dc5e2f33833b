"""``vigie digest --out`` through the real executable: a name that is not .html is refused before anything is
written, since the .txt, .png and .json siblings take the same name with their own suffix."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import VIGIE


@pytest.mark.parametrize("name", ["digest.txt", "digest.json", "digest.png", "digest"])
def test_out_that_is_not_html_is_refused(cli_env, tmp_path, name):
    out = tmp_path / name
    done = subprocess.run([VIGIE, "digest", "--watch", "lambersart", "--date", "2026-11-17", "--out", str(out)],
                          env=cli_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--out" in done.stderr and "must end in .html" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []                              # nothing written, nothing overwritten
