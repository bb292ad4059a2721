"""Start-up: the window shows and takes ink before torch is imported; the model arrives later and
whatever was drawn meanwhile is predicted then. How fast is measured by bench/bench_startup.py."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from digit_strokes import DIGITS
from PySide6.QtCore import QSettings, Qt
from window_helpers import wait_for_prediction

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.gui.devtools.replay import draw_strokes
from lenet_desktop.gui.main_window import MainWindow
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.widgets.canvas import DEFAULT_BRUSH_WIDTH


def program_env(tmp_path, **extra) -> dict[str, str]:
    """A real process with its own settings and user folders, on the offscreen platform."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LENET_USER_DIR": str(tmp_path / "user"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        **extra,
    }


def test_the_window_shows_and_takes_ink_without_importing_torch(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QSettings
        from lenet_desktop.gui.startup.app import application
        from lenet_desktop.gui.main_window import MainWindow
        from lenet_desktop.gui.devtools.replay import draw_strokes
        from lenet_desktop.gui.services.state import AppState
        import lenet_desktop.launch

        app = application()
        window = MainWindow(AppState(None), QSettings(sys.argv[1], QSettings.Format.IniFormat))
        window.show()
        app.processEvents()
        draw_strokes(window.canvas, [[(0.3, 0.2), (0.5, 0.5), (0.5, 0.8)]])
        app.processEvents()
        assert not window.canvas.blank
        loaded = sorted(name for name in sys.modules if name == "torch" or name.startswith("torch."))
        assert not loaded, loaded[:5]
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "settings.ini")],
        env=program_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_ink_drawn_while_the_model_loads_is_predicted_when_it_arrives(qtbot, settings_path):
    state = AppState(None)
    window = MainWindow(state, QSettings(str(settings_path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    assert window.readout.verdict_label.text() == window.readout.loading_text()
    assert window.canvas.isVisible() and not window.saliency_box.isEnabled()
    draw_strokes(window.canvas, DIGITS[7][0])
    assert state.prediction is None and not window.engine_ready

    with qtbot.waitSignal(window.engineReady, timeout=10_000):
        state.set_classifier(load_checkpoint(shipped_weights_path()), None)
    wait_for_prediction(qtbot, window)
    assert state.prediction is not None and state.prediction.digit == 7
    assert window.readout.digit_label.text() == "7"
    assert window.tabs.count() > 1 and window.device_box.count() >= 1
    window.close()


def test_the_program_paints_its_window_then_loads_the_model(tmp_path):
    """`python -m lenet_desktop` with nothing on the command line, as a user starts it."""
    trace = tmp_path / "trace.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "lenet_desktop"],
        env=program_env(tmp_path, LENET_STARTUP_TRACE=str(trace)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        milestones: dict[str, float] = {}
        while "ready" not in milestones and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            if trace.exists():
                milestones = dict(
                    (name, float(value)) for name, value in (line.split() for line in trace.read_text().splitlines())
                )
    finally:
        process.kill()
        _, stderr = process.communicate()
    assert milestones.keys() == {"painted", "ready"}, stderr
    assert milestones["painted"] < milestones["ready"]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_weights_named_on_the_command_line_that_cannot_load_end_the_program_with_one_line(tmp_path, language):
    """In the CLI's English whatever the window's language: the line is the terminal's, never the window's."""
    settings = tmp_path / "config" / "lenet-desktop" / "LeNet Desktop.conf"
    settings.parent.mkdir(parents=True)
    settings.write_text(f"[ui]\nlanguage={language}\n", encoding="utf-8")
    missing = tmp_path / "missing.pt"
    result = subprocess.run(
        [sys.executable, "-m", "lenet_desktop", "--weights", str(missing)],
        env=program_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    # The window has shown by then (the offscreen platform may say a word about it): only our line counts.
    ours = [line for line in result.stderr.splitlines() if line.startswith("lenet-desktop")]
    assert len(ours) == 1 and ours[0].startswith("lenet-desktop: error:") and "missing.pt: no such file" in ours[0], (
        result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.fixture
def loading_window(qtbot, settings_path):
    """The window as the program shows it at start-up: no model yet, the later tabs built on request."""
    window = MainWindow(AppState(None), QSettings(str(settings_path), QSettings.Format.IniFormat), tabs_later=True)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    return window


def test_the_first_prediction_does_not_wait_for_the_other_tabs(qtbot, loading_window):
    """At start-up the window predicts as soon as the model is in; the tabs whose modules the loader
    imports afterwards (Inspector, Corrections, Training, Models) are built when it says so."""
    window, state = loading_window, loading_window.state
    draw_strokes(window.canvas, DIGITS[4][0])
    ready = []
    window.engineReady.connect(lambda: ready.append(True))
    state.set_classifier(load_checkpoint(shipped_weights_path()), None)
    wait_for_prediction(qtbot, window)
    assert window.readout.digit_label.text() == "4"
    assert window.tabs.count() == 2 and window.training_panel is None and not ready

    with qtbot.waitSignal(window.engineReady, timeout=10_000):
        window.build_tabs()
    assert window.tabs.count() == 6 and window.training_panel is not None
    window.close()


def test_a_window_closed_as_the_model_arrives_starts_no_thread(qtbot, loading_window):
    """Closed in the event loop's pass that delivers the loader's model (a click on the close button, or
    Ctrl-C, at that moment): the predictor's thread, started after closeEvent stopped the threads, was
    still running at exit and Qt aborted the process ("QThread: Destroyed while thread is still running")."""
    window, state = loading_window, loading_window.state
    draw_strokes(window.canvas, DIGITS[7][0])
    assert window.close_without_asking()
    state.set_classifier(load_checkpoint(shipped_weights_path()), None)
    try:
        assert not window.engine_ready
    finally:  # without the fix, stop the thread here, or the whole test run aborts at exit
        if window.predictor is not None:
            window.predictor.shutdown()


@pytest.mark.parametrize("remembered", ["", "wide", "nan"])
def test_a_remembered_brush_width_that_is_no_number_starts_with_the_default(qtbot, settings_path, remembered):
    """A settings file edited by hand or cut short: the window raised (ValueError, or NaN to an int for the
    slider) before it showed, at every start."""
    settings_path.write_text(f"[canvas]\nbrush_width={remembered}\n")
    window = MainWindow(AppState(None), QSettings(str(settings_path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.canvas.brush_width == DEFAULT_BRUSH_WIDTH == window.width_slider.value()


CTRL_C_AT_IMPORT = textwrap.dedent(
    """
    import os, signal, sys

    class CtrlC:  # the user presses Ctrl-C in the terminal while this module is being imported
        def find_spec(self, name, path=None, target=None):
            if name == sys.argv[1]:
                os.kill(os.getpid(), signal.SIGINT)

    sys.meta_path.insert(0, CtrlC())
    from lenet_desktop.launch import main

    raise SystemExit(main(sys.argv[2:]))
    """
)


@pytest.mark.parametrize(
    ("module", "arguments"),
    [("lenet_desktop.gui.main_window", []), ("lenet_desktop.core.device", ["--device", "cpu"])],
    ids=["window", "command-line"],
)
def test_ctrl_c_before_the_window_shows_ends_with_one_line(tmp_path, module, arguments):
    """Ctrl-C in the first second, while the window's modules import (before its own Ctrl-C handler is
    in place) or the command line's do: it printed a KeyboardInterrupt traceback."""
    result = subprocess.run(
        [sys.executable, "-c", CTRL_C_AT_IMPORT, module, *arguments],
        env=program_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (130, "lenet-desktop: interrupted\n")


def test_an_image_opened_or_the_drawing_saved_while_the_model_loads_does_not_import_torch(tmp_path):
    """Open image, paste, drop and Save drawing in the first seconds: if they import torch on the GUI
    thread while the loader imports it, the window stops taking ink until that import ends (seen: 3-6 s)."""
    script = textwrap.dedent(
        """
        import sys
        from PIL import Image
        from PySide6.QtCore import QSettings
        from lenet_desktop.gui.startup.app import application
        from lenet_desktop.gui.main_window import MainWindow
        from lenet_desktop.gui.services.state import AppState

        app = application()
        window = MainWindow(AppState(None), QSettings(sys.argv[1] + "/settings.ini", QSettings.Format.IniFormat))
        window.show()
        Image.new("L", (60, 60), 255).save(sys.argv[1] + "/digit.png")
        used = []
        window.imageUsed.connect(used.append)
        window.open_image(sys.argv[1] + "/digit.png")
        while not used:
            app.processEvents()
        assert used == [True]
        assert window.save_drawing(sys.argv[1] + "/drawing.png")
        loaded = sorted(name for name in sys.modules if name == "torch" or name.startswith("torch."))
        assert not loaded, loaded[:5]
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env=program_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_a_tab_module_that_cannot_load_ends_the_program_with_one_line(tmp_path):
    """A broken install or bundle that lacks the module of a tab built after the first prediction: the
    program ended, but said the model could not load and, with the predictor's thread left running,
    Qt aborted it ("QThread: Destroyed while thread is still running")."""
    script = textwrap.dedent(
        """
        import sys

        class Missing:
            def find_spec(self, name, path=None, target=None):
                if name == "lenet_desktop.gui.panels.evaluation_window":
                    raise ImportError(f"No module named {name!r}")

        sys.meta_path.insert(0, Missing())
        from lenet_desktop.launch import main

        raise SystemExit(main([]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=program_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    ours = [line for line in result.stderr.splitlines() if line.startswith("lenet-desktop")]
    assert result.returncode == 2, result.stderr
    assert ours == [
        "lenet-desktop: error: cannot load the window's tabs: ImportError: No module named "
        "'lenet_desktop.gui.panels.evaluation_window'"
    ], result.stderr


def test_a_digit_key_between_the_model_and_the_tabs_says_the_model_is_loading(qtbot, loading_window):
    window, state = loading_window, loading_window.state
    draw_strokes(window.canvas, DIGITS[7][0])
    state.set_classifier(load_checkpoint(shipped_weights_path()), None)
    wait_for_prediction(qtbot, window)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert window.statusBar().currentMessage() == "The model is still loading: press the key again in a moment."
    window.close()
