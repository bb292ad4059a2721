"""Reading numbers: digits split from the ink, detached strokes kept together, specks dropped."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from digit_strokes import DIGITS, render_strokes
from PIL import Image, ImageDraw

from lenet_desktop.core.model import LAYER_SHAPES
from lenet_desktop.core.numbers import NumberReading, ReadingMemo, _best_reading, edit_distance, read_number
from lenet_desktop.core.pieces import _tall_parts, label_components
from lenet_desktop.core.predict import Prediction, recognise, verdicts


def draw_number(drawings, height=280, size=180, gap=40, pen=16, shifts=None):
    """Digits drawn left to right on one wide white canvas, each from unit-square strokes scaled to
    `size` pixels, `gap` pixels between unit squares; returns the image and the strokes in its pixels."""
    shifts = shifts or [0] * len(drawings)
    width = 40 + len(drawings) * (size + gap)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    strokes = []
    for k, (drawing, shift) in enumerate(zip(drawings, shifts)):
        left, top = 20 + k * (size + gap), (height - size) / 2 + shift
        for stroke in drawing:
            points = np.array(stroke, dtype=np.float64) * size + (left, top)
            strokes.append(points)
            flat = [tuple(p) for p in points]
            draw.line(flat, fill=0, width=pen, joint="curve")
            for x, y in (flat[0], flat[-1]):
                draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)
    return np.asarray(image), strokes


def compose_mnist(digits28, rng, height=280):
    """MNIST digits side by side at random sizes, baseline shifts and gaps; negative gaps make
    neighbours touch or overlap, as quick writing does."""
    pieces = []
    for digit in digits28:
        rows = np.flatnonzero((digit > 0.2).any(axis=1))
        cols = np.flatnonzero((digit > 0.2).any(axis=0))
        ink = digit[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        scale = rng.uniform(7, 10)
        size = (round(ink.shape[0] * scale), max(1, round(ink.shape[1] * scale)))
        pieces.append(
            F.interpolate(ink[None, None], size=size, mode="bilinear", align_corners=False)[0, 0].clamp(0, 1).numpy()
        )
    gaps = [int(rng.integers(-6, 60)) for _ in pieces]
    width = 60 + sum(p.shape[1] for p in pieces) + sum(max(g, 0) for g in gaps)
    canvas = np.zeros((height, width), dtype=np.float32)
    x = 30
    for piece, gap in zip(pieces, gaps):
        top = (height - piece.shape[0]) // 2 + int(rng.integers(-20, 21))
        top = min(max(top, 0), height - piece.shape[0])
        window = canvas[top : top + piece.shape[0], x : x + piece.shape[1]]
        np.maximum(window, piece, out=window)
        x += piece.shape[1] + gap
    return (255 - canvas * 255).astype(np.uint8)


@pytest.mark.mnist
def test_numbers_composed_from_mnist_test_digits(shipped_classifier, mnist_test):
    rng = np.random.default_rng(11)
    exact, errors, digits_total = 0, 0, 0
    trials = 150
    for _ in range(trials):
        picks = rng.choice(len(mnist_test), size=int(rng.integers(2, 7)), replace=False)
        label = "".join(str(int(mnist_test.labels[i])) for i in picks)
        image = compose_mnist([mnist_test.images[i, 0, 2:30, 2:30] for i in picks], rng)
        number = read_number(shipped_classifier, image).number or ""
        exact += number == label
        digits_total += len(label)
        errors += min(edit_distance(label, number), len(label))
    print(
        f"{trials} numbers of MNIST test digits: {exact / trials:.1%} exact, digit accuracy {1 - errors / digits_total:.1%}"
    )
    assert exact >= 0.8 * trials
    assert errors <= 0.06 * digits_total


@pytest.mark.mnist
def test_touching_mnist_pairs_are_cut_apart(shipped_classifier, mnist_test):
    rng = np.random.default_rng(5)
    right = 0
    for _ in range(60):
        picks = rng.choice(len(mnist_test), size=2, replace=False)
        pair = [mnist_test.images[i, 0, 2:30, 2:30] for i in picks]
        label = "".join(str(int(mnist_test.labels[i])) for i in picks)
        # Two digits whose ink boxes overlap by two MNIST pixels: their strokes touch or nearly.
        ink = np.zeros((28, 60), np.float32)
        ink[:, 2:30] = np.maximum(ink[:, 2:30], pair[0].numpy())
        right_edge = 2 + int(np.flatnonzero((pair[0] > 0.2).any(axis=0))[-1])
        left_edge = int(np.flatnonzero((pair[1] > 0.2).any(axis=0))[0])
        start = right_edge - 1 - left_edge
        ink[:, start : start + 28] = np.maximum(ink[:, start : start + 28], pair[1].numpy())
        image = (255 - ink * 255).astype(np.uint8)
        big = np.asarray(Image.fromarray(image).resize((600, 280), Image.BILINEAR))
        right += read_number(shipped_classifier, big).number == label
    print(f"touching MNIST pairs read right: {right} of 60")
    assert right >= 0.6 * 60


def test_a_single_digit_reads_exactly_as_today(shipped_classifier):
    for drawings in DIGITS.values():
        image = render_strokes(drawings[0])
        reading = read_number(shipped_classifier, image)
        today = recognise(shipped_classifier, image)
        assert reading.number == str(today.digit)
        np.testing.assert_array_equal(reading.digits[0].frame, today.frame)
        # One batched forward pass may round differently from a forward pass of one frame.
        np.testing.assert_allclose(reading.digits[0].probabilities, today.probabilities, atol=1e-6)


def test_every_digit_has_its_frame_activations_and_box(shipped_classifier):
    image, _ = draw_number([DIGITS[d][0] for d in (2, 0, 2, 6)])
    reading = read_number(shipped_classifier, image)
    assert reading.number == "2026"
    assert len(reading.boxes) == 4
    lefts = [box[0] for box in reading.boxes]
    assert lefts == sorted(lefts)
    for prediction, (x, y, width, height) in zip(reading.digits, reading.boxes):
        assert prediction.frame.shape == (32, 32)
        for name, shape in LAYER_SHAPES.items():
            assert prediction.activations[name].shape == shape
        # The box holds ink, and the image's ink outside all boxes is none.
        assert (image[y : y + height, x : x + width] < 128).any()
    covered = np.zeros(image.shape, bool)
    for x, y, width, height in reading.boxes:
        covered[y : y + height, x : x + width] = True
    assert not (image[~covered] < 100).any()
    assert reading.confidence == pytest.approx(np.prod([p.confidence for p in reading.digits]))
    assert reading.unsure == (
        any(p.unsure for p in reading.digits) or reading.confidence < reading.digits[0].unsure_below
    )


def test_weights_that_refuse_non_digits_refuse_them_in_a_number_too(shipped_classifier):
    """The reader of numbers reads each digit as the reader of one digit does, "not a digit" included."""
    shipped_classifier.metadata.update(not_a_digit_score="confidence", not_a_digit_below=1.01)  # nothing passes
    image, _ = draw_number([DIGITS[d][0] for d in (2, 0)])
    reading = read_number(shipped_classifier, image)
    assert len(reading.digits) == 2 and all(p.not_a_digit and not p.unsure for p in reading.digits)
    single = read_number(shipped_classifier, render_strokes(DIGITS[3][0]))
    assert (
        single.digits[0].not_a_digit == recognise(shipped_classifier, render_strokes(DIGITS[3][0])).not_a_digit is True
    )


def test_no_ink_is_no_digit(shipped_classifier):
    reading = read_number(shipped_classifier, np.full((280, 900), 255, np.uint8))
    assert reading.digits == () and reading.boxes == () and reading.number is None and not reading.unsure


def _detached(name):
    """Digits whose strokes are not all connected, as people draw them."""

    def line(*points):
        return [tuple(p) for p in np.linspace(points[0], points[1], 12)]

    return {
        # A 4 in two strokes: the open L, then the down stroke beside it.
        "4": [line((0.3, 0.15), (0.25, 0.6)) + line((0.25, 0.6), (0.8, 0.6)), line((0.65, 0.3), (0.65, 0.9))],
        # A 5 whose flag, drawn last, does not touch the body.
        "5": [line((0.33, 0.15), (0.3, 0.46)) + DIGITS[5][0][0][-20:], line((0.45, 0.12), (0.72, 0.12))],
        # A crossed 7.
        "7": [line((0.25, 0.15), (0.75, 0.15)) + line((0.75, 0.15), (0.4, 0.9)), line((0.4, 0.52), (0.78, 0.52))],
        # A slashed zero.
        "0": DIGITS[0][0] + [line((0.72, 0.1), (0.28, 0.9))],
        # A 1 drawn as a dotted line, five dashes.
        "1": [line((0.5, 0.12 + 0.16 * k), (0.5, 0.22 + 0.16 * k)) for k in range(5)],
    }[name]


@pytest.mark.parametrize("digit", ["4", "5", "7", "0", "1"])
def test_detached_strokes_stay_one_digit(shipped_classifier, digit):
    drawing = _detached(digit)
    image, strokes = draw_number([drawing])
    assert len(read_number(shipped_classifier, image).digits) == 1
    assert len(read_number(shipped_classifier, image, strokes).digits) == 1
    # Between other digits, too, with and without the pen's strokes.
    image, strokes = draw_number([DIGITS[2][0], drawing, DIGITS[3][0]], gap=30)
    for reading in (read_number(shipped_classifier, image), read_number(shipped_classifier, image, strokes)):
        assert len(reading.digits) == 3, reading.number
        assert reading.number[0] == "2" and reading.number[2] == "3"


def test_strokes_separate_touching_digits(shipped_classifier):
    image, strokes = draw_number([DIGITS[d][0] for d in (1, 8, 3, 6)], gap=-45)
    assert read_number(shipped_classifier, image, strokes).number == "1836"


@pytest.mark.xfail(
    strict=True,
    reason="open defect since the handwriting weights were shipped: the test suite's hand-made digits "
    "written into each other are cut apart, but one piece is refused as not a digit ('4?', '5?', none for 92); "
    "the MNIST-only weights read them right; strict, so a fix is noticed",
)
@pytest.mark.parametrize("pair", ["42", "58", "92"])
def test_digits_written_into_each_other_are_told_apart_by_their_strokes(shipped_classifier, pair):
    # The second digit starts inside the first one's columns, so no column cuts them apart; the
    # strokes drawn for each lie mostly beside the other's.
    image, strokes = draw_number([DIGITS[int(d)][0] for d in pair], gap=-110)
    assert read_number(shipped_classifier, image, strokes).number == pair


@pytest.mark.xfail(
    strict=True,
    reason="open defect since the handwriting weights were shipped: forced to two digits, a 2 and a 3 "
    "written into each other read '2?', the 3's piece refused as not a digit; strict, so a fix is noticed",
)
def test_a_reading_with_a_given_count_of_digits(shipped_classifier):
    # A 2 and a 3 written into each other read as one digit; told there are two, recognition
    # chooses the cut that reads them best.
    image, strokes = draw_number([DIGITS[2][0], DIGITS[3][0]], gap=-100)
    assert read_number(shipped_classifier, image).number == "2"
    assert read_number(shipped_classifier, image, count=2).number == "23"
    assert read_number(shipped_classifier, image, strokes, count=2).number == "23"
    image, strokes = draw_number([DIGITS[d][0] for d in (2, 0, 2, 6)])
    found = read_number(shipped_classifier, image, strokes)
    forced = read_number(shipped_classifier, image, strokes, count=4)
    assert forced.number == found.number == "2026" and forced.boxes == found.boxes
    assert len(read_number(shipped_classifier, image, count=1).digits) == 1
    assert read_number(shipped_classifier, image, count=9) is None


def test_specks_are_dropped(shipped_classifier):
    image, _ = draw_number([DIGITS[2][0], DIGITS[7][0]])
    specked = image.copy()
    for x, y in ((215, 140), (30, 30), (420, 260), (600, 200)):
        specked[y - 3 : y + 3, x - 3 : x + 3] = 0
    reading = read_number(shipped_classifier, specked)
    assert reading.number == "27"
    lone = np.full((280, 600), 255, np.uint8)
    lone[100:106, 300:306] = 0
    assert read_number(shipped_classifier, lone).number is None


def test_every_digit_carries_the_weights_not_a_digit_verdict(shipped_classifier):
    image, _ = draw_number([DIGITS[d][0] for d in (2, 0, 2, 6)])
    assert not any(p.not_a_digit for p in read_number(shipped_classifier, image).digits)
    # Weights that refuse everything below a confidence above 1 call every piece not a digit,
    # yet the drawing still reads as its least bad reading.
    shipped_classifier.metadata.update(not_a_digit_score="confidence", not_a_digit_below=1.01)
    reading = read_number(shipped_classifier, image)
    assert reading.digits and all(p.not_a_digit and not p.unsure for p in reading.digits)
    logits = torch.from_numpy(np.stack([p.activations["logits"] for p in reading.digits]))
    assert verdicts(shipped_classifier, logits).not_a_digit.all()


def _guess(confidence, not_a_digit=False):
    probabilities = np.full(10, (1 - confidence) / 9)
    probabilities[3] = confidence
    return Prediction(np.zeros((32, 32), np.float32), probabilities, {}, 0.5, not_a_digit=not_a_digit)


def test_a_group_read_as_not_a_digit_is_cut_and_one_read_as_a_digit_is_not():
    candidates = [(0, 2), (0, 1), (1, 2)]  # the whole group, its left part, its right part
    boxes = [(0, 0, 100, 100), (0, 0, 50, 100), (50, 0, 50, 100)]
    # LeNet reads two digits squeezed into one frame as one at 99 %: alone, confidence keeps it whole.
    whole = _guess(0.99)
    assert _best_reading(2, candidates, [whole, _guess(0.9), _guess(0.9)], boxes, [True, False, True]) == [0]
    refused = _guess(0.99, not_a_digit=True)
    assert _best_reading(2, candidates, [refused, _guess(0.9), _guess(0.9)], boxes, [True, False, True]) == [1, 2]
    # Halves that are fragments (not digits) keep a whole digit whole.
    halves = [_guess(0.99, not_a_digit=True), _guess(0.99, not_a_digit=True)]
    assert _best_reading(2, candidates, [_guess(0.6), *halves], boxes, [True, False, True]) == [0]


def test_two_tall_pieces_sharing_columns_are_offered_apart_and_a_flag_is_not():
    mask = np.zeros((40, 40), bool)
    mask[2:6, 2:30] = True  # a 7's bar reaching over the 1 beside it
    mask[6:38, 10:13] = True  # the 7's stem
    mask[10:38, 24:27] = True  # the 1, under the bar, not touching it
    left, right = _tall_parts(mask, 36, label_components(mask)[0])
    assert left[20, 11] and not left[20, 25] and right[20, 25] and not right[3, 5]
    assert (left | right).sum() == mask.sum()
    # Where the pen joined the 1 to ink of another group, the group is labelled on its own.
    grid = mask.copy()
    grid[20, 27:35] = grid[10:38, 35:38] = True
    split = _tall_parts(mask, 36, label_components(grid)[0])
    assert all(np.array_equal(a, b) for a, b in zip(split, (left, right))) and len(split) == 2
    flagged = np.zeros((40, 40), bool)
    flagged[4:38, 10:13] = True  # a 5's body
    flagged[2:5, 14:30] = True  # its flag, apart: too low to be a digit
    assert _tall_parts(flagged, 36, label_components(flagged)[0]) == []


def test_edit_distance_counts_digits_split_dropped_or_changed():
    assert edit_distance("2026", "2026") == 0
    assert edit_distance("2026", "20026") == 1
    assert edit_distance("2026", "226") == 1
    assert edit_distance("2026", "2036") == 1
    assert edit_distance("2026", "") == 4


def test_label_components_matches_a_flood_fill():
    rng = np.random.default_rng(0)
    for _ in range(20):
        mask = rng.random((30, 40)) < 0.45
        labels, count = label_components(mask)
        assert count == len(np.unique(labels[mask]))
        assert (labels[~mask] == 0).all()
        reference = _flood_fill(mask)
        # Same partition: each reference component maps to exactly one label and back.
        pairs = set(zip(reference[mask].tolist(), labels[mask].tolist()))
        assert len(pairs) == count == reference.max()


def _flood_fill(mask):
    labels = np.zeros(mask.shape, int)
    count = 0
    for start in zip(*np.nonzero(mask)):
        if labels[start]:
            continue
        count += 1
        stack = [start]
        labels[start] = count
        while stack:
            r, c = stack.pop()
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    n = (r + dr, c + dc)
                    if 0 <= n[0] < mask.shape[0] and 0 <= n[1] < mask.shape[1] and mask[n] and not labels[n]:
                        labels[n] = count
                        stack.append(n)
    return labels


@pytest.mark.xfail(
    strict=True,
    reason="open defect since the handwriting weights were shipped: they read a spray of specks "
    "(seed 4) as '333', not refused; the MNIST-only weights read at most one digit; strict, so a fix is noticed",
)
def test_a_spray_of_specks_is_not_read_as_a_number(shipped_classifier):
    rows, cols = np.mgrid[0:280, 0:900]
    for seed in (4, 5, 7):  # before: 9 to 11 digits each
        rng = np.random.default_rng(seed)
        spray = np.zeros((280, 900), bool)
        for x, y, r in zip(rng.uniform(0, 900, 200), rng.uniform(0, 280, 200), rng.uniform(2, 8, 200)):
            spray |= (cols - x) ** 2 + (rows - y) ** 2 <= r * r
        reading = read_number(shipped_classifier, np.where(spray, 0, 255).astype(np.uint8))
        assert len(reading.digits) <= 1, reading.number


def test_a_memo_of_the_reading_before_gives_the_same_reading_and_keeps_untouched_digits(shipped_classifier):
    # The window reads after every stroke with a memo: each reading must be the one made afresh,
    # frame for frame, and the digits the new stroke did not touch are not made again.
    image, strokes = draw_number([DIGITS[d][0] for d in (2, 0, 4, 7, 1)], size=160, gap=30)
    canvas = Image.new("L", (image.shape[1], image.shape[0]), 255)
    pen = ImageDraw.Draw(canvas)
    memo = ReadingMemo()
    for k, stroke in enumerate(strokes):
        pen.line([tuple(p) for p in stroke], fill=0, width=16, joint="curve")
        drawing = np.asarray(canvas).copy()
        frames_before = set(memo.frames)
        remembered = read_number(shipped_classifier, drawing, strokes[: k + 1], memo=memo)
        fresh = read_number(shipped_classifier, drawing, strokes[: k + 1])
        assert remembered.number == fresh.number and remembered.boxes == fresh.boxes
        for kept, made in zip(remembered.digits, fresh.digits):
            np.testing.assert_array_equal(kept.frame, made.frame)
            np.testing.assert_allclose(kept.probabilities, made.probabilities, atol=1e-5)
    assert fresh.number == "20471"
    # The last stroke (the 1) left the four digits before it as they were: of the candidates a fresh
    # memo makes for the drawing, only those with the 1's ink (the 1, the 7 and 1 together) were made.
    everything = ReadingMemo()
    read_number(shipped_classifier, drawing, strokes, memo=everything)
    assert len(set(memo.frames) - frames_before) <= 2 < len(everything.frames)


def _as_wide_as_high(drawing):
    """A drawing's strokes stretched across so that their box is as wide as high (boxed forms,
    some tablets), within the unit square."""
    points = np.concatenate([np.asarray(stroke) for stroke in drawing])
    low, high = points.min(axis=0), points.max(axis=0)
    centre, (width, height) = (low + high) / 2, high - low
    scale = np.array([0.7 / width, 0.7 / height])
    return [[tuple(0.5 + (np.asarray(p) - centre) * scale) for p in stroke] for stroke in drawing]


# A continental 1: a long flag rising to the top of the stem, as wide as high once stretched.
CONTINENTAL_ONE = [[(0.15, 0.6), (0.35, 0.33), (0.55, 0.05), (0.55, 0.5), (0.55, 0.95)]]


@pytest.mark.parametrize("drawing", [CONTINENTAL_ONE, DIGITS[7][0], DIGITS[4][0]], ids=["1", "7", "4"])
def test_a_wide_digit_is_never_read_as_two(shipped_classifier, drawing):
    wide = _as_wide_as_high(drawing)
    image = render_strokes(wide)
    for strokes in (None, [np.asarray(stroke) * 280 for stroke in wide]):
        reading = read_number(shipped_classifier, image, strokes)
        assert len(reading.digits) == 1, reading.number


# Upper-case letters as pen strokes in the unit square, each narrower than high (one glyph): their
# sides, cut apart, read as 1s and 4s.
LETTERS = {
    "H": [[(0.2, 0.1), (0.2, 0.9)], [(0.2, 0.5), (0.8, 0.5)], [(0.8, 0.1), (0.8, 0.9)]],
    "A": [[(0.15, 0.9), (0.5, 0.1), (0.85, 0.9)], [(0.3, 0.6), (0.7, 0.6)]],
    "M": [[(0.15, 0.9), (0.2, 0.1), (0.5, 0.7), (0.8, 0.1), (0.85, 0.9)]],
    "W": [[(0.15, 0.1), (0.32, 0.9), (0.5, 0.3), (0.68, 0.9), (0.85, 0.1)]],
    "N": [[(0.2, 0.9), (0.2, 0.1), (0.8, 0.9), (0.8, 0.1)]],
}


@pytest.mark.parametrize("letter", sorted(LETTERS))
def test_a_letter_is_not_read_as_a_confident_number(shipped_classifier, letter):
    drawing = [
        [p for a, b in zip(s, s[1:]) for p in np.linspace(a, b, 8, endpoint=False)] + [s[-1]] for s in LETTERS[letter]
    ]
    image = render_strokes(drawing)
    for strokes in (None, [np.asarray(stroke) * 280 for stroke in drawing]):
        reading = read_number(shipped_classifier, image, strokes)
        assert reading.number is None or reading.unsure, f"{letter} read as {reading.number}"


def test_a_number_is_unsure_when_its_digits_together_are():
    box = (0, 0, 50, 100)
    # Each digit passes the one-digit threshold (0.5), but that both are right is less likely.
    assert not any(p.unsure for p in (_guess(0.7), _guess(0.7)))
    assert NumberReading((_guess(0.7), _guess(0.7)), (box, box)).unsure
    assert not NumberReading((_guess(0.8), _guess(0.8)), (box, box)).unsure
    # A digit refused within a number ("3?") leaves the number unsure; all refused, it is not a digit.
    assert NumberReading((_guess(0.99), _guess(0.99, not_a_digit=True)), (box, box)).unsure
    refused = NumberReading((_guess(0.99, not_a_digit=True),) * 2, (box, box))
    assert refused.number is None and not refused.unsure


@pytest.mark.parametrize("pair", ["64", "94"])
def test_two_digits_written_into_each_other_as_wide_as_high_are_read_unsure(shipped_classifier, pair):
    # The 4 starts inside the first digit's columns: one glyph, no wider than high, that the
    # weights read whole with every digit about as likely, as they were taught to read a pair.
    image, _ = draw_number([DIGITS[int(d)][0] for d in pair], gap=-90)
    ink = np.nonzero(image < 128)
    assert np.ptp(ink[1]) <= np.ptp(ink[0]) * 1.05
    reading = read_number(shipped_classifier, image)
    assert reading.number == pair and reading.unsure
