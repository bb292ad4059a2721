"""`lenet-desktop train`: train LeNet on MNIST, the corrections, or a mix, and save the weights."""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import fields
from pathlib import Path

import torch

from lenet_desktop.cli.common import (
    DATA_DIR_HELP,
    MAX_SEED,
    UsageError,
    destination,
    finite,
    load_model,
    open_store,
    share,
    whole,
)
from lenet_desktop.core.checkpoint import save_checkpoint
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.errors import counted
from lenet_desktop.core.mixing import DEFAULT_REPLAY
from lenet_desktop.core.optimizers import (
    OPTIMIZERS,
    SCHEDULES,
    make_optimizer,
    starting_hyperparameters,
    starting_schedule,
)
from lenet_desktop.core.paths import mnist_root, user_data_dir
from lenet_desktop.core.personalise import Recipe, fallen_digits
from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES
from lenet_desktop.core.store import default_store_path
from lenet_desktop.core.synthesis import Outliers, Styles
from lenet_desktop.core.train import LOSSES, Listener, TrainConfig, throttled
from lenet_desktop.core.training_run import MnistSplits, TrainingPlan, run_training

# What --weights does for this command, in its help.
WEIGHTS_USE = "training starts from it, and the before/after scores compare with it"


def add_parser(commands, parents) -> None:
    train = commands.add_parser("train", parents=parents, help="train LeNet and save the weights")
    train.add_argument(
        "--data",
        choices=["mnist", "corrections", "mix"],
        default="mnist",
        help="MNIST, your corrections, or mix: personalise by the measured recipe (corrections, "
        "MNIST replay and distillation; --lr, --epochs, --replay, --corrections-share, --seed and "
        "--max-batches change it; the options of a run's own optimizer and data are refused)",
    )
    train.add_argument("--replay", type=whole(0), help=f"MNIST images per epoch in a mix (default: {DEFAULT_REPLAY})")
    train.add_argument("--corrections-share", type=share, help="share of each epoch that is corrections in a mix")
    train.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
    train.add_argument("--no-download", dest="download", action="store_false", help="never fetch MNIST when missing")
    train.add_argument("--optimizer", choices=sorted(OPTIMIZERS), help="default: adam")
    # Only finiteness is checked here: torch.optim checks the ranges as the optimizer is built.
    train.add_argument(
        "--lr", type=finite, help="learning rate (default: the optimizer's; a tenth of it from trained weights)"
    )
    train.add_argument("--momentum", type=finite, help="SGD, Nesterov and RMSprop: momentum (default: the optimizer's)")
    train.add_argument(
        "--betas",
        type=finite,
        nargs=2,
        metavar=("BETA1", "BETA2"),
        help="Adam and AdamW: the decay rates of the running means of the gradient and of its square "
        "(default: 0.9 0.999)",
    )
    train.add_argument(
        "--alpha",
        type=finite,
        help="RMSprop: the decay rate of the running mean of the squared gradient (default: 0.99)",
    )
    train.add_argument("--weight-decay", type=finite, help="L2 penalty on the weights (default: the optimizer's)")
    train.add_argument(
        "--schedule", choices=SCHEDULES, help="default: cosine from trained weights (--init current), else none"
    )
    train.add_argument("--loss", choices=LOSSES, help="default: cross_entropy")
    train.add_argument("--epochs", type=whole(1), help="default: 1, or the recipe's for mix")
    train.add_argument("--batch-size", type=whole(1), help="default: 128")
    train.add_argument("--augment", action=argparse.BooleanOptionalAction, help="default: on")
    train.add_argument(
        "--seed",
        type=whole(0, MAX_SEED),
        default=0,
        help="seeds the fresh weights, the order of the images and the augmentation: the same seed on the same "
        "device repeats a run (default: 0)",
    )
    train.add_argument(
        "--init",
        choices=["fresh", "current"],
        help="fresh weights, or current: the --weights model, else the active model (default: current, but fresh "
        "for mnist without --weights)",
    )
    train.add_argument("--max-batches", type=whole(1), help="stop each epoch after this many batches (a dry run)")
    train.add_argument(
        "--average-from",
        type=whole(1),
        metavar="EPOCH",
        help="keep the mean of the weights at the end of this epoch and each later one (weight averaging)",
    )
    train.add_argument("--name", help="the model's name in its metadata")
    train.add_argument("--out", type=destination, required=True, help="where to write the trained weights")
    _handwriting_options(train)
    train.set_defaults(handler=run)


def _handwriting_options(train: argparse.ArgumentParser) -> None:
    """The handwriting recipe, each part off unless given, as key=value lists of the
    synthesis dataclasses' fields."""
    train.add_argument(
        "--styles",
        type=_fields_of(Styles),
        metavar="KEY=VALUE,...",
        help=f"draw handwriting styles and distortions: {', '.join(f.name for f in fields(Styles))}",
    )
    train.add_argument(
        "--outliers",
        type=_fields_of(Outliers),
        metavar="KEY=VALUE,...",
        help=f"outlier exposure on synthetic non-digits: {', '.join(f.name for f in fields(Outliers))} ('' for the defaults)",
    )
    train.add_argument(
        "--not-a-digit",
        choices=sorted(NOT_A_DIGIT_SCORES),
        help="measure a 'not a digit' threshold on this score after training (default: none)",
    )
    train.add_argument(
        "--not-a-digit-share",
        type=share,
        help="the share of right answers on distorted MNIST test digits the 'not a digit' threshold may refuse "
        "(default: 0.005)",
    )


