"""Crafted weights files: tensors torch can store but a LeNet cannot use, and
metadata built to exhaust the reader. Each is refused in one line by the core, the CLI, the
model history and the window's start; a fuzzer then looks for the next such file."""

from __future__ import annotations

import json
import math
import warnings

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lenet_desktop.cli import main
from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint
from lenet_desktop.core.history import HISTORY_FOLDER, ModelHistory
from lenet_desktop.core.model import Net
from lenet_desktop.core.paths import shipped_weights_path, user_data_dir


def _shipped_payload() -> dict:
    return torch.load(shipped_weights_path(), weights_only=True)


def _with_metadata(change) -> dict:
    payload = _shipped_payload()
    metadata = json.loads(payload["metadata"])
    change(metadata)
    return {**payload, "metadata": json.dumps(metadata)}


def _with_tensors(change) -> dict:
    payload = _shipped_payload()
    with warnings.catch_warnings():  # torch's notes on making quantised and CSR tensors
        warnings.simplefilter("ignore", UserWarning)
        return {**payload, "state_dict": {k: change(v) for k, v in payload["state_dict"].items()}}


CRAFTED = {
    "sparse": (lambda: _with_tensors(lambda v: v.to_sparse()), "is not a plain tensor"),
    "sparse-csr": (lambda: _with_tensors(lambda v: v.to_sparse_csr() if v.dim() == 2 else v), "is not a plain tensor"),
    "meta": (lambda: _with_tensors(lambda v: v.to("meta")), "holds no values (a meta tensor)"),
    "quantised": (
        lambda: _with_tensors(lambda v: torch.quantize_per_tensor(v, 0.1, 0, torch.qint8)),
        "is not a plain tensor",
    ),
    "complex": (lambda: _with_tensors(lambda v: v.to(torch.complex64)), "is not a tensor of real numbers"),
    "float64-1e300": (
        lambda: _with_tensors(lambda v: torch.full_like(v, 1e300, dtype=torch.float64)),
        "NaN or infinite values (as 32-bit floats)",
    ),
    "huge-but-finite": (lambda: _with_tensors(lambda v: torch.full_like(v, 3e38)), "values beyond ±1000"),
    "deep-metadata": (
        lambda: {**_shipped_payload(), "metadata": "[" * 100_000 + "]" * 100_000},
        "metadata is damaged (over",
    ),
    "deep-but-short-metadata": (
        lambda: {**_shipped_payload(), "metadata": "[" * 40_000 + "]" * 40_000},
        "nested over 16 levels",
    ),
    "metadata-not-text": (lambda: {**_shipped_payload(), "metadata": torch.zeros(3)}, "metadata is damaged"),
    "mean-10**400": (
        lambda: _with_metadata(lambda m: m.update(normalization={"mean": 10**400, "std": 0.3})),
        "normalisation statistics are damaged",
    ),
    "std-tiny": (
        lambda: _with_metadata(lambda m: m.update(normalization={"mean": 0.1, "std": 1e-30})),
        "normalisation statistics are invalid",
    ),
    "std-nan": (
        lambda: _with_metadata(lambda m: m.update(normalization={"mean": 0.1, "std": math.nan})),
        "normalisation statistics are invalid",
    ),
}


@pytest.fixture(params=sorted(CRAFTED))
def crafted(request, tmp_path):
    make, reason = CRAFTED[request.param]
    path = tmp_path / f"{request.param}.pt"
    torch.save(make(), path)
    return path, reason


def test_a_crafted_weights_file_is_refused_in_one_line(crafted):
    path, reason = crafted
    with pytest.raises(CheckpointError) as error:
        load_checkpoint(path)
    assert reason in str(error.value) and path.name in str(error.value)
    assert "\n" not in str(error.value)


def test_the_cli_refuses_a_crafted_file_in_one_line(crafted, capsys, tmp_path):
    path, reason = crafted
    assert (
        main(["--weights", str(path), "predict", str(shipped_weights_path().parent / "samples" / "digit_7.png")]) == 2
    )
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and reason in captured.err


def test_the_model_history_leaves_out_crafted_files(crafted):
    path, _ = crafted
    folder = user_data_dir() / HISTORY_FOLDER
    folder.mkdir(parents=True)
    path.rename(folder / "0001-crafted.pt")
    history = ModelHistory(folder)
    kept = history.keep(load_checkpoint(shipped_weights_path()))
    assert [entry.path for entry in history.entries()] == [kept.path]


