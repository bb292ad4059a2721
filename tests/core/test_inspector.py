"""The training step taken apart: graph, gradients, both updates, and the untouched active model."""

import copy

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from autograd_walk import autograd_names, autograd_nodes, weights
from digit_strokes import DIGITS, render_strokes

from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from lenet_desktop.core.inspector import (
    BY_HAND,
    UPDATE_METHODS,
    InspectorError,
    StageOrderError,
    StepInspector,
    default_learning_rate,
    parameter_table,
)
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.train import fresh_net


def frame_of(digit: int, style: int = 0) -> np.ndarray:
    return preprocess(render_strokes(DIGITS[digit][style]))


def test_parameter_table_is_the_tutorials_ten_tensors(shipped_classifier):
    table = parameter_table(shipped_classifier.net)
    assert [row.name for row in table] == [name for name, _ in shipped_classifier.net.named_parameters()]
    assert len(table) == 10
    assert table[0].name == "conv1.weight" and table[0].shape == (6, 1, 5, 5)  # params[0].size() in the seed
    assert sum(row.count for row in table) == 61_706
    assert all(row.count == int(np.prod(row.shape)) for row in table)


def test_model_text_is_what_print_net_shows(shipped_classifier):
    # tests/core/test_model.py checks that print(Net()) is the tutorial's text, line for line.
    text = StepInspector(shipped_classifier).model_text()
    assert text == str(shipped_classifier.net) and text.startswith("Net(\n  (conv1): Conv2d(1, 6")


@pytest.mark.parametrize(
    ("loss", "seed_criterion"),
    [("mse", lambda out, t: nn.MSELoss()(out, F.one_hot(t, 10).float())), ("cross_entropy", nn.CrossEntropyLoss())],
)
def test_graph_holds_the_nodes_autograd_really_produces(shipped_classifier, loss, seed_criterion):
    frame = frame_of(4)
    inspector = StepInspector(shipped_classifier)
    inspector.zero_grad()
    inspector.forward(frame)
    result = inspector.compute_loss(4, loss)

    # The same loss built here, with the tutorial's nn criteria, on an independent copy.
    net = copy.deepcopy(shipped_classifier.net)
    inputs = shipped_classifier.normalization.apply(torch.from_numpy(frame)[None, None])
    expected = seed_criterion(net(inputs), torch.tensor([4]))

    assert result.graph.names == autograd_names(expected)
    assert len(result.graph.nodes) == len(autograd_nodes(expected))
    assert result.graph.nodes[0].name == type(inspector._loss.grad_fn).__name__
    # Every parameter reaches the loss through exactly one AccumulateGrad node.
    leaves = [node.parameter for node in result.graph.nodes if node.name == "AccumulateGrad"]
    assert sorted(leaves) == sorted(name for name, _ in net.named_parameters())
    # Edges point from a node to one of its next_functions and every node but the root is reached.
    assert {child for _, child in result.graph.edges} == set(range(1, len(result.graph.nodes)))
    assert result.value == pytest.approx(seed_criterion(net(inputs), torch.tensor([4])).item(), rel=1e-5)


def test_mse_graph_walks_as_the_tutorial_prints_it(shipped_classifier):
    inspector = StepInspector(shipped_classifier)
    inspector.zero_grad()
    inspector.forward(frame_of(7))
    result = inspector.compute_loss(7, "mse")
    assert {"MseLossBackward0", "AddmmBackward0", "AccumulateGrad"} <= result.graph.names
    assert result.first_functions == ("MseLossBackward0", "AddmmBackward0", "AccumulateGrad")
    assert "print(loss.grad_fn.next_functions[0][0])" in result.transcript.code
    assert result.transcript.output.splitlines()[1:] == [
        "<MseLossBackward0 object>",
        "<AddmmBackward0 object>",
        "<AccumulateGrad object>",
    ]
    assert "grad_fn=<MseLossBackward0>" in result.transcript.output


