"""Before Qt can abort with a core dump, the window says in one line why it cannot start.

These run the real program in a child process; no display server is needed, as the check comes first.
"""

import os
import shutil
import signal
import subprocess
import sys

import pytest
from real_display import hide_an_xcb_library

from lenet_desktop.gui.startup.platform_check import (
    missing_in_ldd_output,
    missing_libraries_message,
    platform_candidates,
    platform_problem,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb platform is Linux's")


def start_window(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lenet_desktop"], env=env, capture_output=True, text=True, timeout=300)


def without_display(**extra: str) -> dict[str, str]:
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def assert_one_line_refusal(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])  # not 134/-6: no abort, no core
    assert result.returncode not in (-signal.SIGABRT, 128 + signal.SIGABRT)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lenet-desktop: error: "), result.stderr
    assert result.stdout == ""
    return lines[0]


def test_no_display_says_so_and_names_what_works_without_one():
    line = assert_one_line_refusal(start_window(without_display()))
    assert "no display" in line
    assert "--self-test" in line and "predict" in line


@pytest.mark.skipif(shutil.which("ldd") is None, reason="the check asks ldd; this machine has none")
def test_a_library_the_xcb_plugin_needs_but_the_loader_cannot_find_is_named_instead_of_a_core_dump(tmp_path):
    hidden, had = hide_an_xcb_library(tmp_path / "stub")
    env = without_display(DISPLAY=":0", QT_QPA_PLATFORM="xcb", LD_LIBRARY_PATH=str(tmp_path / "stub"))

    line = assert_one_line_refusal(start_window(env))
    assert f"xcb platform plugin needs {hidden}" in line
    assert had not in line  # the plugin's real dependency, not Qt's guess
    assert "xcb-cursor" not in line


def test_the_missing_libraries_come_with_the_install_command_of_the_system():
    missing = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    debian = missing_libraries_message("xcb", missing, {"ID": "ubuntu", "ID_LIKE": "debian"})
    assert debian.endswith("install them with: sudo apt-get install libxcb-icccm4 libxcb-keysyms1")
    fedora = missing_libraries_message("xcb", missing, {"ID": "fedora"})
    assert fedora.endswith("install them with: sudo dnf install xcb-util-keysyms xcb-util-wm")
    unknown_system = missing_libraries_message("xcb", ["libxcb-cursor.so.0"], {})
    assert "sudo apt-get install libxcb-cursor0 or sudo dnf install xcb-util-cursor" in unknown_system
    odd = missing_libraries_message("xcb", ["libodd.so.3"], {"ID": "debian"})
    assert odd.endswith("install the package that provides libodd.so.3")


def test_ldd_output_gives_each_missing_library_once():
    listing = (
        "\tlibQt6XcbQpa.so.6 => /opt/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n"
    )
    assert missing_in_ldd_output(listing) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_the_platform_qt_will_try_follows_the_environment():
    assert platform_candidates({}) == ["xcb"]
    assert platform_candidates({"QT_QPA_PLATFORM": "offscreen:size=800x600"}) == ["offscreen"]
    assert platform_candidates({"QT_QPA_PLATFORM": "wayland;xcb"}) == ["wayland", "xcb"]
    assert platform_candidates({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}) == ["wayland", "xcb"]
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}) is None  # needs no display
