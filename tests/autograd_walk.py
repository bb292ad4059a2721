"""An independent walk of a loss's autograd graph, for checking what the Inspector reads and draws."""

from __future__ import annotations

import torch


def autograd_nodes(loss: torch.Tensor) -> list:
    """Every node reachable from loss.grad_fn through next_functions, each once."""
    seen: list = []
    pending = [loss.grad_fn]
    while pending:
        node = pending.pop()
        if node is not None and node not in seen:
            seen.append(node)
            pending.extend(next_node for next_node, _ in node.next_functions)
    return seen


def autograd_names(loss: torch.Tensor) -> set[str]:
    """The class names of the nodes, as print(loss.grad_fn) shows them."""
    return {type(node).__name__ for node in autograd_nodes(loss)}


def weights(classifier) -> dict[str, torch.Tensor]:
    """A copy of a classifier's weights, to compare with later."""
    return {name: value.detach().clone() for name, value in classifier.net.state_dict().items()}
