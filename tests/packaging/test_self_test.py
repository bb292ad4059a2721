"""`lenet-desktop --self-test` from the source install; the bundle runs the same check in test_bundle.py."""

import json
import os
import subprocess
import sys

from lenet_desktop import __version__
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.paths import resources_dir


def run_self_test(*args):
    return subprocess.run(
        [sys.executable, "-m", "lenet_desktop", "--self-test", *map(str, args)],
        capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": ""}, timeout=300,
    )


def test_self_test_passes_with_one_json_line_even_without_a_platform_set(_isolated_user_dir):
    result = run_self_test()
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    report = json.loads(lines[0])
    assert result.returncode == 0, report
    assert report["self_test"] == "passed" and report["frozen"] is False
    assert report["version"] == __version__
    assert report["device"] == str(resolve_device("auto"))
    assert report["resources"] == str(resources_dir())
    assert report["digit"] == report["window_digit"] == report["expected"]
    assert list(_isolated_user_dir.iterdir()) == [], "the user's corrections and models are left alone"


def test_self_test_fails_with_one_json_line_on_a_missing_weights_file(tmp_path):
    result = run_self_test("--weights", tmp_path / "missing.pt")
    assert result.returncode == 1
    report = json.loads(result.stdout.strip())
    assert report["self_test"] == "failed"
    assert "missing.pt" in report["error"]
    assert "Traceback" not in result.stderr
