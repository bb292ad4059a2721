"""`lenet-desktop models`: the kept models, which one is active, and making another one active.

The active model is the one the window and every reading command use unless --weights says
otherwise; the window's Models tab shows and sets the same one.
"""

from __future__ import annotations

from lenet_desktop.cli.common import SHIPPED, UsageError, describe_model, printable, warn_fallback
from lenet_desktop.core.active_model import ActiveModelError, remember_model, remembered_model
from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint
from lenet_desktop.core.history import HISTORY_FOLDER, HistoryEntry, ModelHistory
from lenet_desktop.core.paths import shipped_weights_path, user_data_dir

# What --weights does for this command, in its help.
WEIGHTS_USE = "models does not use it, but a bad one is refused all the same"


def add_parser(commands, parents) -> None:
    models = commands.add_parser(
        "models",
        parents=parents,
        help="list the kept models and which is active, or make one active",
        description="The active model is the one the window and predict, evaluate and train use unless given "
        "--weights; the window's Models tab shows and sets the same one.",
    )
    models.add_argument("action", choices=["list", "use"], metavar="ACTION", help="list, or use")
    models.add_argument(
        "model",
        nargs="?",
        metavar="NAME|shipped",
        help="for use: a kept model's number, name or file name (as models list shows them), or shipped",
    )
    models.set_defaults(handler=run)


def run(args) -> int:
    if args.action == "list":
        if args.model is not None:
            raise UsageError("models list takes no NAME: it lists every kept model")
        return _list()
    if args.model is None:
        raise UsageError(f"models use needs a NAME (a kept model's number or name, or {SHIPPED})")
    if args.model == SHIPPED:
        remember_model(None)
        print(
            f"the active model is now {printable(describe_model(load_checkpoint(shipped_weights_path()).name, None))}"
        )
        return 0
    entry = _find(args.model)
    remember_model(entry.path)
    print(f"the active model is now {printable(describe_model(entry.name, entry.path))}")
    return 0


def _kept() -> list[HistoryEntry]:
    return ModelHistory(user_data_dir() / HISTORY_FOLDER).entries()


def _number(entry: HistoryEntry) -> str:
    """The running number a kept model's file starts with, as `models use` takes it; "-" for a file
    put in the folder by other means."""
    prefix = entry.path.name.split("-", 1)[0]
    return str(int(prefix)) if prefix.isdigit() else "-"


def _find(wanted: str) -> HistoryEntry:
    kept = _kept()
    by_number = [e for e in kept if wanted.isdigit() and _number(e) == str(int(wanted))]
    by_file = [e for e in kept if wanted in (e.path.name, e.path.stem)]
    by_name = [e for e in kept if e.name == wanted]
    for found in (by_number, by_file):
        if len(found) == 1:
            return found[0]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        numbers = ", ".join(_number(e) for e in by_name)
        raise UsageError(f"{len(by_name)} kept models are called {wanted!r} (numbers {numbers}): give its number")
    raise UsageError(f"no kept model is called {printable(repr(wanted))}; `models list` shows them, or use {SHIPPED}")


def _list() -> int:
    try:
        active = remembered_model()
        active_name = None if active is None else load_checkpoint(active).name
    except (ActiveModelError, CheckpointError) as error:
        warn_fallback(error)
        active = None
    kept = _kept()
    shipped = load_checkpoint(shipped_weights_path())
    rows = [("*" if active is None else " ", SHIPPED, shipped.name, "", shipped.test_accuracy, "the shipped weights")]
    rows += [
        (
            "*" if active is not None and active.resolve() == e.path.resolve() else " ",
            _number(e),
            e.name,
            e.created,
            e.mnist_test_accuracy,
            e.path.name,
        )
        for e in kept
    ]
    for marker, number, name, created, accuracy, where in rows:
        measured = "MNIST test not measured" if accuracy is None else f"MNIST test {accuracy:.2%}"
        print(printable(f"{marker} {number:>7}  {name}  {created + '  ' if created else ''}{measured}  {where}"))
    if active is not None and not any(row[0] == "*" for row in rows):  # opened from a file in the window
        print(printable(f"* {'':>7}  {describe_model(active_name, active)}  (not kept)"))
    print(f"{len(kept)} kept in {printable(user_data_dir() / HISTORY_FOLDER)}; * marks the active model")
    return 0
