from window_fixtures import _clipboard_emptied, _isolated_qsettings, make_main_window, settings_path  # noqa: F401  (fixtures)
