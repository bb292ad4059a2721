"""One training step taken apart, as the seed tutorial walks it, on a scratch copy of a model.

zero_grad -> forward -> loss -> backward -> update, one call per stage, each returning what that
stage changed: the loss and the autograd graph read from `loss.grad_fn`, every parameter's
gradient, the weights before and after the update and the new prediction. The active model is
never touched; `keep()` hands back a separate Classifier holding the scratch weights.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import torch
import torch.nn.functional as F

from lenet_desktop.core.checkpoint import MAX_WEIGHT, weights_within_bounds
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError
from lenet_desktop.core.model import Classifier, Net
from lenet_desktop.core.optimizers import OPTIMIZERS, hyperparameters, make_optimizer
from lenet_desktop.core.predict import VERDICT_KEYS, Prediction, predict_frame
from lenet_desktop.core.train import LOSSES, loss_function

BY_HAND = "by_hand"
# The tutorial's hand-written rule first, then every optimizer of the one registry.
UPDATE_METHODS: tuple[str, ...] = (BY_HAND, *OPTIMIZERS)
TUTORIAL_LEARNING_RATE = 0.01  # `learning_rate = 0.01` in the seed, for the hand-written update and optim.SGD

LOSS_CODE = {
    "cross_entropy": "criterion = nn.CrossEntropyLoss()\ntarget = torch.tensor([{digit}])\nloss = criterion(output, target)",
    "mse": "criterion = nn.MSELoss()\ntarget = F.one_hot(torch.tensor([{digit}]), 10).float()  # digit {digit}, one-hot\n"
    "loss = criterion(output, target)",
}
HAND_UPDATE_CODE = "for f in net.parameters():\n    f.data.sub_(f.grad.data * learning_rate)"
SHOWN_PARAMETER = "conv1.bias"  # the tutorial's before/after-backward example


class Stage(IntEnum):
    """The stages in the order the tutorial takes them; NONE is before the first zero_grad."""

    NONE = 0
    ZERO_GRAD = 1
    FORWARD = 2
    LOSS = 3
    BACKWARD = 4
    UPDATE = 5


STAGE_LABELS = {
    Stage.ZERO_GRAD: "net.zero_grad()",
    Stage.FORWARD: "forward",
    Stage.LOSS: "loss",
    Stage.BACKWARD: "loss.backward()",
    Stage.UPDATE: "update",
}


class InspectorError(TranslatableError, ValueError):
    """A step the inspector refuses; the message is one line a person can act on."""


class StageOrderError(InspectorError):
    """A stage asked for before the one it needs; the message names the stage to run first."""


@dataclass(frozen=True)
class ParameterInfo:
    name: str
    shape: tuple[int, ...]
    count: int


@dataclass(frozen=True)
class GraphNode:
    name: str  # the autograd node's class, as `print(loss.grad_fn)` shows it
    parameter: str | None = None  # for AccumulateGrad: the parameter whose .grad it fills


@dataclass(frozen=True)
class AutogradGraph:
    """The backward graph from loss.grad_fn; edges run from a node to one of its next_functions."""

    nodes: tuple[GraphNode, ...]  # nodes[0] is loss.grad_fn
    edges: tuple[tuple[int, int], ...]

    @property
    def names(self) -> set[str]:
        return {node.name for node in self.nodes}


@dataclass(frozen=True)
class Transcript:
    """A stage as the tutorial would run it in a notebook: the code and what it prints."""

    code: str
    output: str


@dataclass(frozen=True)
class ZeroGradResult:
    shown_gradient: np.ndarray | None  # conv1.bias.grad: None after zero_grad, as the tutorial prints
    transcript: Transcript


@dataclass(frozen=True)
class ForwardResult:
    logits: np.ndarray  # (10,)
    probabilities: np.ndarray  # (10,), softmax of the logits
    transcript: Transcript


@dataclass(frozen=True)
class LossResult:
    loss: str
    target: int
    value: float
    graph: AutogradGraph
    first_functions: tuple[str, ...]  # loss.grad_fn, then .next_functions[0][0] repeatedly, as the tutorial walks
    transcript: Transcript


@dataclass(frozen=True)
class BackwardResult:
    gradients: dict[str, np.ndarray]  # parameter name -> its .grad
    shown_gradient: np.ndarray  # conv1.bias.grad after backward
    transcript: Transcript


@dataclass(frozen=True)
class UpdateResult:
    method: str
    learning_rate: float
    before: dict[str, np.ndarray]  # parameter name -> values before the update
    gradients: dict[str, np.ndarray]  # the .grad the update used
    after: dict[str, np.ndarray]
    probabilities_before: np.ndarray  # (10,), from the forward stage
    prediction: Prediction  # the drawing through the updated scratch model
    target: int
    target_probability_before: float
    target_probability_after: float
    transcript: Transcript

    @property
    def finite(self) -> bool:
        """False when the step diverged: weights or the new probabilities are inf or NaN."""
        weights_finite = all(np.isfinite(values).all() for values in self.after.values())
        return weights_finite and bool(np.isfinite(self.prediction.probabilities).all())

    @property
    def largest_change(self) -> float:
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged step's inf - inf is NaN, not an error
            return max(float(np.abs(self.after[name] - self.before[name]).max()) for name in self.before)


def parameter_table(net: Net) -> list[ParameterInfo]:
    """`net.parameters()` with names: the seed's 10 tensors, 61,706 numbers in all."""
    return [ParameterInfo(name, tuple(p.shape), p.numel()) for name, p in net.named_parameters()]


