"""`lenet-desktop`: the window with no subcommand; predict, evaluate and train headless.

Every subcommand is a thin layer over the same core functions the window calls.
Errors a user can cause end as one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import sys
from dataclasses import fields
from pathlib import Path

import torch

from lenet_desktop import __version__
from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from lenet_desktop.core.data import MnistError, load_mnist
from lenet_desktop.core.device import DeviceError, resolve_device
from lenet_desktop.core.errors import counted, first_line
from lenet_desktop.core.evaluation import EvaluationError, EvaluationResult, evaluate_set, mnist_set, read_folder
from lenet_desktop.core.files import check_writable
from lenet_desktop.core.images import ImageError, load_image_shrunk
from lenet_desktop.core.mixing import DEFAULT_REPLAY
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.numbers import NumberReading, read_number
from lenet_desktop.core.optimizers import OPTIMIZERS, SCHEDULES, make_optimizer
from lenet_desktop.core.paths import mnist_root, shipped_weights_path, user_data_dir
from lenet_desktop.core.personalise import Recipe, fallen_digits
from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES, recognise
from lenet_desktop.core.preprocess import ink_box, ink_map
from lenet_desktop.core.store import CorrectionStore, StoreError, default_store_path
from lenet_desktop.core.synthesis import Outliers, Styles
from lenet_desktop.core.train import LOSSES, Listener, TrainConfig, throttled
from lenet_desktop.core.training_run import MnistSplits, TrainingPlan, run_training


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    args.argv = argv
    if args.self_test:
        from lenet_desktop.gui.devtools.self_test import run_self_test  # opens the window, so Qt loads here too

        return run_self_test(args)
    if args.command is None:
        from lenet_desktop.gui.startup.app import run_app  # Qt loads only when the window is wanted

        return run_app(args)
    try:
        _check_global_options(args)
        return args.handler(args)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do when SIGPIPE ends them.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is silent too
        return 141  # 128 + SIGPIPE, what a shell reports for a tool SIGPIPE ended (not defined on Windows)
    except (
        UsageError,
        CheckpointError,
        DeviceError,
        EvaluationError,
        MnistError,
        ImageError,
        StoreError,
    ) as error:
        print(f"lenet-desktop: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"lenet-desktop: error: {first_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lenet-desktop: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lenet-desktop",
        description="Handwritten digit recognition with LeNet.",
        parents=[_global_options(None)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check every part of this install (engine, MNIST reading, training, store, Qt platform, window); one JSON line",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Accepted after the subcommand too, as users tend to write them there. There they default to
    # SUPPRESS: a subparser's own default would overwrite the value given before the subcommand.
    after = _global_options(argparse.SUPPRESS)

    predict = commands.add_parser("predict", parents=[after], help="read the digit or number in image files")
    predict.add_argument(
        "images",
        nargs="+",
        type=Path,
        metavar="IMAGE",
        help="image files (PNG, JPEG, ...), each read as a digit or a number",
    )
    predict.add_argument("--json", action="store_true", help="one JSON object per line")
    predict.add_argument("--single", action="store_true", help="read each image as one digit, never as a number")
    predict.set_defaults(handler=_predict)

    evaluate_cmd = commands.add_parser(
        "evaluate",
        parents=[after],
        help="accuracy, per class, the confusion matrix: on MNIST test or a folder of images",
        description="The active model's accuracy, per digit, and confusion matrix on the 10,000 MNIST test "
        "digits, or with --images on a folder of labelled images.",
    )
    evaluate_cmd.add_argument(
        "--images",
        type=Path,
        metavar="DIR",
        help="a folder of images with labels.csv (file,label), or a corrections export; a label that is not a "
        "digit marks an image to refuse",
    )
    evaluate_cmd.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
    evaluate_cmd.add_argument(
        "--no-download", dest="download", action="store_false", help="never fetch MNIST's test files when missing"
    )
    evaluate_cmd.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluate_cmd.set_defaults(handler=_evaluate)

    train = commands.add_parser("train", parents=[after], help="train LeNet and save the weights")
    train.add_argument(
        "--data",
        choices=["mnist", "corrections", "mix"],
        default="mnist",
        help="MNIST, your corrections, or mix: personalise by the measured recipe (corrections, "
        "MNIST replay and distillation; --lr, --epochs, --replay, --corrections-share, --seed and "
        "--max-batches change it; the options of a run's own optimizer and data are refused)",
    )
    train.add_argument("--replay", type=_whole(0), help=f"MNIST images per epoch in a mix (default: {DEFAULT_REPLAY})")
    train.add_argument("--corrections-share", type=_share, help="share of each epoch that is corrections in a mix")
    train.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
    train.add_argument("--no-download", dest="download", action="store_false", help="never fetch MNIST when missing")
    train.add_argument("--optimizer", choices=sorted(OPTIMIZERS), help="default: adam")
    # Only finiteness is checked here: torch.optim checks the ranges as the optimizer is built.
    train.add_argument("--lr", type=_finite, help="learning rate (default: the optimizer's)")
    train.add_argument("--momentum", type=_finite)
    train.add_argument("--betas", type=_finite, nargs=2)
    train.add_argument("--alpha", type=_finite)
    train.add_argument("--weight-decay", type=_finite)
    train.add_argument("--schedule", choices=SCHEDULES, help="default: none")
    train.add_argument("--loss", choices=LOSSES, help="default: cross_entropy")
    train.add_argument("--epochs", type=_whole(1), help="default: 1, or the recipe's for mix")
    train.add_argument("--batch-size", type=_whole(1), help="default: 128")
    train.add_argument("--augment", action=argparse.BooleanOptionalAction, help="default: on")
    train.add_argument("--seed", type=_whole(0, MAX_SEED), default=0)
    train.add_argument(
        "--init",
        choices=["fresh", "current"],
        help="fresh weights or the --weights model (default: current, but fresh for mnist without --weights)",
    )
    train.add_argument("--max-batches", type=_whole(1), help="stop each epoch after this many batches (a dry run)")
    train.add_argument(
        "--average-from",
        type=_whole(1),
        metavar="EPOCH",
        help="keep the mean of the weights at the end of this epoch and each later one (weight averaging)",
    )
    train.add_argument("--name", help="the model's name in its metadata")
    train.add_argument("--out", type=_destination, required=True, help="where to write the trained weights")
    _handwriting_options(train)
    train.set_defaults(handler=_train)

    corrections = commands.add_parser(
        "corrections", parents=[after], help="list, export or import your corrected drawings"
    )
    corrections.add_argument(
        "action", choices=["list", "export", "import"], metavar="ACTION", help="list, export or import"
    )
    corrections.add_argument(
        "folder", nargs="?", type=Path, metavar="FOLDER", help="the folder of PNGs plus corrections.csv (export/import)"
    )
    corrections.set_defaults(handler=_corrections)
    return parser


def _handwriting_options(train: argparse.ArgumentParser) -> None:
    """The handwriting recipe (docs/model.md), each part off unless given, as key=value lists of the
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
        type=_share,
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
            number = _whole(0)(value) if known[key].type in (int, "int") else _finite(value)
            if number < 0:
                raise argparse.ArgumentTypeError(f"{key} must not be negative, not {value}")
            values[key] = number
        try:
            return kind(**values)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        # One line, as every other error; argparse's usage block would bury it.
        command = self.prog.removeprefix("lenet-desktop").strip()
        self.exit(2, f"lenet-desktop: error: {command + ': ' if command else ''}{message} (see --help)\n")


