"""The `lenet-desktop` command run as a user runs it: a real process, with the test's environment."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lenet_desktop", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
