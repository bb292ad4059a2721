"""Real faulty folders: a full disk and a read-only folder (imported by the tests, not fixtures).

A full disk is a tiny tmpfs filled to the last byte; a read-only folder is chmod 555, or for
root (whom permissions do not stop) a tmpfs remounted read-only. Mounting needs root; where it
is not possible the test is skipped and says why.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount_tmpfs(folder: Path, size: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs (a real small or read-only filesystem)")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Write into `folder` until its filesystem has no byte left."""
    block = b"\0" * 4096
    with open(folder / "filler", "wb", buffering=0) as file:
        while True:
            try:
                file.write(block)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                break
    for size in (512, 64, 1):  # the last partial block too
        with open(folder / "filler", "ab", buffering=0) as file:
            try:
                while True:
                    file.write(b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise


@contextmanager
def small_disk(folder: Path, size: str = "2m"):
    """`folder` becomes a tiny filesystem of its own; call fill(folder) to make it full."""
    folder.mkdir(parents=True, exist_ok=True)
    _mount_tmpfs(folder, size)
    try:
        yield folder
    finally:
        _unmount(folder)


@contextmanager
def read_only(folder: Path, prepare=None):
    """`folder`, after `prepare(folder)` wrote what it needs, made read-only for everyone."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        if prepare is not None:
            prepare(folder)
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    _mount_tmpfs(folder, "16m")
    try:
        if prepare is not None:
            prepare(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        _unmount(folder)
