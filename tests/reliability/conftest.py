"""The GUI tests' fixtures (make_main_window, isolated QSettings), shared rather than copied:
tests/gui/conftest.py is loaded under another name and its fixtures re-exported here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

GUI_TESTS = Path(__file__).parent.parent / "gui"
sys.path.insert(0, str(GUI_TESTS))  # window_helpers

_spec = importlib.util.spec_from_file_location("gui_test_fixtures", GUI_TESTS / "conftest.py")
_gui = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gui)

make_main_window = _gui.make_main_window
settings_path = _gui.settings_path
_isolated_qsettings = _gui._isolated_qsettings