@pytest.mark.parametrize("kind", ["sparse", "deep-but-short-metadata", "mean-10**400"])
def test_the_window_starts_with_a_crafted_remembered_model_and_models_folder(kind, tmp_path, qapp, make_main_window):
    """Both ways a crafted file reached the start: as the remembered model (the app exited 1) and
    in the models folder (the Models tab let the error through and the window aborted)."""
    from PySide6.QtCore import QSettings

    from lenet_desktop.gui.main_window import MODEL_PATH
    from lenet_desktop.gui.startup.app import load_startup_model

    folder = user_data_dir() / HISTORY_FOLDER
    folder.mkdir(parents=True)
    path = folder / "0001-crafted.pt"
    torch.save(CRAFTED[kind][0](), path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(MODEL_PATH, str(path))
    startup = load_startup_model(None, None, settings)
    assert startup.path is None and len(startup.warnings) == 1 and CRAFTED[kind][1] in startup.warnings[0]
    window = make_main_window(startup.classifier, settings)
    assert window.isVisible() and window.state.classifier is startup.classifier


# --- fuzzing -----------------------------------------------------------------------------------

_EXPECTED = Net().state_dict()
_DTYPES = [
    torch.float16,
    torch.bfloat16,
    torch.float32,
    torch.float64,
    torch.int32,
    torch.uint8,
    torch.bool,
    torch.complex64,
]
_MAGNITUDES = [0.0, 1e-45, 0.1, 1.0, 999.0, 1e3 + 1, 1e30, 1e300, math.inf, -math.inf, math.nan]


@st.composite
def _tensors(draw, key: str):
    shape = _EXPECTED[key].shape if draw(st.booleans()) else tuple(draw(st.lists(st.integers(0, 5), max_size=3)))
    dtype = draw(st.sampled_from(_DTYPES))
    scale = draw(st.sampled_from(_MAGNITUDES))
    base = (
        torch.randn(shape, dtype=torch.float64) * scale
        if scale not in (0.0,)
        else torch.zeros(shape, dtype=torch.float64)
    )
    if math.isnan(scale) or math.isinf(scale):
        base = torch.full(shape, scale, dtype=torch.float64) if draw(st.booleans()) else base
    with torch.no_grad():
        tensor = (
            base.to(dtype)
            if dtype.is_floating_point or dtype.is_complex
            else base.nan_to_num().clamp(-100, 100).to(dtype)
        )
    layout = draw(st.sampled_from(["dense", "transposed", "sparse", "meta", "expanded"]))
    if layout == "transposed" and tensor.dim() >= 2:
        tensor = tensor.transpose(0, 1)
    elif layout == "sparse":
        tensor = tensor.to_sparse()
    elif layout == "meta":
        tensor = tensor.to("meta")
    elif layout == "expanded" and tensor.dim() >= 1 and tensor.shape[0] > 0:
        tensor = tensor[:1].expand(tensor.shape)
    return tensor


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**400), 10**400) | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@st.composite
def _payloads(draw):
    payload = _shipped_payload()
    state_dict = dict(payload["state_dict"])
    for key in draw(st.sets(st.sampled_from(sorted(state_dict)))):
        state_dict[key] = draw(_tensors(key))
    metadata = json.loads(payload["metadata"])
    for key in draw(
        st.sets(st.sampled_from(["name", "normalization", "mnist_test_accuracy", "unsure_below", "extra"]))
    ):
        metadata[key] = draw(_JSON | st.fixed_dictionaries({"mean": _JSON, "std": _JSON}))
    depth = draw(st.sampled_from([0, 0, 15, 17, 3000]))
    text = json.dumps(metadata)
    if depth:
        text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    return {**payload, "state_dict": state_dict, "metadata": text}


def _outputs_are_finite(classifier) -> bool:
    frames = torch.cat([torch.zeros(1, 1, 32, 32), torch.ones(1, 1, 32, 32), torch.rand(14, 1, 32, 32)])
    with torch.no_grad():
        logits = classifier.net(classifier.normalization.apply(frames))
    return bool(torch.isfinite(logits).all() and torch.isfinite(torch.softmax(logits, dim=1)).all())


def _check_any_payload(payload, folder) -> None:
    path = folder / "fuzzed.pt"
    torch.save(payload, path)
    try:
        classifier = load_checkpoint(path)
    except CheckpointError as error:
        assert "\n" not in str(error) and str(error).startswith(path.name)
        return
    assert _outputs_are_finite(classifier)


_FUZZ = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
}


@settings(max_examples=40, **_FUZZ)
@given(payload=_payloads())
def test_any_weights_file_loads_to_finite_outputs_or_is_refused_in_one_line(payload, tmp_path):
    _check_any_payload(payload, tmp_path)


@pytest.mark.slow
@settings(max_examples=400, **_FUZZ)
@given(payload=_payloads())
def test_many_weights_files_load_to_finite_outputs_or_are_refused_in_one_line(payload, tmp_path):
    _check_any_payload(payload, tmp_path)
