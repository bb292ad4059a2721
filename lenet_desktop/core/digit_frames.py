"""The frames of candidate digits, made from the ink averaged over small squares (FRAME_ROWS across
its height in core.numbers), each square weighing in the resize what its pixels would: nearly the
frame preprocess makes from the full-resolution ink, at a fraction of the cost."""

from __future__ import annotations

import functools
import hashlib

import numpy as np

from lenet_desktop.core.preprocess import INK_THRESHOLD, frames_from_ink

Box = tuple[int, int, int, int]  # x, y, width, height in the image's pixels

# A core.numbers.ReadingMemo forgets all once it holds more frames or readings than this (a reading holds its
# batch's activations): a drawing's candidates are a few dozen.
MEMO_SIZE = 256


def remember(table: dict, entries) -> None:
    """Add to one of a ReadingMemo's tables, emptied first once it is past MEMO_SIZE."""
    if len(table) > MEMO_SIZE:
        table.clear()
    table.update(entries)


def segment_frames(
    ink: Ink, segments: list[np.ndarray], memo: dict | None = None, place: tuple = ()
) -> tuple[np.ndarray, list[Box]]:
    """The frames of segments' ink alone (each given as its cells), made from the coarse ink map,
    and their strokes' boxes in the crop's pixels (to the pixel, found from the rows and columns
    of their cells that hold a stroke, so each frame is scaled as the full-resolution ink would
    be). The boxes and the cells each segment keeps are found for all segments at once. A
    segment found in `memo` (keyed by `place`, the crop's place and scales, its cells and the
    pixels within a cell of them: all its frame and box depend on) is not made again."""
    cell, block = ink.cell, ink.block
    cells = np.stack(segments)
    rows, cols = cells.any(axis=2), cells.any(axis=1)
    first_row, last_row = rows.argmax(axis=1), rows.shape[1] - 1 - rows[:, ::-1].argmax(axis=1)
    first_col, last_col = cols.argmax(axis=1), cols.shape[1] - 1 - cols[:, ::-1].argmax(axis=1)
    spans = list(zip(first_row.tolist(), last_row.tolist(), first_col.tolist(), last_col.tolist()))
    keys: list = [None] * len(segments)
    if memo is not None:
        for k, (row0, row1, col0, col1) in enumerate(spans):
            around = ink.crop[max(0, row0 - 1) * cell : (row1 + 2) * cell, max(0, col0 - 1) * cell : (col1 + 2) * cell]
            digest = hashlib.blake2b(cells[k, row0 : row1 + 1, col0 : col1 + 1].tobytes(), digest_size=16)
            digest.update(np.ascontiguousarray(around).data)
            keys[k] = (place, row0, row1, col0, col1, around.shape, digest.digest())
    made = [k for k in range(len(segments)) if keys[k] not in memo] if memo is not None else list(range(len(segments)))
    if made:
        todo = np.array(made)
        cells, first_row, last_row = cells[todo], first_row[todo], last_row[todo]
        first_col, last_col = first_col[todo], last_col[todo]
        every = np.arange(len(made))
        # A segment's first and last cell rows hold a stroke in one of its cells: its box's top is
        # the first pixel row of its first cell row with a stroke in one of its cells, and so on.
        in_first_row = (ink.strokes_in_cell_rows(first_row) & cells[every, first_row][:, None, :]).any(axis=2)
        in_last_row = (ink.strokes_in_cell_rows(last_row) & cells[every, last_row][:, None, :]).any(axis=2)
        in_first_col = (ink.strokes_in_cell_columns(first_col) & cells[every, :, first_col][:, :, None]).any(axis=1)
        in_last_col = (ink.strokes_in_cell_columns(last_col) & cells[every, :, last_col][:, :, None]).any(axis=1)
        top, bottom = in_first_row.argmax(axis=1), cell - in_last_row[:, ::-1].argmax(axis=1)
        left, right = in_first_col.argmax(axis=1), cell - in_last_col[:, ::-1].argmax(axis=1)
        boxes = np.stack(
            (first_col * cell + left, first_row * cell + top, last_col * cell + right, last_row * cell + bottom), axis=1
        )
        kept = _own_cells(cells, ink.grid)
        # The coarse ink of the squares these segments lie in (with a memo, mostly a digit or two).
        top_square, left_square = int(boxes[:, 1].min()) // block, int(boxes[:, 0].min()) // block
        coarse = ink.coarse(
            top_square, -(-int(boxes[:, 3].max()) // block), left_square, -(-int(boxes[:, 2].max()) // block)
        )
        windows, frame_boxes, pixel_boxes = [], [], []
        for k, ((x0, y0, x1, y1), index) in enumerate(zip(boxes.tolist(), made)):
            row0, row1, col0, col1 = spans[index]
            squares = (slice(y0 // block, -(-y1 // block)), slice(x0 // block, -(-x1 // block)))
            down = np.minimum(np.maximum(ink.cell_of_square[squares[0]], row0), row1)
            across = np.minimum(np.maximum(ink.cell_of_square[squares[1]], col0), col1)
            window = coarse[
                squares[0].start - top_square : squares[0].stop - top_square,
                squares[1].start - left_square : squares[1].stop - left_square,
            ]
            windows.append(window * kept[k].take(down, axis=0).take(across, axis=1))
            frame_boxes.append((x0 % block, y0 % block, x1 - x0, y1 - y0))
            pixel_boxes.append((x0, y0, x1 - x0, y1 - y0))
        new = dict(zip(made, zip(frames_from_ink(windows, frame_boxes, block), pixel_boxes)))
    else:
        new = {}
    found = [new[k] if k in new else memo[keys[k]] for k in range(len(segments))]
    if memo is not None:
        remember(memo, ((keys[k], value) for k, value in new.items()))
    return np.stack([frame for frame, _ in found]), [box for _, box in found]


class Ink:
    """The drawing's ink as read_number works with it: levels_in_box's crop and levels (None: the
    crop is ink already), and what the candidates are made from, each worked out once, when first
    needed (a drawing read whole needs only the grid)."""

    def __init__(self, crop: np.ndarray, levels: np.ndarray | None, cell: int, block: int) -> None:
        self.crop, self.levels, self.cell, self.block = crop, levels, cell, block
        # A block's strongest level (the darkest for dark ink) says whether it holds a stroke. The
        # stroke levels are one run reaching black or white (levels_in_box): a comparison with the
        # run's inner end says it, faster than looking every level up.
        strong = None if levels is None else np.flatnonzero(levels > INK_THRESHOLD)
        self._dark = strong is not None and strong[0] == 0
        self._inner = None if strong is None else int(strong[-1] if self._dark else strong[0])
        self._background = 0.0 if levels is None else int(np.argmin(levels))
        self._extreme = np.minimum if self._dark else np.maximum

    def _stroke(self, extremes: np.ndarray) -> np.ndarray:
        if self.levels is None:
            return extremes > INK_THRESHOLD
        return extremes <= self._inner if self._dark else extremes >= self._inner

    @functools.cached_property
    def _column_extremes(self) -> np.ndarray:
        return _blocks(self.crop, self.cell, self._extreme, self._background, across=False)

    @functools.cached_property
    def grid(self) -> np.ndarray:
        """Which cell x cell blocks hold a stroke (a pixel above the ink threshold)."""
        return self._stroke(_blocks(self._column_extremes, self.cell, self._extreme, self._background, down=False))

    def strokes_in_cell_columns(self, columns: np.ndarray) -> np.ndarray:
        """(len(columns), cell row, pixel column in the cell): a stroke in the cell's part of that
        column, for the given cell columns (a pixel column past the crop holds none)."""
        pixels = columns[:, None] * self.cell + np.arange(self.cell)
        width = self.crop.shape[1]
        strokes = self._stroke(self._column_extremes.take(np.minimum(pixels, width - 1), axis=1))
        strokes &= pixels < width
        return strokes.transpose(1, 0, 2)

    def strokes_in_cell_rows(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), pixel row in the cell, cell column): a stroke in the cell's part of that row,
        for the given cell rows (a pixel row past the crop holds none)."""
        pixels = rows[:, None] * self.cell + np.arange(self.cell)
        height = self.crop.shape[0]
        extremes = _blocks(
            self.crop.take(np.minimum(pixels, height - 1).reshape(-1), axis=0),
            self.cell,
            self._extreme,
            self._background,
            down=False,
        )
        strokes = self._stroke(extremes).reshape(len(rows), self.cell, -1)
        strokes &= (pixels < height)[:, :, None]
        return strokes

    def coarse(self, top: int, bottom: int, left: int, right: int) -> np.ndarray:
        """The ink's mean over block x block squares, of the squares in rows top..bottom - 1 and
        columns left..right - 1 (squares counted from the crop's top left, as the whole crop's)."""
        block = self.block
        pixels = self.crop[top * block : bottom * block, left * block : right * block]
        mean = _blocks(pixels, block, np.add, self._background) / np.float32(block**2)
        if self.levels is None:
            return mean
        # The ink of a square's mean level is its mean ink wherever the background is clean
        # (exactly so on the canvas), and close to it on a noisy one.
        return self.levels[(mean + 0.5).astype(np.uint8)]

    @functools.cached_property
    def cell_of_square(self) -> np.ndarray:
        """The cell (row or column) each square's middle pixel lies in."""
        return (np.arange(-(-max(self.crop.shape) // self.block)) * self.block + self.block // 2) // self.cell


def _blocks(values: np.ndarray, size: int, reduce: np.ufunc, pad, down: bool = True, across: bool = True) -> np.ndarray:
    """`reduce` (np.add, np.minimum, np.maximum) over size x size blocks of `values`, padded with
    `pad` to whole blocks (or over size x 1 or 1 x size, with `across` or `down` False); row after
    row, then column after column: numpy reduces over a small middle axis many times more slowly."""
    height, width = values.shape
    rows, cols = -(-height // size) if down else height, -(-width // size) if across else width
    whole = (rows * size if down else rows, cols * size if across else cols)
    if whole != values.shape:
        padded = np.full(whole, pad, dtype=values.dtype)
        padded[:height, :width] = values
        values = padded
    wide = np.uint32 if reduce is np.add and values.dtype == np.uint8 else values.dtype
    if down:
        stacked = values.reshape(rows, size, whole[1])
        values = stacked[:, 0].astype(wide)
        for k in range(1, size):
            reduce(values, stacked[:, k], out=values)
    if across:
        blocks = values[:, 0::size].astype(wide)
        for k in range(1, size):
            reduce(blocks, values[:, k::size], out=blocks)
        values = blocks
    return values


def _own_cells(cells: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Segments' cells (N, rows, columns), one cell wider so a stroke's faint edge, which lies in
    cells under the ink threshold, stays with its segment; cells holding other pieces' strokes are
    not taken."""
    grown = cells.copy()
    grown[:, 1:] |= cells[:, :-1]
    grown[:, :-1] |= cells[:, 1:]
    grown[:, :, 1:] |= grown[:, :, :-1].copy()
    grown[:, :, :-1] |= grown[:, :, 1:].copy()
    grown &= cells | ~grid
    return grown
