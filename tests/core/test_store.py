"""The corrections store: a real SQLite file, reopened, killed, exported and imported."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from digit_strokes import DIGITS, render_strokes

from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store import EXPORT_CSV, SCHEMA_VERSION, CorrectionStore, StoreError


def drawing(digit: int, style: int = 0) -> np.ndarray:
    return render_strokes(DIGITS[digit][style])


def test_corrections_survive_close_and_reopen(tmp_path):
    path = tmp_path / "corrections.db"
    with CorrectionStore(path) as store:
        first = store.add(drawing(7), 7, predicted=1, confidence=0.62, model_name="shipped", model_version="abc123")
        second = store.add(drawing(4, 1), 4, predicted=9, confidence=0.51)
    with CorrectionStore(path) as store:
        corrections = store.all()
    assert [c.id for c in corrections] == [first, second]
    seven = corrections[0]
    assert (seven.label, seven.predicted, seven.confidence, seven.model_name, seven.model_version) == (
        7,
        1,
        0.62,
        "shipped",
        "abc123",
    )
    np.testing.assert_array_equal(seven.drawing(), drawing(7))
    np.testing.assert_array_equal(seven.frame, preprocess(drawing(7)))  # the exact network input
    assert seven.created[:4].isdigit()


def test_the_stored_frame_is_the_one_given(tmp_path):
    frame = np.random.default_rng(0).random((32, 32), dtype=np.float32)
    with CorrectionStore(tmp_path / "c.db") as store:
        identifier = store.add(drawing(3), 3, frame=frame)
        np.testing.assert_array_equal(store.get(identifier).frame, frame)
        images = store.images()
    assert images.images.shape == (1, 1, 32, 32) and images.labels.tolist() == [3]


def test_relabel_and_delete(tmp_path):
    with CorrectionStore(tmp_path / "c.db") as store:
        keep, drop = store.add(drawing(1), 7), store.add(drawing(2), 2)
        store.relabel(keep, 1)
        store.delete(drop)
        assert [(c.id, c.label) for c in store.all()] == [(keep, 1)]
        with pytest.raises(StoreError, match="digit 0-9"):
            store.relabel(keep, 12)
        with pytest.raises(StoreError, match="no correction #999"):
            store.relabel(999, 3)


def test_a_blank_drawing_is_refused_with_a_reason(tmp_path):
    with CorrectionStore(tmp_path / "c.db") as store:
        with pytest.raises(StoreError, match="no digit"):
            store.add(np.full((100, 100), 255, np.uint8), 3)
        assert len(store) == 0


def test_a_file_that_is_not_a_database_is_copied_aside_and_replaced_by_an_empty_store(tmp_path):
    path = tmp_path / "c.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with CorrectionStore(path) as store:
        assert "c.db was damaged: 0 corrections could still be read" in str(store.recovered)
        assert len(store) == 0
    (copy,) = tmp_path.glob("c.damaged-*.db")
    assert copy.read_bytes() == b"this is not sqlite" * 100


def test_a_process_killed_right_after_saving_keeps_the_correction(tmp_path):
    path = tmp_path / "corrections.db"
    script = textwrap.dedent(
        f"""
        import time
        from digit_strokes import DIGITS, render_strokes
        from lenet_desktop.core.store import CorrectionStore
        store = CorrectionStore({str(path)!r})
        for n in range(3):
            identifier = store.add(render_strokes(DIGITS[n][0]), n, predicted=(n + 1) % 10, confidence=0.4)
        print("saved", identifier, flush=True)
        time.sleep(600)
        """
    )
    child_env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}  # the child imports what this test does
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=child_env)
    try:
        line = process.stdout.readline()
        assert line.startswith("saved"), line
        os.kill(process.pid, signal.SIGKILL)  # no close(), no checkpoint: only what was committed
    finally:
        process.kill()
        process.wait(timeout=30)
    with CorrectionStore(path) as store:
        assert [c.label for c in store.all()] == [0, 1, 2]
        assert store.all()[-1].id == int(line.split()[1])


def test_export_then_import_round_trip(tmp_path):
    with CorrectionStore(tmp_path / "a.db") as source:
        for digit in (0, 5, 8):
            source.add(drawing(digit, 2), digit, predicted=6, confidence=0.3, model_name="m", model_version="v1")
        assert source.export(tmp_path / "export") == 3
        originals = source.all()
    assert (tmp_path / "export" / EXPORT_CSV).is_file()
    assert len(list((tmp_path / "export").glob("*.png"))) == 3

    with CorrectionStore(tmp_path / "b.db") as target:
        result = target.import_folder(tmp_path / "export")
        assert (result.added, result.skipped, result.refused) == (3, 0, [])
        again = target.import_folder(tmp_path / "export")
        assert (again.added, again.skipped) == (0, 3)
        imported = target.all()
    for before, after in zip(originals, imported):
        assert (
            after.label,
            after.predicted,
            after.confidence,
            after.model_name,
            after.model_version,
            after.created,
        ) == (
            before.label,
            before.predicted,
            before.confidence,
            before.model_name,
            before.model_version,
            before.created,
        )
        assert after.drawing_png == before.drawing_png
        np.testing.assert_array_equal(after.frame, before.frame)


def test_import_names_the_lines_it_cannot_use(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    from PIL import Image

    Image.fromarray(drawing(2)).save(folder / "two.png")
    (folder / "broken.png").write_bytes(b"not a png")
    (folder / EXPORT_CSV).write_text("file,label\ntwo.png,2\nbroken.png,4\nmissing.png,1\ntwo.png,x\n")
    with CorrectionStore(tmp_path / "c.db") as store:
        result = store.import_folder(folder)
        assert result.added == 1 and len(result.refused) == 3
        assert [c.label for c in store.all()] == [2]
    with pytest.raises(StoreError, match="no corrections.csv"):
        CorrectionStore(tmp_path / "d.db").import_folder(tmp_path)


def test_an_import_refuses_a_label_that_is_not_a_digit_in_words(tmp_path):
    """Not in Python's words ("invalid literal for int() with base 10: 'x'"), and never a traceback."""
    folder = tmp_path / "in"
    folder.mkdir()
    from PIL import Image

    Image.fromarray(drawing(2)).save(folder / "two.png")
    (folder / EXPORT_CSV).write_text("file,label\ntwo.png, 02\ntwo.png,x\ntwo.png,2.0\ntwo.png,-2\n")
    with CorrectionStore(tmp_path / "c.db") as store:
        result = store.import_folder(folder)
        assert [c.label for c in store.all()] == [2]
    assert [str(reason) for reason in result.refused] == [
        f"{EXPORT_CSV} line {line}: a label must be a digit 0-9, not {label}"
        for line, label in ((3, "x"), (4, "2.0"), (5, "-2"))
    ]


