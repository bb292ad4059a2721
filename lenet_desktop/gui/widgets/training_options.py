"""The Training tab's options form: what to train on and how, read back as the run it describes (TrainConfig)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from lenet_desktop.core.device import available_devices
from lenet_desktop.core.mixing import DEFAULT_REPLAY
from lenet_desktop.core.optimizers import (
    MAX_HYPERPARAMETER,
    OPTIMIZERS,
    SCHEDULES,
    starting_hyperparameters,
    starting_schedule,
)
from lenet_desktop.core.personalise import Recipe
from lenet_desktop.core.train import LOSSES, TrainConfig
from lenet_desktop.core.training_run import DATA_CHOICES
from lenet_desktop.gui.services.labels import data_label, hyperparameter_label, loss_label, schedule_label, start_label
from lenet_desktop.gui.services.language import Retranslated, fill, number_text

START_CHOICES = ("current", "fresh")
COMPARE_COLUMNS = 3  # optimizer tick boxes per row; five in one row overflow the tab


class HyperparameterForm(Retranslated, QWidget):
    """Spin boxes for one optimizer's hyperparameters, starting at its defaults."""

    def __init__(self, optimizer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, list[QDoubleSpinBox]] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, default in OPTIMIZERS[optimizer].defaults.items():
            values = default if isinstance(default, tuple) else (default,)
            boxes = [_spin_for(key, value) for value in values]
            row = QHBoxLayout()
            for box in boxes:
                row.addWidget(box)
            self.labels[key] = QLabel(hyperparameter_label(key))
            form.addRow(self.labels[key], row)
            self.fields[key] = boxes

    def _retranslate(self) -> None:
        for key, label in self.labels.items():
            label.setText(hyperparameter_label(key))

    def start_from(self, values: dict) -> None:
        """Show `values` (core.optimizers.starting_hyperparameters) in the boxes."""
        for key, value in values.items():
            for box, number in zip(self.fields[key], value if isinstance(value, tuple) else (value,)):
                box.setValue(number)

    def values(self) -> dict:
        return {
            key: tuple(b.value() for b in boxes) if len(boxes) > 1 else boxes[0].value()
            for key, boxes in self.fields.items()
        }


