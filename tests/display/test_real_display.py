"""The installed program on a real X server (Xvfb), on Qt's xcb platform, driven by real X input.

Offscreen tests cannot see a missing xcb library or a plugin that does not load; this one starts
`lenet-desktop` as a user's desktop would (a DISPLAY, no platform forced), drags the mouse through a 7
with XTest, and reads what the window shows. The bundle gets the same test in tests/packaging.
"""

import sys
from pathlib import Path

import pytest
from real_display import draw_and_read

pytestmark = pytest.mark.display


def test_a_seven_drawn_with_the_mouse_on_a_real_display_is_read_as_seven(tmp_path):
    program = Path(sys.executable).parent / "lenet-desktop"
    shown, picture = draw_and_read([str(program)], 7, tmp_path, XDG_CONFIG_HOME=str(tmp_path / "config"))
    picture.save(tmp_path / "screen.png")  # kept by pytest for a look when it fails
    assert shown["digit"] == 7, shown
    assert shown["confidence"] > 0.9, shown