def test_an_import_listing_saved_by_a_spreadsheet_is_read(tmp_path):
    """A corrections.csv opened and saved again in Excel gains a byte order mark and CRLF."""
    folder = tmp_path / "in"
    folder.mkdir()
    from PIL import Image

    Image.fromarray(drawing(2)).save(folder / "two.png")
    (folder / EXPORT_CSV).write_bytes("file,label\r\ntwo.png,2\r\n".encode("utf-8-sig"))
    with CorrectionStore(tmp_path / "c.db") as store:
        assert store.import_folder(folder).added == 1
        assert [c.label for c in store.all()] == [2]


def test_a_number_s_digits_survive_export_and_import(tmp_path):
    """A digit's drawing must stand on its own: a marker's 1 cut tight to its ink is ink to every
    edge, and without paper around it the import found "no digit" and dropped the correction."""
    from PIL import Image

    from lenet_desktop.core.store import DigitCorrection

    whole = np.full((120, 260), 255, np.uint8)
    whole[:, :120] = np.array(Image.fromarray(drawing(7)).resize((120, 120)))
    one = np.full_like(whole, 255)
    one[20:100, 180:192] = 0  # a 1 as a thick marker draws it: a bar
    whole[:, 120:] = one[:, 120:]
    digits = [
        DigitCorrection(7, preprocess(whole[:, :120]), (0, 0, 120, 120)),
        DigitCorrection(1, preprocess(one), (180, 20, 12, 80)),
    ]
    with CorrectionStore(tmp_path / "c.db") as store:
        store.add_number(whole, digits)
        assert store.export(tmp_path / "export") == 2
        before = store.all()
    with CorrectionStore(tmp_path / "d.db") as target:
        result = target.import_folder(tmp_path / "export")
        after = target.all()
    assert result.refused == [] and [c.label for c in after] == [7, 1]
    for old, new in zip(before, after):
        np.testing.assert_allclose(new.frame, old.frame, atol=0.05)


