"""Fixtures for tests that open windows: a main window factory that closes what it made and settings
kept out of the developer's real configuration. A module, not a conftest, so that the GUI and the
reliability tests both import it (as napari shares its fixtures from utils/_testsupport.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from window_helpers import wait_for_prediction

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import shipped_weights_path


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path, qapp):
    """Any QSettings() made during a test writes an INI file under tmp_path, never the real one."""
    QCoreApplication.setOrganizationName("lenet-desktop-tests")
    QCoreApplication.setApplicationName("LeNet Desktop tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture(autouse=True)
def _clipboard_emptied(qapp):
    """Empty the clipboard after each test. A test that pastes hands the clipboard a QMimeData made in
    Python; Qt takes it over but Python's wrapper still owns it too, so whichever of the two is freed
    second at exit frees it again and the interpreter crashes (exit 139) after every test passed.
    Clearing it here lets Qt delete it while the wrapper is alive, which then knows it is gone."""
    yield
    QApplication.clipboard().clear()


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "settings.ini"


@pytest.fixture
def make_main_window(qtbot, settings_path):
    """Factory: make_main_window(classifier=None, settings=None) -> shown MainWindow."""
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.services.state import AppState

    made = []

    def make(classifier=None, settings=None, model_path=None):
        classifier = classifier or load_checkpoint(shipped_weights_path())
        settings = settings or QSettings(str(settings_path), QSettings.Format.IniFormat)
        window = MainWindow(AppState(classifier, model_path), settings)
        with qtbot.waitExposed(window):
            window.show()
        with qtbot.waitActive(window):  # keyboard shortcuts reach only the active window
            window.activateWindow()
        made.append(window)
        wait_for_prediction(qtbot, window)
        return window

    yield make
    for window in made:
        if window.error_box is not None:
            window.error_box.close()
        window.close_without_asking()
        window.deleteLater()
