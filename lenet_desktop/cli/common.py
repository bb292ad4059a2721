"""What the subcommands share: the one-line errors, the option types and checks, the global options
(--weights, --device), and opening the model (--weights, else the active model) and the store."""

from __future__ import annotations

import argparse
import math
import sys
import unicodedata
from pathlib import Path

from lenet_desktop.core.active_model import LoadedModel, load_active_model
from lenet_desktop.core.checkpoint import CheckpointError, check_not_shipped, check_weights_file, load_checkpoint
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.files import check_writable
from lenet_desktop.core.paths import is_shipped_weights, shipped_weights_path, user_data_dir
from lenet_desktop.core.store import CorrectionStore, default_store_path


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        # One line, as every other error; argparse's usage block would bury it.
        command = self.prog.removeprefix("lenet-desktop").strip()
        self.exit(2, f"lenet-desktop: error: {command + ': ' if command else ''}{message} (see --help)\n")


# Control and format characters (an escape sequence that clears the screen, a carriage return that
# overwrites the line, a right-to-left override) and the line and paragraph separators.
_UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp"}


def printable(text: object) -> str:
    """`text` as a terminal shows it faithfully: each unprintable character as Python writes it in a
    string (\\x1b, \\r, \\u202e), so a name from a file cannot move the cursor or clear the screen."""
    return "".join(ascii(c)[1:-1] if unicodedata.category(c) in _UNPRINTABLE else c for c in str(text))


DATA_DIR_HELP = "folder holding MNIST/raw/ (default: $LENET_DATA_DIR, else the user data folder)"
MAX_SEED = 2**64 - 1  # torch's generators take seeds up to this


def whole(low: int, high: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            within = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise argparse.ArgumentTypeError(f"must be a whole number {within}, not {text}")
        return value

    return parse


def finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
    return value


def share(text: str) -> float:
    value = finite(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, not {text}")
    return value


def destination(text: str) -> Path:
    """Checked before any work, so a long run never ends unable to save."""
    if not text:
        raise argparse.ArgumentTypeError("needs a file name")
    path = Path(text)
    try:
        check_not_shipped(path)
        check_writable(path)
    except CheckpointError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    except OSError as error:
        raise argparse.ArgumentTypeError(f"{text!r} cannot be written: {error.strerror or error}") from None
    return path


SHIPPED = "shipped"  # --weights shipped, models use shipped: the weights the app comes with


def weights_file(text: str) -> Path:
    """--weights: a file, or `shipped` for the shipped weights (./shipped names a file called so)."""
    return shipped_weights_path() if text == SHIPPED else Path(text)


def global_options(default, weights_use: str) -> argparse.ArgumentParser:
    """--weights and --device; `weights_use` says what the command does with the weights."""
    options = Parser(add_help=False)
    options.add_argument(
        "--weights",
        type=weights_file,
        default=default,
        help=f"the model's weights file, or shipped for the shipped weights (default: the active model, as "
        f"`models use` or the window's Models tab set it); {weights_use}",
    )
    options.add_argument(
        "--device", default=default, help="where to run the model: auto (default), cpu, cuda, cuda:N or mps"
    )
    return options


def check_global_options(args) -> None:
    """Refuse a bad --weights or --device whatever the command, even one that does not use them:
    a user who names a file expects it to matter."""
    if args.weights is not None:
        try:
            check_weights_file(args.weights)
        except CheckpointError as error:
            raise UsageError(f"--weights {error}") from None
    if args.device is not None:
        resolve_device(args.device)


def load_model(args) -> LoadedModel:
    """--weights, else the active model (the shipped weights, with a warning, when it cannot be
    used); says on stderr, in one line, which model it is."""
    device = resolve_device(args.device or "auto")
    if args.weights is not None:
        path = None if is_shipped_weights(args.weights) else args.weights
        model = LoadedModel(load_checkpoint(args.weights, device), path)
        source = "--weights"
    else:
        model = load_active_model(device)
        if model.fallback is not None:
            warn_fallback(model.fallback)
        source = "the active model" if model.fallback is None else "instead of the active model"
    described = describe_model(model.classifier.name, model.path)
    print(f"lenet-desktop: model {printable(described)} ({source})", file=sys.stderr)
    return model


def warn_fallback(error: Exception) -> None:
    """The remembered active model cannot be used: one line, as the window says it at its start."""
    print(
        f"lenet-desktop: warning: the active model could not be loaded ({printable(error)}); using the shipped weights",
        file=sys.stderr,
    )


def describe_model(name: str, path: Path | None) -> str:
    """'NAME', the shipped weights or 'NAME', FILE."""
    return f"'{name}', {'the shipped weights' if path is None else path}"


def open_store() -> CorrectionStore:
    store = CorrectionStore(default_store_path(user_data_dir()))
    for warning in (store.recovered, store.read_only):
        if warning:
            print(f"lenet-desktop: warning: {printable(warning)}", file=sys.stderr)
    return store