def test_an_imported_jpeg_is_kept_as_a_png_of_the_same_drawing(tmp_path):
    from PIL import Image

    from lenet_desktop.core.images import load_image

    folder = tmp_path / "mine"
    folder.mkdir()
    Image.fromarray(render_strokes(DIGITS[8][0])).save(folder / "eight.jpg", quality=95)
    (folder / EXPORT_CSV).write_text("file,label\neight.jpg,8\n")
    with CorrectionStore(tmp_path / "corrections.db") as store:
        assert store.import_folder(folder).added == 1
        (correction,) = store.all()
    assert correction.drawing_png.startswith(b"\x89PNG")
    np.testing.assert_array_equal(correction.drawing(), load_image(folder / "eight.jpg"))


V1_SCHEMA = """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9), predicted INTEGER CHECK (predicted BETWEEN 0 AND 9),
    confidence REAL, model_name TEXT, model_version TEXT,
    drawing_png BLOB NOT NULL, drawing_sha256 TEXT NOT NULL, frame BLOB NOT NULL
)
"""


def _version_1_store(path) -> None:
    """A store as the app wrote it before numbers: schema 1, two single-digit corrections."""
    import hashlib
    import sqlite3

    from lenet_desktop.core.store import encode_png

    db = sqlite3.connect(path)
    db.execute(V1_SCHEMA)
    for digit in (7, 4):
        png = encode_png(drawing(digit))
        db.execute(
            "INSERT INTO corrections (created, label, predicted, confidence, model_name, model_version, drawing_png,"
            " drawing_sha256, frame) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                "2026-01-02T03:04:05+0000",
                digit,
                1,
                0.5,
                "shipped",
                "v1",
                png,
                hashlib.sha256(png).hexdigest(),
                preprocess(drawing(digit)).tobytes(),
            ),
        )
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()


def _number(digits=(2, 0, 2, 6)) -> tuple[np.ndarray, list]:
    """A drawing of several digits side by side, and each digit's correction as the window makes it."""
    from lenet_desktop.core.store import DigitCorrection

    parts = [drawing(d) for d in digits]
    whole = np.concatenate(parts, axis=1)
    corrections = [
        DigitCorrection(
            d, preprocess(part), (280 * i + 40, 20, 200, 240), predicted=(d + 1) % 10, confidence=0.4 + 0.1 * i
        )
        for i, (d, part) in enumerate(zip(digits, parts))
    ]
    return whole, corrections


def test_an_old_store_opens_keeps_its_rows_and_takes_numbers(tmp_path):
    import sqlite3

    path = tmp_path / "corrections.db"
    _version_1_store(path)
    with CorrectionStore(path) as store:
        old = store.all()
        assert [(c.label, c.model_version, c.box, c.whole_drawing_id) for c in old] == [
            (7, "v1", None, None),
            (4, "v1", None, None),
        ]
        np.testing.assert_array_equal(old[0].drawing(), drawing(7))
        assert store.whole_drawing(old[0]) is None
        whole, digits = _number()
        ids = store.add_number(whole, digits, model_name="shipped", model_version="v2")
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with CorrectionStore(path) as store:
        assert len(store) == 6 and [c.label for c in store.all()][:2] == [7, 4]
        assert store.images().labels.tolist() == [7, 4, 2, 0, 2, 6]
    assert len(ids) == 4


def _version_2_store(path) -> None:
    """A store as the app wrote it before confirmations: schema 2, two single digits and a number."""
    import sqlite3

    from lenet_desktop.core.store.rows import MIGRATIONS

    _version_1_store(path)
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[2]:
        db.execute(statement)
    db.execute("PRAGMA user_version=2")
    db.commit()
    db.close()
    with CorrectionStore(path) as store:  # a number as schema 2 stored it, then the file is put back to 2
        store.add_number(*_number((3, 1)))
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE corrections DROP COLUMN source")
    db.execute("ALTER TABLE corrections DROP COLUMN confirmed")
    db.execute("PRAGMA user_version=2")
    db.commit()
    db.close()


