"""The Models tab with real kept files on disk: what it lists is what it makes active."""

from __future__ import annotations

import copy
import shutil

import pytest
import torch
from PySide6.QtCore import Qt

from lenet_desktop.core.history import ModelHistory, fingerprint
from lenet_desktop.gui.panels.model_history import ModelHistoryPanel
from lenet_desktop.gui.services.state import AppState, ObservedHistory


def variant(classifier, name: str, shift: float):
    made = copy.deepcopy(classifier)
    made.metadata["name"] = name
    with torch.no_grad():
        made.net.fc3.bias.add_(shift)
    return made


@pytest.fixture
def kept(qtbot, tmp_path, shipped_classifier):
    history = ObservedHistory(ModelHistory(tmp_path / "models"))
    first = history.keep(variant(shipped_classifier, "first kept", 0.5))
    second = history.keep(variant(shipped_classifier, "second kept", -0.5))
    state = AppState(shipped_classifier)
    panel = ModelHistoryPanel(state, history)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, first, second


def test_a_kept_file_replaced_on_disk_is_not_made_active_under_its_old_name(qtbot, kept):
    """It said "Now predicting with second kept" while it predicted with the file's new weights."""
    panel, first, second = kept
    shutil.copyfile(first.path, second.path)  # the second's file now holds the first's weights
    before = panel.state.classifier
    panel.list.setCurrentRow(2)
    assert panel.list.item(2).text().startswith("second kept")
    qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    assert panel.state.classifier is before, "refused"
    said = panel.status.text()
    assert said.startswith("Cannot use it: ") and "replaced" in said and "first kept" in said, said
    assert "\n" not in said and "Now predicting" not in said
    assert panel.list.item(2).text().startswith("first kept"), "the list now shows what the file holds"
    with qtbot.waitSignal(panel.state.modelChanged):
        qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    assert fingerprint(panel.state.classifier) == first.version and panel.state.classifier.name == "first kept"


def test_a_line_too_long_for_the_tab_wraps_and_its_tooltip_holds_it_whole(qtbot, kept, shipped_classifier):
    panel, _, _ = kept
    panel.history.keep(variant(shipped_classifier, "personalised on my handwriting, 40 corrections, " * 2, 0.25))
    panel.resize(360, 500)
    qtbot.waitUntil(lambda: panel.list.viewport().width() < 360)
    item = panel.list.item(panel.list.count() - 1)
    rect = panel.list.visualItemRect(item)
    assert rect.right() <= panel.list.viewport().width(), "no part of the line runs off the tab's edge"
    assert rect.height() >= 2 * panel.list.fontMetrics().height(), "wrapped onto more lines"
    assert item.toolTip() == item.text() and item.text().count("40 corrections") == 2 and " · version " in item.text()
