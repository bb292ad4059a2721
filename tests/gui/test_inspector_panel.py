"""The Inspector panel clicked through stage by stage, on a real drawing and the real model."""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from autograd_walk import autograd_names, weights
from digit_strokes import DIGITS, render_strokes
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import draw, wait_for_prediction

from lenet_desktop.core.history import ModelHistory
from lenet_desktop.core.inspector import Stage
from lenet_desktop.core.predict import predict_frame, recognise
from lenet_desktop.gui.panels.inspector_panel import InspectorPanel
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.widgets.step_update_view import change_text, probability_text

DRAWN_DIGIT, TARGET = 4, 9


@pytest.fixture
def state(shipped_classifier):
    state = AppState(shipped_classifier)
    image = render_strokes(DIGITS[DRAWN_DIGIT][0])
    state.set_drawing(image)
    state.set_prediction(recognise(shipped_classifier, image))
    return state


@pytest.fixture
def panel(qtbot, state, tmp_path):
    panel = InspectorPanel(state, ModelHistory(tmp_path / "models"))
    panel.resize(760, 820)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry the way a keyboard user does: focus the box and type its start."""
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # else the typing continues the last search
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText().startswith(text)


def enabled_stages(panel) -> list[Stage]:
    return [stage for stage, button in panel.stage_buttons.items() if button.isEnabled()]


def seed_loss(classifier, frame: np.ndarray, loss: str) -> tuple[torch.Tensor, torch.nn.Module]:
    """The loss built independently of the panel, with the tutorial's criteria, on a copy of the net."""
    net = copy.deepcopy(classifier.net)
    output = net(classifier.normalization.apply(torch.from_numpy(frame)[None, None]))
    target = torch.tensor([TARGET])
    value = F.mse_loss(output, F.one_hot(target, 10).float()) if loss == "mse" else F.cross_entropy(output, target)
    return value, net


def scratch_probability(panel, frame: np.ndarray) -> float:
    """P(TARGET) for `frame` by the panel's scratch copy, as it stands."""
    return float(predict_frame(panel.inspector.scratch, frame).probabilities[TARGET])


def probability_in(text: str) -> float:
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def numbers_in(text: str) -> np.ndarray:
    return np.array([float(match) for match in re.findall(r"[-+]?\d+\.\d+(?:e[-+]\d+)?", text)])


def test_the_model_tab_shows_print_net_and_the_parameter_table(panel):
    assert panel.model_text.toPlainText().startswith("Net(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))")
    table = panel.parameter_table
    assert table.rowCount() == 10
    assert [table.item(row, 0).text() for row in range(10)][:2] == ["conv1.weight", "conv1.bias"]
    assert table.item(0, 1).text() == "torch.Size([6, 1, 5, 5])"
    assert sum(int(table.item(row, 2).text().replace(",", "")) for row in range(10)) == 61_706
    assert "61,706" in panel.parameter_total.text()


def test_clicking_through_the_stages_shows_what_each_changed(qtbot, panel, state, shipped_classifier):
    original = weights(shipped_classifier)
    frame = state.prediction.frame
    assert panel.target == DRAWN_DIGIT, "the target starts at the predicted digit"
    choose(qtbot, panel.target_box, str(TARGET))
    assert enabled_stages(panel) == [Stage.ZERO_GRAD] and not panel.keep_button.isEnabled()

    click(qtbot, panel.stage_buttons[Stage.ZERO_GRAD])
    assert panel.gradient_text.toPlainText() == "None"  # conv1.bias.grad before backward
    assert "print(net.conv1.bias.grad)\nNone" in panel.transcript.toPlainText()
    assert enabled_stages(panel) == [Stage.FORWARD]

    click(qtbot, panel.stage_buttons[Stage.FORWARD])
    assert "grad_fn=<AddmmBackward0>" in panel.transcript.toPlainText()

    click(qtbot, panel.stage_buttons[Stage.LOSS])
    expected_loss, net = seed_loss(shipped_classifier, frame, "cross_entropy")
    assert f"{expected_loss.item():.6g}" in panel.change_label.text()
    assert set(panel.graph_view.node_names()) == autograd_names(expected_loss)
    assert panel.tabs.tabText(panel.tabs.currentIndex()) == "Graph"

    click(qtbot, panel.stage_buttons[Stage.BACKWARD])
    (expected_bias_grad,) = torch.autograd.grad(expected_loss, [net.conv1.bias])
    shown = numbers_in(panel.gradient_text.toPlainText())  # conv1.bias.grad after backward, as printed
    np.testing.assert_allclose(shown, expected_bias_grad.numpy(), rtol=1e-3, atol=1e-6)

    choose(qtbot, panel.parameter_box, "conv1.weight")
    assert panel.gradient_image.isVisible() and panel.gradient_image.map_count == 6
    choose(qtbot, panel.parameter_box, "conv2.weight")
    assert panel.gradient_image.map_count == 16 * 6
    choose(qtbot, panel.parameter_box, "fc3.bias")
    assert not panel.gradient_image.isVisible()
    assert numbers_in(panel.gradient_text.toPlainText()).size == 10

    click(qtbot, panel.stage_buttons[Stage.UPDATE])
    table = panel.probability_table
    before, after = (probability_in(table.item(TARGET, column).text()) for column in (1, 2))
    assert table.item(TARGET, 0).font().bold()
    assert "P(digit 9)" in panel.target_change.text()
    assert after > before  # the target digit's probability, as shown, rose
    assert before == pytest.approx(state.prediction.probabilities[TARGET], rel=0.05)
    values = [
        [float(panel.values_table.item(row, col).text()) for col in (1, 2, 3)]
        for row in range(panel.values_table.rowCount())
    ]
    for before_value, gradient, after_value in values:  # the by-hand rule, read back from the table
        assert after_value == pytest.approx(before_value - 0.01 * gradient, abs=2e-6)

    # Nothing of this reached the active model.
    assert state.classifier is shipped_classifier
    assert all(torch.equal(value, original[name]) for name, value in weights(state.classifier).items())
    assert panel.keep_button.isEnabled() and enabled_stages(panel) == [Stage.ZERO_GRAD]


