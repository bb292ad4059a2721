"""A real X display for tests: Xvfb, the window found on it, and a digit drawn with XTest (xdotool).

Used by tests/display (the source install) and tests/packaging (the bundle), so both start the program
as a user would, on Qt's xcb platform, and read what the window shows from $LENET_SHOWN_LOG.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from digit_strokes import DIGITS
from PIL import Image, ImageGrab

SCREEN = "1600x1200x24"
TOOLS = ("Xvfb", "xdotool")


def hide_an_xcb_library(folder: Path) -> tuple[str, str]:
    """Put in `folder` a copy of Qt's xcb glue library that needs a libxcb-icccm version no system has.

    With `folder` first on LD_LIBRARY_PATH, Qt's real xcb plugin cannot load, exactly as on a machine
    that lacks the library. Returns the library Qt's plugin really needs then, and the one it had."""
    import PySide6

    real = (Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6XcbQpa.so.6").read_bytes()
    had, hidden = "libxcb-icccm.so.4", "libxcb-icccm.so.9"
    if had.encode() not in real:
        pytest.skip(f"this PySide6's xcb library does not link {had}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "libQt6XcbQpa.so.6").write_bytes(real.replace(had.encode(), hidden.encode()))
    return hidden, had


def skip_without_x_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the real-display test needs {' and '.join(missing)} (apt-get install xvfb xdotool)")


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """A fresh X server on a free display number; yields its DISPLAY value."""
    skip_without_x_tools()
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()  # Xvfb writes the number once it accepts clients
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def window_environment(
    display: str, shown_log: Path, base: dict[str, str] | None = None, **extra: str
) -> dict[str, str]:
    """What a user's desktop session gives the program: a display and no platform forced."""
    base = os.environ if base is None else base
    env = {key: value for key, value in base.items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, LENET_SHOWN_LOG=str(shown_log), **extra)
    return env


def run_child_on_xvfb(script: str, tmp_path: Path, *args: str) -> object:
    """Run `python -c script *args` on a fresh Xvfb as a user's session would, with its own settings
    folder; it must exit 0 and print JSON as its last line, which is returned."""
    with xvfb() as display:
        result = subprocess.run(
            [sys.executable, "-c", script, *args],
            env=window_environment(display, tmp_path / "shown.log", XDG_CONFIG_HOME=str(tmp_path / "config")),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_for_window(display: str, program: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert program.poll() is None, f"the program exited with {program.returncode}: {program.stderr.read()}"
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "LeNet Desktop"],
            env={"DISPLAY": display},
            capture_output=True,
            text=True,
        )
        if found.returncode == 0 and found.stdout.strip():
            time.sleep(1.0)  # the first paint follows the map
            return
        time.sleep(0.5)
    pytest.fail(f"no LeNet Desktop window appeared on {display} within {timeout:.0f} s")


def screen(display: str) -> Image.Image:
    return ImageGrab.grab(xdisplay=display).convert("RGB")


def find_canvas(shot: Image.Image) -> tuple[int, int, int, int]:
    """The drawing canvas: the tallest block of rows sharing the same pure-white run (left, top, width, height)."""
    white = (np.asarray(shot) == 255).all(axis=2)
    runs = []
    for row in white:
        edges = np.diff(np.concatenate([[0], row.astype(np.int8), [0]]))
        starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
        longest = int(np.argmax(ends - starts)) if len(starts) else None
        runs.append((0, 0) if longest is None else (int(starts[longest]), int(ends[longest])))
    blocks, first = [], 0
    for y in range(1, len(runs) + 1):
        if y == len(runs) or runs[y] != runs[first]:
            blocks.append((y - first, first, *runs[first]))
            first = y
    height, top, left, right = max(b for b in blocks if b[3] - b[2] >= 150)
    return left, top, right - left, height


def draw_digit(display: str, digit: int, canvas: tuple[int, int, int, int]) -> None:
    """Drag the mouse through one of tests/digit_strokes' drawings of `digit`, as real X input (XTest)."""
    left, top, width, height = canvas
    size = min(width, height)
    command = ["xdotool"]
    for stroke in DIGITS[digit][0]:
        points = [(left + round(x * size), top + round(y * size)) for x, y in stroke]
        command += ["mousemove", *map(str, points[0]), "mousedown", "1"]
        for point in points[1:]:
            command += ["sleep", "0.01", "mousemove", *map(str, point)]
        command += ["mouseup", "1"]
    subprocess.run(command, env={"DISPLAY": display}, check=True, timeout=60)


def last_shown(shown_log: Path, timeout: float = 30) -> dict:
    """The window's latest answer, once it has shown one for a drawing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = shown_log.read_text().splitlines() if shown_log.exists() else []
        if lines and json.loads(lines[-1])["digit"] is not None:
            # Answers for parts of the stroke may still be on their way (the model can finish loading
            # mid-drawing on a busy machine): the answer is the last one once a second passes without another.
            time.sleep(1.0)
            if len(shown_log.read_text().splitlines()) == len(lines):
                return json.loads(lines[-1])
            continue
        time.sleep(0.2)
    pytest.fail("the window showed no answer for the drawing")


def draw_and_read(
    command: list[str], digit: int, tmp_path: Path, base_env: dict[str, str] | None = None, **extra_env: str
) -> tuple[dict, Image.Image]:
    """Start `command` on a fresh Xvfb as a user would, draw `digit`, return what the window showed and
    a picture of the screen; the program is closed again (Ctrl+Q) and must exit cleanly."""
    shown_log = tmp_path / "shown.log"
    with xvfb() as display:
        program = subprocess.Popen(
            command,
            env=window_environment(display, shown_log, base_env, **extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        try:
            wait_for_window(display, program)
            draw_digit(display, digit, find_canvas(screen(display)))
            shown, picture = last_shown(shown_log), screen(display)
            subprocess.run(["xdotool", "key", "ctrl+q"], env={"DISPLAY": display}, check=True, timeout=30)
            assert program.wait(timeout=60) == 0, program.stderr.read()
            return shown, picture
        finally:
            if program.poll() is None:
                program.kill()
                program.wait(timeout=60)
