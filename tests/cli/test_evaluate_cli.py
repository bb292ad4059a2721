"""`lenet-desktop evaluate --images DIR` as a user runs it: a real process on a real folder."""

import json

import numpy as np
import pytest
from cli_process import run_cli
from digit_strokes import DIGITS, render_strokes
from labelled_folders import LETTERS, write_labelled_folder
from PIL import Image

from lenet_desktop.core.store import encode_png


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "mine"
    written = write_labelled_folder(folder, extra_rows=["gone.png,4", "digit_1_0.png,"])
    return folder, written


def test_json_gives_accuracy_confusions_and_the_refusal_of_non_digits(folder):
    folder, written = folder
    result = run_cli("evaluate", "--images", folder, "--json")
    assert result.returncode == 1, "an unusable row is reported in the exit code"
    report = json.loads(result.stdout)
    predictions = {p["name"]: p for p in report["predictions"]}
    assert sorted(predictions) == sorted(name for name, _ in written)

    # The same one-digit answers, one image at a time, from `predict --single` (which shows no digit
    # for "not a digit").
    one_by_one = run_cli("predict", "--json", "--single", *(folder / name for name, _ in written))
    for line in one_by_one.stdout.splitlines():
        single = json.loads(line)
        ours = predictions[single["file"].rsplit("/", 1)[-1]]
        assert (None if ours["not_a_digit"] else ours["predicted"], ours["unsure"], ours["not_a_digit"]) == (
            single["digit"],
            single["unsure"],
            single["not_a_digit"],
        )
        assert np.allclose(ours["probabilities"], single["probabilities"], atol=1e-5)

    digits = [(name, int(label)) for name, label in written if label.isdigit()]
    right = sum(predictions[name]["predicted"] == label for name, label in digits)
    assert report["digits"] == len(digits) == 20 and report["accuracy"] == pytest.approx(right / len(digits))
    assert sum(map(sum, report["confusion"])) == 20
    for digit in range(10):
        ours = [predictions[name]["predicted"] == digit for name, label in digits if label == digit]
        assert report["per_class_accuracy"][digit] == pytest.approx(sum(ours) / len(ours))
    wrong = [
        (label, predictions[name]["predicted"]) for name, label in digits if predictions[name]["predicted"] != label
    ]
    assert sum(c["count"] for c in report["top_confusions"]) == len(wrong)
    for c in report["top_confusions"]:
        assert wrong.count((c["true"], c["predicted"])) == c["count"]

    letters = [predictions[name] for name, label in written if not label.isdigit()]
    assert report["should_refuse"] == 2
    assert report["refusal_rate"] == pytest.approx(sum(p["unsure"] or p["not_a_digit"] for p in letters) / 2)

    assert len(report["failures"]) == 2
    assert "gone.png: no such file" in report["failures"][0] and "line 24" in report["failures"][0]
    assert "line 25: needs a file name and a label" in report["failures"][1]
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 3  # the model used, two skipped


def test_text_prints_every_figure_and_each_unusable_row_on_stderr(folder):
    folder, _ = folder
    result = run_cli("evaluate", "--images", folder)
    report = json.loads(run_cli("evaluate", "--images", folder, "--json").stdout)
    out = result.stdout
    assert f"accuracy: {report['accuracy']:.2%} (20 digits" in out
    assert "per class: 0:" in out and "confusion matrix" in out and "most common confusions:" in out
    assert f"not a digit: {report['refusal_rate']:.2%} of 2 refused" in out
    assert [line for line in result.stderr.splitlines() if not line.startswith("lenet-desktop: model ")] == [
        "lenet-desktop: skipped " + failure for failure in report["failures"]
    ]


@pytest.mark.parametrize(
    "listing, reason",
    [
        (None, "no labels.csv here"),
        (b"\xff\xfe\x00bad", "not a readable UTF-8 CSV file"),
        (b"name,digit\na.png,1\n", "needs the columns file and label"),
        (b"file,label\n", "lists no images"),
    ],
)
def test_a_bad_listing_is_one_line(tmp_path, listing, reason):
    folder = tmp_path / "bad"
    folder.mkdir()
    if listing is not None:
        (folder / "labels.csv").write_bytes(listing)
    result = run_cli("evaluate", "--images", folder)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("lenet-desktop: error: ") and reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_folder_and_a_folder_of_unusable_images_are_one_line(tmp_path):
    result = run_cli("evaluate", "--images", tmp_path / "nowhere")
    assert result.returncode == 2 and "nowhere: no such folder" in result.stderr
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "labels.csv").write_text("file,label\nmissing.png,3\n")
    result = run_cli("evaluate", "--images", folder)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith("none of the listed images could be used")


