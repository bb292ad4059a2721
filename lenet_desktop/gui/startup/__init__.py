"""Getting the window on screen and keeping a failure readable: the app's start, the Qt platform check,
the crash report, Ctrl-C, the start-up trace and the shown-answers log."""
