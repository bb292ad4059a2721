from window_fixtures import (  # noqa: F401  (fixtures)
    _clipboard_emptied,
    _isolated_qsettings,
    event_loop_watchdog,
    make_main_window,
    settings_path,
)
