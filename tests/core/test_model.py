"""The seed tutorial's facts about its Net hold for ours."""

import torch
import torch.nn as nn

from lenet_desktop.core.model import LAYER_SHAPES, Net

SEED_PRINT = """Net(
  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
  (fc1): Linear(in_features=400, out_features=120, bias=True)
  (fc2): Linear(in_features=120, out_features=84, bias=True)
  (fc3): Linear(in_features=84, out_features=10, bias=True)
)"""


def test_print_shows_the_seed_layers_exactly():
    assert str(Net()) == SEED_PRINT


def test_parameters_as_in_the_seed():
    params = list(Net().parameters())
    assert len(params) == 10
    assert params[0].size() == torch.Size([6, 1, 5, 5])
    assert sum(p.numel() for p in params) == 61_706


def test_output_of_one_random_input_is_1_by_10():
    out = Net()(torch.randn(1, 1, 32, 32))
    assert out.shape == (1, 10)
    assert out.grad_fn is not None and type(out.grad_fn).__name__ == "AddmmBackward0"


def test_zero_grad_then_backward_fills_conv1_bias_grad():
    net = Net()
    out = net(torch.randn(1, 1, 32, 32))
    net.zero_grad()
    assert net.conv1.bias.grad is None
    out.backward(torch.randn(1, 10))
    assert net.conv1.bias.grad is not None and net.conv1.bias.grad.shape == (6,)
    assert net.conv1.bias.grad.abs().sum() > 0


def test_mse_loss_graph_starts_like_the_seed():
    net = Net()
    loss = nn.MSELoss()(net(torch.randn(1, 1, 32, 32)), torch.randn(1, 10))
    assert type(loss.grad_fn).__name__ == "MseLossBackward0"
    assert type(loss.grad_fn.next_functions[0][0]).__name__ == "AddmmBackward0"


def test_one_pass_returns_every_layer_and_the_same_logits():
    net = Net()
    x = torch.randn(3, 1, 32, 32)
    layers = net.forward_with_activations(x)
    assert list(layers) == list(LAYER_SHAPES)
    for name, shape in LAYER_SHAPES.items():
        assert tuple(layers[name].shape) == (3, *shape), name
    torch.testing.assert_close(layers["logits"], net(x))


def test_predicting_pools_as_max_pool2d_does_and_convolves_as_training_does():
    # Without autograd the pooling is two maximums of strided views (faster on one thread); the
    # activations must be max_pool2d's, value for value. The convolutions are torch's direct ones
    # there: the same sums, rounded perhaps differently in the last bits.
    net = Net()
    inputs = torch.randn(7, 1, 32, 32)
    with torch.inference_mode():
        layers = net.forward_with_activations(inputs)
    assert torch.equal(layers["S2"], nn.functional.max_pool2d(layers["C1"], 2))
    assert torch.equal(layers["S4"], nn.functional.max_pool2d(layers["C3"], 2))
    trained = net.forward_with_activations(inputs)
    for name in ("C1", "C3", "logits"):
        torch.testing.assert_close(layers[name], trained[name].detach(), rtol=1e-5, atol=1e-5)
