"""The Training tab with real widgets, a real worker thread and MNIST: curves, Keep, Discard, Cancel."""

import threading

import pytest
import torch
from PySide6.QtCore import Qt

from lenet_desktop.core.history import ModelHistory
from lenet_desktop.core.store import CorrectionStore
from lenet_desktop.gui.panels.training_panel import TrainingPanel
from lenet_desktop.gui.services.state import AppState, ObservedHistory

RUN_TIMEOUT = 180_000  # ms; the machine may be busy, the run itself takes seconds


@pytest.fixture
def panel(qtbot, tmp_path, mnist_root, shipped_classifier):
    store = CorrectionStore(tmp_path / "corrections.db")
    made = TrainingPanel(
        AppState(shipped_classifier),
        store,
        ObservedHistory(ModelHistory(tmp_path / "models")),
        mnist_dir=mnist_root,
        mnist_test_size=500,
    )
    qtbot.addWidget(made)
    made.show()
    yield made
    made.shutdown()
    store.close()


def choose(panel, epochs=1, batches=2, optimizer="adam", data="mnist"):
    panel.epochs_box.setValue(epochs)
    panel.batch_limit_box.setValue(batches)
    panel.optimizer_box.setCurrentIndex(panel.optimizer_box.findData(optimizer))
    panel.data_box.setCurrentIndex(panel.data_box.findData(data))
    panel.batch_box.setValue(64)


def test_a_short_run_draws_curves_and_keep_activates_it(qtbot, panel):
    """How long the GUI thread may pause during a run is a speed goal: bench/bench_training_responsiveness.py."""
    choose(panel, epochs=2, batches=3)
    # Steps this small move no MNIST digit past its limit, so Keep does not ask first (test_personalise_window checks that).
    panel.hyperparameter_forms["adam"].fields["lr"][0].setValue(1e-6)
    before = panel.state.classifier
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
        assert not panel.train_button.isEnabled() and panel.cancel_button.isEnabled()
    result = finished.args[0]
    assert result.runs[0].report.outcome == "completed"
    assert panel.loss_chart.series(("adam", "loss")).count() >= 2
    assert panel.accuracy_chart.series(("adam", "test")).count() == 2
    assert panel.accuracy_chart.series_names() == ["Adam train", "Adam MNIST test"]
    assert panel.scores_table.item(0, 0).text().endswith("%") and panel.confusion_table.item(3, 3) is not None
    assert panel.state.classifier is before, "nothing changes before Keep"
    assert not [f for f in panel.fallen if f.past_limit], "Keep would ask first"

    with qtbot.waitSignal(panel.state.modelChanged):
        qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    assert panel.state.classifier is result.runs[0].classifier
    entries = panel.history.entries()
    assert len(entries) == 1 and entries[0].version == panel.state.classifier.metadata["version"]
    assert entries[0].metadata["parent"] == "lenet-mnist-shipped"
    assert panel.state.model_path == entries[0].path
    assert not panel.results_box.isEnabled()


def test_discard_leaves_the_active_model_alone(qtbot, panel):
    choose(panel, batches=2)
    before = panel.state.classifier
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT):
        panel.start_training()
    qtbot.mouseClick(panel.discard_button, Qt.MouseButton.LeftButton)
    assert panel.state.classifier is before and panel.history.entries() == []
    assert panel.result is None and "Discarded" in panel.status.text()
    assert panel.loss_chart.series_names() == [] == panel.accuracy_chart.series_names(), "its curves go with it"


def test_a_model_made_active_elsewhere_clears_what_the_tab_said_of_an_earlier_run(qtbot, panel, shipped_classifier):
    """The curves and "Kept…" of an earlier run stayed on screen under another active model."""
    choose(panel, batches=2)
    panel.hyperparameter_forms["adam"].fields["lr"][0].setValue(1e-6)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT):
        panel.start_training()
    qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    assert "Kept" in panel.status.text() and panel.loss_chart.series_names() == ["Adam"], "the kept run's curves stay"
    panel.state.set_classifier(shipped_classifier, None)  # as Model > Back to shipped weights does
    assert panel.status.text() == "Choose what to train, then press Train."
    assert panel.loss_chart.series_names() == [] == panel.accuracy_chart.series_names()


