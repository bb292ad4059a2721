"""`lenet-desktop corrections`: list, export or import the corrected drawings."""

from __future__ import annotations

import sys
from pathlib import Path

from lenet_desktop.cli.common import UsageError, open_store, printable
from lenet_desktop.core.errors import counted

# What --weights does for this command, in its help.
WEIGHTS_USE = "corrections does not use it, but a bad one is refused all the same"


def add_parser(commands, parents) -> None:
    corrections = commands.add_parser(
        "corrections", parents=parents, help="list, export or import your corrected drawings"
    )
    corrections.add_argument(
        "action", choices=["list", "export", "import"], metavar="ACTION", help="list, export or import"
    )
    corrections.add_argument(
        "folder", nargs="?", type=Path, metavar="FOLDER", help="the folder of PNGs plus corrections.csv (export/import)"
    )
    corrections.set_defaults(handler=run)


def run(args) -> int:
    if args.action != "list" and args.folder is None:
        raise UsageError(f"corrections {args.action} needs a FOLDER")
    if args.action == "list" and args.folder is not None:
        raise UsageError("corrections list takes no FOLDER: it lists the corrections you saved")
    with open_store() as store:
        if args.action == "export":
            print(f"exported {counted(store.export(args.folder), 'correction')} to {printable(args.folder)}")
        elif args.action == "import":
            result = store.import_folder(args.folder)
            for reason in result.refused:
                print(f"lenet-desktop: skipped {printable(reason)}", file=sys.stderr)
            print(
                f"imported {counted(result.added, 'correction')} ({result.skipped} already there, {len(result.refused)} unreadable)"
            )
            return 1 if result.refused else 0
        else:
            recovered = store.recovered
            corrections = store.all()
            if store.recovered != recovered:  # damage found only as the rows were read
                print(f"lenet-desktop: warning: {printable(store.recovered)}", file=sys.stderr)
            for c in corrections:
                said = (
                    "-"
                    if c.predicted is None
                    else f"{c.predicted} ({c.confidence:.0%})"
                    if c.confidence is not None
                    else str(c.predicted)
                )
                line = f"#{c.id:<5} {c.created}  label {c.label}  model said {said}  {c.model_name or ''} {c.model_version or ''}"
                print(printable(line.rstrip()))
            print(f"{counted(len(corrections), 'correction')} in {printable(store.path)}")
            if store.damaged_ids:
                print(
                    f"lenet-desktop: warning: damaged, left out: {', '.join(f'#{i}' for i in store.damaged_ids)}",
                    file=sys.stderr,
                )
    return 0
