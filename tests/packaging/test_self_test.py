"""`lenet-desktop --self-test` from the source install; the bundle runs the same checks in test_bundle.py.

Each part the self-test checks is broken in turn, in a child process, by breaking what it stands on (a
dependency made unimportable or made to do nothing, a library hidden from the loader), and the
self-test must fail and name that part.
"""

import json
import os
import subprocess
import sys

import pytest
from real_display import hide_an_xcb_library

from lenet_desktop import __version__
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.paths import resources_dir

PARTS = [
    "preprocessing",
    "engine",
    "mnist files",
    "training step",
    "corrections store",
    "qt platform",
    "translations",
    "window",
]


def run_self_test(*args, env=None, before=""):
    """The self-test in a child process; `before` is Python run first, to break a dependency."""
    command = [sys.executable, "-m", "lenet_desktop", "--self-test", *map(str, args)]
    if before:
        command = [
            sys.executable,
            "-c",
            f"{before}\nfrom lenet_desktop.cli import main\nraise SystemExit(main({['--self-test', *map(str, args)]!r}))",
        ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "", **(env or {})},
        timeout=300,
    )


def failed_report(result) -> dict:
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    report = json.loads(lines[0])
    assert result.returncode == 1 and report["self_test"] == "failed", report
    assert "Traceback" not in result.stderr
    assert report["error"].startswith(f"{report['failed_part']}: ")
    assert report["passed"] == PARTS[: PARTS.index(report["failed_part"])], report  # every part before it ran
    return report


def test_self_test_passes_with_one_json_line_even_without_a_platform_set(_isolated_user_dir):
    result = run_self_test()
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    report = json.loads(lines[0])
    assert result.returncode == 0, report
    assert report["self_test"] == "passed" and report["frozen"] is False
    assert report["passed"] == PARTS
    assert report["version"] == __version__
    assert report["device"] == str(resolve_device("auto"))
    assert report["resources"] == str(resources_dir())
    assert report["digit"] == report["window_digit"] == report["expected"]
    assert report["translations"] == ["en", "vi"]
    assert list(_isolated_user_dir.iterdir()) == [], "the user's corrections and models are left alone"


def test_a_missing_weights_file_fails_the_engine(tmp_path):
    report = failed_report(run_self_test("--weights", tmp_path / "missing.pt"))
    assert report["failed_part"] == "engine"
    assert "missing.pt" in report["error"]


@pytest.mark.slow
def test_torchvision_made_unimportable_fails_the_mnist_files(tmp_path):
    stub = tmp_path / "stub" / "torchvision"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('torchvision is broken here')\n")
    report = failed_report(run_self_test(env={"PYTHONPATH": str(tmp_path / "stub")}))
    assert report["failed_part"] == "mnist files"
    assert "torchvision is broken here" in report["error"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("part", "breakage", "said"),
    [
        # numpy's clipping of the resized digit returns a grey square: the sample's digit becomes a faint blot
        (
            "preprocessing",
            "import numpy\nnumpy.clip = lambda a, *_, **__: numpy.full_like(a, 0.3)",
            "px tall or wide",
        ),
        # torch's SGD takes its step without changing anything
        ("training step", "import torch\ntorch.optim.SGD.step = lambda self, closure=None: None", "unchanged"),
        # SQLite cannot open any database
        (
            "corrections store",
            "import sqlite3\n"
            "def refuse(*_, **__): raise sqlite3.OperationalError('unable to open database file')\n"
            "sqlite3.connect = refuse",
            "unable to open database file",
        ),
        # Qt reads no translation file
        (
            "translations",
            "from PySide6 import QtCore\nQtCore.QTranslator.load = lambda self, *args: False",
            "does not load",
        ),
        # Qt reads them but finds nothing in them
        (
            "translations",
            "from PySide6 import QtCore\nQtCore.QTranslator.translate = lambda self, *args: ''",
            "does not translate the window",
        ),
    ],
)
def test_a_broken_dependency_fails_its_part(part, breakage, said):
    report = failed_report(run_self_test(before=breakage))
    assert report["failed_part"] == part
    assert said in report["error"]


@pytest.mark.slow
def test_a_library_hidden_from_the_xcb_plugin_fails_the_qt_platform(tmp_path):
    hidden, _ = hide_an_xcb_library(tmp_path / "stub")
    report = failed_report(run_self_test(env={"QT_QPA_PLATFORM": "xcb", "LD_LIBRARY_PATH": str(tmp_path / "stub")}))
    assert report["failed_part"] == "qt platform"
    assert f"needs {hidden}" in report["error"]


@pytest.mark.slow
def test_a_platform_qt_has_no_plugin_for_fails_the_qt_platform():
    report = failed_report(run_self_test(env={"QT_QPA_PLATFORM": "nosuchplatform"}))
    assert report["failed_part"] == "qt platform"
    assert "no platform plugin for nosuchplatform" in report["error"]