def test_cancel_stops_a_long_run_within_a_batch_and_offers_no_result_it_never_measured(qtbot, panel):
    """Before and After both said "not measured", yet the tab said no MNIST digit fell, Keep was enabled
    and the bar stood at 100 %."""
    choose(panel, epochs=5, batches=0)  # five full MNIST epochs: only Cancel ends it soon
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
        panel.start_training()
        qtbot.waitSignal(panel.runner.progress, timeout=RUN_TIMEOUT).wait()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    report = finished.args[0].runs[0].report
    assert report.outcome == "cancelled" and report.epochs == []
    assert panel.train_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert "cancelled in epoch 1" in panel.status.text() and "nothing to keep" in panel.status.text()
    assert panel.result is None and not panel.keep_button.isEnabled() and not panel.results_box.isEnabled()
    assert panel.fallen_label.text() == "" and panel.scores_table.item(0, 1) is None
    assert panel.progress_bar.value() < panel.progress_bar.maximum()


def test_cancel_while_mnist_loads_ends_the_run_before_its_first_batch(qtbot, panel):
    choose(panel, epochs=2, batches=3)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
        assert "loading data" in panel.status.text()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    report = finished.args[0].runs[0].report
    assert report.outcome == "cancelled" and report.images_seen == 0 and report.epochs == []
    assert "cancelled in epoch 1, batch 1" in panel.status.text() and panel.train_button.isEnabled()


def test_cancel_right_after_the_last_batch_ends_the_run_cancelled_with_nothing_to_keep(qtbot, panel):
    """Cancel pressed when the last batch is reported, while the run measures itself on MNIST test: it stops
    the measurement, and the run ends cancelled rather than "trained 1 epoch" with a result to Keep."""
    choose(panel, epochs=1, batches=2)
    panel.mnist_test_size = None  # all of MNIST test: several batches to measure
    clicked = threading.Event()

    def click_cancel(value: int) -> None:  # the bar is full once the last batch is reported
        if value == panel.progress_bar.maximum() and not clicked.is_set():
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
            clicked.set()

    def hold_the_measurement(_module, inputs) -> None:
        # On the worker's thread, in the run's copy of the net (a copy keeps the hook): the measurement's
        # first batch (the batches trained have 64 images) waits until Cancel has been clicked.
        if len(inputs[0]) > 64:
            clicked.wait(RUN_TIMEOUT / 1000)

    panel.progress_bar.valueChanged.connect(click_cancel)
    hook = panel.state.classifier.net.register_forward_pre_hook(hold_the_measurement)
    try:
        with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
            panel.start_training()
    finally:
        hook.remove()
    outcome = finished.args[0]
    report = outcome.runs[0].report
    assert report.outcome == "cancelled" and report.images_seen == 2 * 64
    assert outcome.before.mnist is None and outcome.after[0].mnist is None
    assert "cancelled while measuring" in panel.status.text()
    assert panel.result is None and not panel.results_box.isEnabled(), "nothing to keep"
    assert panel.train_button.isEnabled()


def test_a_run_that_diverges_says_so_in_red_and_leaves_the_active_model_alone(qtbot, panel):
    choose(panel, batches=5, optimizer="sgd")
    panel.hyperparameter_stack.currentWidget().fields["lr"][0].setValue(1e6)
    before = panel.state.classifier
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    report = finished.args[0].runs[0].report
    assert report.outcome == "diverged"
    text = panel.status.text()
    assert "stopped: the weights grew past ±1,000 in epoch 1, batch 1" in text and "try a smaller learning rate" in text
    assert panel.status.styleSheet() != "" and "diverged" in panel.run_box.currentText()
    assert panel.state.classifier is before


def test_compare_optimizers_overlays_their_curves(qtbot, panel):
    choose(panel, batches=2)
    for name, box in panel.compare_boxes.items():
        box.setChecked(name in ("sgd", "rmsprop"))
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
        qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert [run.report.config.optimizer for run in finished.args[0].runs] == ["sgd", "rmsprop"]
    assert panel.loss_chart.series_names() == ["SGD", "RMSprop"]
    assert all(panel.loss_chart.series((name, "loss")).count() >= 1 for name in ("sgd", "rmsprop"))
    assert panel.run_box.count() == 2


def test_training_on_corrections_without_any_says_so(qtbot, panel):
    choose(panel, data="corrections")
    assert not panel.start_training()
    assert "no corrections" in panel.status.text() and panel.train_button.isEnabled()


