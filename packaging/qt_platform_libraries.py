"""Which libraries Qt's xcb platform plugin needs, and which of them the bundle must carry.

Debian, Ubuntu and Fedora desktops, minimal installs, containers and WSL differ in the xcb utility
libraries they have; without one of them Qt cannot load its xcb plugin and aborts. So the bundle
carries them, next to Qt's own libraries (PySide6/Qt/lib, where libQt6XcbQpa's RUNPATH looks). It
does not carry the libraries every Linux desktop has: bundled copies of these could clash with the
system's graphics driver and X server. `make package` fails when the plugin needs a library on
neither list, so a new PySide6 with a new dependency cannot slip through.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

# Every Linux desktop has these: glibc and the GCC runtime; X11 and libxcb itself; GL (libglvnd);
# fontconfig and freetype; GLib; D-Bus; and what those in turn link to.
SYSTEM_LIBRARIES = frozenset(
    {
        "linux-vdso.so.1",
        "ld-linux-x86-64.so.2",
        "ld-linux-aarch64.so.1",
        "libc.so.6",
        "libm.so.6",
        "libdl.so.2",
        "libpthread.so.0",
        "librt.so.1",
        "libgcc_s.so.1",
        "libstdc++.so.6",
        "libX11.so.6",
        "libX11-xcb.so.1",
        "libXau.so.6",
        "libXdmcp.so.6",
        "libxcb.so.1",
        "libbsd.so.0",
        "libmd.so.0",
        "libGL.so.1",
        "libGLX.so.0",
        "libGLdispatch.so.0",
        "libEGL.so.1",
        "libOpenGL.so.0",
        "libfontconfig.so.1",
        "libfreetype.so.6",
        "libexpat.so.1",
        "libz.so.1",
        "libpng16.so.16",
        "libbrotlicommon.so.1",
        "libbrotlidec.so.1",
        "libbz2.so.1.0",
        "libglib-2.0.so.0",
        "libgthread-2.0.so.0",
        "libpcre2-8.so.0",
        "libpcre.so.3",
        "libdbus-1.so.3",
        "libsystemd.so.0",
        "libcap.so.2",
        "libgcrypt.so.20",
        "libgpg-error.so.0",
        "liblzma.so.5",
        "liblz4.so.1",
        "libzstd.so.1",
    }
)

# The xcb utility libraries and xkbcommon: often missing, small, stable ABIs; the bundle carries them.
BUNDLED_LIBRARIES = frozenset(
    {
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxcb-image.so.0",
        "libxcb-keysyms.so.1",
        "libxcb-randr.so.0",
        "libxcb-render-util.so.0",
        "libxcb-render.so.0",
        "libxcb-shape.so.0",
        "libxcb-shm.so.0",
        "libxcb-sync.so.1",
        "libxcb-util.so.1",
        "libxcb-xfixes.so.0",
        "libxcb-xinerama.so.0",
        "libxcb-xinput.so.0",
        "libxcb-xkb.so.1",
        "libxkbcommon.so.0",
        "libxkbcommon-x11.so.0",
    }
)

QT_LIB_DEST = "PySide6/Qt/lib"


def dependencies(library: Path, environ: dict[str, str] | None = None) -> dict[str, Path | None]:
    """Every library `library` needs, directly or not, as the loader resolves it here (None: not found)."""
    listing = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=True, env=environ).stdout
    found: dict[str, Path | None] = {}
    for line in listing.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+(not found|\S+)", line) or re.match(r"\s*(\S+)\s+\(0x", line)
        if match is None:
            continue
        name = Path(match.group(1)).name
        target = match.group(2) if match.lastindex == 2 else None
        found[name] = None if target in (None, "not found") else Path(target)
    return found


def plan(plugin: Path, qt_lib: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The (file, bundle folder) pairs to add for `plugin`, and the problems that must stop the build."""
    to_bundle, problems = [], []
    for name, path in sorted(dependencies(plugin).items()):
        if name in SYSTEM_LIBRARIES:
            continue
        if path is not None and path.resolve().is_relative_to(qt_lib.resolve()):
            continue  # Qt's own, collected by PyInstaller's PySide6 hooks
        if name not in BUNDLED_LIBRARIES:
            problems.append(
                f"{plugin.name} needs {name}, which is neither bundled nor a library every desktop has: "
                "add it to BUNDLED_LIBRARIES or SYSTEM_LIBRARIES in packaging/qt_platform_libraries.py"
            )
        elif path is None:
            problems.append(
                f"{plugin.name} needs {name}, which this build machine lacks, so the bundle cannot "
                "carry it: install it (the README's system packages) and build again"
            )
        else:
            to_bundle.append((str(path), QT_LIB_DEST))
    return to_bundle, problems


def bundle_problems(internal: Path) -> list[str]:
    """After the build: each library the bundled xcb plugin needs, beyond SYSTEM_LIBRARIES, must load from
    the bundle itself (`internal`, its _internal folder), not from this build machine."""
    plugin = internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return [f"{plugin} is missing from the bundle"]
    user_environment = {key: value for key, value in os.environ.items() if key != "LD_LIBRARY_PATH"}
    return [
        f"the bundled {plugin.name} loads {name} from {path or 'nowhere'}, not from the bundle"
        for name, path in sorted(dependencies(plugin, user_environment).items())
        if name not in SYSTEM_LIBRARIES and (path is None or not path.resolve().is_relative_to(internal.resolve()))
    ]
