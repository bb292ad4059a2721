"""What the views share and listen to, with no widgets of their own: the window state, the language, the
workers that run jobs off the window's thread, live prediction and the tables of choice labels."""
