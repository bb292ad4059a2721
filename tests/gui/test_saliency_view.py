"""Saliency in the window, shown with a real click on "Show saliency": strong enough to see, and with a
legend saying what its colours mean."""

from __future__ import annotations

import numpy as np
from digit_strokes import DIGITS
from PySide6.QtCore import QPoint, Qt
from window_helpers import draw, wait_for_prediction

ON_THE_BOX = QPoint(8, 8)  # its tick box, not the empty room right of its text


def rgb(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * image.height())
    return rows.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(image.height(), -1, 3)


def test_saliency_is_strong_and_has_a_legend(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[3][0])
    qtbot.mouseClick(window.saliency_box, Qt.MouseButton.LeftButton, pos=ON_THE_BOX)
    wait_for_prediction(qtbot, window)
    assert window.input_view.saliency_visible
    pixels = rgb(window.input_view.image()).astype(int)
    coloured = np.abs(pixels[..., 0] - pixels[..., 2]) > 60  # clearly red or clearly blue
    assert coloured.mean() >= 0.1, f"only {coloured.mean():.0%} of the input is visibly coloured"
    shown = rgb(window.input_view.grab().toImage()).astype(int)
    legend_rows = [
        row
        for row in shown
        if len({tuple(p) for p in row}) >= 100  # a smooth bar: the 32x32 input has at most 32 colours a row
        and row[np.flatnonzero(row.sum(axis=1) > 60)[0]][2] > 120  # blue at its left end
        and row[np.flatnonzero(row.sum(axis=1) > 60)[-1]][0] > 120  # red at its right end
    ]
    assert legend_rows, "a blue-to-red legend is shown with the saliency"
    assert window.input_view.toolTip().endswith("the more influence")
    qtbot.mouseClick(window.saliency_box, Qt.MouseButton.LeftButton, pos=ON_THE_BOX)
    wait_for_prediction(qtbot, window)
    assert not window.input_view.saliency_visible
    assert not [row for row in rgb(window.input_view.grab().toImage()) if len({tuple(p) for p in row}) >= 100]
