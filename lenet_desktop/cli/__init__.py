"""`lenet-desktop`: the window with no subcommand; predict, evaluate and train headless.

Every subcommand is a thin layer over the same core functions the window calls, one module each
(predict, evaluate, train, corrections, models); common.py holds what they share. The reading ones
use the window's active model unless --weights names another.
Errors a user can cause end as one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from lenet_desktop import __version__
from lenet_desktop.cli import corrections, evaluate, models, predict, train
from lenet_desktop.cli.common import Parser, UsageError, check_global_options, global_options, printable
from lenet_desktop.core.checkpoint import CheckpointError
from lenet_desktop.core.data import MnistError
from lenet_desktop.core.device import DeviceError
from lenet_desktop.core.errors import first_line
from lenet_desktop.core.evaluation import EvaluationError
from lenet_desktop.core.images import ImageError
from lenet_desktop.core.store import StoreError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    args.argv = argv
    if args.self_test:
        from lenet_desktop.gui.devtools.self_test import run_self_test  # opens the window, so Qt loads here too

        return run_self_test(args)
    if args.command is None:
        from lenet_desktop.gui.startup.app import run_app  # Qt loads only when the window is wanted

        return run_app(args)
    try:
        check_global_options(args)
        return args.handler(args)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do when SIGPIPE ends them.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is silent too
        return 141  # 128 + SIGPIPE, what a shell reports for a tool SIGPIPE ended (not defined on Windows)
    except (
        UsageError,
        CheckpointError,
        DeviceError,
        EvaluationError,
        MnistError,
        ImageError,
        StoreError,
    ) as error:
        print(f"lenet-desktop: error: {printable(error)}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"lenet-desktop: error: {printable(first_line(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lenet-desktop: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="lenet-desktop",
        description="Handwritten digit recognition with LeNet.",
        parents=[global_options(None, "predict and evaluate use it, train starts from it")],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check every part of this install (engine, MNIST reading, training, store, Qt platform, window); one JSON line",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Accepted after the subcommand too, as users tend to write them there. There they default to
    # SUPPRESS: a subparser's own default would overwrite the value given before the subcommand.
    for command in (predict, evaluate, train, corrections, models):
        command.add_parser(commands, [global_options(argparse.SUPPRESS, command.WEIGHTS_USE)])
    return parser
