"""Jobs off the window's thread: one runner per owner, a failure that names its job, and closing the
window stops every thread once, whoever started it."""

from __future__ import annotations

import threading

from labelled_folders import write_labelled_folder

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.gui.services.jobs import JobRunner
from lenet_desktop.gui.services.language import error_text
from lenet_desktop.gui.services.threads import running_threads


def until_cancelled(stopped: threading.Event):
    def job(context) -> str:
        while not context.should_stop():
            stopped.wait(0.01)
        stopped.set()
        return "stopped"

    return job


def test_a_job_that_crashes_fails_in_its_own_name(qtbot):
    runner = JobRunner(QT_TRANSLATE_NOOP("core", "evaluation"))
    with qtbot.waitSignal(runner.failed, timeout=10_000) as failed:
        assert runner.start(lambda context: 1 / 0)
    assert error_text(failed.args[0]) == "evaluation failed: ZeroDivisionError: division by zero"
    assert not runner.running and running_threads() == []


def test_an_expected_error_is_handed_on_as_it_is(qtbot):
    runner = JobRunner(QT_TRANSLATE_NOOP("core", "import"), expected_errors=(OSError,))
    error = FileNotFoundError(2, "No such file or directory", "/nowhere/corrections.csv")

    def job(context):
        raise error

    with qtbot.waitSignal(runner.failed, timeout=10_000) as failed:
        runner.start(job)
    assert failed.args[0] is error


def test_one_job_at_a_time_and_cancel_ends_it(qtbot):
    stopped = threading.Event()
    runner = JobRunner(QT_TRANSLATE_NOOP("core", "training"))
    assert runner.start(until_cancelled(stopped))
    assert runner.running and not runner.start(lambda context: None)
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.cancel()
    assert finished.args[0] == "stopped" and not runner.running


def test_closing_the_window_stops_every_thread_once(qtbot, make_main_window):
    window = make_main_window()
    stopped = threading.Event()
    runner = JobRunner(QT_TRANSLATE_NOOP("core", "training"))  # owned by no part of the window
    runner.start(until_cancelled(stopped))
    assert running_threads() == ["prediction", "training"]
    assert window.close_without_asking()
    assert stopped.is_set() and running_threads() == []
    with qtbot.waitSignal(runner.finished, timeout=10_000):  # its end is told after the close
        pass
    assert not runner.running


def test_closing_the_window_stops_a_running_evaluation(qtbot, make_main_window, tmp_path):
    """The window's close shuts the evaluation down itself, in closeEvent, not through a filter of its events."""
    written = write_labelled_folder(tmp_path)
    many = [f"{name},{label}" for name, label in written] * 200  # long enough to be running at the close
    (tmp_path / "labels.csv").write_text("file,label\n" + "\n".join(many) + "\n")
    window = make_main_window()
    assert window.evaluation.start_folder(tmp_path)
    assert "evaluation" in running_threads()
    assert window.close_without_asking()
    assert running_threads() == []
    qtbot.waitUntil(lambda: not window.evaluation.running)  # its end is told after the close
