"""A test run that pastes exits cleanly: a crash at interpreter exit (exit 139) would hide the failures
of the run it ends, so the paste tests are run on their own, as a file is run alone, and must exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    "selection",
    [
        ("reliability/test_window_faults.py", "pasted"),
        ("gui/test_main_window.py", "paste or drop"),
    ],
)
def test_a_run_of_the_paste_tests_alone_exits_with_its_result(selection, tmp_path):
    path, keyword = selection
    run = subprocess.run(
        [sys.executable, "-m", "pytest", str(TESTS / path), "-k", keyword, "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=TESTS.parent,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=600,
    )
    assert " passed" in run.stdout, run.stdout + run.stderr
    assert run.returncode == 0, f"exit {run.returncode} after: {run.stdout.splitlines()[-1]}"
