"""Handwriting styles MNIST rarely shows, and non-digits to learn to refuse, made by the project.

Styles work on whole (N, 1, 32, 32) batches on the training device, like augment_batch: a slash
through 0s, a long up-stroke flag (and sometimes a base) on 1s, a bar across 7s, each drawn as a
pen stroke of the digit's own width by its distance to a segment; then aspect-ratio changes (the
digit refitted to MNIST's 20 px box and centre, as `preprocess` would place the drawing) and
elastic distortion (Simard et al. 2003). Randomness comes from the caller's generator only.

Non-digits for outlier exposure (Hendrycks et al. 2019) are made once, on the CPU, and pass
through the one `preprocess` as a drawing does: letters and symbols in Pillow's built-in font,
random scribbles, fragments of digits, and two digits squeezed into one box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFont

from lenet_desktop.core.preprocess import DIGIT_BOX, INK_THRESHOLD, INPUT_SIZE, MNIST_CENTRE, preprocess


@dataclass(frozen=True)
class Styles:
    """Share of each digit drawn in a style; 0 leaves that digit as MNIST wrote it."""

    slashed_zero: float = 0.0
    flagged_one: float = 0.0
    base_on_flagged_one: float = 0.5  # of the flagged ones
    flag_turn_max: float = 60.0  # degrees from the stem: a flag nearer square to it reads as a 7's bar
    slash_reach_max: float = 1.45  # how far a 0's slash reaches, in units of the ring's radius
    crossed_seven: float = 0.0
    aspect: float = 1.0  # width/height multiplied by up to this factor or its inverse (log-uniform)
    elastic: float = 0.0  # share of images elastically distorted
    elastic_alpha: float = 34.0 * INPUT_SIZE / 28  # Simard's alpha and sigma, in 28 px units scaled to 32
    elastic_sigma: float = 4.0 * INPUT_SIZE / 28

    def __post_init__(self) -> None:
        if not self.aspect >= 1 or not self.elastic_sigma > 0:
            raise ValueError("aspect must be at least 1 and elastic_sigma above 0")

    @property
    def draws_strokes(self) -> bool:
        return self.slashed_zero > 0 or self.flagged_one > 0 or self.crossed_seven > 0


@dataclass(frozen=True)
class Outliers:
    """Outlier exposure: `per_digit` non-digits join each batch (0.5: 64 to a batch of 128), their
    10 outputs trained towards uniform with weight `weight`; `kinds` shares the bank between kinds."""

    per_digit: float = 0.5
    weight: float = 0.5  # Hendrycks et al.'s lambda
    count: int = 20_000  # size of the bank, made once at the start
    letters: float = 0.5
    scribbles: float = 0.2
    fragments: float = 0.1  # a fragment can look like another digit: kept few
    pairs: float = 0.2

    def __post_init__(self) -> None:
        if self.count < 1 or not self.letters + self.scribbles + self.fragments + self.pairs > 0:
            raise ValueError("outlier exposure needs a count of at least 1 and some share of non-digits")


def _uniform(n: int, low: float, high: float, generator: torch.Generator, device) -> torch.Tensor:
    return torch.rand(n, generator=generator, device=device) * (high - low) + low


@dataclass(frozen=True)
class InkGeometry:
    """Per image, in pixel indices (x: column, y: row): the ink's box, centre of mass and pen width."""

    top: torch.Tensor
    bottom: torch.Tensor
    left: torch.Tensor
    right: torch.Tensor
    centre_x: torch.Tensor
    centre_y: torch.Tensor
    pen: torch.Tensor

    @property
    def height(self) -> torch.Tensor:
        return self.bottom - self.top + 1

    @property
    def width(self) -> torch.Tensor:
        return self.right - self.left + 1


