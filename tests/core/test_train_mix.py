"""Mixing corrections with MNIST replay, the held-out split, and the kept-model history."""

import pytest
import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.history import ModelHistory, fingerprint
from lenet_desktop.core.mixing import MIN_EPOCH_IMAGES, build_mix, split_held_out
from lenet_desktop.core.model import Classifier, Normalization
from lenet_desktop.core.train import fresh_net


def images(count: int, label: int) -> LabelledImages:
    return LabelledImages(torch.rand(count, 1, 32, 32), torch.full((count,), label, dtype=torch.long))


def test_mix_oversamples_corrections_to_their_share_next_to_replay():
    mix = build_mix(images(20, 7), images(1000, 3), replay=700, correction_share=0.3, seed=0)
    assert (mix.corrections, mix.replay, mix.copies) == (20, 700, 15)
    labels = mix.data.labels
    assert int((labels == 7).sum()) == 300 and int((labels == 3).sum()) == 700
    assert "20 corrections x 15 + 700 MNIST replay" in mix.describe() and "30% corrections" in mix.describe()


def test_mix_without_mnist_repeats_corrections_to_a_useful_epoch():
    mix = build_mix(images(10, 1), None)
    assert mix.replay == 0 and len(mix.data) >= MIN_EPOCH_IMAGES and set(mix.data.labels.tolist()) == {1}


def test_mix_refuses_nothing_to_train_on():
    with pytest.raises(ValueError, match="no corrections"):
        build_mix(images(0, 1), images(10, 2))


def test_held_out_split_is_seeded_and_disjoint():
    data = LabelledImages(
        torch.arange(20, dtype=torch.float32).view(20, 1, 1, 1).expand(20, 1, 32, 32).clone(), torch.arange(20) % 10
    )
    train, held = split_held_out(data, share=0.2, seed=5)
    again, held_again = split_held_out(data, share=0.2, seed=5)
    assert len(held) == 4 and len(train) == 16
    assert torch.equal(held.images, held_again.images)
    ids = lambda part: set(part.images[:, 0, 0, 0].int().tolist())  # noqa: E731
    assert ids(train).isdisjoint(ids(held)) and ids(train) | ids(held) == set(range(20))
    assert len(split_held_out(images(3, 1))[1]) == 0  # too few to set any aside


def test_history_keeps_loads_and_reactivates(tmp_path):
    history = ModelHistory(tmp_path / "models")
    first = Classifier(fresh_net(1), Normalization(0.1, 0.3), {"name": "first try", "mnist_test_accuracy": 0.97})
    second = Classifier(fresh_net(2), Normalization(0.1, 0.3), {"name": "second"})
    kept_first, kept_second = history.keep(first), history.keep(second)
    assert [e.name for e in history.entries()] == ["first try", "second"]
    assert kept_first.version == fingerprint(first) != kept_second.version
    assert kept_first.mnist_test_accuracy == 0.97
    loaded = history.load(kept_first)
    assert torch.equal(loaded.net.fc1.weight, first.net.fc1.weight) and fingerprint(loaded) == kept_first.version
    (tmp_path / "models" / "junk.pt").write_text("not weights")
    assert len(history.entries()) == 2