def test_a_schema_2_store_keeps_every_row_and_learns_confirmations(tmp_path):
    import sqlite3

    path = tmp_path / "corrections.db"
    _version_2_store(path)
    with CorrectionStore(path) as store:
        before = store.all()
        assert [(c.label, c.box is not None, c.confirmed) for c in before] == [
            (7, False, False),
            (4, False, False),
            (3, True, False),
            (1, True, False),
        ]
        store.confirm(before[0].id)
        store.relabel(before[1].id, 9)  # a label the user chose is confirmed too
        with pytest.raises(StoreError, match="no correction #99"):
            store.confirm(99)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with CorrectionStore(path) as store:
        after = store.all()
        images, confirmed = store.images_and_confirmations()
    assert [(c.label, c.confirmed) for c in after] == [(7, True), (9, True), (3, False), (1, False)]
    assert [(c.created, c.drawing_png, c.box) for c in after] == [(c.created, c.drawing_png, c.box) for c in before]
    assert images.labels.tolist() == [7, 9, 3, 1] and confirmed.tolist() == [True, True, False, False]


def _version_3_store(path) -> None:
    """A store as the app wrote it before the enrolment: schema 3, with a confirmed correction."""
    import sqlite3

    _version_2_store(path)
    with CorrectionStore(path) as store:
        store.confirm(store.all()[0].id)
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE corrections DROP COLUMN source")
    db.execute("PRAGMA user_version=3")
    db.commit()
    db.close()


def test_a_schema_3_store_keeps_every_row_as_a_correction_and_takes_enrolment_drawings(tmp_path):
    import sqlite3

    from lenet_desktop.core.store import CORRECTION, ENROLMENT

    path = tmp_path / "corrections.db"
    _version_3_store(path)
    with CorrectionStore(path) as store:
        before = store.all()
        assert [(c.label, c.confirmed, c.source) for c in before] == [
            (7, True, CORRECTION),
            (4, False, CORRECTION),
            (3, False, CORRECTION),
            (1, False, CORRECTION),
        ]
        added = store.add(drawing(5), 5, predicted=3, source=ENROLMENT)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with CorrectionStore(path) as store:  # the real file, opened anew
        after = store.all()
    assert [(c.id, c.label, c.source) for c in after][-1] == (added, 5, ENROLMENT)
    assert [(c.created, c.drawing_png, c.box, c.confirmed) for c in after[:4]] == [
        (c.created, c.drawing_png, c.box, c.confirmed) for c in before
    ]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="running as root: file permissions do not apply"
)
@pytest.mark.parametrize(
    ("make_old_store", "expected"),
    [
        (_version_1_store, [(7, False), (4, False)]),
        (_version_2_store, [(7, False), (4, False), (3, False), (1, False)]),
        (_version_3_store, [(7, True), (4, False), (3, False), (1, False)]),
    ],
)
def test_an_old_store_in_a_read_only_folder_is_read_as_it_is(tmp_path, make_old_store, expected):
    folder = tmp_path / "ro"
    folder.mkdir()
    make_old_store(folder / "corrections.db")
    folder.chmod(0o555)
    try:
        with CorrectionStore(folder / "corrections.db") as store:
            read = [(c.label, c.confirmed) for c in store.all()]
            assert {c.source for c in store.all()} == {"correction"}
        assert read == expected
    finally:
        folder.chmod(0o755)


def test_a_number_is_stored_as_one_correction_per_digit_with_the_whole_drawing_and_its_box(tmp_path):
    whole, digits = _number()
    with CorrectionStore(tmp_path / "c.db") as store:
        ids = store.add_number(whole, digits, model_name="shipped", model_version="abc")
    with CorrectionStore(tmp_path / "c.db") as store:
        stored = store.all()
        assert [c.id for c in stored] == ids
        assert [(c.label, c.predicted, c.box) for c in stored] == [(d.label, d.predicted, d.box) for d in digits]
        assert stored[1].confidence == pytest.approx(0.5)
        assert len({c.whole_drawing_id for c in stored}) == 1, "the whole drawing is stored once for its digits"
        for correction, digit in zip(stored, digits):
            np.testing.assert_array_equal(correction.frame, digit.frame)  # training uses it as it is
            np.testing.assert_array_equal(store.whole_drawing(correction), whole)
            x, y, width, height = digit.box
            stored, margin = correction.drawing(), (correction.drawing().shape[0] - height) // 2
            np.testing.assert_array_equal(stored[margin:-margin, margin:-margin], whole[y : y + height, x : x + width])
            assert (np.concatenate((stored[0], stored[-1], stored[:, 0], stored[:, -1])) == 255).all(), (
                "paper around it"
            )
        assert store.images().labels.tolist() == [2, 0, 2, 6]