def ink_geometry(frames: torch.Tensor) -> InkGeometry:
    size = frames.shape[-1]
    ink = frames[:, 0]
    strokes = ink > INK_THRESHOLD
    index = torch.arange(size, device=frames.device, dtype=frames.dtype)
    rows, cols = strokes.any(dim=2).to(frames.dtype), strokes.any(dim=1).to(frames.dtype)
    top, bottom = rows.argmax(dim=1), size - 1 - rows.flip(1).argmax(dim=1)
    left, right = cols.argmax(dim=1), size - 1 - cols.flip(1).argmax(dim=1)
    total = ink.sum(dim=(1, 2)).clamp(min=1e-6)
    centre_y = (ink.sum(dim=2) * index).sum(dim=1) / total
    centre_x = (ink.sum(dim=1) * index).sum(dim=1) / total
    # A stroke of length L and width w has area A = L*w and an edge P = 2L + 2w long (its ends
    # included), so w is the smaller root of w^2 - (P/2) w + A = 0.
    # Forward differences: central ones would blur a thin stroke's two edges into one.
    gy, gx = F.pad(ink.diff(dim=1), (0, 0, 0, 1)), F.pad(ink.diff(dim=2), (0, 1))
    edge = torch.sqrt(gx**2 + gy**2).sum(dim=(1, 2)).clamp(min=1e-6)
    pen = ((edge / 2 - torch.sqrt((edge**2 / 4 - 4 * total).clamp(min=0))) / 2).clamp(1.0, 4.0)
    return InkGeometry(
        top.to(frames.dtype),
        bottom.to(frames.dtype),
        left.to(frames.dtype),
        right.to(frames.dtype),
        centre_x,
        centre_y,
        pen,
    )


def _ink_column(frames: torch.Tensor, row: torch.Tensor) -> torch.Tensor:
    """The ink-weighted mean column of each image's rows `row` and `row + 1` (the stroke there)."""
    size = frames.shape[-1]
    picked = torch.stack(
        [frames[torch.arange(len(row), device=row.device), 0, (row + k).clamp(0, size - 1)] for k in (0, 1)]
    ).sum(0)
    index = torch.arange(size, device=frames.device, dtype=frames.dtype)
    weight = picked.sum(dim=1)
    return torch.where(
        weight > 1e-6, (picked * index).sum(dim=1) / weight.clamp(min=1e-6), torch.full_like(weight, (size - 1) / 2)
    )


def segment_ink(start: torch.Tensor, end: torch.Tensor, pen: torch.Tensor, size: int = INPUT_SIZE) -> torch.Tensor:
    """(N, 1, size, size) antialiased ink of one straight pen stroke per image from `start` to `end`
    ((N, 2) as x, y pixel indices), `pen` pixels wide."""
    index = torch.arange(size, device=start.device, dtype=start.dtype)
    y, x = torch.meshgrid(index, index, indexing="ij")
    points = torch.stack((x, y), dim=-1).view(1, size * size, 2)
    direction = (end - start)[:, None, :]
    length_squared = (direction**2).sum(dim=-1).clamp(min=1e-6)
    along = (((points - start[:, None, :]) * direction).sum(dim=-1) / length_squared).clamp(0, 1)
    nearest = start[:, None, :] + along[..., None] * direction
    distance = torch.linalg.vector_norm(points - nearest, dim=-1)
    ink = (pen[:, None] / 2 + 0.5 - distance).clamp(0, 1)
    return ink.view(-1, 1, size, size)


def _draw(
    frames: torch.Tensor, chosen: torch.Tensor, start: torch.Tensor, end: torch.Tensor, pen: torch.Tensor
) -> None:
    if len(chosen):
        frames[chosen] = torch.maximum(frames[chosen], segment_ink(start, end, pen, frames.shape[-1]))


def _pick(labels: torch.Tensor, digit: int, share: float, generator: torch.Generator) -> torch.Tensor:
    draw = torch.rand(len(labels), generator=generator, device=labels.device)
    return torch.nonzero((labels == digit) & (draw < share)).flatten()


def _slash_zeros(frames, geometry: InkGeometry, chosen, generator, reach_max: float) -> None:
    """A stroke through the 0's centre, mostly steep (Ø, ϕ), sometimes level (θ), overshooting the ring."""
    n, device = len(chosen), frames.device
    steep = torch.rand(n, generator=generator, device=device) < 0.8
    angle = torch.where(steep, _uniform(n, 45, 105, generator, device), _uniform(n, -12, 12, generator, device))
    angle = torch.deg2rad(angle)
    cos, sin = torch.cos(angle), -torch.sin(angle)  # rows grow downwards
    half_w, half_h = geometry.width[chosen] / 2, geometry.height[chosen] / 2
    # The ring's radius in the stroke's direction, then beyond it.
    radius = 1 / torch.sqrt((cos / half_w) ** 2 + (sin / half_h) ** 2)
    reach = radius * _uniform(n, 1.0, reach_max, generator, device)
    centre = torch.stack(
        ((geometry.left[chosen] + geometry.right[chosen]) / 2, (geometry.top[chosen] + geometry.bottom[chosen]) / 2),
        dim=1,
    )
    centre = centre + _uniform(2 * n, -1, 1, generator, device).view(n, 2) * 0.08 * torch.stack((half_w, half_h), dim=1)
    offset = torch.stack((cos, sin), dim=1) * reach[:, None]
    _draw(frames, chosen, centre - offset, centre + offset, geometry.pen[chosen])


