"""Which score says "not a digit" best, and how far averaging many networks goes (the goal: 90 %
of letters-dev refused).

Run: LENET_DATA_DIR=DIR .venv/bin/python bench/refusal_scores.py WEIGHTS... [--shares 0.005,0.02]
     [--ensemble]

For each weights file, each score below is given the threshold under which `share` of the distorted MNIST
test digits read right fall (measure.calibrate_not_a_digit's measurement), and a drawing is refused when it
is below it or below the weights' own "unsure" threshold, as the app refuses. Printed: letters-dev refused,
unipen-dev's right answers refused, MNIST test refused. Scores: the top probability, the top logit, minus
the free energy (logsumexp of the logits), and minus the Mahalanobis distance to the nearest digit's mean
of F5 or F6 (a covariance shared by the classes, fitted on 30,000 MNIST training digits; Lee et al. 2018).

`--ensemble` also reads with the mean of all the weights' probabilities (its "unsure" threshold measured
as measure.calibrate_unsure_threshold measures one): MNIST test, unipen-dev and its worst digit, letters
refused by confidence at the first share.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.data import load_mnist
from lenet_desktop.core.handwriting import DIGITS_SET, LETTERS_SET, read_digits_and_non_digits
from lenet_desktop.core.measure import calibration_frames
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES

FIT_DIGITS = 30_000


@torch.inference_mode()
def activations(classifier: Classifier, frames: torch.Tensor) -> dict[str, torch.Tensor]:
    classifier.net.eval()
    parts = [
        classifier.net.forward_with_activations(classifier.normalization.apply(frames[i : i + 4000]))
        for i in range(0, len(frames), 4000)
    ]
    return {layer: torch.cat([p[layer] for p in parts]).double() for layer in ("F5", "F6", "logits")}


def mahalanobis(features: torch.Tensor, labels: torch.Tensor, layer: str) -> Callable[[dict], torch.Tensor]:
    """Minus the distance to the nearest class mean, by a shared covariance (a little ridge for the ReLU
    features that are always 0)."""
    means = torch.stack([features[labels == c].mean(0) for c in range(10)])
    centred = features - means[labels]
    covariance = centred.T @ centred / len(features)
    covariance += 1e-3 * covariance.diagonal().mean() * torch.eye(len(covariance), dtype=covariance.dtype)
    precision = torch.linalg.inv(covariance)

    def score(acts: dict) -> torch.Tensor:
        offsets = acts[layer][:, None, :] - means[None]
        return -torch.einsum("nci,ij,ncj->nc", offsets, precision, offsets).min(dim=1).values

    return score


def unsure_threshold(probabilities: torch.Tensor, labels: torch.Tensor, wrong_share: float = 0.25) -> float:
    """As measure.calibrate_unsure_threshold: the confidence below which wrong_share of answers are wrong."""
    confidence, predicted = probabilities.max(dim=1)
    order = torch.argsort(confidence)
    wrong = (predicted[order] != labels[order]).float()
    unreliable = torch.nonzero(wrong.cumsum(0) / torch.arange(1, len(wrong) + 1) >= wrong_share).flatten()
    return 0.0 if len(unreliable) == 0 else float(confidence[order][min(int(unreliable[-1]) + 1, len(wrong) - 1)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=Path, nargs="+")
    parser.add_argument("--shares", default="0.005,0.02", help="digit shares, comma-separated")
    parser.add_argument("--ensemble", action="store_true")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LENET_DATA_DIR", "data")))
    args = parser.parse_args()
    shares = [float(share) for share in args.shares.split(",")]
    torch.set_num_threads(1)
    train = load_mnist(args.data_dir, "train", download=False)
    test = load_mnist(args.data_dir, "test", download=False)
    digits, _ = read_digits_and_non_digits(args.data_dir / DIGITS_SET)
    _, letters = read_digits_and_non_digits(args.data_dir / LETTERS_SET)
    fit = train.subset(torch.randperm(len(train.labels), generator=torch.Generator().manual_seed(0))[:FIT_DIGITS])
    print("| weights | score | digit share | letters refused | unipen-dev right answers refused | MNIST test refused |")
    print("|---" * 6 + "|")
    probabilities = []
    for path in args.weights:
        classifier = load_checkpoint(path)
        seed = int(classifier.metadata.get("seed", 0))
        calibration = calibration_frames(test.images, seed)
        sets = {
            name: activations(classifier, frames)
            for name, frames in [
                ("fit", fit.images),
                ("test", test.images),
                ("calibration", calibration),
                ("digits", digits.images),
                ("letters", letters),
            ]
        }
        probabilities.append({name: F.softmax(acts["logits"], dim=1) for name, acts in sets.items()})
        scores: dict[str, Callable[[dict], torch.Tensor]] = {
            "top probability": lambda acts: NOT_A_DIGIT_SCORES["confidence"](acts["logits"]),
            "top logit": lambda acts: acts["logits"].amax(dim=1),
            "energy": lambda acts: NOT_A_DIGIT_SCORES["energy"](acts["logits"]),
            "Mahalanobis F6": mahalanobis(sets["fit"]["F6"], fit.labels, "F6"),
            "Mahalanobis F5": mahalanobis(sets["fit"]["F5"], fit.labels, "F5"),
        }
        unsure_below = float(classifier.metadata.get("unsure_below", 0.5))
        calibration_right = sets["calibration"]["logits"].argmax(dim=1) == test.labels
        digits_right = sets["digits"]["logits"].argmax(dim=1) == digits.labels
        for name, score in scores.items():
            for share in shares:
                below = torch.quantile(score(sets["calibration"])[calibration_right], share)

                def refused(acts: dict, below=below, score=score, unsure_below=unsure_below) -> torch.Tensor:
                    confidence = F.softmax(acts["logits"], dim=1).amax(dim=1)
                    return (score(acts) < below) | (confidence < unsure_below)

                print(
                    f"| {path.name} | {name} | {share:.1%} | {refused(sets['letters']).double().mean():.1%} | "
                    f"{refused(sets['digits'])[digits_right].double().mean():.2%} | "
                    f"{refused(sets['test']).double().mean():.2%} |"
                )
    if args.ensemble:
        mean = {name: torch.stack([p[name] for p in probabilities]).mean(0) for name in probabilities[0]}
        unsure = unsure_threshold(mean["calibration"], test.labels)
        confidence, predicted = mean["calibration"].max(dim=1)
        below = max(unsure, float(torch.quantile(confidence[predicted == test.labels], shares[0])))
        right = mean["digits"].argmax(dim=1) == digits.labels
        per_class = [float(right[digits.labels == d].double().mean()) for d in range(10)]
        worst = min(range(10), key=per_class.__getitem__)
        print(
            f"\nThe mean of {len(args.weights)} networks' probabilities: MNIST test "
            f"{(mean['test'].argmax(dim=1) == test.labels).double().mean():.2%}, unipen-dev "
            f"{right.double().mean():.2%} (worst digit {worst}: {per_class[worst]:.1%}), right answers refused "
            f"{(mean['digits'].amax(dim=1)[right] < below).double().mean():.2%}, letters refused "
            f"{(mean['letters'].amax(dim=1) < below).double().mean():.1%}"
        )


if __name__ == "__main__":
    main()
