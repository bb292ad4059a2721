"""Handwriting styles drawn on batches, and the non-digits outlier exposure learns to refuse."""

import pytest
import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.measure import calibrate_not_a_digit, predict_logits
from lenet_desktop.core.model import Normalization
from lenet_desktop.core.preprocess import DIGIT_BOX, INK_THRESHOLD, MNIST_CENTRE
from lenet_desktop.core.synthesis import (
    Outliers,
    Styles,
    distort,
    elastic,
    ink_geometry,
    outlier_bank,
    refit,
    segment_ink,
    synthesize_styles,
)
from lenet_desktop.core.train import TrainConfig, fit, fresh_net

CPU = torch.device("cpu")


def ring(count: int, pen: float = 2.0) -> torch.Tensor:
    """Upright MNIST-sized 0s: an ellipse about 12 px wide and 20 px high, drawn as 32 short strokes."""
    angles = torch.linspace(0, 2 * torch.pi, 33)
    points = torch.stack((15.5 + 5 * torch.cos(angles), 15.5 + 9 * torch.sin(angles)), dim=1)
    pens = torch.full((32,), pen)
    frame = segment_ink(points[:-1], points[1:], pens).amax(dim=0)
    return frame.expand(count, 1, 32, 32).clone()


def stem(count: int, pen: float = 2.0) -> torch.Tensor:
    """Upright 1s: a vertical stroke 20 px high."""
    start = torch.tensor([[16.0, 6.0]]).expand(count, 2)
    end = torch.tensor([[16.0, 25.0]]).expand(count, 2)
    return segment_ink(start, end, torch.full((count,), pen))


def ink_box(frame: torch.Tensor) -> tuple[int, int, int, int]:
    rows = torch.nonzero((frame[0] > INK_THRESHOLD).any(dim=1)).flatten()
    cols = torch.nonzero((frame[0] > INK_THRESHOLD).any(dim=0)).flatten()
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


@pytest.mark.parametrize("pen", [1.5, 2.5, 3.5])
def test_the_pen_width_is_read_from_the_ink(pen):
    assert float(ink_geometry(stem(1, pen)).pen[0]) == pytest.approx(pen, abs=0.4)
    assert float(ink_geometry(ring(1, pen)).pen[0]) == pytest.approx(pen, abs=0.6)


def test_a_slashed_zero_has_ink_across_its_hole_and_other_digits_do_not():
    frames, labels = ring(8), torch.tensor([0] * 4 + [3] * 4)
    assert frames[:, 0, 14:18, 14:18].max() < 0.05  # the hole is empty
    drawn = synthesize_styles(frames, labels, torch.Generator().manual_seed(1), Styles(slashed_zero=1.0))
    hole = drawn[:, 0, 14:18, 14:18].amax(dim=(1, 2))
    assert (hole[:4] > 0.8).all(), "every 0 is crossed through its middle"
    assert (hole[4:] < 0.05).all(), "a 3 is never slashed"
    # The slash is as wide as the ring's own stroke: about the same ink per unit of length.
    assert float(ink_geometry(drawn[:4]).pen.mean()) == pytest.approx(
        float(ink_geometry(frames[:4]).pen.mean()), abs=0.6
    )


