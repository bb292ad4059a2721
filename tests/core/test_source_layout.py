"""Every source file is both installed and translated: the package list in pyproject.toml and the
lupdate file list in the Makefile are written by hand, so a new folder or module can slip past either,
and then a wheel lacks it, or its window texts never reach the translator."""

from __future__ import annotations

import glob
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lenet_desktop"


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def installed_packages() -> str:
    """The text of [tool.setuptools]'s packages list (read as text: tomllib is not in Python 3.10)."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    (listing,) = re.findall(r"^packages = \[(.*?)\]", pyproject, flags=re.MULTILINE | re.DOTALL)
    return listing


def test_every_folder_of_sources_is_an_installed_package():
    listed = set(re.findall(r'"([\w.]+)"', installed_packages()))
    folders = {".".join(p.parent.relative_to(ROOT).parts) for p in source_files()}

    assert folders - listed == set(), "folders of sources that pyproject.toml's packages leaves out"
    for folder in folders:
        assert (ROOT / folder.replace(".", "/") / "__init__.py").is_file(), f"{folder} has no __init__.py"


def lupdate_patterns() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if line.startswith("LUPDATE :="))
    (patterns,) = re.findall(r"\$\(wildcard ([^)]*)\)", line)
    return patterns.split()


def test_every_source_that_speaks_to_the_user_is_in_the_translators_list():
    read = {Path(ROOT / name) for pattern in lupdate_patterns() for name in glob.glob(pattern, root_dir=ROOT)}
    speaking = {p for p in source_files() if re.search(r"\btr\(|\btranslate\(", p.read_text(encoding="utf-8"))}

    assert speaking, "no source calls tr(): the search itself is broken"
    assert sorted(str(p.relative_to(ROOT)) for p in speaking - read) == []
