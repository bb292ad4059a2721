"""The `lenet-desktop` command as a user runs it: a real process, real files."""

import argparse
import json

import numpy as np
import pytest
from cli_process import run_cli
from digit_strokes import DIGITS, render_strokes
from labelled_folders import LETTERS
from PIL import Image

from lenet_desktop.core.paths import resource_path


@pytest.fixture
def drawings(tmp_path):
    paths = {}
    for digit in (2, 7):
        path = tmp_path / f"drawn_{digit}.png"
        Image.fromarray(render_strokes(DIGITS[digit][0])).save(path)
        paths[digit] = path
    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((100, 100), 255, np.uint8)).save(blank)
    paths["blank"] = blank
    return paths


def test_predict_prints_digit_and_all_probabilities(drawings):
    result = run_cli("predict", drawings[2], drawings[7], drawings["blank"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"{drawings[2]}: 2 ")
    assert lines[1].startswith(f"{drawings[7]}: 7 ")
    assert lines[2] == f"{drawings['blank']}: no digit"
    assert "9:" in lines[0]


def test_predict_json_is_one_object_per_line(drawings):
    result = run_cli("predict", "--json", drawings[2], drawings["blank"])
    assert result.returncode == 0, result.stderr
    first, blank = (json.loads(line) for line in result.stdout.splitlines())
    assert first["file"] == str(drawings[2]) and first["digit"] == 2
    assert len(first["probabilities"]) == 10 and sum(first["probabilities"]) == pytest.approx(1, abs=1e-4)
    assert first["confidence"] == max(first["probabilities"])
    assert blank["digit"] is None


def test_predict_says_not_a_digit_below_the_weights_threshold(drawings, tmp_path, shipped_classifier):
    from lenet_desktop.core.checkpoint import save_checkpoint

    shipped_classifier.metadata.update(not_a_digit_score="confidence", not_a_digit_below=1.01)  # nothing passes
    save_checkpoint(tmp_path / "refusing.pt", shipped_classifier)
    text = run_cli("predict", "--weights", tmp_path / "refusing.pt", drawings[2])
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"{drawings[2]}: not a digit ")
    shown = json.loads(run_cli("predict", "--json", "--weights", tmp_path / "refusing.pt", drawings[2]).stdout)
    assert shown["not_a_digit"] is True and shown["unsure"] is False and shown["digit"] is None
    assert max(range(10), key=shown["probabilities"].__getitem__) == 2, "what the model leaned to stays"
    shipped = json.loads(run_cli("predict", "--json", drawings[2]).stdout)
    assert shipped["not_a_digit"] is False


def test_shipped_samples_are_recognised():
    samples = sorted(resource_path("samples").glob("digit_*.png"))
    assert len(samples) == 10
    result = run_cli("predict", "--json", *samples)
    assert result.returncode == 0, result.stderr
    for sample, line in zip(samples, result.stdout.splitlines()):
        assert json.loads(line)["digit"] == int(sample.stem.split("_")[1])


def test_missing_and_corrupt_files_fail_alone_without_traceback(drawings, tmp_path):
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    result = run_cli("predict", tmp_path / "missing.png", corrupt, drawings[7])
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    model, *errors = result.stderr.strip().splitlines()
    assert model.startswith("lenet-desktop: model ") and len(errors) == 2  # the model it read with, then each bad file
    assert "missing.png: no such file" in errors[0]
    assert "corrupt.png" in errors[1]
    assert result.stdout.startswith(f"{drawings[7]}: 7 ")


