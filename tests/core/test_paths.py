"""One resolver finds the shipped resources in a checkout, a wheel and a PyInstaller bundle."""

import subprocess
import sys
import zipfile

import pytest

from lenet_desktop.core.paths import SHIPPED_WEIGHTS, mnist_root, resources_dir


def _layout(root, where):
    folder = root / where
    folder.mkdir(parents=True)
    (folder / SHIPPED_WEIGHTS).write_bytes(b"x")
    return folder


def test_source_checkout(tmp_path):
    expected = _layout(tmp_path, "repo/resources")
    assert resources_dir(frozen_root=None, package_dir=tmp_path / "repo/lenet_desktop") == expected


def test_installed_wheel(tmp_path):
    expected = _layout(tmp_path, "site-packages/lenet_desktop/resources")
    assert resources_dir(frozen_root=None, package_dir=tmp_path / "site-packages/lenet_desktop") == expected


def test_pyinstaller_bundle_comes_first(tmp_path):
    expected = _layout(tmp_path, "_internal/resources")
    _layout(tmp_path, "elsewhere/resources")
    found = resources_dir(frozen_root=str(tmp_path / "_internal"), package_dir=tmp_path / "elsewhere/lenet_desktop")
    assert found == expected


def test_missing_resources_say_where_they_were_looked_for(tmp_path):
    with pytest.raises(FileNotFoundError, match="looked in"):
        resources_dir(frozen_root=None, package_dir=tmp_path / "nowhere/lenet_desktop")


def test_this_checkout_has_them():
    assert (resources_dir() / SHIPPED_WEIGHTS).is_file()


def test_data_root_prefers_flag_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LENET_DATA_DIR", str(tmp_path / "env"))
    assert mnist_root(tmp_path / "flag") == tmp_path / "flag"
    assert mnist_root() == tmp_path / "env"
    monkeypatch.delenv("LENET_DATA_DIR")
    assert mnist_root().name == "data"


@pytest.mark.slow
def test_the_wheel_ships_the_resources(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), "."],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("lenet_desktop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"lenet_desktop/resources/{SHIPPED_WEIGHTS}" in names
    assert any(n.startswith("lenet_desktop/resources/samples/") for n in names)
