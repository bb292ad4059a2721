"""What the views share and listen to, with no widgets of their own: the window state, the language, the
jobs and threads that run off the window's thread, live prediction and the tables of choice labels."""
