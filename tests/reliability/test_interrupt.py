"""Ctrl-C (SIGINT) in the terminal quits the window cleanly with exit code 130, as `train` does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

START_TIMEOUT = 120  # s: the machine may be busy; the window starts in a few seconds


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT cannot be sent to a single process on Windows")
def test_ctrl_c_in_the_terminal_quits_the_window_with_130(tmp_path):
    config = tmp_path / "config"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LENET_USER_DIR": str(tmp_path / "user"),
        "XDG_CONFIG_HOME": str(config),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "lenet_desktop"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        # QSettings writes its file from the event loop: once it exists, the window is up and running.
        deadline = time.monotonic() + START_TIMEOUT
        while not any(config.rglob("*.conf")) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert child.poll() is None, child.communicate()[1][-2000:]
        child.send_signal(signal.SIGINT)
        try:
            _, stderr = child.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("still running 30 s after SIGINT")
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 130, stderr[-2000:]
    assert "Traceback" not in stderr and "QThread: Destroyed" not in stderr
    assert "[window]\ngeometry=" in next(config.rglob("*.conf")).read_text(), (
        "closed as a window closes: its geometry saved"
    )