def test_from_the_current_model_a_run_starts_at_a_tenth_of_the_rate_with_cosine_decay(panel):
    """The tab's defaults trained the shipped weights at fresh weights' rate: one epoch made them worse
    (MNIST test 99.30 % to 99.08 %, nines 99.0 % to 96.5 %)."""
    assert panel.start_box.currentData() == "current"
    config = panel.config()
    assert config.optimizer == "adam" and config.hyperparameters["lr"] == pytest.approx(1e-4)
    assert config.schedule == "cosine"
    panel.start_box.setCurrentIndex(panel.start_box.findData("fresh"))
    config = panel.config()
    assert config.hyperparameters["lr"] == pytest.approx(1e-3) and config.schedule == "none"


def test_hyperparameters_shown_are_the_chosen_optimizers_and_reach_the_config(panel):
    opened_with = panel.optimizer_box.currentData()
    assert panel.hyperparameter_stack.currentWidget() is panel.hyperparameter_forms[opened_with]
    panel.optimizer_box.setCurrentIndex(panel.optimizer_box.findData("rmsprop"))
    form = panel.hyperparameter_stack.currentWidget()
    assert set(form.fields) == {"lr", "alpha", "momentum", "weight_decay"}
    form.fields["alpha"][0].setValue(0.9)
    config = panel.config()
    assert config.optimizer == "rmsprop" and config.hyperparameters["alpha"] == 0.9
    panel.optimizer_box.setCurrentIndex(panel.optimizer_box.findData("adam"))
    assert set(panel.hyperparameter_stack.currentWidget().fields) == {"lr", "betas", "weight_decay"}


def test_an_earlier_kept_model_can_be_made_active_again(qtbot, tmp_path, shipped_classifier):
    import copy

    from lenet_desktop.core.history import fingerprint
    from lenet_desktop.gui.panels.model_history import ModelHistoryPanel

    history = ObservedHistory(ModelHistory(tmp_path / "models"))
    earlier = copy.deepcopy(shipped_classifier)
    earlier.metadata["name"] = "earlier"
    with torch.no_grad():
        earlier.net.fc3.bias.add_(0.5)
    history.keep(earlier)
    state = AppState(shipped_classifier)
    panel = ModelHistoryPanel(state, history)
    qtbot.addWidget(panel)
    history.keep(shipped_classifier)  # kept while the tab is open: it hears of it through the history
    texts = [panel.list.item(row).text() for row in range(panel.list.count())]
    assert len(texts) == 3 and texts[0].startswith("● lenet-mnist-shipped"), "the shipped model first, marked active"
    assert texts[1].startswith("earlier") and texts[2].startswith("● "), (
        "the kept copy of the active model is marked too"
    )
    panel.list.item(1).setSelected(True)
    with qtbot.waitSignal(state.modelChanged):
        qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    assert fingerprint(state.classifier) == fingerprint(earlier) and state.classifier.name == "earlier"
    assert state.model_path == history.entries()[0].path and panel.list.item(1).text().startswith("● ")
    assert not panel.list.item(0).text().startswith("● ")
    panel.list.clearSelection()
    panel.list.item(0).setSelected(True)
    qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    assert state.classifier.name == "lenet-mnist-shipped" and state.model_path is None, "back to the shipped weights"


def test_the_personalise_choice_hides_the_settings_its_recipe_chooses_and_says_so(panel):
    """Greyed, they still showed Adam at 0.001 for one epoch, which the recipe does not use."""
    recipe_chooses = (panel.optimizer_box, panel.hyperparameter_stack, panel.epochs_box, panel.batch_box)
    assert all(widget.isVisible() for widget in recipe_chooses) and not panel.recipe_label.isVisible()
    choose(panel, data="mix")
    assert not any(widget.isVisible() for widget in recipe_chooses)
    assert not panel.form_labels["optimizer"].isVisible() and not panel.form_labels["epochs"].isVisible()
    assert panel.replay_box.isVisible() and panel.share_box.isVisible() and panel.seed_box.isVisible()
    said = panel.recipe_label.text()
    assert (
        panel.recipe_label.isVisible() and "Adam at a learning rate of 0.0002, up to 3 epochs in batches of 64" in said
    )
    choose(panel, data="mnist")
    assert all(widget.isVisible() for widget in recipe_chooses) and not panel.recipe_label.isVisible()