def test_a_corrections_export_is_evaluated_as_it_is(tmp_path):
    folder = tmp_path / "mine"
    write_labelled_folder(folder)
    listing = (folder / "labels.csv").read_text()
    (folder / "labels.csv").unlink()
    (folder / "corrections.csv").write_text(listing.replace("file,label", "file,label,predicted"))
    result = run_cli("evaluate", "--images", folder, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["digits"] == 20


@pytest.mark.mnist
def test_plain_evaluate_on_mnist_prints_the_same_figures(mnist_root):
    result = run_cli("evaluate", "--data-dir", mnist_root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("MNIST test accuracy: 99.")
    assert "most common confusions: " in result.stdout and "not a digit" not in result.stdout
    report = json.loads(run_cli("evaluate", "--json", "--data-dir", mnist_root).stdout)
    assert report["refusal_rate"] is None and report["should_refuse"] == 0 and len(report["predictions"]) == 10_000


def test_a_digit_with_no_image_has_no_accuracy_rather_than_none_right(tmp_path):
    """A folder of sevens says nothing about zeros: 0 % for them would be a figure nobody measured."""
    written = write_labelled_folder(tmp_path)
    sevens = [name for name, label in written if label == "7"]
    (tmp_path / "labels.csv").write_text("file,label\n" + "".join(f"{name},7\n" for name in sevens))
    report = json.loads(run_cli("evaluate", "--images", tmp_path, "--json").stdout)
    assert report["per_class_accuracy"][:7] == [None] * 7 and report["per_class_accuracy"][8:] == [None] * 2
    assert report["per_class_accuracy"][7] is not None
    text = run_cli("evaluate", "--images", tmp_path).stdout
    per_class = next(line for line in text.splitlines() if line.startswith("per class:"))
    assert "0:-" in per_class and "0:0.00%" not in per_class


def test_a_folder_of_letters_reports_the_refusal_the_window_shows(tmp_path):
    """evaluate --images gave only the one-digit reading, which the window does not show."""
    folder = tmp_path / "letters"
    folder.mkdir()
    for letter, strokes in LETTERS.items():
        (folder / f"{letter}.png").write_bytes(encode_png(render_strokes(strokes)))
    (folder / "labels.csv").write_text("file,label\n" + "".join(f"{x}.png,{x}\n" for x in LETTERS), encoding="utf-8")
    result = run_cli("evaluate", "--images", folder, "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)["as_shown"]
    for image in shown["images"]:
        read = json.loads(run_cli("predict", "--json", folder / image["name"]).stdout)
        assert image["shows"] == "not a digit" and image["number"] is None and read["not_a_digit"], image
    assert shown["should_refuse"] == len(LETTERS) and shown["refusal_rate"] == 1.0
    assert shown["refusals_shown_as"] == {"not a digit": len(LETTERS)}
    text = run_cli("evaluate", "--images", folder).stdout
    assert "H.png  label H  shows not a digit" in text
    assert f"not a digit: 100.00% of {len(LETTERS)} refused (shown as not a digit {len(LETTERS)};" in text
    assert "the one-digit reading" in text
    single = run_cli("evaluate", "--images", folder, "--single", "--json")
    assert (
        "as_shown" not in json.loads(single.stdout)
        and "shows" not in run_cli("evaluate", "--images", folder, "--single").stdout
    )


def test_predict_and_evaluate_agree_image_by_image_on_a_folder_of_digits_and_numbers(tmp_path):
    folder = tmp_path / "digits"
    write_labelled_folder(folder)
    (folder / "number_27.png").write_bytes(
        encode_png(np.hstack([render_strokes(DIGITS[2][0]), render_strokes(DIGITS[7][0])]))
    )
    with (folder / "labels.csv").open("a", encoding="utf-8") as listing:
        listing.write("number_27.png,a number\n")
    report = json.loads(run_cli("evaluate", "--images", folder, "--json").stdout)
    shown = {image["name"]: image for image in report["as_shown"]["images"]}
    names = sorted(shown)
    lines = run_cli("predict", "--json", *(folder / name for name in names)).stdout.splitlines()
    for name, line in zip(names, lines, strict=True):
        read = json.loads(line)
        kind = (
            "no digit"
            if not read["digits"]
            else "not a digit"
            if read["number"] is None
            else "unsure"
            if read["unsure"]
            else "digit"
            if len(read["digits"]) == 1
            else "number"
        )
        assert (shown[name]["shows"], shown[name]["number"]) == (kind, read["number"]), name
    assert shown["number_27.png"] == {"name": "number_27.png", "label": "a number", "shows": "number", "number": "27"}
    assert (
        report["as_shown"]["accuracy"]
        == sum(image["number"] == image["label"] for image in shown.values()) / report["as_shown"]["digits"]
    )


def test_each_skipped_image_is_named_by_its_path(tmp_path):
    """A missing image was named by its path, a blank, unreadable or badly labelled one by its name alone."""
    Image.fromarray(np.full((28, 28), 255, np.uint8)).save(tmp_path / "blank.png")
    (tmp_path / "corrupt.png").write_bytes(b"not a png")
    (tmp_path / "labels.csv").write_text("file,label\nmissing.png,3\nblank.png,4\ncorrupt.png,5\nblank.png,12\n")
    result = run_cli("evaluate", "--images", tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"lenet-desktop: skipped labels.csv line 2: {tmp_path}/missing.png: no such file",
        f"lenet-desktop: skipped labels.csv line 3: {tmp_path}/blank.png: no ink in this image",
        f"lenet-desktop: skipped labels.csv line 4: {tmp_path}/corrupt.png: not an image this app can read",
        f"lenet-desktop: skipped labels.csv line 5: {tmp_path}/blank.png: the label 12 is not one digit 0-9 (a word "
        "marks an image to refuse)",
        f"lenet-desktop: error: {tmp_path}: none of the listed images could be used",
    ]