def test_a_number_with_a_box_outside_its_drawing_stores_nothing(tmp_path):
    from dataclasses import replace

    whole, digits = _number()
    digits[-1] = replace(digits[-1], box=(1100, 0, 200, 280))
    with CorrectionStore(tmp_path / "c.db") as store:
        with pytest.raises(StoreError, match="outside"):
            store.add_number(whole, digits)
        digits[-1] = replace(digits[-1], label=12, box=(900, 0, 100, 100))
        with pytest.raises(StoreError, match="digit 0-9"):
            store.add_number(whole, digits)
        assert len(store) == 0
        assert store._read("SELECT COUNT(*) FROM whole_drawings")[0][0] == 0, "all of the number or none of it"


def test_recovering_a_store_keeps_each_digit_s_whole_drawing_and_box(tmp_path):
    from lenet_desktop.core.store.recovery import recover

    path = tmp_path / "corrections.db"
    whole, digits = _number()
    with CorrectionStore(path) as store:
        store.add(drawing(5), 5)
        store.add_number(whole, digits)
        store.confirm(1)
    recover(path)  # the rebuild a damaged file gets, here of every row
    with CorrectionStore(path) as store:
        stored = store.all()
        assert [(c.label, c.box) for c in stored] == [(5, None)] + [(d.label, d.box) for d in digits]
        assert [c.confirmed for c in stored] == [True] + [False] * len(digits)
        np.testing.assert_array_equal(store.whole_drawing(stored[-1]), whole)


def test_a_number_keeps_its_whole_drawing_boxes_and_digits_together_through_export_and_import(tmp_path):
    """An export once listed a number's digits as loose drawings: imported, they were single
    digits with no whole drawing, no box and nothing to say which digits made one number."""
    import csv

    whole, digits = _number((2, 0, 2, 6))
    with CorrectionStore(tmp_path / "a.db") as source:
        source.add(drawing(3), 3)  # a single digit beside the number keeps no number columns
        source.add_number(whole, digits, model_name="shipped", model_version="v2")
        source.add_number(*_number((1, 9)))
        assert source.export(tmp_path / "export") == 7
    with open(tmp_path / "export" / EXPORT_CSV, newline="") as file:
        header = next(csv.reader(file))
    assert header[:2] == ["file", "label"]  # what evaluate --images and other tools read

    with CorrectionStore(tmp_path / "b.db") as target:
        result = target.import_folder(tmp_path / "export")
        assert (result.added, result.skipped, result.refused) == (7, 0, [])
        again = target.import_folder(tmp_path / "export")
        assert (again.added, again.skipped, again.refused) == (0, 7, [])
        single, *year, one, nine = target.all()
        assert (single.label, single.whole_drawing_id, single.box) == (3, None, None)
        assert [(c.label, c.box, c.predicted, c.model_version) for c in year] == [
            (d.label, d.box, d.predicted, "v2") for d in digits
        ]
        assert len({c.whole_drawing_id for c in year}) == 1 and year[0].whole_drawing_id is not None
        np.testing.assert_array_equal(target.whole_drawing(year[0]), whole)
        assert one.whole_drawing_id == nine.whole_drawing_id != year[0].whole_drawing_id
        assert [one.label, nine.label] == [1, 9]


def test_a_confirmed_label_stays_confirmed_through_export_and_import(tmp_path):
    """The export left the confirmation out: imported again, a flagged label the user had confirmed
    (or relabelled) was flagged and left out of training anew, with no way to confirm it from the CLI."""
    whole, digits = _number((4, 2))
    with CorrectionStore(tmp_path / "a.db") as source:
        confirmed = source.add(drawing(3), 3)
        source.add(drawing(5), 5)
        relabelled = source.add(drawing(8), 0)
        number = source.add_number(whole, digits)
        source.confirm(confirmed)
        source.relabel(relabelled, 8)
        source.confirm(number[1])
        source.export(tmp_path / "export")
    with CorrectionStore(tmp_path / "b.db") as target:
        assert target.import_folder(tmp_path / "export").refused == []
        assert [(c.label, c.confirmed) for c in target.all()] == [
            (3, True),
            (5, False),
            (8, True),
            (4, False),
            (2, True),
        ]