def test_conv1_bias_grad_is_none_before_backward_and_the_true_gradient_after(shipped_classifier):
    frame = frame_of(2)
    inspector = StepInspector(shipped_classifier)
    before = inspector.zero_grad()
    assert before.shown_gradient is None and before.transcript.output == "None"
    inspector.forward(frame)
    inspector.compute_loss(5, "cross_entropy")
    after = inspector.backward()

    net = copy.deepcopy(shipped_classifier.net)
    inputs = shipped_classifier.normalization.apply(torch.from_numpy(frame)[None, None])
    expected = torch.autograd.grad(F.cross_entropy(net(inputs), torch.tensor([5])), list(net.parameters()))
    for (name, _), gradient in zip(net.named_parameters(), expected):
        np.testing.assert_allclose(after.gradients[name], gradient.numpy(), rtol=1e-5, atol=1e-7)
    assert after.shown_gradient.shape == (6,) and np.abs(after.shown_gradient).max() > 0
    assert after.transcript.output.startswith("tensor([")


def test_hand_written_update_equals_optim_sgd_without_momentum(shipped_classifier):
    frame, learning_rate = frame_of(8), 0.01
    by_hand = StepInspector(shipped_classifier).take_step(frame, 3, "mse", BY_HAND, learning_rate)
    with_sgd = StepInspector(shipped_classifier).take_step(frame, 3, "mse", "sgd", learning_rate)
    assert by_hand.largest_change > 1e-4  # the step really moved the weights
    for name in by_hand.after:
        np.testing.assert_array_equal(by_hand.before[name], with_sgd.before[name])
        np.testing.assert_allclose(by_hand.after[name], with_sgd.after[name], rtol=1e-6, atol=1e-8)
    assert by_hand.target_probability_after == pytest.approx(with_sgd.target_probability_after, rel=1e-4)


def test_hand_written_update_is_weight_minus_learning_rate_times_gradient(shipped_classifier):
    inspector = StepInspector(shipped_classifier)
    inspector.zero_grad()
    inspector.forward(frame_of(6))
    inspector.compute_loss(6, "cross_entropy")
    gradients = inspector.backward().gradients
    result = inspector.update(BY_HAND, 0.05)
    for name, gradient in gradients.items():
        np.testing.assert_allclose(result.after[name], result.before[name] - 0.05 * gradient, rtol=1e-6, atol=1e-8)


def test_optimizer_state_carries_over_between_steps_as_torch_optim_does(shipped_classifier):
    frame = frame_of(1)
    inspector = StepInspector(shipped_classifier)
    for _ in range(3):
        result = inspector.take_step(frame, 7, "cross_entropy", "nesterov", 0.01)

    net = copy.deepcopy(shipped_classifier.net)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4, nesterov=True)
    inputs = shipped_classifier.normalization.apply(torch.from_numpy(frame)[None, None])
    for _ in range(3):
        optimizer.zero_grad()
        F.cross_entropy(net(inputs), torch.tensor([7])).backward()
        optimizer.step()
    for name, value in net.named_parameters():
        np.testing.assert_allclose(result.after[name], value.detach().numpy(), rtol=1e-5, atol=1e-7)
    assert inspector.steps_taken == 3


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_target_probability_rises_after_a_cross_entropy_step(shipped_classifier, method):
    for digit in range(10):
        target = (digit + 3) % 10  # a wrong digit: its probability has room to rise
        result = StepInspector(shipped_classifier).take_step(
            frame_of(digit), target, "cross_entropy", method, default_learning_rate(method)
        )
        assert result.target_probability_after > result.target_probability_before, (digit, target)
        assert result.prediction.probabilities[target] == pytest.approx(result.target_probability_after)


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_target_probability_rises_after_an_mse_step_on_fresh_weights(shipped_classifier, method):
    fresh = Classifier(fresh_net(seed=3), shipped_classifier.normalization)
    for digit in range(10):
        result = StepInspector(fresh).take_step(
            frame_of(digit, style=1), digit, "mse", method, default_learning_rate(method)
        )
        assert result.target_probability_after > result.target_probability_before, digit


def test_active_model_is_unchanged_until_kept(shipped_classifier):
    original = weights(shipped_classifier)
    inspector = StepInspector(shipped_classifier)
    for method in UPDATE_METHODS:
        inspector.take_step(frame_of(9), 4, "cross_entropy", method, default_learning_rate(method))
    for name, value in weights(shipped_classifier).items():
        assert torch.equal(value, original[name]), name
    assert all(p.grad is None for p in shipped_classifier.net.parameters())

    kept = inspector.keep()
    assert kept.net is not shipped_classifier.net and kept.net is not inspector.net
    assert any(not torch.equal(kept.net.state_dict()[name], original[name]) for name in original)
    for name, value in inspector.net.state_dict().items():
        assert torch.equal(kept.net.state_dict()[name], value)
    assert kept.metadata["parent"] == shipped_classifier.name and kept.metadata["inspector"]["steps"] == len(
        UPDATE_METHODS
    )
    assert "mnist_test_accuracy" not in kept.metadata  # measured on other weights

    kept_weights = weights(kept)
    inspector.take_step(frame_of(9), 4, "cross_entropy", BY_HAND, 0.01)  # later steps touch neither model
    assert all(torch.equal(value, kept_weights[name]) for name, value in weights(kept).items())
    assert all(torch.equal(value, original[name]) for name, value in weights(shipped_classifier).items())


