"""A process killed (SIGKILL) while it writes weights or the model history leaves the previous
files intact: every write goes to a temporary file that replaces the old one only when complete."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import torch
from bad_files import kill_when_it_says

from lenet_desktop.core.checkpoint import load_checkpoint, save_checkpoint
from lenet_desktop.core.history import ModelHistory
from lenet_desktop.core.model import Classifier, Net, Normalization

# Run in the child before the save: the atomic write puts half the checkpoint in the file, flushes the
# real file, says so and waits to be killed; os.fsync (called once the data is all written,
# before the rename) does the same. Either way the kill lands in the middle of a save.
_STALL = textwrap.dedent(
    """
    import io, os, sys, time
    import lenet_desktop.core.checkpoint as checkpoint
    import lenet_desktop.core.files as files

    real_atomic_write = checkpoint.atomic_write

    def half_then_stall(path, write):
        def write_half(file):
            buffer = io.BytesIO()
            write(buffer)
            data = buffer.getvalue()
            file.write(data[: len(data) // 2])
            file.flush()
            print("stalled", flush=True)
            time.sleep(600)

        real_atomic_write(path, write_half)

    def stall_before_rename(fd):
        print("stalled", flush=True)
        time.sleep(600)

    checkpoint.atomic_write = half_then_stall if sys.argv[1] == "mid-data" else real_atomic_write
    files.os.fsync = stall_before_rename if sys.argv[1] == "before-rename" else os.fsync
    """
)


def _classifier(seed: int, name: str) -> Classifier:
    torch.manual_seed(seed)
    return Classifier(Net(), Normalization(0.1307, 0.3081), {"name": name})


def _kill_when_stalled(script: str, moment: str, folder: Path) -> None:
    kill_when_it_says(["-c", _STALL + textwrap.dedent(script), moment, str(folder)], "stalled")


def _same_weights(a: Classifier, b: Classifier) -> bool:
    return all(torch.equal(a.net.state_dict()[k], b.net.state_dict()[k]) for k in a.net.state_dict())


@pytest.mark.parametrize("moment", ["mid-data", "before-rename"])
def test_killed_while_saving_weights_leaves_the_previous_file(tmp_path, moment):
    path = tmp_path / "model.pt"
    previous = _classifier(1, "previous")
    save_checkpoint(path, previous)
    _kill_when_stalled(
        """
        import sys
        from pathlib import Path
        import torch
        from lenet_desktop.core.checkpoint import save_checkpoint
        from lenet_desktop.core.model import Classifier, Net, Normalization
        torch.manual_seed(2)
        save_checkpoint(Path(sys.argv[2]) / "model.pt", Classifier(Net(), Normalization(0.1307, 0.3081), {"name": "next"}))
        """,
        moment,
        tmp_path,
    )
    loaded = load_checkpoint(path)
    assert loaded.name == "previous" and _same_weights(loaded, previous)
    leftovers = list(tmp_path.glob(".model.pt.*.part"))
    assert len(leftovers) == 1, "the kill really happened mid-save: its temporary file is still there"
    # The next save works and replaces the file as usual.
    save_checkpoint(path, _classifier(3, "after"))
    assert load_checkpoint(path).name == "after"


@pytest.mark.parametrize("moment", ["mid-data", "before-rename"])
def test_killed_while_keeping_a_model_leaves_the_history(tmp_path, moment):
    history = ModelHistory(tmp_path / "models")
    history.keep(_classifier(1, "first"))
    _kill_when_stalled(
        """
        import sys
        from pathlib import Path
        import torch
        from lenet_desktop.core.history import ModelHistory
        from lenet_desktop.core.model import Classifier, Net, Normalization
        torch.manual_seed(2)
        ModelHistory(Path(sys.argv[2]) / "models").keep(Classifier(Net(), Normalization(0.1307, 0.3081), {"name": "second"}))
        """,
        moment,
        tmp_path,
    )
    reopened = ModelHistory(tmp_path / "models")
    assert [entry.name for entry in reopened.entries()] == ["first"]
    assert reopened.load(reopened.entries()[0]).name == "first"
