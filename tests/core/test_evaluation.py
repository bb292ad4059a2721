"""Evaluation image by image: a folder read through the one reader and preprocess, cells of the
confusion matrix that hold exactly their images, and stopping."""

import pytest
import torch
from labelled_folders import write_labelled_folder

from lenet_desktop.core.evaluation import (
    NOT_A_DIGIT,
    EvaluationError,
    evaluate_set,
    mnist_set,
    read_folder,
)
from lenet_desktop.core.images import load_image
from lenet_desktop.core.measure import evaluate
from lenet_desktop.core.preprocess import preprocess


def test_a_folder_is_read_as_prediction_reads_each_file(tmp_path):
    written = write_labelled_folder(tmp_path, extra_rows=["../outside.png,3"])
    images = read_folder(tmp_path)
    assert images.names == [name for name, _ in written]
    assert images.labels.tolist() == [int(label) if label.isdigit() else NOT_A_DIGIT for _, label in written]
    for frame, path in zip(images.frames, images.files):
        assert torch.equal(frame[0], torch.from_numpy(preprocess(load_image(path))))
    assert len(images.failures) == 1 and "outside" in str(images.failures[0])


def test_the_cells_hold_exactly_their_images(tmp_path, shipped_classifier):
    write_labelled_folder(tmp_path)
    result = evaluate_set(shipped_classifier, read_folder(tmp_path))
    cells = {(t, p): result.cell(t, p) for t in [*range(10), NOT_A_DIGIT] for p in range(10)}
    assert sorted(i for indices in cells.values() for i in indices) == list(range(len(result.images)))
    for (true, predicted), indices in cells.items():
        if true != NOT_A_DIGIT:
            assert len(indices) == result.confusion[true, predicted]
        for i in indices:
            assert result.images.labels[i] == true and result.predicted[i] == predicted
    for digit in range(10):
        assert result.misread(digit) == sorted(i for p in range(10) if p != digit for i in cells[(digit, p)])


def test_stopping_returns_nothing(tmp_path, shipped_classifier):
    write_labelled_folder(tmp_path)
    seen = []
    assert (
        read_folder(
            tmp_path, on_progress=lambda done, total: seen.append((done, total)), should_stop=lambda: len(seen) >= 3
        )
        is None
    )
    images = read_folder(tmp_path)
    assert evaluate_set(shipped_classifier, images, should_stop=lambda: True) is None


def test_a_listing_saved_by_a_spreadsheet_is_read(tmp_path):
    """Excel's "CSV UTF-8" starts with a byte order mark and ends lines with CRLF; quotes are CSV's."""
    written = write_labelled_folder(tmp_path)
    rows = ["file,label", *(f'"{name}","{label}"' for name, label in written)]
    (tmp_path / "labels.csv").write_bytes("\r\n".join(rows).encode("utf-8-sig") + b"\r\n")
    images = read_folder(tmp_path)
    assert images.names == [name for name, _ in written] and images.failures == []


def test_a_label_written_as_a_number_is_a_digit_or_refused_not_an_image_to_refuse(tmp_path):
    """Labels read as corrections import reads them: "07" is a 7; "2026" is no label for one image,
    and counting it among the images the model should refuse would be a wrong figure."""
    written = write_labelled_folder(tmp_path)
    seven = next(name for name, label in written if label == "7")
    numbers = ["2026", "-1", "+7", "7.0", ".7"]  # a sign or a decimal point is a number's, not a word's
    rows = "".join(f"{seven},{label}\n" for label in ["07", *numbers, "A"])
    (tmp_path / "labels.csv").write_text("file,label\n" + rows)
    images = read_folder(tmp_path)
    assert images.labels.tolist() == [7, NOT_A_DIGIT]
    assert len(images.failures) == len(numbers)
    for line, (failure, label) in enumerate(zip(images.failures, numbers), start=3):
        assert f"line {line}" in str(failure) and f"the label {label} is not one digit" in str(failure)


def test_a_file_instead_of_a_folder_is_refused(tmp_path):
    (tmp_path / "labels.csv").write_text("file,label\n")
    with pytest.raises(EvaluationError, match="not a folder"):
        read_folder(tmp_path / "labels.csv")


@pytest.mark.mnist
def test_mnist_test_gives_the_figures_training_reports(mnist_test, shipped_classifier):
    result = evaluate_set(shipped_classifier, mnist_set(mnist_test))
    reference = evaluate(shipped_classifier.net, mnist_test, shipped_classifier.normalization)
    assert result.accuracy == reference.accuracy and torch.equal(result.confusion, reference.confusion)
    assert result.refusal_rate is None and result.top_confusions()[0].count == int(
        (reference.confusion - torch.diag(reference.confusion.diag())).max()
    )