DATA_DIR_HELP = "folder holding MNIST/raw/ (default: $LENET_DATA_DIR, else the user data folder)"
MAX_SEED = 2**64 - 1  # torch's generators take seeds up to this


def _whole(low: int, high: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            within = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise argparse.ArgumentTypeError(f"must be a whole number {within}, not {text}")
        return value

    return parse


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
    return value


def _share(text: str) -> float:
    value = _finite(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, not {text}")
    return value


def _destination(text: str) -> Path:
    """Checked before any work, so a long run never ends unable to save."""
    if not text:
        raise argparse.ArgumentTypeError("needs a file name")
    path = Path(text)
    try:
        check_writable(path)
    except OSError as error:
        raise argparse.ArgumentTypeError(f"{text!r} cannot be written: {error.strerror or error}") from None
    return path


def _global_options(default) -> argparse.ArgumentParser:
    options = _Parser(add_help=False)
    options.add_argument(
        "--weights",
        type=Path,
        default=default,
        help="the model's weights file (default: the shipped weights); train starts from it",
    )
    options.add_argument(
        "--device", default=default, help="where to run the model: auto (default), cpu, cuda, cuda:N or mps"
    )
    return options


def _check_global_options(args) -> None:
    """Refuse a bad --weights or --device whatever the command, even one that does not use them:
    a user who names a file expects it to matter."""
    if args.weights is not None and not args.weights.is_file():
        raise UsageError(f"--weights {args.weights}: {'is a folder' if args.weights.is_dir() else 'no such file'}")
    if args.device is not None:
        resolve_device(args.device)


def _load_classifier(args) -> Classifier:
    device = resolve_device(args.device or "auto")
    return load_checkpoint(args.weights or shipped_weights_path(), device)


def _predict(args) -> int:
    # One drawing at a time is too small to split across threads; with two, a busy core makes the
    # other wait (bench/bench_predict.py: 0.3 ms on one thread, 60 ms on two on a loaded machine).
    torch.set_num_threads(1)
    classifier = _load_classifier(args)
    failures = 0
    for path in args.images:
        try:
            image, shrink = load_image_shrunk(path)
            reading = _single_reading(classifier, image) if args.single else read_number(classifier, image)
        except ImageError as error:
            print(f"lenet-desktop: {error}", file=sys.stderr)
            failures += 1
            continue
        boxes = [shrink.box_in_file(box) for box in reading.boxes]
        # One digit is reported as before; several have no single digit, only the number.
        prediction = reading.digits[0] if len(reading.digits) == 1 else None
        if args.json:
            print(
                json.dumps(
                    {
                        "file": str(path),
                        "digit": None if prediction is None else prediction.digit,
                        "confidence": None if not reading.digits else round(reading.confidence, 6),
                        "probabilities": [0.0] * 10 if prediction is None else _rounded(prediction.probabilities),
                        "unsure": None if not reading.digits else reading.unsure,
                        "not_a_digit": prediction is not None and prediction.not_a_digit,
                        "number": reading.number,
                        "digits": [
                            {
                                "digit": p.digit,
                                "confidence": round(p.confidence, 6),
                                "probabilities": _rounded(p.probabilities),
                                "unsure": p.unsure,
                                "not_a_digit": p.not_a_digit,
                                "box": list(box),
                            }
                            for p, box in zip(reading.digits, boxes)
                        ],
                    }
                )
            )
        elif not reading.digits:
            print(f"{path}: no digit")
        elif prediction is not None:
            print(f"{path}: {_digit_line(prediction)}")
        else:
            verdict = " (unsure)" if reading.unsure else ""
            print(f"{path}: {reading.number} {reading.confidence:.1%}{verdict}")
            for p, (x, y, width, height) in zip(reading.digits, boxes):
                print(f"  {_digit_line(p)}   box {x},{y} {width}x{height}")
    return 1 if failures else 0


def _single_reading(classifier: Classifier, image) -> NumberReading:
    """Today's one-digit reading of the whole image, in a number's form."""
    prediction = recognise(classifier, image)
    if prediction is None:
        return NumberReading((), ())
    return NumberReading((prediction,), (ink_box(ink_map(image)),))


def _digit_line(prediction) -> str:
    bars = "  ".join(f"{d}:{p:.3f}" for d, p in enumerate(prediction.probabilities))
    if prediction.not_a_digit:
        return f"not a digit   {bars}"
    verdict = " (unsure)" if prediction.unsure else ""
    return f"{prediction.digit} {prediction.confidence:.1%}{verdict}   {bars}"


def _rounded(probabilities) -> list[float]:
    return [round(float(p), 6) for p in probabilities]


def _evaluate(args) -> int:
    classifier = _load_classifier(args)
    if args.images is not None:
        images = read_folder(args.images)
        for failure in images.failures:
            print(f"lenet-desktop: skipped {failure}", file=sys.stderr)
        if len(images) == 0:
            raise UsageError(f"{args.images}: none of the listed images could be used")
        described = f"{args.images}"
    else:
        images = mnist_set(load_mnist(mnist_root(args.data_dir), "test", args.download))
        described = "MNIST test"
    result = evaluate_set(classifier, images)
    if args.json:
        print(json.dumps({"model": classifier.name, "data": described, **result.to_json()}))
    else:
        _print_evaluation(result, described, classifier.name)
    return 1 if images.failures else 0


def _print_evaluation(result: EvaluationResult, described: str, model: str) -> None:
    if result.digit_count:
        print(f"{described} accuracy: {result.accuracy:.2%} ({counted(result.digit_count, 'digit')}, model '{model}')")
        print(
            "per class: "
            + "  ".join(f"{d}:{'-' if a is None else f'{a:.2%}'}" for d, a in enumerate(result.per_class_accuracy))
        )
        print("confusion matrix (rows: true digit, columns: predicted):")
        print("      " + "".join(f"{d:>6}" for d in range(10)))
        for digit, row in enumerate(result.confusion.tolist()):
            print(f"{digit:>6}" + "".join(f"{n:>6}" for n in row))
        confusions = result.top_confusions()
        print(
            "most common confusions: "
            + (", ".join(f"{c.true} read as {c.predicted} ({c.count})" for c in confusions) or "none")
        )
    else:
        print(f"{described}: no image is labelled with a digit (model '{model}')")
    if result.refusal_rate is not None:
        print(f"not a digit: {result.refusal_rate:.2%} of {result.should_refuse} refused (unsure or not a digit)")


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


def _train(args) -> int:
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
    else:
        mixing = [option for option in ("replay", "corrections_share") if getattr(args, option) is not None]
        if mixing:  # a run on MNIST or on the corrections alone has no mix: they would change nothing
            options = ", ".join("--" + option.replace("_", "-") for option in mixing)
            raise UsageError(f"{options} only apply to --data mix; --data {args.data} would ignore them")
        config = TrainConfig(
            hyperparameters=overrides,
            epochs=1 if args.epochs is None else args.epochs,
            seed=args.seed,
            max_batches=args.max_batches,
            **settings,
        )
        try:  # torch.optim checks the values (a negative rate, betas outside 0..1) as it is built
            make_optimizer(config.optimizer, [torch.zeros(1, requires_grad=True)], config.hyperparameters)
        except ValueError as error:
            raise UsageError(f"--optimizer {config.optimizer}: {error}") from None
        # An explicit --weights means "start from these", whatever the data.
        init = args.init or ("fresh" if args.data == "mnist" and args.weights is None else "current")
        plan = TrainingPlan(args.data, (config,), fresh=init == "fresh")
    device = resolve_device(args.device or "auto")
    active = _load_classifier(args)  # what a fresh run is compared with, too
    if args.data == "mnist" and not default_store_path(user_data_dir()).exists():
        corrections, confirmed = (
            None,
            None,
        )  # a run on MNIST alone creates no store; with one, it measures the corrections
    else:
        with _open_store() as store:
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
    run = outcome.runs[0]
    if args.name:
        run.classifier.metadata["name"] = args.name
    print(
        f"\n{run.report.message}; {run.report.images_per_second:.0f} images/s; trained on {outcome.describe()}; "
        f"{counted(outcome.held_out, 'correction')} held out",
        file=sys.stderr,
    )
    if run.report.outcome != "completed":
        print(f"lenet-desktop: nothing saved, {args.out} was not written", file=sys.stderr)
        return 1
    save_checkpoint(args.out, run.classifier)
    _print_before_after(outcome.before, outcome.after[0])
    print(
        f"MNIST test accuracy {run.classifier.metadata['mnist_test_accuracy']:.2%}; "
        f"unsure below {run.classifier.metadata['unsure_below']:.1%} confidence; saved {args.out}"
    )
    return 0


def _open_store() -> CorrectionStore:
    store = CorrectionStore(default_store_path(user_data_dir()))
    for warning in (store.recovered, store.read_only):
        if warning:
            print(f"lenet-desktop: warning: {warning}", file=sys.stderr)
    return store


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


def _corrections(args) -> int:
    if args.action != "list" and args.folder is None:
        raise UsageError(f"corrections {args.action} needs a FOLDER")
    if args.action == "list" and args.folder is not None:
        raise UsageError("corrections list takes no FOLDER: it lists the corrections you saved")
    with _open_store() as store:
        if args.action == "export":
            print(f"exported {counted(store.export(args.folder), 'correction')} to {args.folder}")
        elif args.action == "import":
            result = store.import_folder(args.folder)
            for reason in result.refused:
                print(f"lenet-desktop: skipped {reason}", file=sys.stderr)
            print(
                f"imported {counted(result.added, 'correction')} ({result.skipped} already there, {len(result.refused)} unreadable)"
            )
            return 1 if result.refused else 0
        else:
            recovered = store.recovered
            corrections = store.all()
            if store.recovered != recovered:  # damage found only as the rows were read
                print(f"lenet-desktop: warning: {store.recovered}", file=sys.stderr)
            for c in corrections:
                said = (
                    "-"
                    if c.predicted is None
                    else f"{c.predicted} ({c.confidence:.0%})"
                    if c.confidence is not None
                    else str(c.predicted)
                )
                print(
                    f"#{c.id:<5} {c.created}  label {c.label}  model said {said}  {c.model_name or ''} {c.model_version or ''}".rstrip()
                )
            print(f"{counted(len(corrections), 'correction')} in {store.path}")
            if store.damaged_ids:
                print(
                    f"lenet-desktop: warning: damaged, left out: {', '.join(f'#{i}' for i in store.damaged_ids)}",
                    file=sys.stderr,
                )
    return 0


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