def _flag_ones(frames, geometry: InkGeometry, chosen, generator, base_share: float, turn_max: float) -> None:
    """The continental 1: a long up-stroke from the lower left into the top, sometimes a base.

    The flag leaves the stem at an acute angle measured from the stem itself, so a slanted 1 gets a
    slanted flag; a flag near square to the stem would make a 7.
    """
    n, device = len(chosen), frames.device
    height = geometry.height[chosen]
    top = torch.stack((_ink_column(frames[chosen], geometry.top[chosen].long()), geometry.top[chosen]), dim=1)
    bottom = torch.stack(
        (_ink_column(frames[chosen], (geometry.bottom[chosen] - 1).long()), geometry.bottom[chosen]), dim=1
    )
    stem = (bottom - top) / torch.linalg.vector_norm(bottom - top, dim=1, keepdim=True).clamp(min=1e-6)
    turn = torch.deg2rad(_uniform(n, 30, turn_max, generator, device))  # from the stem towards the left
    cos, sin = torch.cos(turn), torch.sin(turn)
    flag = torch.stack((cos * stem[:, 0] - sin * stem[:, 1], sin * stem[:, 0] + cos * stem[:, 1]), dim=1)
    length = height * _uniform(n, 0.25, 0.5, generator, device)
    _draw(frames, chosen, top + flag * length[:, None], top, geometry.pen[chosen])
    based = torch.nonzero(torch.rand(n, generator=generator, device=device) < base_share).flatten()
    if len(based):
        rows = chosen[based]
        half = height[based] * _uniform(len(rows), 0.2, 0.38, generator, device)
        tilt = height[based] * _uniform(len(rows), -0.04, 0.04, generator, device)
        foot = bottom[based]
        start = torch.stack((foot[:, 0] - half, foot[:, 1] + tilt), 1)
        _draw(frames, rows, start, torch.stack((foot[:, 0] + half, foot[:, 1] - tilt), 1), geometry.pen[rows])


def _cross_sevens(frames, geometry: InkGeometry, chosen, generator) -> None:
    """A short bar across the 7's stem, a little below half its height."""
    n, device = len(chosen), frames.device
    row = geometry.top[chosen] + geometry.height[chosen] * _uniform(n, 0.45, 0.62, generator, device)
    stem_x = _ink_column(frames[chosen], row.long())
    half = (geometry.width[chosen] * _uniform(n, 0.2, 0.35, generator, device)).clamp(min=2.5)
    tilt = half * torch.tan(torch.deg2rad(_uniform(n, -10, 10, generator, device)))
    start = torch.stack((stem_x - half, row + tilt), dim=1)
    end = torch.stack((stem_x + half, row - tilt), dim=1)
    _draw(frames, chosen, start, end, geometry.pen[chosen])


