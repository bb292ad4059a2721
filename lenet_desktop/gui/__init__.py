"""The PySide6 window. Only widgets and wiring live here; everything else is in lenet_desktop.core."""
