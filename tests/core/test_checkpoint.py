"""The one reader and writer of weights files."""

import pickle

import pytest
import torch

from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from lenet_desktop.core.model import Classifier, Net, Normalization
from lenet_desktop.core.paths import shipped_weights_path


def test_shipped_weights_carry_their_story():
    meta = load_checkpoint(shipped_weights_path()).metadata
    assert round(meta["mnist_test_accuracy"], 4) >= 0.993  # stored from float32: 99.30 % reads 0.99299997
    assert meta["training"]["command"].startswith("lenet-desktop train")
    for key in ("architecture", "normalization", "seed", "epochs", "versions", "unsure_below"):
        assert key in meta
    assert {"torch", "torchvision", "python"} <= set(meta["versions"])


def test_round_trip_keeps_weights_and_metadata(tmp_path):
    classifier = Classifier(Net(), Normalization(0.1, 0.3), {"name": "round-trip"})
    path = tmp_path / "model.pt"
    save_checkpoint(path, classifier)
    loaded = load_checkpoint(path)
    for key, value in classifier.net.state_dict().items():
        torch.testing.assert_close(loaded.net.state_dict()[key], value)
    assert loaded.normalization == Normalization(0.1, 0.3)
    assert loaded.name == "round-trip"
    assert not list(tmp_path.glob("*.part")), "no temporary file is left behind"


def test_a_bare_state_dict_from_the_tutorial_loads(tmp_path):
    net = Net()
    path = tmp_path / "tutorial.pt"
    torch.save(net.state_dict(), path)
    torch.testing.assert_close(load_checkpoint(path).net.fc3.bias, net.fc3.bias)


class _WritesMarker:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_pickle_that_would_run_code_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    with open(path, "wb") as file:
        pickle.dump({"state_dict": _WritesMarker(marker)}, file)
    with pytest.raises(CheckpointError, match="not a readable weights file"):
        load_checkpoint(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "write, reason",
    [
        (lambda p: p.write_bytes(b""), "not a readable weights file"),
        (lambda p: p.write_text("hello, I am text"), "not a readable weights file"),
        (lambda p: torch.save({"fc.weight": torch.zeros(3, 3)}, p), "another architecture"),
        (lambda p: torch.save([1, 2, 3], p), "not a LeNet weights file"),
    ],
    ids=["empty", "text", "other-architecture", "a-list"],
)
def test_unusable_files_are_refused_in_one_line(tmp_path, write, reason):
    path = tmp_path / "bad.pt"
    write(path)
    with pytest.raises(CheckpointError, match=reason) as error:
        load_checkpoint(path)
    assert "\n" not in str(error.value)


def test_truncated_and_nan_weights_are_refused(tmp_path):
    good = tmp_path / "good.pt"
    save_checkpoint(good, Classifier(Net(), Normalization(0.1, 0.3)))
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(CheckpointError):
        load_checkpoint(truncated)
    net = Net()
    with torch.no_grad():
        net.fc1.weight[0, 0] = float("nan")
    nan_path = tmp_path / "nan.pt"
    save_checkpoint(nan_path, Classifier(net, Normalization(0.1, 0.3)))
    with pytest.raises(CheckpointError, match="NaN"):
        load_checkpoint(nan_path)


def test_a_not_a_digit_threshold_survives_saving(tmp_path):
    metadata = {"unsure_below": 0.9, "not_a_digit_score": "energy", "not_a_digit_below": 4.25}
    save_checkpoint(tmp_path / "model.pt", Classifier(Net(), Normalization(0.1, 0.3), metadata))
    loaded = load_checkpoint(tmp_path / "model.pt").metadata
    assert {key: loaded[key] for key in metadata} == metadata


@pytest.mark.parametrize(
    "key, value, complaint",
    [
        ("not_a_digit_score", "entropy", "is not one of confidence, energy"),
        ("not_a_digit_below", "low", "is not a number"),
        ("not_a_digit_below", float("nan"), "is not a number"),
    ],
)
def test_a_damaged_not_a_digit_threshold_is_refused_in_one_line(tmp_path, key, value, complaint):
    save_checkpoint(tmp_path / "model.pt", Classifier(Net(), Normalization(0.1, 0.3), {key: value}))
    with pytest.raises(CheckpointError, match=f"'{key}' {complaint}"):
        load_checkpoint(tmp_path / "model.pt")
