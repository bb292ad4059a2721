"""The enrolment's order and its measurement's parts, and one progress over its several runs."""

from lenet_desktop.core.enrolment import REPEATS, Stages, fold_of, prompts
from lenet_desktop.core.train import Listener, Progress


def test_prompts_ask_each_digit_three_times_shuffled_and_never_twice_in_a_row():
    orders = [prompts(seed) for seed in range(20)]
    for order in orders:
        assert sorted(order) == sorted(list(range(10)) * REPEATS)
        assert all(a != b for a, b in zip(order, order[1:]))
    assert len({tuple(order) for order in orders}) == 20 and prompts(3) == prompts(3)


def test_every_drawing_is_held_out_in_one_part_and_the_parts_are_even():
    parts = fold_of(29, 2)
    assert sorted(parts.tolist()) == [0] * 15 + [1] * 14


def test_the_progress_of_several_runs_is_one_fraction_and_one_time_left():
    heard = []

    class Recorder(Listener):
        def progress(self, run, progress):
            heard.append(progress)

    stages = Stages(Recorder(), 3)
    half = Progress(epoch=2, epochs=2, batch=5, batches=10, loss=1.0, accuracy=0.5, images_per_second=1, seconds_left=8)
    stages.progress("adam", half)
    stages.next()
    stages.progress("adam", half)
    first, second = heard
    assert (first.stage, first.stages, second.stage) == (1, 3, 2)
    assert first.fraction == 0.75 / 3 and second.fraction == 1.75 / 3
    assert first.seconds_left >= 3 * 8, "the runs to come take about as long as this one"
    assert (second.batch, second.batches) == (5, 10)