def _spin_for(key: str, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(6)
    box.setRange(1e-6 if key == "lr" else 0.0, MAX_HYPERPARAMETER if key == "lr" else 0.9999)
    box.setSingleStep(value / 10 if key == "lr" and value else 0.01)
    box.setValue(value)
    return box


class TrainingOptions(Retranslated, QGroupBox):
    """The data, optimizer, schedule, loss, epochs, batches, seed, start and device of a run; with the
    personalisation recipe chosen, the settings it chooses itself are hidden and the recipe is said instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_box = _combo(DATA_CHOICES)
        self.replay_box = QSpinBox()
        self.replay_box.setRange(100, 60000)
        self.replay_box.setSingleStep(500)
        self.replay_box.setValue(DEFAULT_REPLAY)
        self.share_box = QDoubleSpinBox()
        self.share_box.setRange(0.01, 0.99)
        self.share_box.setSingleStep(0.05)
        self.share_box.setValue(Recipe().correction_share)
        self.optimizer_box = _combo(OPTIMIZERS)
        for index, spec in enumerate(OPTIMIZERS.values()):
            self.optimizer_box.setItemText(index, spec.label)  # a name, the same in every language
        self.optimizer_box.setCurrentIndex(list(OPTIMIZERS).index("adam"))
        self.hyperparameter_stack = QStackedWidget()
        self.hyperparameter_forms = {name: HyperparameterForm(name) for name in OPTIMIZERS}
        for form in self.hyperparameter_forms.values():
            self.hyperparameter_stack.addWidget(form)
        self.schedule_box = _combo(SCHEDULES)
        self.loss_box = _combo(LOSSES)
        self.epochs_box = _int_box(1, 100, 1)
        self.batch_box = _int_box(1, 4096, 128)
        self.batch_limit_box = _int_box(0, 100000, 0)
        self.augment_box = QCheckBox()
        self.augment_box.setChecked(True)
        self.seed_box = _int_box(0, 2**31 - 1, 0)
        self.start_box = _combo(START_CHOICES)
        self.device_box = QComboBox()
        self.device_box.addItem("", "auto")
        for option in available_devices():
            self.device_box.addItem(option.label, option.spec)
        self.compare_boxes = {name: QCheckBox(spec.label) for name, spec in OPTIMIZERS.items()}
        for name in ("sgd", "adam"):
            self.compare_boxes[name].setChecked(True)

        compare_grid = QGridLayout()
        for index, box in enumerate(self.compare_boxes.values()):
            compare_grid.addWidget(box, index // COMPARE_COLUMNS, index % COMPARE_COLUMNS)
        self.compare_grid = QWidget()  # a widget, so that its row can be hidden and greyed like the others
        self.compare_grid.setLayout(compare_grid)
        compare_grid.setContentsMargins(0, 0, 0, 0)
        # Shown instead of the settings the personalisation recipe chooses itself.
        self.recipe_label = QLabel()
        self.recipe_label.setWordWrap(True)
        self.recipe_label.setStyleSheet("color: #64748b;")
        form = QFormLayout()
        self.options_form = form
        self.form_labels: dict[str, QLabel] = {}
        for key, field in (
            ("data", self.data_box),
            ("replay", self.replay_box),
            ("share", self.share_box),
            ("recipe", self.recipe_label),
            ("optimizer", self.optimizer_box),
            ("hyperparameters", self.hyperparameter_stack),
            ("schedule", self.schedule_box),
            ("loss", self.loss_box),
            ("epochs", self.epochs_box),
            ("batch", self.batch_box),
            ("batches", self.batch_limit_box),
            ("augment", self.augment_box),
            ("seed", self.seed_box),
            ("start", self.start_box),
            ("device", self.device_box),
            ("compare", self.compare_grid),
        ):
            if key in ("hyperparameters", "augment", "recipe"):  # a row of its own, with no label
                form.addRow(field)
            else:
                self.form_labels[key] = QLabel()
                form.addRow(self.form_labels[key], field)
        self.setLayout(form)

        # From trained weights a run starts slower and decays (core.optimizers): the rates that train
        # fresh weights made the shipped model worse in one epoch.
        self.start_box.currentIndexChanged.connect(self._on_start_box_changed)
        self._on_start_box_changed()
        self.optimizer_box.currentIndexChanged.connect(self.hyperparameter_stack.setCurrentIndex)
        self.hyperparameter_stack.setCurrentIndex(self.optimizer_box.currentIndex())
        self.data_box.currentIndexChanged.connect(self._on_data_box_changed)
        self._on_data_box_changed()
        self._retranslate()

    def _on_start_box_changed(self) -> None:
        from_trained = self.start_box.currentData() == "current"
        for name, form in self.hyperparameter_forms.items():
            form.start_from(starting_hyperparameters(name, from_trained))
        self.schedule_box.setCurrentIndex(SCHEDULES.index(starting_schedule(from_trained)))

    def _retranslate(self) -> None:
        for box, label in (
            (self.data_box, data_label),
            (self.schedule_box, schedule_label),
            (self.loss_box, loss_label),
            (self.start_box, start_label),
        ):
            for index in range(box.count()):
                box.setItemText(index, label(box.itemData(index)))
        self.device_box.setItemText(0, self.tr("Automatic"))
        self.data_box.setToolTip(
            self.tr(
                "To teach the active model your handwriting, choose My corrections (personalise): a measured recipe "
                "(MNIST replay, distillation, the step chosen so that no MNIST digit falls past its limit) picks the other settings"
            )
        )
        self.replay_box.setToolTip(self.tr("MNIST images mixed into every epoch so the model does not forget MNIST"))
        self.share_box.setToolTip(
            self.tr("The share of each epoch's images that are your corrections (repeated to reach it)")
        )
        self.batch_limit_box.setSpecialValueText(self.tr("all"))
        self.batch_limit_box.setToolTip(self.tr("Stop each epoch after this many batches, for a quick try"))
        self.augment_box.setText(self.tr("Augment (rotate, scale, shear, shift, stroke width)"))
        recipe = Recipe()
        self.recipe_label.setText(
            fill(
                self.tr(
                    "The personalisation recipe chooses the rest: %1 at a learning rate of %2, up to %n epochs "
                    "in batches of %3, augmented, starting from the active model; it keeps the step at which no "
                    "MNIST digit has fallen past its limit.",
                    "",
                    recipe.epochs,
                ),
                OPTIMIZERS[recipe.optimizer].label,
                number_text(recipe.lr, 4),
                recipe.batch_size,
            )
        )
        for key, text in (
            ("data", self.tr("Data")),
            ("replay", self.tr("MNIST replay per epoch")),
            ("share", self.tr("Corrections share per epoch")),
            ("optimizer", self.tr("Optimizer")),
            ("schedule", self.tr("Learning-rate schedule")),
            ("loss", self.tr("Loss")),
            ("epochs", self.tr("Epochs")),
            ("batch", self.tr("Batch size")),
            ("batches", self.tr("Batches per epoch")),
            ("seed", self.tr("Seed")),
            ("start", self.tr("Start from")),
            ("device", self.tr("Train on")),
            ("compare", self.tr("Compare")),
        ):
            self.form_labels[key].setText(text)
        self.setTitle(self.tr("What to train"))

    def config(self, optimizer: str | None = None) -> TrainConfig:
        """The run the controls describe; with `optimizer`, that optimizer at its defaults."""
        chosen = optimizer or self.optimizer_box.currentData()
        limit = self.batch_limit_box.value()
        return TrainConfig(
            optimizer=chosen,
            hyperparameters={} if optimizer else self.hyperparameter_forms[chosen].values(),
            schedule=self.schedule_box.currentData(),
            loss=self.loss_box.currentData(),
            epochs=self.epochs_box.value(),
            batch_size=self.batch_box.value(),
            augment=self.augment_box.isChecked(),
            seed=self.seed_box.value(),
            max_batches=limit or None,
        )

    @property
    def personalising(self) -> bool:
        """The personalisation recipe is chosen: it picks the optimizer, epochs, batches, start and more."""
        return self.data_box.currentData() == "mix"

    def _on_data_box_changed(self, _index: int = 0) -> None:
        personalising = self.personalising
        self.replay_box.setEnabled(personalising)
        self.share_box.setEnabled(personalising)
        # The personalisation recipe (core.personalise) chooses these; seed, batch limit, replay, share and device
        # still apply. Hidden, not only greyed: their values (Adam at 0.001, 1 epoch) are not the recipe's.
        self.options_form.setRowVisible(self.recipe_label, personalising)
        for widget in (
            self.optimizer_box,
            self.hyperparameter_stack,
            self.schedule_box,
            self.loss_box,
            self.epochs_box,
            self.batch_box,
            self.augment_box,
            self.start_box,
            self.compare_grid,
        ):
            widget.setEnabled(not personalising)
            self.options_form.setRowVisible(widget, not personalising)


def _combo(choices) -> QComboBox:
    """A combo box of `choices` (keys, as its items' data); the form names them in its language."""
    box = QComboBox()
    for key in choices:
        box.addItem("", key)
    return box


def _int_box(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box
