"""The main window: the canvas and its tools on the left, the answer beside it, and a tab per
panel on the right. Only wiring lives here; every view listens to the AppState.

The window shows before torch is imported (see app.py): this module and what it imports at the top do
not import torch; the parts that need it are imported where they are used, and the predictor, the device
list and the network's views are built once the state has its first model, the other tabs then or, at
start-up, a moment later (tests/gui/test_startup.py guards it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.errors import first_line
from lenet_desktop.core.paths import user_data_dir
from lenet_desktop.gui.services.language import (
    TranslatedTabs,
    ViewMenu,
    fill,
    install_remembered_language,
    markup_fill,
    percent_text,
    told_text,
)
from lenet_desktop.gui.services.plain_text import plain_message_box
from lenet_desktop.gui.services.state import AppState, ObservedHistory
from lenet_desktop.gui.services.threads import stop_all
from lenet_desktop.gui.widgets.canvas import (
    DigitBox,
    DrawingCanvas,
)
from lenet_desktop.gui.widgets.canvas_images import CanvasImages
from lenet_desktop.gui.widgets.drawing_side import DrawingSide, remembered_brush_width
from lenet_desktop.gui.widgets.model_controls import ModelControls
from lenet_desktop.gui.widgets.prediction_views import DigitReadout, NetworkInputView, ProbabilityBars
from lenet_desktop.gui.widgets.wheel_guard import guard_wheel

if TYPE_CHECKING:
    from lenet_desktop.core.model import Classifier

LEAST_HEIGHT = 540  # px of the panes, between the menu bar and the status bar
# QSettings keys; MODEL_PATH only as older versions wrote it (the active model is core.active_model's now)
GEOMETRY, DEVICE, MODEL_PATH = "window/geometry", "model/device", "model/path"


class MainWindow(QMainWindow):
    engineReady = Signal()  # the predictor, the device list and every tab are built
    imageUsed = Signal(bool)  # an opened, pasted or dropped image was read: True when it is on the canvas

    def __init__(
        self, state: AppState, settings: QSettings, parent: QWidget | None = None, *, tabs_later: bool = False
    ) -> None:
        """`tabs_later`: the start-up path (app.py), which calls `build_tabs` once the loader thread has
        imported their modules, so the first prediction does not wait for them."""
        super().__init__(parent)
        self.state = state
        self.settings = settings
        self._tabs_later = tabs_later
        install_remembered_language(settings)  # before any text is set; run_app reports a problem with it
        self.error_box: QMessageBox | None = None
        self.ask_before_closing = True  # about a training result neither kept nor discarded
        self.predictor = None  # the LivePredictor, once the state has a model
        self.training_panel = None  # the Training tab, once the state has a model
        self.gallery = None  # the errors gallery of the Training tab's results, once asked for
        self.enrol_action: QAction | None = None  # "Teach it my handwriting…", with the tabs
        self._owners = []  # the parts build_tabs makes that run threads, shut down by closeEvent
        self.shut_down = False  # closeEvent has stopped the threads: nothing may start new ones
        self._loading_page: QLabel | None = None
        self.wheel_guard = guard_wheel(self)  # before any widget is made and polished
        self.setWindowTitle("LeNet Desktop")
        self.setAcceptDrops(True)

        self.canvas = DrawingCanvas()
        self.canvas.set_brush_width(remembered_brush_width(settings))
        self.images = CanvasImages(self.canvas, self, self.show_error, self.statusBar().showMessage)
        self.images.imageUsed.connect(self.imageUsed)
        self.image_reader = self.images.reader
        self.model_controls = ModelControls(
            state,
            self,
            self.show_error,
            self.statusBar().showMessage,
            move_to=lambda device: self.predictor.move_to(device),
            remember_device=lambda spec: settings.setValue(DEVICE, spec),
        )
        self.readout = DigitReadout(state)
        self.probability_bars = ProbabilityBars(state)
        self.input_view = NetworkInputView(state)
        self.saliency_box = QCheckBox()
        self.tabs = TranslatedTabs()
        self.tabs.setDocumentMode(True)

        self._build_actions()
        self._build_menus()
        self._build_layout()
        self._build_status_bar()

        self.canvas.historyChanged.connect(self._on_canvas_history_changed)
        self.canvas.digitClicked.connect(state.select_digit)
        state.selectedDigitChanged.connect(self._on_state_selected_digit_changed)
        state.modelChanged.connect(self._on_state_model_changed)
        state.deviceChanged.connect(self._on_state_device_changed)
        state.saliencyChanged.connect(self.input_view.set_show_saliency)
        self.saliency_box.toggled.connect(state.set_saliency)

        self._retranslate()
        self._on_canvas_history_changed()
        self.resize(1440, 860)
        geometry = settings.value(GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if state.classifier is None:
            self._show_loading()
        else:
            self._on_state_model_changed(state.classifier)

    @property
    def engine_ready(self) -> bool:
        return self.predictor is not None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show_model_label()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Every text of the window itself; the panels set their own."""
        for action, text, tip in (
            (self.open_image_action, self.tr("&Open image…"), self.tr("Open an image file as the drawing")),
            (self.paste_action, self.tr("&Paste image"), self.tr("Use the image on the clipboard as the drawing")),
            (self.save_image_action, self.tr("&Save drawing as PNG…"), self.tr("Save the drawing as a PNG image")),
            (self.quit_action, self.tr("&Quit"), self.tr("Quit LeNet Desktop")),
            (self.undo_action, self.tr("&Undo"), self.tr("Undo the last stroke")),
            (self.redo_action, self.tr("&Redo"), self.tr("Redo the stroke undone last")),
            (self.clear_action, self.tr("&Clear"), self.tr("Clear the drawing")),
            (self.pen_action, self.tr("&Pen"), self.tr("Draw ink")),
            (self.eraser_action, self.tr("&Eraser"), self.tr("Erase ink")),
            (self.open_weights_action, self.tr("&Open weights…"), self.tr("Use a weights file (.pt) as the model")),
            (self.save_weights_action, self.tr("&Save weights as…"), self.tr("Save the current model's weights")),
            (
                self.shipped_weights_action,
                self.tr("&Back to shipped weights"),
                self.tr("Use the weights that came with the app"),
            ),
            *(
                [
                    (
                        self.enrol_action,
                        self.tr("&Teach it my handwriting…"),
                        self.tr("Write each digit three times when asked, then personalise the model on them"),
                    )
                ]
                if self.enrol_action is not None
                else []
            ),
        ):
            action.setText(text)
            if not action.shortcut().isEmpty():
                tip = fill(self.tr("%1 (%2)"), tip, action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
            action.setToolTip(tip)
            action.setStatusTip(tip)
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.model_menu.setTitle(self.tr("&Model"))
        self.saliency_box.setText(self.tr("Show saliency"))
        self.saliency_box.setToolTip(
            self.tr("Colour the input by how much each pixel pushes the top digit up (red) or down (blue)")
        )
        self.input_title.setText(
            self.tr("<b>Network input</b> <span style='color:#64748b'>32×32, as the network sees it</span>")
        )
        self.prediction_title.setText(self.tr("<b>Prediction</b>"))
        self.device_box.setToolTip(self.tr("Where the model runs; switching moves it there"))
        self.device_title.setText(self.tr("Device"))

    # --- construction ----------------------------------------------------------------------

    def _action(self, shortcut: QKeySequence | str | None, slot) -> QAction:
        """An action of the window; _retranslate names it, with its shortcut in the tooltip."""
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_image_action = self._action(QKeySequence.StandardKey.Open, self.images.open_dialog)
        self.paste_action = self._action(QKeySequence.StandardKey.Paste, self.images.paste_image)
        self.save_image_action = self._action(QKeySequence.StandardKey.Save, self.images.save_dialog)
        self.quit_action = self._action(QKeySequence.StandardKey.Quit, self.close)
        self.undo_action = self._action("Ctrl+Z", self.canvas.undo)
        self.redo_action = self._action("Ctrl+Shift+Z", self.canvas.redo)
        self.clear_action = self._action("Esc", self.canvas.clear)
        self.pen_action = self._action("P", lambda: self.canvas.set_erasing(False))
        self.eraser_action = self._action("E", lambda: self.canvas.set_erasing(True))
        for action in (self.pen_action, self.eraser_action):
            action.setCheckable(True)
        self.pen_action.setChecked(True)
        self.open_weights_action = self._action(None, self.model_controls.open_dialog)
        self.save_weights_action = self._action(None, self.model_controls.save_dialog)
        self.shipped_weights_action = self._action(None, self.model_controls.use_shipped_weights)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        self.file_menu = menus.addMenu("")
        for action in (self.open_image_action, self.paste_action, self.save_image_action):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = menus.addMenu("")
        for action in (self.undo_action, self.redo_action, self.clear_action):
            self.edit_menu.addAction(action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.pen_action)
        self.edit_menu.addAction(self.eraser_action)
        self.model_menu = menus.addMenu("")
        for action in (self.open_weights_action, self.save_weights_action, self.shipped_weights_action):
            self.model_menu.addAction(action)
        menus.addMenu(ViewMenu(self.settings, self))

    def _build_layout(self) -> None:
        self.drawing_side = DrawingSide(
            self.canvas,
            self.settings,
            pen=self.pen_action,
            eraser=self.eraser_action,
            undo=self.undo_action,
            redo=self.redo_action,
            clear=self.clear_action,
        )
        side = self.drawing_side  # its buttons and slider, as the window's own
        self.pen_button, self.eraser_button, self.width_slider = side.pen_button, side.eraser_button, side.width_slider
        self.undo_button, self.redo_button, self.clear_button = side.undo_button, side.redo_button, side.clear_button

        self.input_title = QLabel()
        self.input_title.setWordWrap(True)
        self.prediction_title = QLabel()
        answer_side = QFrame()
        answer_side.setObjectName("answer")
        answer_side.setStyleSheet(
            "#answer { background: #f8fafc; border-left: 1px solid #e2e8f0; border-right: 1px solid #e2e8f0; }"
        )
        answer_layout = QVBoxLayout(answer_side)
        answer_layout.setContentsMargins(12, 8, 12, 8)
        answer_layout.addWidget(self.prediction_title)
        answer_layout.addWidget(self.readout)
        answer_layout.addWidget(self.probability_bars, 3)
        answer_layout.addSpacing(8)
        answer_layout.addWidget(self.input_title)
        answer_layout.addWidget(self.input_view, 2)
        answer_layout.addWidget(self.saliency_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.drawing_side)
        splitter.addWidget(answer_side)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 4)
        splitter.setSizes([600, 250, 590])
        # The window's least size is its layout's: every part at its own least size, side by side (about
        # 1210 px wide: it fits a 1280 px screen). Wrapped texts (the Inspector's) need more height than a
        # layout counts, hence a floor for the height.
        splitter.setMinimumHeight(LEAST_HEIGHT)
        self.setCentralWidget(splitter)

    def _build_status_bar(self) -> None:
        self.model_label = QLabel()
        self.device_box = self.model_controls.device_box
        bar = self.statusBar()
        bar.addWidget(self.model_label, 1)
        self.device_title = QLabel()
        bar.addPermanentWidget(self.device_title)
        bar.addPermanentWidget(self.device_box)

    def _show_loading(self) -> None:
        """Until the first model arrives: the canvas takes ink, and the answer side and the tabs say why
        nothing is predicted yet; what needs the model is disabled."""
        self.readout.set_loading()
        self._loading_page = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self._loading_page.setStyleSheet("color: #64748b;")
        self.tabs.addTab(self._loading_page, "")
        self._show_model_label()  # says so on the page too, and again when the language changes
        self._enable_engine_controls(False)

    def _enable_engine_controls(self, enabled: bool) -> None:
        """The controls that need a model: off while it loads."""
        for widget in (
            self.saliency_box,
            self.device_box,
            self.open_weights_action,
            self.save_weights_action,
            self.shipped_weights_action,
        ):
            widget.setEnabled(enabled)

    def _install_engine(self) -> None:
        """Build what needs torch and a model, and predict whatever was drawn while it loaded. The views of
        the network come first; the tabs that only matter once the user turns to them (Inspector, Corrections,
        Training, Models) follow in `build_tabs`."""
        from lenet_desktop.gui.services.live_prediction import LivePredictor
        from lenet_desktop.gui.widgets.network_views import KernelsPanel, LayersPanel

        self.predictor = LivePredictor(
            self.state, self.current_drawing, self.canvas.strokes, self, read_input=self.canvas.known_input
        )
        self.predictor.failed.connect(
            lambda reason: self.statusBar().showMessage(fill(self.tr("Prediction failed: %1"), reason), 8000)
        )
        self.canvas.drawingChanged.connect(self.predictor.predict_soon)
        self.canvas.strokeFinished.connect(self.predictor.predict_now)
        # The answer on the new device, and with or without saliency, as asked.
        self.state.deviceChanged.connect(self.predictor.predict_now)
        self.state.saliencyChanged.connect(self.predictor.predict_now)
        self.model_controls.list_devices()
        if self._loading_page is not None:
            self.tabs.clear()
            self._loading_page.deleteLater()
            self._loading_page = None
        self.layers_panel = LayersPanel(self.state)
        self.kernels_panel = KernelsPanel(self.state)
        self.tabs.add_tab(self.layers_panel, lambda: self.tr("Inside the network"))
        self.tabs.add_tab(self.kernels_panel, lambda: self.tr("Kernels"))
        self._enable_engine_controls(True)
        self.predictor.predict_now()
        if not self._tabs_later:
            self.build_tabs()

    def build_tabs(self) -> None:
        """The tabs after the network's views, and the evaluation window; every connection between them
        is made here."""
        from lenet_desktop.core.history import HISTORY_FOLDER, ModelHistory
        from lenet_desktop.core.store import CorrectionStore, default_store_path
        from lenet_desktop.gui.panels.corrections_panel import CorrectionsPanel
        from lenet_desktop.gui.panels.evaluation_window import EvaluationWindow
        from lenet_desktop.gui.panels.inspector_panel import InspectorPanel
        from lenet_desktop.gui.panels.model_history import ModelHistoryPanel
        from lenet_desktop.gui.panels.training_panel import TrainingPanel

        history = ObservedHistory(ModelHistory(user_data_dir() / HISTORY_FOLDER), self)
        self.inspector_panel = InspectorPanel(self.state, history)
        self.tabs.add_tab(self.inspector_panel, lambda: self.tr("Inspector"))
        self.corrections_panel = CorrectionsPanel(
            self.state,
            lambda: CorrectionStore(default_store_path(user_data_dir())),
            shortcut_host=self,
            read_drawing=self.current_drawing,
            read_strokes=self.canvas.strokes,
        )
        self.corrections_panel.said.connect(lambda text: self.statusBar().showMessage(text, 10000))
        if self.corrections_panel.told is not None:  # said where the window opens, and kept on the tab
            self.statusBar().showMessage(told_text(self.corrections_panel.told))
        self.tabs.add_tab(self.corrections_panel, lambda: QCoreApplication.translate("TrainingPanel", "Corrections"))
        self.training_panel = TrainingPanel(self.state, self.corrections_panel.store, history)
        self.training_panel.galleryRequested.connect(self.show_gallery)
        self.history_panel = ModelHistoryPanel(self.state, history)
        self.tabs.add_tab(self.training_panel, lambda: QCoreApplication.translate("TrainingPanel", "Training"))
        self.tabs.add_tab(self.history_panel, lambda: QCoreApplication.translate("TrainingPanel", "Models"))
        self.evaluation = EvaluationWindow(self.state, self)
        self.evaluation.imageChosen.connect(self.images.open_evaluated_image)
        self.model_menu.addSeparator()
        self.model_menu.addAction(self.evaluation.mnist_action)
        self.model_menu.addAction(self.evaluation.folder_action)
        self.enrol_action = self._action(None, self.open_enrolment)
        self.model_menu.addAction(self.enrol_action)
        self._retranslate()
        self.training_panel.enrolmentRequested.connect(self.open_enrolment)
        # What closeEvent shuts down, in this order: each stops its own jobs and waits for their threads.
        self._owners = [
            self.training_panel,
            self.training_panel.gallery_requests,
            self.corrections_panel,
            self.evaluation,
        ]
        self.engineReady.emit()

    def open_enrolment(self):
        """The guided enrolment, window-modal; returns it. What it saves reaches the Corrections tab, what
        it keeps the Models tab."""
        from lenet_desktop.gui.panels.enrolment import EnrolmentDialog

        corrections = self.corrections_panel.corrections
        if corrections is None:  # the store could not be opened: the Corrections tab says why
            self.tabs.setCurrentWidget(self.corrections_panel)
            return None
        dialog = EnrolmentDialog(
            self.state, corrections, self.training_panel.history, self.training_panel.mnist_splits, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._owners.append(dialog)
        dialog.destroyed.connect(lambda: self._owners.remove(dialog) if dialog in self._owners else None)
        dialog.open()
        return dialog

    def show_gallery(self, result, indices, title) -> QWidget:
        """The window's errors gallery, in a window of its own, showing `indices` of `result`."""
        from lenet_desktop.gui.widgets.misread_gallery import MisreadGallery

        if self.gallery is None:
            self.gallery = MisreadGallery(self, Qt.WindowType.Window)
            self.gallery.resize(900, 600)
            self.gallery.imageChosen.connect(self.images.open_evaluated_image)
        self.gallery.show_images(result, indices, title)
        self.gallery.show()
        self.gallery.raise_()
        return self.gallery

    # --- the drawing ------------------------------------------------------------------------

    def current_drawing(self) -> np.ndarray | None:
        """The canvas as it is now (None when blank), whether or not it has been predicted yet."""
        return None if self.canvas.blank else self.canvas.drawing()

    def _on_canvas_history_changed(self) -> None:
        self.undo_action.setEnabled(self.canvas.can_undo)
        self.redo_action.setEnabled(self.canvas.can_redo)

    def _on_state_selected_digit_changed(self, selected: int) -> None:
        """The boxes over the canvas, for a number; a single digit is shown as it always was."""
        reading = self.state.reading
        if reading is None or len(reading.digits) < 2:
            self.canvas.set_digit_boxes(())
            return
        self.canvas.set_digit_boxes(
            tuple(
                DigitBox(box, text, prediction.unsure or prediction.not_a_digit, index == selected)
                for index, (box, text, prediction) in enumerate(
                    zip(reading.boxes, reading.shown_digits, reading.digits)
                )
            )
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """←/→ that no widget claimed (sliders and lists keep theirs) choose the digit of a number."""
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(event.key())
        if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier and self.state.reading is not None:
            self.state.select_digit(self.state.selected_digit + step)
            event.accept()
            return
        if self.training_panel is None and Qt.Key.Key_0 <= event.key() <= Qt.Key.Key_9:
            # The digit keys (DigitKeys) come with the Corrections tab, which build_tabs makes once the model
            # is there; until then a key did nothing.
            self.statusBar().showMessage(self.tr("The model is still loading: press the key again in a moment."), 5000)
            event.accept()
            return
        super().keyPressEvent(event)

    def open_image(self, path: Path | str) -> None:
        self.images.open_image(path)

    def save_drawing(self, path: Path | str) -> bool:
        return self.images.save_drawing(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasImage() or any(url.isLocalFile() for url in mime.urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.images.use_mime_data(event.mimeData(), self.tr("Nothing to use in what was dropped")):
            event.acceptProposedAction()

    # --- the model --------------------------------------------------------------------------

    def open_weights(self, path: Path | str) -> bool:
        return self.model_controls.open_weights(path)

    def use_shipped_weights(self) -> bool:
        return self.model_controls.use_shipped_weights()

    def save_weights(self, path: Path | str) -> bool:
        return self.model_controls.save_weights(path)

    def choose_device(self, spec: str) -> bool:
        return self.model_controls.choose_device(spec)

    def _on_state_model_changed(self, classifier: Classifier) -> None:
        if self.shut_down:  # the start-up model arrived as the window closed: its predictor would outlive closeEvent
            return
        if self.predictor is None:
            self._install_engine()
        # Whatever made the model active (a file, a kept run, the history), the next start uses it,
        # and so does the CLI: remembered where both read it.
        from lenet_desktop.core.active_model import remember_model

        try:
            remember_model(self.state.model_path)
        except OSError as error:
            self.statusBar().showMessage(
                fill(self.tr("The active model cannot be remembered for the next start: %1"), first_line(error)), 10000
            )
        self._on_state_device_changed(classifier.device)

    def _on_state_device_changed(self, _device) -> None:
        self.model_controls.select_device_of(self.state.classifier)
        self._show_model_label()

    def _show_model_label(self) -> None:
        classifier, device = self.state.classifier, self.device_box.currentText()
        if classifier is None:  # still loading
            text = self.tr("Loading the model…")
            self._loading_page.setText(text)
            self.tabs.setTabText(self.tabs.indexOf(self._loading_page), self.tr("Loading"))
        elif classifier.test_accuracy is None:
            text = markup_fill(
                self.tr("Model <b>%1</b> · MNIST accuracy unknown · running on %2"), classifier.name, device
            )
        else:
            text = markup_fill(
                self.tr("Model <b>%1</b> · MNIST test accuracy %2 · running on %3"),
                classifier.name,
                percent_text(classifier.test_accuracy, 2),
                device,
            )
        self.model_label.setText(text)

    # --- messages and closing -------------------------------------------------------------

    def show_error(self, title: str, message: str) -> None:
        """A warning box with the one-line reason; window-modal, so nothing waits on it."""
        if self.canvas.pen_down:
            # Start-up warnings come when the model does, maybe mid-stroke; a modal box would take the mouse
            # then, and the rest of the stroke and its end were lost. Checked again until the pen lifts.
            QTimer.singleShot(100, lambda: self.show_error(title, message))
            return
        self.error_box = plain_message_box(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self
        )
        self.error_box.setWindowModality(Qt.WindowModality.WindowModal)
        self.error_box.open()

    def close_without_asking(self) -> bool:
        """Close now, dropping an unkept training result (Ctrl-C in the terminal, the tests)."""
        self.ask_before_closing = False
        return self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The one shutdown path: ask before an unkept training result is lost, then shut down every part
        that runs a thread (each stops its jobs and waits for them) and the predictor."""
        training = self.training_panel
        if training is not None and training.result is not None and self.ask_before_closing:
            training.ask_before_closing(self)
            event.ignore()
            return
        for owner in self._owners:
            owner.shutdown()
        self.settings.setValue(GEOMETRY, self.saveGeometry())
        self.settings.sync()
        if self.predictor is not None:
            self.predictor.shutdown()
        stop_all()  # any thread its owner did not stop, an image still being read among them
        self.shut_down = True
        super().closeEvent(event)


def import_engine_views() -> None:
    """Import torch and the views the first prediction needs. The start-up loader calls this off the GUI
    thread, so that installing the engine when the model arrives finds them imported."""
    from lenet_desktop.gui.services import live_prediction  # noqa: F401
    from lenet_desktop.gui.widgets import network_views  # noqa: F401


def import_tab_views() -> None:
    """Import the modules of the tabs `build_tabs` makes; off the GUI thread at start-up, as above."""
    from lenet_desktop.gui.panels import (  # noqa: F401
        correction_bar,
        corrections_browser,
        corrections_panel,
        evaluation_window,
        inspector_panel,
        model_history,
        training_panel,
    )
