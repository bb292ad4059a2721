"""Can Qt's platform plugin load here? Asked before any QApplication exists, because Qt's own answer
to a missing system library or a missing display is an abort with a core dump, and its message names
a guessed library (xcb-cursor) rather than the one that is really missing.

This module imports no Qt: it finds the plugin file, asks the dynamic loader (`ldd`) which of the
plugin's real dependencies it cannot find, and turns them into one line with the install command.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Platforms that need a display server; offscreen, minimal, vnc and the like draw without one.
_DISPLAY_PLATFORMS = ("xcb", "wayland")

# Libraries of Qt's xcb and wayland plugins that a minimal system, a container or WSL may lack, and
# the packages that hold them (Debian/Ubuntu, Fedora). Anything else is named as a library only.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl"),
}


def platform_problem(environ: Mapping[str, str] = os.environ) -> str | None:
    """Why the window cannot start on this machine, in one line; None when it can (or cannot tell)."""
    if not sys.platform.startswith("linux"):
        return None
    candidates = platform_candidates(environ)
    if all(name in _DISPLAY_PLATFORMS for name in candidates) and not (
        environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")
    ):
        return (
            "there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            "`lenet-desktop --self-test` and the subcommands (predict, evaluate, train, corrections) work "
            "without one"
        )
    return unloadable(candidates, environ)


def unloadable(candidates: list[str], environ: Mapping[str, str] = os.environ) -> str | None:
    """Why none of the platforms `candidates` can load, from the first one's missing libraries."""
    first = None
    for name in candidates:  # Qt tries each in turn and aborts only when none loads
        missing = missing_libraries(name, environ)
        if not missing:
            return None
        first = first or (name, missing)
    return None if first is None else missing_libraries_message(*first, _os_release())


def platform_candidates(environ: Mapping[str, str] = os.environ) -> list[str]:
    """The platform plugins Qt will try, in order, as Qt decides them from the environment."""
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        # "wayland;xcb" is a list of fallbacks; "offscreen:size=800x600" carries arguments.
        return [entry.split(":", 1)[0].strip() for entry in chosen.split(";") if entry.strip()]
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return ["wayland", "xcb"]
    return ["xcb"]


def plugin_file(name: str, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The plugin Qt would load for platform `name`: from $QT_QPA_PLATFORM_PLUGIN_PATH, as Qt looks
    there first, else PySide6's own (inside the bundle when frozen)."""
    folders = [Path(p) for p in environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        folders.append(Path(frozen_root) / "PySide6" / "Qt" / "plugins" / "platforms")
    else:
        spec = importlib.util.find_spec("PySide6")  # finds the package without loading Qt
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent / "Qt" / "plugins" / "platforms")
    for folder in folders:
        candidate = folder / f"libq{name}.so"
        if candidate.is_file():
            return candidate
    return None


def missing_libraries(name: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The sonames the loader cannot find for platform `name`'s plugin and everything it links to.

    An unknown platform or a machine without `ldd` answers [] and leaves the verdict to Qt."""
    plugin = plugin_file(name, environ)
    ldd = shutil.which("ldd")
    if plugin is None or ldd is None:
        return []
    try:
        listing = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, env=dict(environ), timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return missing_in_ldd_output(listing)


def missing_in_ldd_output(listing: str) -> list[str]:
    missing = re.findall(r"^\s*(\S+)\s+=>\s+not found", listing, flags=re.MULTILINE)
    return list(dict.fromkeys(missing))  # ldd repeats a library for each library that needs it


def missing_libraries_message(platform: str, missing: list[str], os_release: Mapping[str, str]) -> str:
    """One line: what is missing and the command that installs it on this kind of system."""
    debian = sorted({PACKAGES[s][0] for s in missing if s in PACKAGES})
    fedora = sorted({PACKAGES[s][1] for s in missing if s in PACKAGES})
    unknown = [s for s in missing if s not in PACKAGES]
    family = f"{os_release.get('ID', '')} {os_release.get('ID_LIKE', '')}"
    commands = []
    if debian and not re.search(r"fedora|rhel|centos", family):
        commands.append("sudo apt-get install " + " ".join(debian))
    if fedora and not re.search(r"debian|ubuntu", family):
        commands.append("sudo dnf install " + " ".join(fedora))
    advice = []
    if commands:
        advice.append("install " + ("them" if len(missing) > 1 else "it") + " with: " + " or ".join(commands))
    if unknown:
        advice.append("install the package that provides " + ", ".join(unknown))
    return (
        f"the window cannot start: Qt's {platform} platform plugin needs {', '.join(missing)}, "
        f"which this system lacks; {'; '.join(advice)}"
    )


def require_platform(environ: Mapping[str, str] = os.environ) -> None:
    """Exit with one line and status 2, before any QApplication exists, when Qt could only abort."""
    problem = platform_problem(environ)
    if problem is not None:
        print(f"lenet-desktop: error: {problem}", file=sys.stderr)
        raise SystemExit(2)


def _os_release() -> dict[str, str]:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key: value.strip().strip('"') for key, value in pairs}
