"""unipen-dev's misread digits, writer by writer: is a weak digit a style many share, or a few hands?

Run: LENET_DATA_DIR=DIR .venv/bin/python bench/misread_by_writer.py [--weights PATH] [--digit D]

For each digit (or only D): how many were misread, as what, and the writers (sources.csv's anonymous
numbers) with the most misreads, each with how they write that digit and the digit it was read as
(their samples of both, read by the weights). Writes nothing; prints Markdown-ready lines.
"""

from __future__ import annotations

import argparse
import csv
import os
from collections import Counter
from pathlib import Path

import torch

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.handwriting import DIGITS_SET, read_digits_and_non_digits
from lenet_desktop.core.measure import predict_logits
from lenet_desktop.core.paths import shipped_weights_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, default=shipped_weights_path())
    parser.add_argument("--digit", type=int, choices=range(10))
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LENET_DATA_DIR", "data")))
    args = parser.parse_args()
    folder = args.data_dir / DIGITS_SET
    digits, _ = read_digits_and_non_digits(folder)
    with open(folder / "sources.csv", newline="") as handle:
        writers = [row["writer"] for row in csv.DictReader(handle)]
    classifier = load_checkpoint(args.weights)
    read = predict_logits(classifier.net, digits.images, classifier.normalization).argmax(dim=1)
    labels = digits.labels
    for digit in [args.digit] if args.digit is not None else range(10):
        wrong = torch.nonzero((labels == digit) & (read != digit)).flatten().tolist()
        if not wrong:
            continue
        as_what = Counter(int(read[i]) for i in wrong)
        by_writer = Counter(writers[i] for i in wrong)
        print(
            f"{digit}: {len(wrong)} of {int((labels == digit).sum())} misread "
            f"({', '.join(f'as {d}: {n}' for d, n in as_what.most_common())}); "
            f"{len(by_writer)} writers, the three with most: {sum(n for _, n in by_writer.most_common(3))}"
        )
        for writer, count in by_writer.most_common(3):
            mine = [i for i, w in enumerate(writers) if w == writer]
            usual = as_what.most_common(1)[0][0]
            own = [int(read[i]) for i in mine if labels[i] == digit]
            other = [int(read[i]) for i in mine if labels[i] == usual]
            print(f"  writer {writer}: {count} misread; their {digit}s read as {own}, their {usual}s as {other}")


if __name__ == "__main__":
    main()
