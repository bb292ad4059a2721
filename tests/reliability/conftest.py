from window_fixtures import _isolated_qsettings, make_main_window, settings_path  # noqa: F401  (fixtures)
