"""Where things live: shipped resources, the user's data folder, the MNIST folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "lenet-desktop"
DATA_DIR_VARIABLE = "LENET_DATA_DIR"
USER_DIR_VARIABLE = "LENET_USER_DIR"
SHIPPED_WEIGHTS = "lenet_mnist.pt"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir(
    frozen_root: str | None = getattr(sys, "_MEIPASS", None),
    package_dir: Path = _PACKAGE_DIR,
) -> Path:
    """The folder of shipped resources, found the same way in every kind of install.

    A PyInstaller bundle unpacks it to `<bundle>/resources`; a wheel installs it as
    `lenet_desktop/resources`; a source checkout has it at the repository's top level.
    """
    candidates = [package_dir / "resources", package_dir.parent / "resources"]
    if frozen_root is not None:
        candidates.insert(0, Path(frozen_root) / "resources")
    for candidate in candidates:
        if (candidate / SHIPPED_WEIGHTS).is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"the shipped resources are missing (looked in {searched})")


def resource_path(name: str) -> Path:
    return resources_dir() / name


def shipped_weights_path() -> Path:
    return resource_path(SHIPPED_WEIGHTS)


def is_shipped_weights(path: str | os.PathLike) -> bool:
    """Whether `path` is the shipped weights file: the same file, by whatever name or link."""
    try:
        return os.path.samefile(path, shipped_weights_path())
    except OSError:  # either is missing: nothing there to overwrite
        return False


def user_data_dir() -> Path:
    """The per-user folder for corrections and retrained models (never inside the bundle)."""
    override = os.environ.get(USER_DIR_VARIABLE)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def mnist_root(cli_value: str | os.PathLike | None = None) -> Path:
    """MNIST's root folder (holding `MNIST/raw/`): the CLI flag, then $LENET_DATA_DIR, then the
    user data folder."""
    if cli_value:
        return Path(cli_value)
    env_value = os.environ.get(DATA_DIR_VARIABLE)
    if env_value:
        return Path(env_value)
    return user_data_dir() / "data"
