"""The tabs and windows a user works in: each takes AppState and plain callables, exposes signals, and
leaves connecting to other parts to the main window."""