def test_bad_weights_and_device_are_one_line_errors(drawings, tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_text("not weights")
    for args in (("--weights", bad), ("--device", "tpu")):
        result = run_cli("predict", *args, drawings[2])
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.mnist
def test_evaluate_on_mnist(mnist_root):
    result = run_cli("evaluate", "--json", "--data-dir", mnist_root)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert round(report["accuracy"], 4) >= 0.993 and report["images"] == 10_000
    assert sum(map(sum, report["confusion"])) == 10_000


def test_evaluate_without_mnist_says_where_to_put_it(without_mnist):
    result = run_cli("evaluate", *without_mnist)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "t10k-images-idx3-ubyte" in result.stderr and str(without_mnist[1]) in result.stderr


@pytest.fixture
def number_image(tmp_path):
    """ "27" drawn side by side on a wide canvas."""
    canvas = np.hstack([render_strokes(DIGITS[2][0]), render_strokes(DIGITS[7][0])])
    path = tmp_path / "number_27.png"
    Image.fromarray(canvas).save(path)
    return path


def test_predict_json_reads_one_digit_as_before_and_as_a_number(drawings):
    result = run_cli("predict", "--json", drawings[2])
    assert result.returncode == 0, result.stderr
    one = json.loads(result.stdout)
    single = json.loads(run_cli("predict", "--json", "--single", drawings[2]).stdout)
    for key in ("digit", "confidence", "probabilities", "unsure"):
        assert one[key] == pytest.approx(single[key], abs=2e-6)
    assert one["number"] == "2" and len(one["digits"]) == 1
    digit = one["digits"][0]
    assert digit["digit"] == 2 and digit["confidence"] == one["confidence"] and digit["unsure"] == one["unsure"]
    x, y, width, height = digit["box"]
    assert 0 <= x and 0 <= y and x + width <= 280 and y + height <= 280 and width > 20 and height > 100


def test_predict_json_reads_several_digits(number_image):
    result = run_cli("predict", "--json", number_image)
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["number"] == "27" and read["digit"] is None
    assert [d["digit"] for d in read["digits"]] == [2, 7]
    assert read["confidence"] == pytest.approx(
        read["digits"][0]["confidence"] * read["digits"][1]["confidence"], abs=1e-5
    )
    assert read["unsure"] == any(d["unsure"] for d in read["digits"])
    assert read["digits"][0]["box"][0] + read["digits"][0]["box"][2] <= 280 <= read["digits"][1]["box"][0]
    for digit in read["digits"]:
        assert sum(digit["probabilities"]) == pytest.approx(1, abs=1e-4)


def test_predict_json_for_no_digit(drawings):
    read = json.loads(run_cli("predict", "--json", drawings["blank"]).stdout)
    assert read["digit"] is None and read["number"] is None and read["digits"] == []
    assert read["confidence"] is None and read["unsure"] is None and read["probabilities"] == [0.0] * 10


@pytest.mark.parametrize("letter", sorted(LETTERS))
def test_the_json_of_a_drawn_letter_refused_as_not_a_digit_has_no_digit(tmp_path, letter):
    """A refused drawing gave "digit": 4 beside "not_a_digit": true and "number": null."""
    path = tmp_path / f"{letter}.png"
    Image.fromarray(render_strokes(LETTERS[letter])).save(path)
    for options in ([], ["--single"]):
        read = json.loads(run_cli("predict", "--json", *options, path).stdout)
        assert read["not_a_digit"] is True, (letter, options)
        assert read["digit"] is None and read["number"] is None, (letter, options)
        assert [piece["digit"] for piece in read["digits"]] == [None], (letter, options)


def test_predict_single_reads_a_number_as_one_digit(number_image):
    read = json.loads(run_cli("predict", "--json", "--single", number_image).stdout)
    assert len(read["digits"]) == 1
    # Two digits squeezed into one frame: weights that know non-digits may refuse them as one digit.
    if read["not_a_digit"]:
        assert read["digit"] is None and read["number"] is None
    else:
        assert read["number"] == str(read["digit"])


def test_predict_text_prints_the_number_then_each_digit(number_image):
    result = run_cli("predict", number_image)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"{number_image}: 27 ")
    assert lines[1].lstrip().startswith("2 ") and lines[2].lstrip().startswith("7 ") and len(lines) == 3