def refit(frames: torch.Tensor, aspect: torch.Tensor) -> torch.Tensor:
    """Stretch each image's width by `aspect` and place it as `preprocess` places a drawing: the
    ink's longer side DIGIT_BOX pixels, its centre of mass at MNIST's."""
    geometry = ink_geometry(frames)
    root = torch.sqrt(aspect)
    width, height = geometry.width * root, geometry.height / root
    fit = DIGIT_BOX / torch.maximum(width, height)
    scale_x, scale_y = root * fit, fit / root
    size = frames.shape[-1]
    # theta maps output to input coordinates (normalised, align_corners=False): input pixel
    # index = centre + (output index - MNIST_CENTRE) / scale.
    tx = (geometry.centre_x + 0.5 - (MNIST_CENTRE[1] + 0.5) / scale_x) * 2 / size - 1 + 1 / scale_x
    ty = (geometry.centre_y + 0.5 - (MNIST_CENTRE[0] + 0.5) / scale_y) * 2 / size - 1 + 1 / scale_y
    zero = torch.zeros_like(tx)
    theta = torch.stack((torch.stack((1 / scale_x, zero, tx), 1), torch.stack((zero, 1 / scale_y, ty), 1)), 1)
    grid = F.affine_grid(theta, list(frames.shape), align_corners=False)
    return F.grid_sample(frames, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _gaussian_blur(field: torch.Tensor, sigma: float) -> torch.Tensor:
    radius = max(1, int(math.ceil(3 * sigma)))
    taps = torch.arange(-radius, radius + 1, device=field.device, dtype=field.dtype)
    kernel = torch.exp(-(taps**2) / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    channels = field.shape[1]
    field = F.conv2d(
        F.pad(field, (radius, radius, 0, 0), mode="reflect"),
        kernel.view(1, 1, 1, -1).repeat(channels, 1, 1, 1),
        groups=channels,
    )
    return F.conv2d(
        F.pad(field, (0, 0, radius, radius), mode="reflect"),
        kernel.view(1, 1, -1, 1).repeat(channels, 1, 1, 1),
        groups=channels,
    )


def elastic(frames: torch.Tensor, share: float, alpha: float, sigma: float, generator: torch.Generator) -> torch.Tensor:
    """Simard et al.'s elastic distortion of a `share` of the batch: each pixel moved by a random
    displacement field smoothed with a Gaussian of `sigma` and scaled by `alpha` (pixels)."""
    n, size, device = frames.shape[0], frames.shape[-1], frames.device
    chosen = torch.nonzero(torch.rand(n, generator=generator, device=device) < share).flatten()
    if len(chosen) == 0:
        return frames
    noise = torch.rand(len(chosen), 2, size, size, generator=generator, device=device) * 2 - 1
    displacement = _gaussian_blur(noise, sigma) * alpha * 2 / size  # normalised coordinates
    identity = torch.eye(2, 3, device=device, dtype=frames.dtype).expand(len(chosen), 2, 3)
    grid = F.affine_grid(identity, [len(chosen), 1, size, size], align_corners=False) + displacement.permute(0, 2, 3, 1)
    distorted = frames.clone()
    distorted[chosen] = F.grid_sample(frames[chosen], grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return distorted


def synthesize_styles(
    frames: torch.Tensor, labels: torch.Tensor, generator: torch.Generator, styles: Styles
) -> torch.Tensor:
    """Draw the chosen styles onto a batch of digits and refit every image to MNIST's box."""
    n, device = frames.shape[0], frames.device
    drawn = frames.clone()
    if styles.draws_strokes:
        geometry = ink_geometry(frames)
        draws = (
            (
                0,
                styles.slashed_zero,
                lambda chosen: _slash_zeros(drawn, geometry, chosen, generator, styles.slash_reach_max),
            ),
            (
                1,
                styles.flagged_one,
                lambda chosen: _flag_ones(
                    drawn, geometry, chosen, generator, styles.base_on_flagged_one, styles.flag_turn_max
                ),
            ),
            (7, styles.crossed_seven, lambda chosen: _cross_sevens(drawn, geometry, chosen, generator)),
        )
        for digit, share, draw in draws:
            chosen = _pick(labels, digit, share, generator)
            if len(chosen):
                draw(chosen)
    if styles.draws_strokes or styles.aspect != 1.0:
        log_aspect = math.log(styles.aspect)
        drawn = refit(drawn, torch.exp(_uniform(n, -log_aspect, log_aspect, generator, device)))
    return drawn


def distort(frames: torch.Tensor, generator: torch.Generator, styles: Styles) -> torch.Tensor:
    """The distortions after augment_batch's: elastic, for digits and non-digits alike."""
    return (
        elastic(frames, styles.elastic, styles.elastic_alpha, styles.elastic_sigma, generator)
        if styles.elastic > 0
        else frames
    )


# Letters and symbols no digit looks like: without O o Q D (0), I l i J j L (1), Z z (2), S s $ (5),
# B & ß (8), G b (6), g q a y u (9, 4), C c e (0, 6), t f (crossed 7), ? (2).
NON_DIGIT_GLYPHS = "AEFHKMNPRTUVWXYhkmnprvwx#%@*+=<>"
_CANVAS = 112


def _render_letter(rng: np.random.Generator, fonts: dict) -> np.ndarray:
    size = int(rng.integers(44, 84))
    font = fonts.setdefault(size, ImageFont.load_default(size=size))
    image = Image.new("L", (_CANVAS, _CANVAS), 255)
    draw = ImageDraw.Draw(image)
    glyph = NON_DIGIT_GLYPHS[int(rng.integers(len(NON_DIGIT_GLYPHS)))]
    draw.text(
        (_CANVAS / 2, _CANVAS / 2),
        glyph,
        font=font,
        fill=0,
        anchor="mm",
        stroke_width=int(rng.integers(0, 4)),
        stroke_fill=0,
    )
    return np.asarray(image.rotate(float(rng.uniform(-15, 15)), resample=Image.BILINEAR, fillcolor=255))


def _render_scribble(rng: np.random.Generator) -> np.ndarray:
    image = Image.new("L", (_CANVAS, _CANVAS), 255)
    draw = ImageDraw.Draw(image)
    points = [tuple(p) for p in rng.uniform(16, _CANVAS - 16, size=(int(rng.integers(4, 8)), 2))]
    draw.line(points, fill=0, width=int(rng.integers(5, 13)), joint="curve")
    return np.asarray(image)


def _fragment(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The ink on one side of a random line near the digit's centre."""
    size = digit.shape[0]
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    offset = rng.uniform(-3, 3)
    side = (x - size / 2) * math.cos(angle) + (y - size / 2) * math.sin(angle) > offset
    return digit * side


def _squeezed_pair(first: np.ndarray, second: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Two digits side by side, touching or overlapping a little: one box, no single digit."""

    def ink_columns(digit):
        cols = np.flatnonzero((digit > INK_THRESHOLD).any(axis=0))
        return digit[:, cols[0] : cols[-1] + 1] if cols.size else digit

    a, b = ink_columns(first), ink_columns(second)
    # A digit a column or two wide (a thin 1) cannot overlap its neighbour by more than its own width.
    overlap = min(int(rng.integers(0, 4)), a.shape[1], b.shape[1])
    canvas = np.zeros((a.shape[0], a.shape[1] + b.shape[1] - overlap), dtype=np.float32)
    canvas[:, : a.shape[1]] = a
    canvas[:, a.shape[1] - overlap :] = np.maximum(canvas[:, a.shape[1] - overlap :], b)
    return canvas


def _thin_line(frame: np.ndarray) -> bool:
    """A tall thin stroke reads as a 1, a wide flat one as a dash: not a useful non-digit."""
    rows = np.flatnonzero((frame > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((frame > INK_THRESHOLD).any(axis=0))
    return rows.size == 0 or rows.size > 2.5 * cols.size or cols.size > 4 * rows.size


def outlier_bank(digits: torch.Tensor, spec: Outliers, seed: int) -> torch.Tensor:
    """(spec.count, 1, 32, 32) CPU frames of non-digits, each made into a frame by `preprocess`.
    `digits` ((N, 1, 32, 32), any device) lends strokes to fragments and pairs."""
    rng = np.random.default_rng(seed)
    shares = np.array([spec.letters, spec.scribbles, spec.fragments, spec.pairs], dtype=np.float64)
    kinds = rng.choice(4, size=spec.count, p=shares / shares.sum())
    pool = digits[torch.from_numpy(rng.choice(len(digits), size=min(len(digits), 2 * spec.count)))].cpu()[:, 0].numpy()
    fonts: dict = {}
    frames = np.zeros((spec.count, INPUT_SIZE, INPUT_SIZE), dtype=np.float32)
    made = 0
    while made < spec.count:
        kind = kinds[made]
        if kind == 0:
            drawing = _render_letter(rng, fonts)
        elif kind == 1:
            drawing = _render_scribble(rng)
        elif kind == 2:
            drawing = _fragment(pool[rng.integers(len(pool))], rng)
        else:
            drawing = _squeezed_pair(pool[rng.integers(len(pool))], pool[rng.integers(len(pool))], rng)
        frame = preprocess(drawing)
        if frame is None or (kind in (1, 2) and _thin_line(frame)):
            continue
        frames[made] = frame
        made += 1
    return torch.from_numpy(frames)[:, None]


def uniform_loss(logits: torch.Tensor) -> torch.Tensor:
    """Cross-entropy between the softmax and the uniform distribution (Hendrycks et al.'s term)."""
    return -F.log_softmax(logits, dim=1).mean(dim=1).mean()
