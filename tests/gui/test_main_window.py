"""The main window end to end: real mouse events in, the painted answer out."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from digit_strokes import DIGITS, all_drawings
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication
from window_helpers import draw, fit, image_used, wait_for_prediction

from lenet_desktop.core.checkpoint import load_checkpoint, save_checkpoint
from lenet_desktop.core.device import available_devices
from lenet_desktop.core.images import load_image
from lenet_desktop.core.model import LAYER_SHAPES
from lenet_desktop.core.paths import resource_path, shipped_weights_path
from lenet_desktop.core.predict import recognise
from lenet_desktop.gui.devtools.replay import press_and_move, release

# Each hand-made drawing large and centred, then small in a corner, as people really draw.
PLACEMENTS = [(0.0, 0.0, 1.0), (0.05, 0.35, 0.6)]


def test_drawn_digits_are_recognised(qtbot, make_main_window):
    window = make_main_window()
    results = []
    for left, top, size in PLACEMENTS:
        for digit, strokes in all_drawings():
            window.canvas.clear()
            draw(qtbot, window, fit(strokes, left, top, size))
            prediction = window.state.prediction
            assert prediction is not None
            assert window.readout.digit_label.text() == str(prediction.digit)
            results.append((digit, prediction.digit))
    assert len(results) >= 30 and {digit for digit, _ in results} == set(range(10))
    right = sum(digit == predicted for digit, predicted in results)
    print(f"{right} of {len(results)} drawings recognised")
    assert right >= 0.9 * len(results)


def test_the_window_predicts_while_the_pen_is_still_down(qtbot, make_main_window):
    window = make_main_window()
    stroke = DIGITS[7][0][0]
    press_and_move(window.canvas, stroke)
    qtbot.waitUntil(lambda: window.state.prediction is not None, timeout=3000)
    wait_for_prediction(qtbot, window)
    live = window.state.prediction
    assert np.array_equal(window.state.drawing, window.canvas.drawing()), "the newest drawing was predicted"
    release(window.canvas, stroke[-1])
    wait_for_prediction(qtbot, window)
    assert window.state.prediction is not live, "lifting the pen predicts once more"
    assert window.state.prediction.digit == 7


def test_the_shown_answer_is_for_the_latest_drawing(qtbot, make_main_window):
    window = make_main_window()
    for digit in (1, 8, 3):
        window.canvas.clear()
        from lenet_desktop.gui.devtools.replay import draw_strokes

        draw_strokes(window.canvas, DIGITS[digit][0])  # no waiting: requests pile up
    wait_for_prediction(qtbot, window)
    expected = recognise(window.state.classifier, window.canvas.drawing())
    np.testing.assert_allclose(window.state.prediction.probabilities, expected.probabilities, atol=1e-6)
    assert np.array_equal(window.state.drawing, window.canvas.drawing())


def test_probability_bars_show_all_ten_values(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[3][0])
    prediction = window.state.prediction
    np.testing.assert_array_equal(window.probability_bars.probabilities, prediction.probabilities)
    assert window.probability_bars.value_texts() == [f"{p:.1%}" for p in prediction.probabilities]
    assert f"{prediction.confidence:.1%}" in window.readout.text


def test_clear_gives_no_digit(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[5][0])
    assert window.state.prediction is not None
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    wait_for_prediction(qtbot, window)
    assert window.canvas.blank
    assert window.state.prediction is None and window.state.drawing is None
    assert "no digit" in window.readout.text
    assert not window.probability_bars.probabilities.any()
    assert all(grid.map_count == 0 for grid in window.layers_panel.grids.values())


def test_a_scribble_far_from_any_digit_is_unsure_or_shown_as_such(qtbot, make_main_window):
    window = make_main_window()
    # A tiny threshold-crossing tick: unsure or not, the readout must agree with the prediction.
    draw(
        qtbot,
        window,
        [[(0.2, 0.2), (0.8, 0.8)], [(0.8, 0.2), (0.2, 0.8)], [(0.5, 0.1), (0.5, 0.9)], [(0.1, 0.5), (0.9, 0.5)]],
    )
    prediction = window.state.prediction
    assert ("unsure" in window.readout.text) == prediction.unsure


def test_unsure_below_the_checkpoint_threshold(qtbot, make_main_window, shipped_classifier):
    shipped_classifier.metadata["unsure_below"] = 1.01  # every answer is below this
    window = make_main_window(shipped_classifier)
    draw(qtbot, window, DIGITS[1][0])
    assert window.state.prediction.unsure
    assert window.readout.text.startswith(f"{window.state.prediction.digit} unsure")


def test_a_drawing_below_the_not_a_digit_threshold_is_shown_as_not_a_digit(qtbot, make_main_window, shipped_classifier):
    shipped_classifier.metadata.update(not_a_digit_score="confidence", not_a_digit_below=1.01)  # nothing passes
    window = make_main_window(shipped_classifier)
    draw(qtbot, window, DIGITS[1][0])
    assert window.state.prediction.not_a_digit
    assert window.readout.text == "? not a digit"


def test_undo_redo_shortcuts_and_buttons(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[4][0][:1])
    first = window.canvas.drawing()
    draw(qtbot, window, DIGITS[4][0][1:])
    both = window.canvas.drawing()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_for_prediction(qtbot, window)
    assert np.array_equal(window.canvas.drawing(), first)
    assert np.array_equal(window.state.drawing, first)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert np.array_equal(window.canvas.drawing(), both)
    qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert np.array_equal(window.canvas.drawing(), first)
    qtbot.mouseClick(window.redo_button, Qt.MouseButton.LeftButton)
    assert np.array_equal(window.canvas.drawing(), both)
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    assert window.canvas.blank


def test_tooltips_name_the_shortcuts(make_main_window):
    window = make_main_window()
    assert "Ctrl+Z" in window.undo_button.toolTip()
    assert "Ctrl+Shift+Z" in window.redo_button.toolTip()
    assert "Esc" in window.clear_button.toolTip()
    assert "Ctrl+O" in window.open_image_action.toolTip()
    assert "Ctrl+V" in window.paste_action.toolTip()
    assert "E" in window.eraser_button.toolTip()


def test_erasing_through_the_window_changes_the_answer(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[8][2])  # an 8 drawn as two loops
    assert window.state.prediction.digit == 8
    qtbot.mouseClick(window.eraser_button, Qt.MouseButton.LeftButton)
    assert window.canvas.erasing
    window.width_slider.setValue(40)
    # Rub out the lower loop completely.
    rows = [[(0.2, 0.4 + 0.05 * i), (0.8, 0.4 + 0.05 * i)] for i in range(11)]
    draw(qtbot, window, rows)
    drawing = window.canvas.drawing()
    assert (drawing[round(0.5 * 280) :, :] == 255).all()
    assert (drawing[: round(0.3 * 280), :] < 128).any()
    assert window.state.prediction is not None and window.state.prediction.digit != 8


def test_open_an_image_file(qtbot, make_main_window):
    window = make_main_window()
    assert image_used(qtbot, window, lambda: window.open_image(resource_path("samples/digit_7.png")))
    wait_for_prediction(qtbot, window)
    assert window.state.prediction.digit == 7
    window.canvas.undo()
    wait_for_prediction(qtbot, window)
    assert window.state.prediction is None


def test_an_unreadable_image_keeps_the_drawing(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    draw(qtbot, window, DIGITS[2][0])
    before = window.canvas.drawing()
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a png at all")
    assert not image_used(qtbot, window, lambda: window.open_image(bad))
    assert window.error_box.isVisible()
    assert window.error_box.text() == f"{bad}: not an image this app can read"
    assert np.array_equal(window.canvas.drawing(), before)


def test_paste_an_image(qtbot, make_main_window):
    window = make_main_window()
    QApplication.clipboard().setImage(QImage(str(resource_path("samples/digit_3.png"))))
    window.paste_action.trigger()
    wait_for_prediction(qtbot, window)
    assert window.state.prediction.digit == 3


def test_paste_white_ink_on_black(qtbot, make_main_window, mnist_like_six):
    window = make_main_window()
    QApplication.clipboard().setImage(mnist_like_six)
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_for_prediction(qtbot, window)
    assert window.state.prediction.digit == 6


@pytest.fixture
def mnist_like_six():
    """A 6 as MNIST stores it: light ink on a black background, 28x28."""
    from digit_strokes import render_strokes

    pixels = render_strokes(DIGITS[6][2], size=28, pen=2.5, box=(0.15, 0.15, 0.7, 0.7), ink=255, paper=0)
    pixels = np.ascontiguousarray(pixels)
    return QImage(pixels.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()


def test_drop_an_image_file(qtbot, make_main_window):
    window = make_main_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(resource_path("samples/digit_9.png")))])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(100, 100), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    QApplication.sendEvent(window.canvas, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(
        window.canvas, QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    )
    wait_for_prediction(qtbot, window)
    assert window.state.prediction.digit == 9


def test_save_as_png_round_trip(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    draw(qtbot, window, DIGITS[2][1])
    drawn, answer = window.canvas.drawing(), window.state.prediction
    path = tmp_path / "two.png"
    assert window.save_drawing(path)
    assert np.array_equal(load_image(path), drawn)
    window.canvas.clear()
    assert image_used(qtbot, window, lambda: window.open_image(path))
    wait_for_prediction(qtbot, window)
    assert np.array_equal(window.canvas.drawing(), drawn)
    np.testing.assert_allclose(window.state.prediction.probabilities, answer.probabilities, atol=1e-6)


def test_the_window_shows_what_the_command_line_says_of_the_saved_drawing(qtbot, make_main_window, tmp_path):
    import json
    import subprocess
    import sys

    window = make_main_window()
    draw(qtbot, window, fit(DIGITS[4][1], 0.3, 0.1, 0.55))
    shown = window.probability_bars.probabilities.copy()
    path = tmp_path / "four.png"
    assert window.save_drawing(path)
    device = str(window.state.classifier.device)  # the same arithmetic: a GPU's sums differ in the last digits
    result = subprocess.run(
        [sys.executable, "-m", "lenet_desktop", "predict", "--device", device, "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["digit"] == window.state.prediction.digit == int(shown.argmax())
    np.testing.assert_allclose(shown, answer["probabilities"], atol=2e-6)  # the CLI prints 6 decimals


def test_saving_into_a_missing_folder_explains_why(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    draw(qtbot, window, DIGITS[1][0])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert not window.save_drawing(blocker / "two.png")
    assert window.error_box.text().startswith("two.png: ")


def test_feature_maps_show_every_layer_of_the_prediction(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[0][0])
    activations = window.state.prediction.activations
    panel = window.layers_panel
    for name, shape in LAYER_SHAPES.items():
        if len(shape) == 3:
            grid = panel.grids[name]
            assert grid.map_count == shape[0] and grid.map_size == shape[1:]
            np.testing.assert_array_equal(grid.maps, activations[name])
            side = grid.cell_rect(0)
            assert side.width() == side.height() and side.width() % shape[2] == 0, "whole pixels, square"
        else:
            np.testing.assert_array_equal(panel.bars[name].values, activations[name])
            assert panel.bars[name].values.shape == shape


def test_clicking_a_map_shows_it_large_with_its_range(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[9][0])
    grid = window.layers_panel.grids["C3"]
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.cell_rect(5).center().toPoint())
    dialog = window.layers_panel.dialog
    assert dialog is not None and dialog.isVisible()
    values = window.state.prediction.activations["C3"][5]
    np.testing.assert_array_equal(dialog.values, values)
    assert f"{values.min():.4g} to {values.max():.4g}" in dialog.range_label.text()
    assert "map 6 of 16" in dialog.windowTitle()
    dialog.close()


def test_kernels_show_conv1_and_conv2(make_main_window):
    window = make_main_window()
    net = window.state.classifier.net
    panel = window.kernels_panel
    assert panel.conv1.map_count == 6 and panel.conv1.map_size == (5, 5)
    assert panel.conv2.map_count == 16 * 6 and panel.conv2.map_size == (5, 5)
    np.testing.assert_array_equal(panel.conv1.maps, net.conv1.weight.detach().numpy()[:, 0])
    np.testing.assert_array_equal(panel.conv2.maps, net.conv2.weight.detach().numpy().reshape(96, 5, 5))
    dialog = panel.show_kernel("conv2", 7)
    assert "output map 2, input map 2" in dialog.windowTitle()
    np.testing.assert_array_equal(dialog.values, net.conv2.weight.detach().numpy()[1, 1])
    dialog.close()


CHECKBOX_INDICATOR = QPoint(8, 8)


def test_the_saliency_overlay_toggles(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[2][0])
    plain = window.input_view.image().copy()
    assert window.state.prediction.saliency is None and not window.input_view.saliency_visible
    qtbot.mouseClick(window.saliency_box, Qt.MouseButton.LeftButton, pos=CHECKBOX_INDICATOR)
    wait_for_prediction(qtbot, window)
    prediction = window.state.prediction
    assert prediction.saliency is not None and prediction.saliency.shape == (32, 32)
    assert window.input_view.saliency_visible
    overlaid = window.input_view.image()
    assert overlaid != plain
    pixels = (
        np.frombuffer(overlaid.constBits(), np.uint8).reshape(32, overlaid.bytesPerLine())[:, :96].reshape(32, 32, 3)
    )
    redness = pixels[..., 0].astype(int) - pixels[..., 2].astype(int)
    gradient = top_digit_gradient(window.state.classifier, prediction.frame)
    # Where the gradient is weak the overlay is faint and nearly white over grey: no colour to judge.
    clear = np.abs(gradient) >= 0.25 * np.abs(gradient).max()
    raises, lowers = clear & (gradient > 0), clear & (gradient < 0)
    assert raises.any() and lowers.any()
    assert (redness[raises] > 0).all(), "red where more ink raises the top digit"
    assert (redness[lowers] < 0).all(), "blue where more ink lowers it"
    qtbot.mouseClick(window.saliency_box, Qt.MouseButton.LeftButton, pos=CHECKBOX_INDICATOR)
    wait_for_prediction(qtbot, window)
    assert not window.input_view.saliency_visible
    assert window.input_view.image() == plain


def top_digit_gradient(classifier, frame: np.ndarray) -> np.ndarray:
    """d(top logit)/d(input pixel) by plain autograd, beside the app's own saliency code."""
    inputs = classifier.normalization.apply(
        torch.tensor(frame, dtype=torch.float32, device=classifier.device)[None, None]
    )
    inputs.requires_grad_(True)
    logits = classifier.net(inputs)[0]
    logits[logits.argmax()].backward()
    return inputs.grad[0, 0].cpu().numpy()