def _fields_of(kind):
    def parse(text: str):
        known = {f.name: f for f in fields(kind)}
        values = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, value = item.partition("=")
            if key not in known:
                raise argparse.ArgumentTypeError(f"unknown key '{key}': use {', '.join(known)}")
            number = whole(0)(value) if known[key].type in (int, "int") else finite(value)
            if number < 0:
                raise argparse.ArgumentTypeError(f"{key} must not be negative, not {value}")
            values[key] = number
        try:
            return kind(**values)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


# The settings of a run of its own (--data mnist or corrections), left to TrainConfig's defaults when not
# given; the personalisation recipe (--data mix) chooses them itself, so giving one with it is refused.
RUN_SETTINGS = {
    "optimizer": "optimizer",
    "schedule": "schedule",
    "loss": "loss",
    "batch_size": "batch_size",
    "augment": "augment",
    "styles": "styles",
    "outliers": "outliers",
    "not_a_digit": "not_a_digit_score",
    "not_a_digit_share": "not_a_digit_share",
    "average_from": "average_from",
}
HYPERPARAMETERS = ("lr", "momentum", "betas", "alpha", "weight_decay")


def run(args) -> int:
    if args.init == "fresh" and args.weights is not None:
        raise UsageError(f"--init fresh and --weights {args.weights} contradict each other: give one of them")
    settings = {
        field: getattr(args, option) for option, field in RUN_SETTINGS.items() if getattr(args, option) is not None
    }
    overrides = {name: getattr(args, name) for name in HYPERPARAMETERS if getattr(args, name) is not None}
    if args.data == "mix":
        refused = [
            option
            for option in (*RUN_SETTINGS, *HYPERPARAMETERS)
            if option != "lr" and getattr(args, option) is not None  # the recipe takes --lr
        ]
        if refused:
            options = ", ".join("--" + option.replace("_", "-") for option in refused)
            raise UsageError(
                f"--data mix personalises by its measured recipe, which sets {options} itself: leave them out"
            )
        plan = TrainingPlan("mix", recipe=_recipe(args))
        _check_optimizer(plan.recipe.train_config())
    else:
        mixing = [option for option in ("replay", "corrections_share") if getattr(args, option) is not None]
        if mixing:  # a run on MNIST or on the corrections alone has no mix: they would change nothing
            options = ", ".join("--" + option.replace("_", "-") for option in mixing)
            raise UsageError(f"{options} only apply to --data mix; --data {args.data} would ignore them")
        # An explicit --weights means "start from these", whatever the data.
        init = args.init or ("fresh" if args.data == "mnist" and args.weights is None else "current")
        from_trained = init == "current"
        optimizer = settings.get("optimizer", TrainConfig.optimizer)
        overrides.setdefault("lr", starting_hyperparameters(optimizer, from_trained)["lr"])
        settings.setdefault("schedule", starting_schedule(from_trained))
        config = TrainConfig(
            hyperparameters=overrides,
            epochs=1 if args.epochs is None else args.epochs,
            seed=args.seed,
            max_batches=args.max_batches,
            **settings,
        )
        _check_optimizer(config)
        plan = TrainingPlan(args.data, (config,), fresh=init == "fresh")
    device = resolve_device(args.device or "auto")
    active = load_model(args).classifier  # what a fresh run is compared with, too
    if args.data == "mnist" and not default_store_path(user_data_dir()).exists():
        corrections, confirmed = (
            None,
            None,
        )  # a run on MNIST alone creates no store; with one, it measures the corrections
    else:
        with open_store() as store:
            corrections, confirmed = store.images_and_confirmations()
    if args.data == "mix":
        print(f"personalising on {device}: {_recipe_text(plan.recipe)}", file=sys.stderr)
    else:
        print(f"training on {device}: {_config_text(config)}", file=sys.stderr)
    try:
        outcome = run_training(
            plan,
            active,
            corrections,
            MnistSplits(mnist_root(args.data_dir), args.download),
            device,
            _PrintedProgress(),
            command=shlex.join(["lenet-desktop", *args.argv]),
            confirmed=confirmed,
        )
    except ValueError as error:  # nothing to train on
        raise UsageError(str(error)) from None
    trained = outcome.runs[0]
    if args.name:
        trained.classifier.metadata["name"] = args.name
    print(
        f"\n{trained.report.message}; {trained.report.images_per_second:.0f} images/s; trained on {outcome.describe()}; "
        f"{counted(outcome.held_out, 'correction')} held out",
        file=sys.stderr,
    )
    if trained.report.outcome != "completed":
        print(f"lenet-desktop: nothing saved, {args.out} was not written", file=sys.stderr)
        return 1
    save_checkpoint(args.out, trained.classifier)
    _print_before_after(outcome.before, outcome.after[0])
    print(
        f"MNIST test accuracy {trained.classifier.metadata['mnist_test_accuracy']:.2%}; "
        f"unsure below {trained.classifier.metadata['unsure_below']:.1%} confidence; saved {args.out}"
    )
    return 0


