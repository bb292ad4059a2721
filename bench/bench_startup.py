"""Start-up: from process start to the window painted (ink accepted) and to the first prediction possible.

Starts the real program as a user does, `lenet-desktop` with no arguments: the venv's console script,
and the PyInstaller bundle `dist/lenet-desktop/lenet-desktop` when one is built. Each run gets fresh
settings and user folders (nothing remembered, the shipped weights) on the offscreen platform. The
program appends its milestones to $LENET_STARTUP_TRACE (lenet_desktop/gui/startup/startup_trace.py) against
`time.monotonic()`, a clock shared with this process, whose start-of-Popen time is the zero:
  painted - the drawing canvas has painted for the first time, with the event loop running;
  ready   - the model is loaded and the live predictor running: ink drawn now, or before, is predicted
            (never earlier than painted: a prediction is shown in a painted window).
One run before the measured ones is not counted (disk cache). The program is killed once both are in.
On a machine shared with other jobs the wall times grow with the load, so the CPU time the program has
used when each milestone is seen (Linux: /proc/PID/stat, all its threads) is shown too: what it needs
on an idle machine, where the window thread and the loader mostly take turns on the GIL.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--program PATH ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / ".venv" / "bin" / "lenet-desktop"
BUNDLE = ROOT / "dist" / "lenet-desktop" / "lenet-desktop"
TIMEOUT = 60.0
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far; NaN where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def start_once(program: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="lenet-bench-startup-") as scratch:
        folder = Path(scratch)
        trace = folder / "trace.txt"
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            LENET_STARTUP_TRACE=str(trace),
            LENET_USER_DIR=str(folder / "user"),
            XDG_CONFIG_HOME=str(folder / "config"),  # QSettings: nothing remembered from a real run
            XDG_DATA_HOME=str(folder / "data"),
            XDG_CACHE_HOME=str(folder / "cache"),
        )
        started = time.monotonic()
        process = subprocess.Popen([str(program)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            milestones: dict[str, float] = {}
            while not {"painted", "ready"} <= milestones.keys():
                if process.poll() is not None:
                    raise SystemExit(
                        f"{program} exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}"
                    )
                if time.monotonic() - started > TIMEOUT:
                    raise SystemExit(f"{program}: no window after {TIMEOUT:.0f} s; trace: {milestones}")
                time.sleep(0.005)
                if trace.exists():
                    for line in trace.read_text().splitlines():
                        name, _, value = line.partition(" ")
                        if name not in milestones:
                            milestones[name] = float(value) - started
                            milestones[f"{name} cpu"] = cpu_seconds(process.pid)
        finally:
            process.kill()
            process.wait()
    if milestones["ready"] < milestones["painted"]:
        milestones["ready"], milestones["ready cpu"] = milestones["painted"], milestones["painted cpu"]
    return milestones


def report(program: Path, runs: int) -> None:
    start_once(program)  # warm the disk cache; not counted
    results, loads = [], []
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        results.append(start_once(program))
    print(
        f"\n{program.relative_to(ROOT) if program.is_relative_to(ROOT) else program}: {runs} runs, "
        f"load average (1 min) before each run {min(loads):.1f}-{max(loads):.1f}"
    )
    print("| milestone | median (s) | min (s) | max (s) | runs (s) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name in ("painted", "ready", "painted cpu", "ready cpu"):
        values = [result[name] for result in results]
        each = ", ".join(f"{value:.2f}" for value in values)
        print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} | {each} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--program", type=Path, action="append", help="default: the venv's script, and the bundle if built"
    )
    args = parser.parse_args()
    programs = args.program or [path for path in (SOURCE, BUNDLE) if path.exists()]
    print(f"{platform.node()}: {os.cpu_count()} CPUs, {platform.machine()}, Python {sys.version.split()[0]}")
    for program in programs:
        report(program.resolve(), args.runs)


if __name__ == "__main__":
    main()