def test_switching_devices_keeps_the_predictions(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[6][1])
    reference = window.state.prediction
    for option in available_devices():
        assert window.choose_device(option.spec)
        wait_for_prediction(qtbot, window)
        assert window.state.classifier.device.type == option.spec.split(":")[0]
        assert option.label in window.model_label.text()
        now = window.state.prediction
        assert now is not reference
        np.testing.assert_allclose(now.probabilities, reference.probabilities, atol=1e-4)
        for name in LAYER_SHAPES:
            np.testing.assert_allclose(now.activations[name], reference.activations[name], atol=1e-3)
    assert window.choose_device("cpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_the_device_chooser_lists_every_cuda_device(make_main_window):
    window = make_main_window()
    labels = [window.device_box.itemText(i) for i in range(window.device_box.count())]
    for index in range(torch.cuda.device_count()):
        assert any(torch.cuda.get_device_name(index) in label for label in labels)


def test_the_status_bar_names_model_device_and_accuracy(make_main_window):
    window = make_main_window()
    text = window.model_label.text()
    classifier = window.state.classifier
    assert classifier.name in text and f"{classifier.test_accuracy:.2%}" in text and "CPU" in text


def test_a_corrupt_weights_file_leaves_the_model_working(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    classifier = window.state.classifier
    bad = tmp_path / "broken.pt"
    bad.write_bytes(b"\x80\x02 this is not a checkpoint")
    assert not window.open_weights(bad)
    assert window.error_box.isVisible()
    assert window.error_box.text().startswith("broken.pt: ") and "\n" not in window.error_box.text()
    assert window.state.classifier is classifier
    window.error_box.close()
    draw(qtbot, window, DIGITS[3][1])
    assert window.state.prediction.digit == 3


def test_save_and_open_weights_then_back_to_shipped(qtbot, make_main_window, tmp_path, shipped_classifier):
    window = make_main_window()
    shipped_classifier.metadata["name"] = "my retrained lenet"
    with torch.no_grad():
        shipped_classifier.net.fc3.bias += 0.5  # a different model, to see the switch
    path = tmp_path / "mine.pt"
    save_checkpoint(path, shipped_classifier)
    assert window.open_weights(path)
    assert window.state.classifier.name == "my retrained lenet"
    assert "my retrained lenet" in window.model_label.text()
    saved = tmp_path / "copy.pt"
    assert window.save_weights(saved)
    assert load_checkpoint(saved).name == "my retrained lenet"
    assert window.use_shipped_weights()
    assert window.state.classifier.name == load_checkpoint(shipped_weights_path()).name
    assert window.state.model_path is None


def test_settings_are_remembered(qtbot, make_main_window, tmp_path, settings_path, shipped_classifier):
    from PySide6.QtCore import QSettings

    from lenet_desktop.gui.startup.app import load_startup_model

    path = tmp_path / "mine.pt"
    shipped_classifier.metadata["name"] = "remembered"
    save_checkpoint(path, shipped_classifier)
    window = make_main_window()
    window.width_slider.setValue(27)
    # A size this screen can hold (offscreen is 800 px square, a desktop larger), never below the
    # window's minimum: restoring it then owes nothing to the screen's size.
    available = window.screen().availableGeometry()
    size = QSize(min(1200, available.width() - 40), min(720, available.height() - 80)).expandedTo(window.minimumSize())
    window.resize(size)
    assert window.open_weights(path)
    assert window.choose_device("cpu")  # on a machine with a GPU the next start would otherwise pick it
    window.close()

    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    startup = load_startup_model(None, None, settings)
    assert startup.classifier.name == "remembered" and startup.path == path.resolve()
    assert startup.classifier.device.type == "cpu"
    again = make_main_window(startup.classifier, settings, startup.path)
    assert again.canvas.brush_width == 27 and again.width_slider.value() == 27
    assert again.size() == size != QSize(1440, 860)  # not the default
    assert again.device_box.currentData() == "cpu"


def test_the_next_start_uses_whatever_model_was_made_active(
    make_main_window, tmp_path, settings_path, shipped_classifier
):
    """A model activated with its file is the next start's; a model that lives only in memory (kept
    from the Inspector) means the shipped weights. Keep in the Training tab: the test below."""
    from PySide6.QtCore import QSettings

    from lenet_desktop.gui.startup.app import load_startup_model

    def next_start():
        window.settings.sync()
        return load_startup_model(None, None, QSettings(str(settings_path), QSettings.Format.IniFormat))

    window = make_main_window()
    shipped_classifier.metadata["name"] = "from a file"
    mine = tmp_path / "mine.pt"
    save_checkpoint(mine, shipped_classifier)
    assert window.open_weights(mine)
    assert next_start().classifier.name == "from a file"
    window.state.set_classifier(load_checkpoint(mine), None)  # what the Inspector's Keep does
    assert next_start().path is None
    assert window.open_weights(mine)
    # The box has one entry on a machine without a GPU; choosing it again is what a switch does.
    window.device_box.currentIndexChanged.emit(window.device_box.findData("cpu"))
    assert next_start().path == mine.resolve(), "moving the model to a device keeps it the active one"


def tab(window, title):
    return next(window.tabs.widget(i) for i in range(window.tabs.count()) if window.tabs.tabText(i) == title)


@pytest.mark.slow
def test_keep_in_the_training_tab_then_restart_starts_on_it_and_the_models_tab_marks_it(
    qtbot, make_main_window, settings_path, mnist_root
):
    from PySide6.QtCore import QSettings

    from lenet_desktop.core.history import fingerprint
    from lenet_desktop.gui.startup.app import load_startup_model

    window = make_main_window()
    panel = tab(window, "Training")
    assert panel is window.training_panel
    window.tabs.setCurrentWidget(panel)
    panel.epochs_box.setValue(1)
    panel.batch_limit_box.setValue(2)
    # Small steps: a model whose digits fell past the limit would make Keep ask first, which is not this test's subject.
    panel.hyperparameter_forms["adam"].fields["lr"][0].setValue(1e-5)
    panel.data_box.setCurrentIndex(panel.data_box.findData("mnist"))
    with qtbot.waitSignal(panel.runFinished, timeout=300_000) as finished:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    trained = finished.args[0].runs[0].classifier
    with qtbot.waitSignal(panel.modelKept) as kept:
        qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    entry = kept.args[0]
    window.close()

    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    startup = load_startup_model(None, None, settings)
    assert startup.path == entry.path and not startup.warnings
    assert (
        fingerprint(startup.classifier) == fingerprint(trained) != fingerprint(load_checkpoint(shipped_weights_path()))
    )
    again = make_main_window(startup.classifier, settings, startup.path)
    models = tab(again, "Models")
    rows = [models.list.item(i).text() for i in range(models.list.count())]
    # The shipped model first, then the kept one, marked active.
    assert len(rows) == 2 and rows[0].startswith("lenet-mnist-shipped"), rows
    assert rows[1].startswith("● ") and entry.name in rows[1], rows


def test_training_runs_on_all_threads_while_prediction_uses_one(qtbot, make_main_window):
    from lenet_desktop.gui.services.jobs import TRAINING_THREADS, JobRunner

    window = make_main_window()
    draw(qtbot, window, DIGITS[3][0])  # the prediction worker has set its one thread by now
    runner = JobRunner("training")
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        runner.start(lambda context: torch.get_num_threads())
    assert finished.args[0] == TRAINING_THREADS


def test_a_remembered_model_that_is_gone_falls_back_to_shipped(settings_path, tmp_path):
    from PySide6.QtCore import QSettings

    from lenet_desktop.gui.startup.app import StartupError, load_startup_model

    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("model/path", str(tmp_path / "deleted.pt"))
    settings.setValue("model/device", "cuda:99")
    startup = load_startup_model(None, None, settings)
    assert startup.path is None and startup.classifier.name == load_checkpoint(shipped_weights_path()).name
    assert len(startup.warnings) == 2
    with pytest.raises(StartupError, match="deleted.pt"):
        load_startup_model(tmp_path / "deleted.pt", None, settings)