def _check_optimizer(config: TrainConfig) -> None:
    """The run's optimizer built once on a dummy weight, before any work: the registry refuses values
    beyond its bound, torch.optim those out of range (a negative rate, betas outside 0..1)."""
    try:
        make_optimizer(config.optimizer, [torch.zeros(1, requires_grad=True)], config.hyperparameters)
    except ValueError as error:
        raise UsageError(f"--optimizer {config.optimizer}: {error}") from None


def _recipe(args) -> Recipe:
    """--data mix: the personalisation recipe, with the few settings a user may change."""
    chosen = {
        "lr": args.lr,
        "epochs": args.epochs,
        "corrections_share": args.corrections_share,
        "max_batches": args.max_batches,
    }
    recipe = Recipe(
        replay=DEFAULT_REPLAY if args.replay is None else args.replay,
        seed=args.seed,
        **{
            {"corrections_share": "correction_share"}.get(key, key): value
            for key, value in chosen.items()
            if value is not None
        },
    )
    if recipe.epochs < 1 or (recipe.max_batches is not None and recipe.max_batches < 1) or recipe.lr <= 0:
        raise UsageError("--epochs and --max-batches must be at least 1, --lr above 0")
    if not 0 < recipe.correction_share < 1 or recipe.replay < 1:
        raise UsageError("--corrections-share must be between 0 and 1 and --replay at least 1 for a mix")
    return recipe


def _config_text(config: TrainConfig) -> str:
    """A run's optimizer and settings as a user reads them, in the words of the options."""
    settings = ", ".join(
        f"{key.replace('_', ' ')} {' '.join(f'{v:g}' for v in value) if isinstance(value, tuple) else f'{value:g}'}"
        for key, value in config.resolved_hyperparameters().items()
    )
    return (
        f"{OPTIMIZERS[config.optimizer].label} ({settings}), {counted(config.epochs, 'epoch')} "
        f"in batches of {config.batch_size}"
    )


def _recipe_text(recipe: Recipe) -> str:
    """The personalisation recipe as a user reads it."""
    limit = f", at most {counted(recipe.max_batches, 'batch', 'batches')} an epoch" if recipe.max_batches else ""
    return (
        f"{OPTIMIZERS[recipe.optimizer].label} at learning rate {recipe.lr:g}, up to {counted(recipe.epochs, 'epoch')} "
        f"in batches of {recipe.batch_size}{limit}; {recipe.correction_share:.0%} corrections and "
        f"{counted(recipe.replay, 'MNIST replay image')} an epoch; seed {recipe.seed}"
    )


def _print_before_after(before, after) -> None:
    rows = [("MNIST test", before.mnist, after.mnist), ("held-out corrections", before.corrections, after.corrections)]
    for title, old, new in rows:
        if old is not None and new is not None:
            print(
                f"{title}: {old.accuracy:.2%} before, {new.accuracy:.2%} after ({counted(int(new.confusion.sum()), 'image')})"
            )
    if before.mnist is not None and after.mnist is not None:
        for fallen in fallen_digits(before.mnist, after.mnist):
            print(
                f"MNIST {fallen.digit}s: {fallen.before:.1%} -> {fallen.after:.1%}, {fallen.count} now read as {fallen.read_as}"
                + (" (past the 1-point limit)" if fallen.past_limit else "")
            )


PROGRESS_INTERVAL = 0.2  # seconds between redraws of the progress line


class _PrintedProgress(Listener):
    """A progress line on stderr, redrawn in place, and a line per epoch; Ctrl-C is the only stop."""

    def __init__(self) -> None:
        self._print_progress = throttled(_print_progress, PROGRESS_INTERVAL)

    def progress(self, run: str, progress) -> None:
        self._print_progress(run, progress)

    def epoch(self, _run: str, result) -> None:
        evaluated = f", test accuracy {result.eval_accuracy:.2%}" if result.eval_accuracy is not None else ""
        print(
            f"\nepoch {result.epoch}: loss {result.train_loss:.4f}, train accuracy {result.train_accuracy:.2%}{evaluated} ({result.seconds:.1f} s)",
            file=sys.stderr,
        )


def _print_progress(_run: str, progress) -> None:
    width = 30
    done = int(progress.fraction * width)
    print(
        f"\r[{'#' * done}{'.' * (width - done)}] epoch {progress.epoch}/{progress.epochs} "
        f"batch {progress.batch}/{progress.batches} loss {progress.loss:.4f} "
        f"acc {progress.accuracy:.2%} {progress.images_per_second:.0f} img/s, {progress.seconds_left:.0f} s left ",
        end="",
        file=sys.stderr,
        flush=True,
    )
