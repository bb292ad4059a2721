"""Run by the event-loop watchdog (window_fixtures.py) as a process of its own: it frees a test's
window from a FIFO that Qt opened on the window's thread. That thread then waits in open() for a
writer, holding Python's GIL, so no thread of the test process could step in.

Arguments: the heartbeat file (the watchdog's timer writes time.monotonic() into it at every tick),
the folder of the test's FIFOs, the log file, the seconds of standstill to wait. When the heartbeat
is older than that, each FIFO is opened for writing without blocking, which succeeds only while a
reader waits on it: the reader goes on with an empty file, and the FIFO is named in the log."""

from __future__ import annotations

import os
import struct
import sys
import time
from pathlib import Path


def main(heartbeat: str, folder: str, log: str, stall_for: str) -> None:
    parent = os.getppid()
    while os.getppid() == parent:  # the test process is gone: so is the reason to run
        time.sleep(0.05)
        (beat,) = struct.unpack("d", Path(heartbeat).read_bytes()[:8])
        if time.monotonic() - beat < float(stall_for):
            continue
        for fifo in sorted(Path(folder).iterdir()):
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody reads it
                continue
            os.close(descriptor)
            with open(log, "a", encoding="utf-8") as file:
                file.write(f"{fifo}\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
