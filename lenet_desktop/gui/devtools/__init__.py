"""Tools that drive the real window from outside, for screenshots, stroke replay and the packaged
program's self-test; the window itself never imports them."""
