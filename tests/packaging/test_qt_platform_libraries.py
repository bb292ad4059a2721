"""The build-time check of what the bundle carries for Qt's xcb plugin (packaging/qt_platform_libraries.py).

Run against this environment's PySide6, without building the bundle: the check that stops
`make package` must pass for today's plugin and stop the build for a dependency on neither list.
"""

import shutil
import sys
from pathlib import Path

import PySide6
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
from qt_platform_libraries import BUNDLED_LIBRARIES, QT_LIB_DEST, SYSTEM_LIBRARIES, plan  # noqa: E402
from real_display import hide_an_xcb_library  # noqa: E402

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("ldd") is None, reason="the check asks Linux's ldd"
)

QT = Path(PySide6.__file__).parent / "Qt"
PLUGIN = QT / "plugins" / "platforms" / "libqxcb.so"


def test_every_library_the_xcb_plugin_needs_is_bundled_or_on_every_desktop():
    to_bundle, problems = plan(PLUGIN, QT / "lib")
    assert [p for p in problems if "neither bundled" in p] == []
    assert {Path(source).name for source, _ in to_bundle} <= BUNDLED_LIBRARIES
    assert {dest for _, dest in to_bundle} == {QT_LIB_DEST}  # beside libQt6XcbQpa, on its RUNPATH
    assert not BUNDLED_LIBRARIES & SYSTEM_LIBRARIES


def test_the_xcb_libraries_this_machine_has_are_the_ones_bundled():
    to_bundle, problems = plan(PLUGIN, QT / "lib")
    lacking = [p for p in problems if "lacks" in p]
    bundled = {Path(source).name for source, _ in to_bundle}
    assert "libxcb-icccm.so.4" in bundled or any("libxcb-icccm.so.4" in p for p in lacking)
    assert "libxcb.so.1" not in bundled  # every desktop has it, matched to its X server


def test_a_dependency_on_neither_list_stops_the_build(tmp_path, monkeypatch):
    hidden, _ = hide_an_xcb_library(tmp_path / "stub")
    monkeypatch.setenv("LD_LIBRARY_PATH", str(tmp_path / "stub"))
    _, problems = plan(PLUGIN, QT / "lib")
    assert any(hidden in p and "neither bundled nor a library every desktop has" in p for p in problems), problems