def test_help_and_errors_say_what_a_new_user_needs(tmp_path):
    """Read as a new user reads them: --weights said "to start with" for predict too; import from
    a folder that is not there said it had no corrections.csv; a FOLDER given to list was ignored;
    a missing action was called "action"."""
    predict_help = run_cli("predict", "--help").stdout
    assert "to start with" not in predict_help and "the model's weights file" in predict_help
    assert "each read as a digit or a" in predict_help
    evaluate_help = run_cli("evaluate", "--help").stdout
    assert "MNIST test" in evaluate_help and "else the user data folder" in evaluate_help
    missing = run_cli("corrections", "import", tmp_path / "not-there")
    assert (
        missing.returncode == 2
        and missing.stderr == f"lenet-desktop: error: {tmp_path / 'not-there'}: no such folder\n"
    )
    listed = run_cli("corrections", "list", tmp_path)
    assert listed.returncode == 2 and "corrections list takes no FOLDER" in listed.stderr
    bare = run_cli("corrections")
    assert bare.returncode == 2 and "required: ACTION" in bare.stderr and len(bare.stderr.splitlines()) == 1
    assert "ACTION             list, export or import" in run_cli("corrections", "--help").stdout


def _subcommands() -> dict:
    from lenet_desktop.cli import build_parser

    (commands,) = (a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices


def test_every_option_of_every_subcommand_has_help_and_weights_says_what_it_does_there():
    """Every subcommand's help said "train starts from it" for --weights, and --momentum, --betas,
    --alpha, --weight-decay and --seed had no help at all."""
    uses = {
        "predict": "the model that reads the images",
        "evaluate": "the model whose accuracy is measured",
        "train": "training starts from it",
        "corrections": "corrections does not use it",
        "models": "models does not use it",
    }
    subcommands = _subcommands()
    assert set(subcommands) == set(uses)
    for name, parser in subcommands.items():
        unexplained = [a.option_strings for a in parser._actions if a.option_strings and not a.help]
        assert unexplained == [], f"{name}: {unexplained}"
        (weights,) = (a for a in parser._actions if "--weights" in a.option_strings)
        assert uses[name] in weights.help, f"{name}: {weights.help}"
        assert name == "train" or "train" not in weights.help, f"{name}: {weights.help}"


def _specks(path, seed):
    """A spray of 200 round specks, 2 to 8 px across, over a 900x280 white image: noise, no digit."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:280, 0:900]
    image = np.full((280, 900), 255, np.uint8)
    for x, y, r in zip(rng.uniform(0, 900, 200), rng.uniform(0, 280, 200), rng.uniform(2, 8, 200)):
        image[(cols - x) ** 2 + (rows - y) ** 2 <= r * r] = 0
    Image.fromarray(image).save(path)
    return path


def test_predict_json_reads_a_spray_of_specks_as_no_digit(tmp_path):
    read = json.loads(run_cli("predict", "--json", _specks(tmp_path / "specks.png", 7)).stdout)
    assert read["number"] is None and read["digits"] == [], read["number"]


def test_predict_boxes_of_a_large_image_are_in_its_own_pixels(number_image, tmp_path):
    """Over MAX_SIDE a side the image is read shrunk by a whole factor (3 here); the boxes were in the
    shrunk image's pixels, a third of where the digits are in the file."""
    small = Image.open(number_image)
    scale = 7.5  # 560 x 280 -> 4200 x 2100
    large = tmp_path / "number_27_large.png"
    small.resize((round(small.width * scale), round(small.height * scale)), Image.Resampling.NEAREST).save(large)
    expected = json.loads(run_cli("predict", "--json", number_image).stdout)["digits"]
    result = run_cli("predict", "--json", large)
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["number"] == "27"
    for digit, small_digit in zip(read["digits"], expected):
        assert digit["box"] == pytest.approx([value * scale for value in small_digit["box"]], abs=3 * scale)
        x, y, width, height = digit["box"]
        assert x + width <= 4200 and y + height <= 2100
    lines = run_cli("predict", large).stdout.strip().splitlines()
    assert lines[1].endswith("box {},{} {}x{}".format(*read["digits"][0]["box"]))