def autograd_graph(loss: torch.Tensor, net: Net) -> AutogradGraph:
    """Walk loss.grad_fn through next_functions, naming each node as autograd does."""
    parameter_names = {id(p): name for name, p in net.named_parameters()}
    index: dict[torch.autograd.graph.Node, int] = {loss.grad_fn: 0}
    order = [loss.grad_fn]
    edges: list[tuple[int, int]] = []
    for node in order:  # grows while walking: breadth first
        for next_node, _ in node.next_functions:
            if next_node is None:  # an input that needs no gradient (the image, the target)
                continue
            if next_node not in index:
                index[next_node] = len(order)
                order.append(next_node)
            edges.append((index[node], index[next_node]))
    nodes = tuple(_graph_node(node, parameter_names) for node in order)
    return AutogradGraph(nodes, tuple(edges))


def _graph_node(node: torch.autograd.graph.Node, parameter_names: dict[int, str]) -> GraphNode:
    variable = getattr(node, "variable", None)  # only AccumulateGrad holds one: the leaf parameter
    return GraphNode(type(node).__name__, parameter_names.get(id(variable)) if variable is not None else None)


def first_functions(loss: torch.Tensor) -> tuple[str, ...]:
    """loss.grad_fn, loss.grad_fn.next_functions[0][0], ... until a node with nowhere to go."""
    names, node = [], loss.grad_fn
    while node is not None:
        names.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    return tuple(names)


def walk_expression(steps: int) -> str:
    """How the tutorial reaches the node `steps` hops back from the loss."""
    return "loss.grad_fn" + ".next_functions[0][0]" * steps


def default_learning_rate(method: str) -> float:
    """The tutorial's 0.01, or the optimizer's own default where that is smaller: the registry's
    rates are for batches of 128, and a larger step on one drawing overshoots."""
    if method == BY_HAND:
        return TUTORIAL_LEARNING_RATE
    return min(TUTORIAL_LEARNING_RATE, float(hyperparameters(method)["lr"]))


def update_code(method: str, learning_rate: float) -> str:
    if method == BY_HAND:
        return f"learning_rate = {learning_rate:g}\n{HAND_UPDATE_CODE}"
    settings = ", ".join(f"{key}={value}" for key, value in hyperparameters(method, {"lr": learning_rate}).items())
    return f"optimizer = {OPTIMIZERS[method].label}(net.parameters(), {settings})\noptimizer.step()"


def method_label(method: str) -> str:
    return (
        "By hand: f.data.sub_(f.grad.data * learning_rate)"
        if method == BY_HAND
        else f"torch.optim: {OPTIMIZERS[method].label}"
    )