def test_stages_must_run_in_order(shipped_classifier):
    inspector = StepInspector(shipped_classifier)
    with pytest.raises(StageOrderError, match=r"run net.zero_grad\(\) first"):
        inspector.forward(frame_of(0))
    inspector.zero_grad()
    with pytest.raises(StageOrderError, match="run forward first"):
        inspector.compute_loss(0, "mse")
    inspector.forward(frame_of(0))
    with pytest.raises(StageOrderError, match="run loss first"):
        inspector.backward()
    inspector.compute_loss(0, "mse")
    with pytest.raises(StageOrderError, match=r"run loss.backward\(\) first"):
        inspector.update(BY_HAND, 0.01)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda i: i.compute_loss(10, "mse"), "target digit must be 0-9"),
        (lambda i: i.compute_loss(1, "hinge"), "unknown loss 'hinge'"),
    ],
)
def test_bad_loss_settings_are_refused_with_a_clear_message(shipped_classifier, call, message):
    inspector = StepInspector(shipped_classifier)
    inspector.zero_grad()
    inspector.forward(frame_of(1))
    with pytest.raises(ValueError, match=message):
        call(inspector)


@pytest.mark.parametrize(
    ("method", "rate", "message"),
    [("lbfgs", 0.01, "unknown update"), (BY_HAND, 0.0, "positive"), ("sgd", float("nan"), "positive")],
)
def test_bad_update_settings_are_refused_with_a_clear_message(shipped_classifier, method, rate, message):
    inspector = StepInspector(shipped_classifier)
    inspector.zero_grad()
    inspector.forward(frame_of(1))
    inspector.compute_loss(1, "mse")
    inspector.backward()
    with pytest.raises(ValueError, match=message):
        inspector.update(method, rate)


@pytest.mark.parametrize("rate", [1e30, 1e38])  # huge but finite weights; weights overflowing to inf
def test_a_diverged_step_is_reported_and_cannot_be_kept(shipped_classifier, rate):
    inspector = StepInspector(shipped_classifier)
    result = inspector.take_step(frame_of(5), 0, "mse", BY_HAND, rate)
    assert not result.finite
    with pytest.raises(ValueError, match="no longer finite"):
        inspector.keep()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("method", [BY_HAND, "adam"])
def test_a_step_on_the_gpu_matches_the_cpu(shipped_classifier, method):
    frame = frame_of(2)
    on_cpu = StepInspector(shipped_classifier).take_step(
        frame, 7, "cross_entropy", method, default_learning_rate(method)
    )
    on_gpu_inspector = StepInspector(copy.deepcopy(shipped_classifier).to(torch.device("cuda")))
    on_gpu = on_gpu_inspector.take_step(frame, 7, "cross_entropy", method, default_learning_rate(method))
    for name in on_cpu.after:
        np.testing.assert_allclose(on_gpu.after[name], on_cpu.after[name], rtol=1e-4, atol=1e-5)
    assert on_gpu.target_probability_after == pytest.approx(on_cpu.target_probability_after, rel=1e-3)
    assert on_gpu_inspector.keep().device.type == "cuda"


def test_finite_weights_beyond_what_a_weights_file_holds_cannot_be_kept(shipped_classifier, tmp_path):
    """The bound training stops at and loading refuses (±MAX_WEIGHT): kept, the model was active but
    could not be loaded again."""
    inspector = StepInspector(shipped_classifier)
    for _ in range(2):
        result = inspector.take_step(frame_of(4), 9, "mse", BY_HAND, 10.0)
    assert result.finite and not inspector.diverged
    with pytest.raises(InspectorError, match="grew past ±1000"):
        inspector.keep()
    save_checkpoint(tmp_path / "scratch.pt", inspector.scratch)
    with pytest.raises(CheckpointError, match="beyond ±1000"):
        load_checkpoint(tmp_path / "scratch.pt")
