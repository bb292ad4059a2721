"""Benchmark of the packaged program: build time, bundle size, time to the window shown.

    .venv/bin/python packaging/bench_bundle.py [--build] [--runs N]

--build times `make package` first; without it the bundle already in dist/lenet-desktop/ is measured.
Each run starts `lenet-desktop --self-test` afresh and records the wall time from launch until its JSON
line arrives (it prints that line after showing and closing the window, so this bounds the time to the
window from above) and the self-test's own `window_shown_s` (from its start, after Python and torch have
been imported, until the window is exposed). The source install is measured the same way for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "lenet-desktop"


def folder_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def timed_self_test(command: list[str]) -> tuple[float, dict]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    result = subprocess.run([*command, "--self-test"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    wall = time.perf_counter() - started
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if result.returncode != 0:
        raise SystemExit(f"self-test failed: {report}")
    return wall, report


def measure_starts(label: str, command: list[str], runs: int) -> None:
    walls, shown = [], []
    for _ in range(runs):
        wall, report = timed_self_test(command)
        walls.append(wall)
        shown.append(report["window_shown_s"])
    print(
        f"| {label} | {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}) "
        f"| {statistics.median(shown):.2f} s | {report['device']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="time `make package` first")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}")
    if args.build:
        started = time.perf_counter()
        subprocess.run(["make", "package"], cwd=ROOT, check=True, capture_output=True)
        print(f"build (`make package`, --clean): {time.perf_counter() - started:.0f} s")

    internal = BUNDLE / "_internal"
    parts = {
        name: folder_bytes(internal / name) for name in ("nvidia", "torch", "PySide6") if (internal / name).is_dir()
    }
    total = folder_bytes(BUNDLE)
    print(f"bundle: {total / 1e9:.2f} GB in {sum(1 for _ in BUNDLE.rglob('*'))} files")
    for name, size in parts.items():
        print(f"  _internal/{name}: {size / 1e9:.2f} GB")
    print(f"  everything else: {(total - sum(parts.values())) / 1e9:.2f} GB")

    print(f"| program | launch to JSON line (median of {args.runs}) | window shown after self-test start | device |")
    print("| --- | --- | --- | --- |")
    measure_starts("bundle", [str(BUNDLE / "lenet-desktop")], args.runs)
    measure_starts("source install", [sys.executable, "-m", "lenet_desktop"], args.runs)


if __name__ == "__main__":
    main()
