"""`lenet-desktop`: the window with no subcommand; predict, evaluate and train headless.

Every subcommand is a thin layer over the same core functions the window calls.
Errors a user can cause end as one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

import torch

from lenet_desktop import __version__
from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from lenet_desktop.core.data import MnistError, load_mnist
from lenet_desktop.core.device import DeviceError, resolve_device
from lenet_desktop.core.images import ImageError, load_image
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.mixing import DEFAULT_CORRECTION_SHARE, DEFAULT_REPLAY, build_mix, split_held_out
from lenet_desktop.core.optimizers import OPTIMIZERS, SCHEDULES, make_optimizer
from lenet_desktop.core.personalise import Recipe, fallen_digits, personalise
from lenet_desktop.core.paths import mnist_root, shipped_weights_path, user_data_dir
from lenet_desktop.core.predict import recognise
from lenet_desktop.core.store import CorrectionStore, StoreError, default_store_path
from lenet_desktop.core.train import LOSSES, TrainConfig, evaluate, score_classifier, throttled, train_classifier


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    args.argv = argv
    if args.self_test:
        from lenet_desktop.gui.self_test import run_self_test  # opens the window, so Qt loads here too

        return run_self_test(args)
    if args.command is None:
        from lenet_desktop.gui.app import run_app  # Qt loads only when the window is wanted

        return run_app(args)
    try:
        return args.handler(args)
    except (UsageError, CheckpointError, DeviceError, MnistError, ImageError, StoreError, OSError) as error:
        print(f"lenet-desktop: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lenet-desktop: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lenet-desktop", description="Handwritten digit recognition with LeNet.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--weights", type=Path, help="weights file to start with (default: the shipped weights)")
    parser.add_argument("--device", default=None, help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check this install offscreen (weights, a sample drawing, the window) and print one JSON line",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    predict = commands.add_parser("predict", help="recognise the digit in image files")
    predict.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    predict.add_argument("--json", action="store_true", help="one JSON object per line")
    _model_options(predict)
    predict.set_defaults(handler=_predict)

    evaluate_cmd = commands.add_parser("evaluate", help="MNIST test accuracy, per class, and the confusion matrix")
    evaluate_cmd.add_argument("--data-dir", type=Path, help="folder holding MNIST/raw/ (default: $LENET_DATA_DIR)")
    evaluate_cmd.add_argument("--no-download", dest="download", action="store_false", help="never fetch MNIST")
    evaluate_cmd.add_argument("--json", action="store_true")
    _model_options(evaluate_cmd)
    evaluate_cmd.set_defaults(handler=_evaluate)

    train = commands.add_parser("train", help="train LeNet and save the weights")
    train.add_argument("--data", choices=["mnist", "corrections", "mix"], default="mnist",
                       help="MNIST, your corrections, or mix: personalise by the measured recipe (corrections, "
                            "MNIST replay and distillation; --lr, --epochs, --replay, --corrections-share, --seed and "
                            "--max-batches change it, other options do not apply)")
    train.add_argument("--replay", type=int, default=DEFAULT_REPLAY, help="MNIST images per epoch in a mix")
    train.add_argument("--corrections-share", type=float,
                       help="share of each epoch that is corrections in a mix")
    train.add_argument("--data-dir", type=Path, help="folder holding MNIST/raw/ (default: $LENET_DATA_DIR)")
    train.add_argument("--no-download", dest="download", action="store_false", help="never fetch MNIST")
    train.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam")
    train.add_argument("--lr", type=float, help="learning rate (default: the optimizer's)")
    train.add_argument("--momentum", type=float)
    train.add_argument("--betas", type=float, nargs=2)
    train.add_argument("--alpha", type=float)
    train.add_argument("--weight-decay", type=float)
    train.add_argument("--schedule", choices=SCHEDULES, default="none")
    train.add_argument("--loss", choices=LOSSES, default="cross_entropy")
    train.add_argument("--epochs", type=int, help="default: 1, or the recipe's for mix")
    train.add_argument("--batch-size", type=int, default=128)
    train.add_argument("--augment", action=argparse.BooleanOptionalAction, default=True)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--init", choices=["fresh", "current"],
                       help="fresh weights or the --weights model (default: fresh for mnist, current otherwise)")
    train.add_argument("--max-batches", type=int, help="stop each epoch after this many batches (a dry run)")
    train.add_argument("--name", help="the model's name in its metadata")
    train.add_argument("--out", type=Path, required=True, help="where to write the trained weights")
    train.add_argument("--weights", type=Path, help=argparse.SUPPRESS)
    train.add_argument("--device", default=None, help=argparse.SUPPRESS)
    train.set_defaults(handler=_train)

    corrections = commands.add_parser("corrections", help="list, export or import your corrected drawings")
    corrections.add_argument("action", choices=["list", "export", "import"])
    corrections.add_argument("folder", nargs="?", type=Path, help="the folder of PNGs plus corrections.csv (export/import)")
    corrections.set_defaults(handler=_corrections)
    return parser


def _model_options(parser: argparse.ArgumentParser) -> None:
    # Accepted after the subcommand too, as users tend to write them there.
    parser.add_argument("--weights", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--device", default=None, help=argparse.SUPPRESS)


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
            prediction = recognise(classifier, load_image(path))
        except ImageError as error:
            print(f"lenet-desktop: {error}", file=sys.stderr)
            failures += 1
            continue
        if args.json:
            print(json.dumps({
                "file": str(path),
                "digit": None if prediction is None else prediction.digit,
                "confidence": None if prediction is None else round(prediction.confidence, 6),
                "probabilities": [0.0] * 10 if prediction is None else [round(float(p), 6) for p in prediction.probabilities],
                "unsure": None if prediction is None else prediction.unsure,
            }))
        elif prediction is None:
            print(f"{path}: no digit")
        else:
            verdict = " (unsure)" if prediction.unsure else ""
            bars = "  ".join(f"{d}:{p:.3f}" for d, p in enumerate(prediction.probabilities))
            print(f"{path}: {prediction.digit} {prediction.confidence:.1%}{verdict}   {bars}")
    return 1 if failures else 0


def _evaluate(args) -> int:
    classifier = _load_classifier(args)
    test = load_mnist(mnist_root(args.data_dir), "test", args.download).to(classifier.device)
    result = evaluate(classifier.net, test, classifier.normalization)
    if args.json:
        print(json.dumps({
            "accuracy": result.accuracy,
            "per_class_accuracy": result.per_class_accuracy,
            "confusion": result.confusion.tolist(),
            "images": len(test),
        }))
        return 0
    print(f"MNIST test accuracy: {result.accuracy:.2%} ({len(test)} images, model '{classifier.name}')")
    print("per class: " + "  ".join(f"{d}:{a:.2%}" for d, a in enumerate(result.per_class_accuracy)))
    print("confusion matrix (rows: true digit, columns: predicted):")
    print("      " + "".join(f"{d:>6}" for d in range(10)))
    for digit, row in enumerate(result.confusion.tolist()):
        print(f"{digit:>6}" + "".join(f"{n:>6}" for n in row))
    return 0


def _train(args) -> int:
    overrides = {
        key: value
        for key, value in (
            ("lr", args.lr), ("momentum", args.momentum), ("betas", args.betas),
            ("alpha", args.alpha), ("weight_decay", args.weight_decay),
        )
        if value is not None
    }
    if args.data == "mix":
        return _personalise(args)
    args.epochs = 1 if args.epochs is None else args.epochs
    if args.epochs < 1 or args.batch_size < 1 or (args.max_batches is not None and args.max_batches < 1):
        raise UsageError("--epochs, --batch-size and --max-batches must be at least 1")
    config = TrainConfig(
        optimizer=args.optimizer, hyperparameters=overrides, schedule=args.schedule, loss=args.loss,
        epochs=args.epochs, batch_size=args.batch_size, augment=args.augment, seed=args.seed,
        max_batches=args.max_batches,
    )
    try:  # torch.optim checks the values (a negative rate, betas outside 0..1) as it is built
        make_optimizer(config.optimizer, [torch.zeros(1, requires_grad=True)], config.hyperparameters)
    except ValueError as error:
        raise UsageError(f"--optimizer {config.optimizer}: {error}") from None
    device = resolve_device(args.device or "auto")
    init = args.init or ("fresh" if args.data == "mnist" else "current")
    start = _load_classifier(args) if init == "current" else None
    root = mnist_root(args.data_dir)
    test = load_mnist(root, "test", args.download)
    mnist = load_mnist(root, "train", args.download) if args.data != "corrections" else None
    held_out = None
    if args.data == "mnist":
        data, described = mnist, f"{len(mnist)} MNIST images"
    else:
        with CorrectionStore(default_store_path(user_data_dir())) as store:
            corrections, held_out = split_held_out(store.images(), seed=args.seed)
        try:
            share = DEFAULT_CORRECTION_SHARE if args.corrections_share is None else args.corrections_share
            mix = build_mix(corrections, mnist, args.replay if mnist is not None else 0, share, args.seed)
        except ValueError as error:
            raise UsageError(str(error)) from None
        data, described = mix.data, f"{mix.describe()}; {len(held_out)} corrections held out"
    print(f"training on {described} on {device}: {config.optimizer} {config.resolved_hyperparameters()}", file=sys.stderr)
    classifier, report = train_classifier(
        start, data, config, device, evaluation=test,
        on_progress=throttled(_print_progress, PROGRESS_INTERVAL), on_epoch=_print_epoch,
        command=shlex.join(["lenet-desktop", *args.argv]),
    )
    if args.name:
        classifier.metadata["name"] = args.name
    print(f"\n{report.message}; {report.images_per_second:.0f} images/s", file=sys.stderr)
    if report.outcome != "completed":
        return 1
    save_checkpoint(args.out, classifier)
    if start is not None:
        _print_before_after(score_classifier(start, test, held_out), score_classifier(classifier, test, held_out))
    print(
        f"MNIST test accuracy {classifier.metadata['mnist_test_accuracy']:.2%}; "
        f"unsure below {classifier.metadata['unsure_below']:.1%} confidence; saved {args.out}"
    )
    return 0


def _personalise(args) -> int:
    """--data mix: the personalisation recipe, with the few settings a user may change."""
    chosen = {"lr": args.lr, "epochs": args.epochs, "corrections_share": args.corrections_share, "max_batches": args.max_batches}
    recipe = Recipe(replay=args.replay, seed=args.seed, **{
        {"corrections_share": "correction_share"}.get(key, key): value for key, value in chosen.items() if value is not None
    })
    if recipe.epochs < 1 or (recipe.max_batches is not None and recipe.max_batches < 1) or recipe.lr <= 0:
        raise UsageError("--epochs and --max-batches must be at least 1, --lr above 0")
    if not 0 < recipe.correction_share < 1 or recipe.replay < 1:
        raise UsageError("--corrections-share must be between 0 and 1 and --replay at least 1 for a mix")
    device = resolve_device(args.device or "auto")
    start = _load_classifier(args)
    root = mnist_root(args.data_dir)
    test, mnist = load_mnist(root, "test", args.download), load_mnist(root, "train", args.download)
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        corrections, held_out = split_held_out(store.images(), seed=args.seed)
    if len(corrections) == 0:
        raise UsageError("there are no corrections to train on yet: draw a digit and press its key")
    print(f"personalising on {device}: {recipe}", file=sys.stderr)
    result = personalise(
        start, corrections, mnist, device, recipe, evaluation=test,
        on_progress=throttled(_print_progress, PROGRESS_INTERVAL), on_epoch=_print_epoch,
        command=shlex.join(["lenet-desktop", *args.argv]),
    )
    classifier, report = result.classifier, result.report
    if args.name:
        classifier.metadata["name"] = args.name
    print(f"\n{report.message}; {report.images_per_second:.0f} images/s; {result.describe()}; {len(held_out)} corrections held out", file=sys.stderr)
    if report.outcome != "completed":
        return 1
    save_checkpoint(args.out, classifier)
    _print_before_after(score_classifier(start, test, held_out), score_classifier(classifier, test, held_out))
    print(
        f"MNIST test accuracy {classifier.metadata['mnist_test_accuracy']:.2%}; "
        f"unsure below {classifier.metadata['unsure_below']:.1%} confidence; saved {args.out}"
    )
    return 0


def _print_before_after(before, after) -> None:
    rows = [("MNIST test", before.mnist, after.mnist), ("held-out corrections", before.corrections, after.corrections)]
    for title, old, new in rows:
        if old is not None and new is not None:
            print(f"{title}: {old.accuracy:.2%} before, {new.accuracy:.2%} after ({int(new.confusion.sum())} images)")
    if before.mnist is not None and after.mnist is not None:
        for fallen in fallen_digits(before.mnist, after.mnist):
            print(
                f"MNIST {fallen.digit}s: {fallen.before:.1%} -> {fallen.after:.1%}, {fallen.count} now read as {fallen.read_as}"
                + (" (past the 1-point limit)" if fallen.past_limit else "")
            )


def _corrections(args) -> int:
    if args.action != "list" and args.folder is None:
        raise UsageError(f"corrections {args.action} needs a FOLDER")
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        if args.action == "export":
            print(f"exported {store.export(args.folder)} corrections to {args.folder}")
        elif args.action == "import":
            result = store.import_folder(args.folder)
            for reason in result.refused:
                print(f"lenet-desktop: skipped {reason}", file=sys.stderr)
            print(f"imported {result.added} corrections ({result.skipped} already there, {len(result.refused)} unreadable)")
            return 1 if result.refused else 0
        else:
            corrections = store.all()
            for c in corrections:
                said = "-" if c.predicted is None else f"{c.predicted} ({c.confidence:.0%})" if c.confidence is not None else str(c.predicted)
                print(f"#{c.id:<5} {c.created}  label {c.label}  model said {said}  {c.model_name or ''} {c.model_version or ''}".rstrip())
            print(f"{len(corrections)} corrections in {store.path}")
    return 0


PROGRESS_INTERVAL = 0.2  # seconds between redraws of the progress line


def _print_progress(progress) -> None:
    width = 30
    done = int(progress.fraction * width)
    print(
        f"\r[{'#' * done}{'.' * (width - done)}] epoch {progress.epoch}/{progress.epochs} "
        f"batch {progress.batch}/{progress.batches} loss {progress.loss:.4f} "
        f"acc {progress.accuracy:.2%} {progress.images_per_second:.0f} img/s, {progress.seconds_left:.0f} s left ",
        end="", file=sys.stderr, flush=True,
    )


def _print_epoch(result) -> None:
    evaluated = f", test accuracy {result.eval_accuracy:.2%}" if result.eval_accuracy is not None else ""
    print(
        f"\nepoch {result.epoch}: loss {result.train_loss:.4f}, train accuracy {result.train_accuracy:.2%}{evaluated} ({result.seconds:.1f} s)",
        file=sys.stderr,
    )
