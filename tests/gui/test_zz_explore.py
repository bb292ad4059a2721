from digit_strokes import DIGITS
from window_helpers import draw, fit, wait_for_prediction
from lenet_desktop.gui.replay import draw_strokes

def test_explore(qtbot, make_main_window):
    window = make_main_window()
    c = window.canvas
    print("start", c.document.width, c.size(), c.drawing_rect(), c.drawing().shape)
    for i, d in enumerate((2, 0, 2, 6, 1, 9, 8, 4)):
        draw(qtbot, window, fit(DIGITS[d][0], 0.05 + 0.62 * i, 0.1, 0.8))
    print("grown", c.document.width, c.size(), c.drawing_rect(), c.drawing().shape, window.size())
    window.clear_action.trigger(); wait_for_prediction(qtbot, window)
    print("cleared", c.document.width, c.size(), c.drawing_rect(), c.drawing().shape, window.size())
    draw(qtbot, window, fit(DIGITS[3][0], 0.1, 0.1, 0.8))
    print("one", c.document.width, c.size(), c.drawing_rect(), c.drawing().shape)
    for i, d in enumerate((2, 0, 2)):
        draw(qtbot, window, fit(DIGITS[d][0], 0.05 + 0.62 * i, 0.1, 0.8))
    print("three", c.document.width, c.drawing().shape)
    window.undo_action.trigger(); window.undo_action.trigger(); wait_for_prediction(qtbot, window)
    print("undo2", c.document.width, c.drawing().shape, window.statusBar().currentMessage())
