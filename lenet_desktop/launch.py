"""The `lenet-desktop` entry point. A bare `lenet-desktop`, the way the window is usually opened, goes
straight to the window, which shows before torch is imported (the cli package imports it at the top,
for the subcommands). Anything on the command line goes through lenet_desktop.cli, which parses and checks it."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if not argv:
            from lenet_desktop.gui.startup.app import run_app

            return run_app(None)
        from lenet_desktop.cli import main as cli_main

        return cli_main(argv)
    except KeyboardInterrupt:  # Ctrl-C while the modules import, before the window's or cli.main's own handling
        print("lenet-desktop: interrupted", file=sys.stderr)
        return 130
