"""Images into and out of the canvas: an opened file, the clipboard's or a dropped image, or one held
in memory, read off the window's thread (ImageReader) and made the drawing; the drawing saved as PNG.
Importing this module does not import torch (the window shows first)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from lenet_desktop.core.errors import first_line
from lenet_desktop.core.files import atomic_write
from lenet_desktop.core.images import image_from_bytes, load_image
from lenet_desktop.gui.services.image_reader import ImageReader
from lenet_desktop.gui.services.language import error_text, fill
from lenet_desktop.gui.widgets.canvas import DrawingCanvas

IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.pgm *.ppm"


def picture_from_image(image) -> np.ndarray:
    """Any image array (either polarity, maybe with alpha) as (H, W) uint8 dark ink on white."""
    from lenet_desktop.core.preprocess import ink_map

    return (255 - np.rint(ink_map(image) * 255)).astype(np.uint8)


# Encoded images other applications put on the clipboard or drop: read as they are, so the one
# image reader (its size limit, its shrinking, its orientation) sees the file itself.
ENCODED_IMAGE_TYPES = ("image/png", "image/jpeg", "image/bmp", "image/gif", "image/tiff", "image/webp")


def png_bytes(image: QImage, quality: int = -1) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", quality)
    return bytes(data)


def image_bytes(mime: QMimeData) -> bytes | None:
    """The image an application offers, as an image file's bytes; None when there is none."""
    for kind in ENCODED_IMAGE_TYPES:
        if mime.hasFormat(kind) and not mime.data(kind).isEmpty():
            return bytes(mime.data(kind))
    if mime.hasImage():  # decoded already (Qt's own clipboard): handed over uncompressed, which is quick
        image = QImage(mime.imageData())
        if not image.isNull():
            return png_bytes(image, quality=100)
    return None


class CanvasImages(QObject):
    """Makes images the canvas's drawing and saves the drawing; errors go to `show_error(title, message)`,
    notes to `show_message(text, milliseconds)`, and imageUsed tells how each read ended."""

    imageUsed = Signal(bool)  # an opened, pasted or dropped image was read: True when it is on the canvas

    def __init__(
        self,
        canvas: DrawingCanvas,
        window: QWidget,
        show_error: Callable[[str, str], None],
        show_message: Callable[[str, int], None],
    ) -> None:
        super().__init__(window)
        self.canvas = canvas
        self.window = window  # the dialogs' parent
        self.show_error = show_error
        self.show_message = show_message
        self.reader = ImageReader(self)
        self.reader.pictureRead.connect(self._on_image_read)
        self.reader.readFailed.connect(self._on_image_read_failed)

    def open_image(self, path: Path | str) -> None:
        """Read the image file off the window's thread, then make it the drawing; imageUsed tells the outcome."""
        self._use_image(lambda: load_image(path), self.tr("Cannot open the image"))

    def open_evaluated_image(self, result, index: int) -> None:
        """An evaluated image as the drawing: its file when it has one, else its network input."""
        from lenet_desktop.gui.widgets.misread_gallery import frame_picture

        if result.images.files is not None:
            self.open_image(result.images.files[index])
            return
        frame = result.images.frames[index]
        self.open_picture(frame_picture(frame), frame[0].numpy())

    def open_picture(self, image: np.ndarray, frame: np.ndarray | None = None) -> None:
        """Use an image held in memory (an evaluated MNIST digit) as the drawing, as open_image does; `frame`:
        the network input it was evaluated from, which the canvas reads until it is drawn on."""
        self._use_image(lambda: image, self.tr("Cannot use the image"), frame)

    def _use_image(self, read, title: str, frame: np.ndarray | None = None) -> None:
        # Decoded off the window's thread: a 7000x7000 PNG took seconds, and the window stood still meanwhile.
        self.reader.read(lambda: (picture_from_image(read()), frame), title)

    def _on_image_read(self, read: tuple[np.ndarray, np.ndarray | None]) -> None:
        self.canvas.set_picture(*read)
        self.imageUsed.emit(True)

    def _on_image_read_failed(self, title: str, error: BaseException) -> None:
        self.show_error(title, error_text(error))
        self.imageUsed.emit(False)

    def paste_image(self) -> bool:
        """Read the clipboard's image (see open_image); False when it holds none."""
        return self.use_mime_data(QApplication.clipboard().mimeData(), self.tr("The clipboard holds no image"))

    def use_mime_data(self, mime: QMimeData | None, nothing_message: str) -> bool:
        data = image_bytes(mime) if mime is not None else None
        if data is not None:
            name = self.tr("the image")
            self._use_image(lambda: image_from_bytes(data, name), self.tr("Cannot use the image"))
            return True
        if mime is not None and mime.hasUrls():
            local = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            if local:
                self.open_image(local[0])
                return True
        self.show_message(nothing_message, 5000)
        return False

    def save_drawing(self, path: Path | str) -> bool:
        data = png_bytes(self.canvas.drawing_image())
        try:
            atomic_write(Path(path), lambda file: file.write(data))
        except OSError as error:
            self.show_error(
                self.tr("Cannot save the drawing"), f"{Path(path).name}: {error.strerror or first_line(error)}"
            )
            return False
        self.show_message(fill(self.tr("Saved %1"), path), 5000)
        return True

    def open_dialog(self) -> None:
        """Ask for an image file, then open it."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Open an image"), "", fill(self.tr("Images (%1);;All files (*)"), IMAGE_PATTERNS)
        )
        if path:
            self.open_image(path)

    def save_dialog(self) -> None:
        """Ask where to save the drawing as PNG, then save it."""
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Save the drawing"), "drawing.png", self.tr("PNG image (*.png)")
        )
        if path:
            self.save_drawing(path if path.lower().endswith(".png") else path + ".png")