class StepInspector:
    """A scratch copy of `source` and the stages of one training step on it, run one at a time.

    Steps can be repeated: the scratch weights carry over, and so does an optimizer's state
    (momentum, Adam's averages) while the method and learning rate stay the same.
    """

    def __init__(self, source: Classifier) -> None:
        self.source = source
        self.net: Net = copy.deepcopy(source.net)
        self.net.eval()
        self.steps_taken = 0
        self.stage = Stage.NONE
        self._frame: np.ndarray | None = None
        self._inputs: torch.Tensor | None = None
        self._output: torch.Tensor | None = None
        self._loss: torch.Tensor | None = None
        self._target: int | None = None
        self._probabilities: np.ndarray | None = None
        self._optimizer: torch.optim.Optimizer | None = None
        self._optimizer_key: tuple[str, float] | None = None
        self._diverged = False

    @property
    def scratch(self) -> Classifier:
        return Classifier(self.net, self.source.normalization, self.source.metadata)

    @property
    def diverged(self) -> bool:
        """True once a step has made the weights or the drawing's probabilities inf or NaN."""
        return self._diverged or not all(torch.isfinite(p).all() for p in self.net.parameters())

    def parameters(self) -> list[ParameterInfo]:
        return parameter_table(self.net)

    def model_text(self) -> str:
        return str(self.net)  # what `print(net)` shows

    def restart_step(self) -> None:
        """Drop a step in progress (its drawing, target or loss changed); the weights stay."""
        self._output = self._loss = None
        self.stage = Stage.NONE

    def zero_grad(self) -> ZeroGradResult:
        self.net.zero_grad()
        self._output = self._loss = None
        self.stage = Stage.ZERO_GRAD
        shown = self._shown_parameter().grad
        code = f"net.zero_grad()\nprint(net.{SHOWN_PARAMETER}.grad)"
        return ZeroGradResult(None if shown is None else _numpy(shown), Transcript(code, str(shown)))

    def forward(self, frame: np.ndarray) -> ForwardResult:
        """Run the (32, 32) frame through the scratch net, recording the graph autograd will need."""
        self._require(Stage.ZERO_GRAD)
        device = next(self.net.parameters()).device
        self._frame = np.ascontiguousarray(frame, dtype=np.float32)
        self._inputs = self.source.normalization.apply(torch.from_numpy(self._frame).to(device)[None, None])
        self._output = self.net(self._inputs)
        self._probabilities = _numpy(F.softmax(self._output.detach(), dim=1)[0])
        self.stage = Stage.FORWARD
        mean, std = self.source.normalization.mean, self.source.normalization.std
        code = f"input = (drawing - {mean:.4f}) / {std:.4f}  # the 32x32 drawing as a (1, 1, 32, 32) batch\noutput = net(input)\nprint(output)"
        return ForwardResult(_numpy(self._output[0]), self._probabilities, Transcript(code, str(self._output)))

    def compute_loss(self, target: int, loss: str) -> LossResult:
        self._require(Stage.FORWARD)
        if not 0 <= target <= 9:
            raise ValueError(f"the target digit must be 0-9, not {target}")
        if loss not in LOSSES:
            raise ValueError(f"unknown loss '{loss}': use {', '.join(LOSSES)}")
        labels = torch.tensor([target], device=self._output.device)
        self._loss = loss_function(loss)(self._output, labels)
        self._target = target
        self.stage = Stage.LOSS
        walk = first_functions(self._loss)
        code = [
            LOSS_CODE[loss].format(digit=target),
            "print(loss)",
            *(f"print({walk_expression(i)})" for i in range(len(walk))),
        ]
        output = [str(self._loss), *(f"<{name} object>" for name in walk)]
        transcript = Transcript("\n".join(code), "\n".join(output))
        return LossResult(
            loss, target, float(self._loss.item()), autograd_graph(self._loss, self.net), walk, transcript
        )

    def backward(self) -> BackwardResult:
        self._require(Stage.LOSS)
        self._loss.backward()
        self.stage = Stage.BACKWARD
        gradients = self._gradient_values()
        shown = self._shown_parameter().grad
        code = f"loss.backward()\nprint(net.{SHOWN_PARAMETER}.grad)"
        return BackwardResult(gradients, gradients[SHOWN_PARAMETER], Transcript(code, str(shown)))

    def update(self, method: str, learning_rate: float) -> UpdateResult:
        """Apply the gradients, by the tutorial's hand-written rule or a torch.optim optimizer."""
        self._require(Stage.BACKWARD)
        if method not in UPDATE_METHODS:
            raise ValueError(f"unknown update '{method}': use {', '.join(UPDATE_METHODS)}")
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, not {learning_rate}")
        before = self._parameter_values()
        gradients = self._gradient_values()
        if method == BY_HAND:
            # Exactly the seed's loop: .data sidesteps autograd, so the update is not recorded.
            for f in self.net.parameters():
                f.data.sub_(f.grad.data * learning_rate)
        else:
            self._optimizer_for(method, learning_rate).step()
        self.steps_taken += 1
        self.stage = Stage.UPDATE
        prediction = predict_frame(self.scratch, self._frame)
        self._diverged = self._diverged or not np.isfinite(prediction.probabilities).all()
        target = self._target
        code = update_code(method, learning_rate)
        probability_before, probability_after = (
            float(self._probabilities[target]),
            float(prediction.probabilities[target]),
        )
        output = f"P(digit {target}): {probability_before:.4g} -> {probability_after:.4g}"
        return UpdateResult(
            method=method,
            learning_rate=learning_rate,
            before=before,
            gradients=gradients,
            after=self._parameter_values(),
            probabilities_before=self._probabilities,
            prediction=prediction,
            target=target,
            target_probability_before=probability_before,
            target_probability_after=probability_after,
            transcript=Transcript(code, output),
        )

    def take_step(self, frame: np.ndarray, target: int, loss: str, method: str, learning_rate: float) -> UpdateResult:
        """All five stages in order: the loop body of the tutorial's last cell."""
        self.zero_grad()
        self.forward(frame)
        self.compute_loss(target, loss)
        self.backward()
        return self.update(method, learning_rate)

    def keep(self) -> Classifier:
        """A Classifier of its own holding the scratch weights, for the app to make active."""
        if self.diverged:
            raise InspectorError(
                QT_TRANSLATE_NOOP(
                    "core", "the scratch weights are no longer finite numbers; reset it and use a smaller learning rate"
                )
            )
        if not weights_within_bounds(self.net.parameters()):  # the bound training stops at, and loading refuses
            raise InspectorError(
                QT_TRANSLATE_NOOP(
                    "core",
                    "the scratch weights grew past ±{limit:g}, beyond what a weights file may hold; "
                    "reset it and use a smaller learning rate",
                ),
                limit=MAX_WEIGHT,
            )
        # The parent's MNIST accuracy no longer applies to changed weights; its unsure threshold
        # is kept, as train_classifier does when it has nothing to measure a new one on.
        metadata = {key: self.source.metadata[key] for key in VERDICT_KEYS if key in self.source.metadata}
        metadata.update(
            name=f"inspector-{time.strftime('%Y%m%d-%H%M%S')}",
            created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            parent=self.source.name,
            inspector={"steps": self.steps_taken},
        )
        net = copy.deepcopy(self.net)
        net.zero_grad()
        return Classifier(net, self.source.normalization, metadata)

    def _require(self, previous: Stage) -> None:
        if self.stage != previous:
            raise StageOrderError(QT_TRANSLATE_NOOP("core", "run {stage} first"), stage=STAGE_LABELS[previous])

    def _shown_parameter(self) -> torch.nn.Parameter:
        return self.net.get_parameter(SHOWN_PARAMETER)

    def _parameter_values(self) -> dict[str, np.ndarray]:
        return {name: _numpy(p) for name, p in self.net.named_parameters()}

    def _gradient_values(self) -> dict[str, np.ndarray]:
        return {name: _numpy(p.grad) for name, p in self.net.named_parameters()}

    def _optimizer_for(self, method: str, learning_rate: float) -> torch.optim.Optimizer:
        key = (method, learning_rate)
        if self._optimizer_key != key:
            self._optimizer = make_optimizer(method, self.net.parameters(), {"lr": learning_rate})
            self._optimizer_key = key
        return self._optimizer


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().copy()
