"""The corrections database under faults: two processes writing at once, a full disk, a read-only
folder, and imports with bad rows. Always a real SQLite file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from digit_strokes import DIGITS, render_strokes
from filesystems import fill, read_only, small_disk
from PIL import Image

from lenet_desktop.core.store import EXPORT_CSV, CorrectionStore, StoreError


def drawing(digit: int) -> np.ndarray:
    return render_strokes(DIGITS[digit][0], size=140, pen=10)


def _integrity(path) -> str:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


_WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from lenet_desktop.core.store import CorrectionStore
    path, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    drawing = np.full((28, 28), 255, np.uint8)
    drawing[4:24, 13:15] = 0
    frame = np.zeros((32, 32), np.float32)
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for n in range(count):
        with CorrectionStore(path) as store:  # open, write, close: as the window does between sessions
            store.add(drawing, writer, model_name=f"writer {writer}", model_version=str(n), frame=frame)
        store = CorrectionStore(path)
        store.relabel(store.all()[-1].id, store.all()[-1].label)  # read then write on one connection
        store.close()
    print("done", flush=True)
    """
)


def test_two_instances_writing_at_once_keep_the_database_consistent(tmp_path):
    path = tmp_path / "corrections.db"
    CorrectionStore(path).close()
    count = 40
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(writer), str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for writer in (1, 2)
    ]
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready"
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    with CorrectionStore(path) as reader:  # a third connection reading meanwhile, as the browser does
        while any(writer.poll() is None for writer in writers):
            assert len(reader.all()) <= 2 * count
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0 and "done" in out, err[-2000:]
    with CorrectionStore(path) as store:
        stored = store.all()
    assert len(stored) == 2 * count
    assert len({c.id for c in stored}) == 2 * count
    for writer in (1, 2):
        versions = [int(c.model_version) for c in stored if c.model_name == f"writer {writer}"]
        assert versions == list(range(count)), "each writer's rows are all there, in its order"
    assert _integrity(path) == "ok"


def test_a_write_locked_out_for_too_long_is_a_store_error_not_a_crash(tmp_path):
    path = tmp_path / "corrections.db"
    store = CorrectionStore(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another instance in the middle of a long write
    try:
        store._db.execute("PRAGMA busy_timeout = 200")  # wait 0.2 s rather than the default
        with pytest.raises(StoreError) as error:
            store.add(drawing(3), 3)
        assert "\n" not in str(error.value) and "locked" in str(error.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.add(drawing(3), 3) > 0, "once the other instance is done, saving works again"
    store.close()


def test_a_full_disk_is_a_clear_error_and_the_saved_corrections_stay(tmp_path):
    with small_disk(tmp_path / "user") as user:
        path = user / "corrections.db"
        store = CorrectionStore(path)
        first = store.add(drawing(2), 2)
        fill(user)
        with pytest.raises(StoreError) as error:
            for _ in range(50):  # the WAL may still have room for a row or two
                store.add(drawing(5), 5)
        assert "full" in str(error.value) and "\n" not in str(error.value)
        assert store.get(first).label == 2
        store.close()
        (user / "filler").unlink()
        with CorrectionStore(path) as reopened:
            assert reopened.get(first).label == 2
            assert reopened.add(drawing(7), 7) > first
        assert _integrity(path) == "ok"


def test_a_read_only_folder_is_a_clear_error(tmp_path):
    with read_only(tmp_path / "user") as user:
        with pytest.raises(StoreError, match="read-only") as error:
            CorrectionStore(user / "corrections.db")
        assert "\n" not in str(error.value)
        with pytest.raises(StoreError):
            CorrectionStore(user / "not-yet" / "corrections.db")


def test_a_read_only_folder_keeps_an_existing_database_readable_and_saving_says_why(tmp_path):
    """The folder became read-only (a full quota remounted, a locked-down home): the corrections
    already saved are still there to see and train on; a new one is refused in one line."""

    def prepare(folder):
        with CorrectionStore(folder / "corrections.db") as store:
            store.add(drawing(4), 4)

    with read_only(tmp_path / "user", prepare) as user:
        with CorrectionStore(user / "corrections.db") as store:
            assert [c.label for c in store.all()] == [4]
            with pytest.raises(StoreError, match="not saved") as error:
                store.add(drawing(6), 6)
            assert "\n" not in str(error.value)
        assert sorted(path.name for path in user.iterdir()) == ["corrections.db"]


def _save(folder, name, picture):
    Image.fromarray(picture).save(folder / name)


def test_an_import_reports_and_skips_bad_rows_and_imports_the_good_ones(tmp_path):
    folder = tmp_path / "import"
    folder.mkdir()
    _save(folder, "two.png", drawing(2))
    _save(folder, "seven.png", drawing(7))
    _save(folder, "blank.png", np.full((50, 50), 255, np.uint8))
    (folder / "not_an_image.png").write_text("hello")
    (folder / "a_folder.png").mkdir()
    rows = [
        "file,label,predicted,confidence",
        "two.png,2,3,0.6",  # good
        "missing.png,1,,",  # the PNG is not there
        "two.png,seven,,",  # label not a number
        "two.png,12,,",  # label not a digit
        "not_an_image.png,4,,",
        "a_folder.png,4,,",
        "blank.png,0,,",  # no digit in it
        "seven.png",  # a short row: no label at all
        ",5,,",  # no file name
        "seven.png,7,x,not a number",  # good file and label, garbage in the optional columns
        "seven.png,7,,",  # good
    ]
    (folder / EXPORT_CSV).write_text("\n".join(rows) + "\n")
    with CorrectionStore(tmp_path / "c.db") as store:
        result = store.import_folder(folder)
        assert sorted(c.label for c in store.all()) == [2, 7]
    assert result.added == 2
    assert len(result.refused) == len(rows) - 3, result.refused
    assert all("\n" not in str(line) for line in result.refused)
    for line in (3, 4, 5, 6, 7, 8, 9, 10, 11):
        assert any(f"line {line}" in str(reason) for reason in result.refused), (line, result.refused)


@pytest.mark.parametrize(
    "content",
    [b"file,label\n\xff\xfe\x00two.png,2\n", b"file,label\ntwo.png,2\x00\n", b"", b"name,digit\ntwo.png,2\n"],
    ids=["not-utf8", "nul-byte", "empty", "other-columns"],
)
def test_an_unreadable_listing_is_one_clear_error(tmp_path, content):
    folder = tmp_path / "import"
    folder.mkdir()
    _save(folder, "two.png", drawing(2))
    (folder / EXPORT_CSV).write_bytes(content)
    with CorrectionStore(tmp_path / "c.db") as store:
        try:
            result = store.import_folder(folder)
        except StoreError as error:
            assert "\n" not in str(error) and EXPORT_CSV in str(error)
        else:
            assert result.added == 0 and len(store) == 0