def test_a_bad_row_in_a_number_refuses_that_digit_only(tmp_path):
    """A label or prediction out of range on one digit's row failed the whole number in the store:
    its good digits were dropped too, and the import counted one refusal for them all."""
    import csv

    with CorrectionStore(tmp_path / "a.db") as source:
        source.add_number(*_number((4, 2, 7)))
        source.export(tmp_path / "export")
    listing = tmp_path / "export" / EXPORT_CSV
    with open(listing, newline="") as file:
        rows = list(csv.DictReader(file))
    rows[0]["label"], rows[1]["predicted"] = "12", "17"
    with open(listing, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with CorrectionStore(tmp_path / "b.db") as target:
        result = target.import_folder(tmp_path / "export")
        (kept,) = target.all()
    assert result.added == 1 and len(result.refused) == 2
    assert "line 2" in str(result.refused[0]) and "line 3" in str(result.refused[1])
    assert (kept.label, kept.whole_drawing_id is not None) == (7, True)


def test_a_number_whose_whole_drawing_is_missing_imports_its_digits_on_their_own(tmp_path):
    with CorrectionStore(tmp_path / "a.db") as source:
        source.add_number(*_number((4, 2)))
        source.export(tmp_path / "export")
    (number_file,) = (tmp_path / "export").glob("number_*.png")
    number_file.unlink()
    with CorrectionStore(tmp_path / "b.db") as target:
        result = target.import_folder(tmp_path / "export")
        assert result.added == 2 and len(result.refused) == 1
        assert "its digits were read on their own" in str(result.refused[0])
        assert [(c.label, c.whole_drawing_id) for c in target.all()] == [(4, None), (2, None)]


def _without_root_s_override() -> list[str]:
    """The command prefix that makes file permissions apply to the CLI run below: as root they do
    not, so root runs it without the capability that overrides them, as a user's process is."""
    import shutil

    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file permissions do not apply")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_an_old_read_only_store_is_read_with_one_line_that_says_so(tmp_path, read_only):
    """A schema-1 store that cannot be written cannot be upgraded: the CLI said "not a usable
    corrections database (attempt to write a readonly database)" and showed none of its rows."""
    folder = tmp_path / "user"
    folder.mkdir()
    path = folder / "corrections.db"
    _version_1_store(path)
    before = path.read_bytes()
    (path if read_only == "file" else folder).chmod(0o444 if read_only == "file" else 0o555)
    try:
        listed = subprocess.run(
            [*_without_root_s_override(), sys.executable, "-m", "lenet_desktop", "corrections", "list"],
            capture_output=True,
            text=True,
            env={**os.environ, "LENET_USER_DIR": str(folder)},
            timeout=120,
        )
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert listed.returncode == 0, listed.stderr
    assert "2 corrections in" in listed.stdout and "label 7" in listed.stdout and "label 4" in listed.stdout
    (warning,) = listed.stderr.splitlines()
    assert "read-only" in warning and "cannot be upgraded" in warning and "Traceback" not in warning
    assert path.read_bytes() == before  # nothing lost, nothing changed


def test_an_import_stopped_on_the_way_keeps_what_it_added(tmp_path):
    """The window stops an import when it closes; each drawing added until then is committed."""
    folder = tmp_path / "in"
    with CorrectionStore(tmp_path / "a.db") as source:
        for digit in (1, 2, 3):
            source.add(drawing(digit), digit)
        source.export(folder)
    asked = []
    with CorrectionStore(tmp_path / "b.db") as store:
        result = store.import_folder(folder, should_stop=lambda: asked.append(1) or len(asked) > 2)
        assert result.added == 2 and [c.label for c in store.all()] == [1, 2]
    with CorrectionStore(tmp_path / "b.db") as again:
        assert [c.label for c in again.all()] == [1, 2]
