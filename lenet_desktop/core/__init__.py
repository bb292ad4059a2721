"""The Qt-free engine: model, preprocessing, prediction, checkpoints, data, training, corrections.

Nothing under this package imports PySide6 (an import-linter contract in pyproject.toml says so),
so the CLI, the trainer and their tests run without a display.
"""