def test_a_flag_on_a_one_goes_down_left_from_the_top_and_stays_in_the_frame():
    frames = stem(16)
    drawn = synthesize_styles(
        frames, torch.ones(16, dtype=torch.long), torch.Generator().manual_seed(2), Styles(flagged_one=1.0)
    )
    for after in drawn:
        top, bottom, left, right = ink_box(after)
        assert 0 < top and bottom < 31 and 0 < left and right < 31
        assert max(bottom - top, right - left) + 1 == pytest.approx(DIGIT_BOX, abs=1.5)  # refitted as preprocess would
        upper_left = after[0, top : top + (bottom - top) // 2, : (left + right) // 2]
        assert upper_left.max() > 0.8, "the flag reaches to the left of the stem, in its upper half"


def test_a_crossed_seven_gets_a_bar_across_its_stem():
    frames = stem(4)
    labels = torch.full((4,), 7)
    drawn = synthesize_styles(frames, labels, torch.Generator().manual_seed(3), Styles(crossed_seven=1.0))
    for after in drawn:
        top, bottom, left, right = ink_box(after)
        assert right - left >= 5, "a bar wider than the bare stem"
        widest_row = int((after[0] > INK_THRESHOLD).sum(dim=1).argmax())
        assert top + 0.3 * (bottom - top) < widest_row < top + 0.8 * (bottom - top)


def test_styles_and_distortion_repeat_with_the_seed_and_differ_without():
    frames, labels = torch.cat((ring(6), stem(6))), torch.tensor([0] * 6 + [1] * 6)
    styles = Styles(slashed_zero=0.5, flagged_one=0.5, aspect=1.3, elastic=1.0)

    def run(seed):
        generator = torch.Generator().manual_seed(seed)
        return distort(synthesize_styles(frames, labels, generator, styles), generator, styles)

    assert torch.equal(run(5), run(5))
    assert not torch.equal(run(5), run(6))


def test_refit_places_the_ink_as_preprocess_does_and_stretches_it_by_the_aspect_asked():
    frames = torch.cat(
        (ring(1), segment_ink(torch.tensor([[3.0, 4.0]]), torch.tensor([[12.0, 20.0]]), torch.tensor([2.0])))
    )
    for aspect in (1.0, 1.5):
        placed = refit(frames, torch.full((2,), aspect))
        geometry = ink_geometry(placed)
        assert torch.maximum(geometry.width, geometry.height).tolist() == pytest.approx([DIGIT_BOX] * 2, abs=1)
        assert geometry.centre_x.tolist() == pytest.approx([MNIST_CENTRE[1]] * 2, abs=0.3)
        assert geometry.centre_y.tolist() == pytest.approx([MNIST_CENTRE[0]] * 2, abs=0.3)
        ratio = float(geometry.width[0] / geometry.height[0])
        assert ratio == pytest.approx(aspect * 12 / 20, rel=0.15)


def test_elastic_distortion_moves_ink_smoothly_and_only_of_the_share_asked():
    frames = stem(40)
    generator = torch.Generator().manual_seed(4)
    assert torch.equal(elastic(frames, 0.0, 30.0, 4.5, generator), frames)
    moved = elastic(frames, 0.5, 30.0, 4.5, generator)
    changed = (moved - frames).abs().amax(dim=(1, 2, 3)) > 0.1
    assert 10 <= int(changed.sum()) <= 30
    # Smooth: the stroke bends, stretches or squeezes, but is neither torn away nor smeared over the frame.
    ratio = moved.sum(dim=(1, 2, 3)) / frames.sum(dim=(1, 2, 3))
    assert ((0.6 < ratio) & (ratio < 1.6)).all()


def test_the_outlier_bank_is_preprocessed_non_digits_made_alike_by_seed():
    digits = torch.cat((ring(10), stem(10)))
    bank = outlier_bank(digits, Outliers(count=60), seed=7)
    assert bank.shape == (60, 1, 32, 32)
    assert torch.equal(bank, outlier_bank(digits, Outliers(count=60), seed=7))
    for frame in bank:
        top, bottom, left, right = ink_box(frame)
        assert max(bottom - top, right - left) + 1 == pytest.approx(DIGIT_BOX, abs=1)  # preprocess's box
        assert float(frame.max()) == pytest.approx(1.0)


def test_outlier_exposure_drives_the_non_digits_towards_a_uniform_answer():
    generator = torch.Generator().manual_seed(3)
    digits = LabelledImages(torch.cat((ring(64), stem(64))), torch.tensor([0] * 64 + [1] * 64))
    normalization = Normalization(0.1, 0.3)
    outliers = Outliers(count=200, per_digit=1.0, weight=1.0)
    confidence = {}
    for name, spec in (("plain", None), ("exposed", outliers)):
        net = fresh_net(0)
        config = TrainConfig(optimizer="adam", epochs=4, batch_size=32, augment=False, outliers=spec)
        fit(
            net,
            LabelledImages(digits.images + 0.01 * torch.rand(128, 1, 32, 32, generator=generator), digits.labels),
            normalization,
            config,
        )
        bank = outlier_bank(digits.images, outliers, seed=99)
        confidence[name] = float(torch.softmax(predict_logits(net, bank, normalization), dim=1).amax(dim=1).mean())
        assert (predict_logits(net, digits.images, normalization).argmax(dim=1) == digits.labels).float().mean() > 0.95
    assert confidence["exposed"] < 0.5 < confidence["plain"]


def test_not_a_digit_is_measured_below_all_but_the_share_of_right_digits_asked():
    # A net whose logits grow with the frame's centre grey, always answering 0 (as in test_train).
    from test_train import centre_reading_net

    greys = torch.linspace(0.1, 1.0, 200)
    frames = greys.view(200, 1, 1, 1).expand(200, 1, 32, 32).contiguous()
    data = LabelledImages(frames, torch.zeros(200, dtype=torch.long))
    for score in ("confidence", "energy"):
        below = calibrate_not_a_digit(centre_reading_net(5.0), data, Normalization(0.0, 1.0), score, digit_share=0.1)
        from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES

        scores = NOT_A_DIGIT_SCORES[score](predict_logits(centre_reading_net(5.0), frames, Normalization(0.0, 1.0)))
        assert float((scores < below).float().mean()) == pytest.approx(0.1, abs=0.01)


def test_retrained_weights_keep_saying_not_a_digit_by_a_threshold_measured_anew():
    from lenet_desktop.core.model import Classifier
    from lenet_desktop.core.train import train_classifier

    generator = torch.Generator().manual_seed(5)
    data = LabelledImages(
        torch.rand(64, 1, 32, 32, generator=generator), torch.randint(0, 10, (64,), generator=generator)
    )
    start = Classifier(
        fresh_net(0),
        Normalization(0.5, 0.3),
        {"unsure_below": 0.7, "not_a_digit_score": "energy", "not_a_digit_below": 99.0},
    )
    config = TrainConfig(optimizer="sgd", batch_size=32, max_batches=1, augment=False)
    measured, _ = train_classifier(start, data, config, CPU, evaluation=data)
    assert measured.metadata["not_a_digit_score"] == "energy" and measured.metadata["not_a_digit_below"] != 99.0
    copied, _ = train_classifier(start, data, config, CPU)  # nothing to measure on: the start's thresholds
    assert (copied.metadata["not_a_digit_score"], copied.metadata["not_a_digit_below"]) == ("energy", 99.0)
    plain, _ = train_classifier(None, data, config, CPU, evaluation=data)
    assert "not_a_digit_below" not in plain.metadata