def test_keep_makes_the_scratch_weights_active(qtbot, panel, state, shipped_classifier):
    choose(qtbot, panel.target_box, str(TARGET))
    for _ in range(3):
        click(qtbot, panel.step_button)
    scratch = weights(panel.inspector.scratch)
    probability = scratch_probability(panel, state.prediction.frame)
    with qtbot.waitSignal(state.modelChanged, timeout=2000) as changed:
        click(qtbot, panel.keep_button)
    kept = changed.args[0]
    assert state.classifier is kept and kept is not shipped_classifier
    assert all(torch.equal(value, scratch[name]) for name, value in weights(kept).items())
    assert recognise(kept, state.drawing).probabilities[TARGET] == pytest.approx(probability, rel=1e-4)
    assert panel.inspector.source is kept and panel.inspector.steps_taken == 0, "a fresh scratch copy of the kept model"
    assert "is now the active model" in panel.change_label.text()
    assert state.model_path == panel.history.entries()[0].path, "saved, so a restart can use it"


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_the_drawn_graph_holds_the_nodes_autograd_produces(qtbot, panel, state, shipped_classifier, loss):
    choose(qtbot, panel.target_box, str(TARGET))
    panel.loss_box.setCurrentIndex(panel.loss_box.findData(loss))
    for stage in (Stage.ZERO_GRAD, Stage.FORWARD, Stage.LOSS):
        click(qtbot, panel.stage_buttons[stage])
    names = panel.graph_view.node_names()
    assert set(names) == autograd_names(seed_loss(shipped_classifier, state.prediction.frame, loss)[0])
    assert names.count("AccumulateGrad") == 10
    if loss == "mse":
        assert {"MseLossBackward0", "AddmmBackward0"} <= set(names)
        assert "loss.grad_fn.next_functions[0][0] = AddmmBackward0" in panel.graph_summary.text()


def test_every_update_method_moves_the_target_probability_up(qtbot, panel, state):
    choose(qtbot, panel.target_box, str(TARGET))
    for index in range(panel.update_box.count()):
        if panel.reset_button.isEnabled():
            click(qtbot, panel.reset_button)
        panel.update_box.setCurrentIndex(index)
        before = scratch_probability(panel, state.prediction.frame)
        click(qtbot, panel.step_button)
        assert panel.inspector.steps_taken == 1 and panel.method == panel.update_box.itemData(index)
        assert scratch_probability(panel, state.prediction.frame) > before, panel.method


def test_choosing_an_optimizer_sets_its_learning_rate(qtbot, panel):
    assert panel.method == "by_hand" and panel.rate_box.value() == pytest.approx(0.01)
    panel.update_box.setCurrentIndex(panel.update_box.findData("adam"))
    assert panel.rate_box.value() == pytest.approx(1e-3)
    click(qtbot, panel.step_button)
    assert "Adam(net.parameters(), lr=0.001" in panel.update_code.text()


def test_a_new_target_restarts_the_step(qtbot, panel):
    for stage in (Stage.ZERO_GRAD, Stage.FORWARD, Stage.LOSS):
        click(qtbot, panel.stage_buttons[stage])
    assert enabled_stages(panel) == [Stage.ZERO_GRAD, Stage.BACKWARD]
    choose(qtbot, panel.target_box, "2")
    assert enabled_stages(panel) == [Stage.ZERO_GRAD]
    assert "starts again" in panel.change_label.text()


def test_without_a_drawing_nothing_can_run(qtbot, panel, state):
    state.set_prediction(None)
    assert enabled_stages(panel) == [] and not panel.step_button.isEnabled()
    assert "draw a digit" in panel.status_label.text()


def test_reset_starts_again_from_the_active_model(qtbot, panel, state):
    click(qtbot, panel.step_button)
    assert panel.inspector.steps_taken == 1 and panel.transcript.toPlainText()
    click(qtbot, panel.reset_button)
    assert panel.inspector.steps_taken == 0 and panel.inspector.source is state.classifier
    assert not panel.transcript.toPlainText() and not panel.keep_button.isEnabled()
    assert all(
        torch.equal(value, weights(state.classifier)[name]) for name, value in weights(panel.inspector.scratch).items()
    )


def test_the_inspector_tab_in_the_main_window_works_on_the_drawn_digit(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[DRAWN_DIGIT][1])
    panel = window.findChild(InspectorPanel)
    window.tabs.setCurrentWidget(panel)
    active = window.state.classifier
    choose(qtbot, panel.target_box, str(TARGET))
    first = scratch_probability(panel, window.state.prediction.frame)
    click(qtbot, panel.stage_buttons[Stage.ZERO_GRAD])
    click(qtbot, panel.stage_buttons[Stage.FORWARD])
    assert probability_text(first) in panel.change_label.text(), "the forward pass is of the drawn digit"
    for stage in (Stage.LOSS, Stage.BACKWARD, Stage.UPDATE):
        click(qtbot, panel.stage_buttons[stage])
    for _ in range(2):
        click(qtbot, panel.step_button)
    assert panel.inspector.steps_taken == 3
    stepped = scratch_probability(panel, window.state.prediction.frame)
    assert stepped > first
    assert window.state.classifier is active and window.state.prediction.probabilities[TARGET] == pytest.approx(
        first, rel=1e-4
    )
    click(qtbot, panel.keep_button)
    wait_for_prediction(qtbot, window)
    assert window.state.classifier is not active
    # The window's own prediction now comes from the kept weights.
    assert window.state.prediction.probabilities[TARGET] == pytest.approx(stepped, rel=1e-3)


def test_a_model_made_active_elsewhere_gets_a_fresh_scratch_copy(qtbot, panel, state, shipped_classifier):
    click(qtbot, panel.step_button)
    other = copy.deepcopy(shipped_classifier)
    other.metadata["name"] = "trained-elsewhere"
    state.set_classifier(other, None)
    assert panel.inspector.source is other and panel.inspector.steps_taken == 0
    assert "trained-elsewhere" in panel.status_label.text()


def test_moving_the_active_model_to_another_device_keeps_the_steps(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[DRAWN_DIGIT][1])
    panel = window.findChild(InspectorPanel)
    click(qtbot, panel.step_button)
    transcript = panel.transcript.toPlainText()
    assert window.choose_device(window.device_box.currentData())  # moved again, to where it is
    wait_for_prediction(qtbot, window)
    assert panel.inspector.steps_taken == 1 and panel.transcript.toPlainText() == transcript


def test_a_diverged_step_says_so_and_cannot_be_kept(qtbot, panel, state):
    # Whether the largest rate blows a model up depends on its weights (the shipped ones answer
    # non-digits with small logits and survive it); doubled weights blow up at once.
    boosted = copy.deepcopy(state.classifier)
    with torch.no_grad():
        for parameter in boosted.net.parameters():
            parameter.mul_(2)
    state.set_classifier(boosted, None)
    panel.loss_box.setCurrentIndex(panel.loss_box.findData("mse"))
    panel.rate_box.setValue(panel.rate_box.maximum())
    while not panel.inspector.diverged:
        assert panel.inspector.steps_taken < 10, "a learning rate of 10 on MSE should blow up within a few steps"
        click(qtbot, panel.step_button)
    assert "diverged" in panel.change_label.text()
    assert not panel.keep_button.isEnabled() and panel.reset_button.isEnabled()
    click(qtbot, panel.reset_button)
    assert not panel.inspector.diverged and panel.inspector.source is state.classifier


def test_the_change_column_speaks_in_percentage_points_however_small_the_change(qtbot, panel):
    """It mixed "-7.9e-05" (a fraction) with "-0.02%" (a percentage) in one column."""
    choose(qtbot, panel.target_box, str(TARGET))
    click(qtbot, panel.step_button)
    table = panel.probability_table
    changes = [table.item(row, 3).text() for row in range(table.rowCount())]
    assert all(re.fullmatch(r"[-+]\d+\.\d+%", text) for text in changes), changes
    assert [change_text(change) for change in (-7.9e-05, -2e-4, 3.25e-7, 0.0)] == [
        "-0.0079%",
        "-0.02%",
        "+0.000033%",
        "+0.00%",
    ], "a change too small for two decimals keeps two significant digits"
