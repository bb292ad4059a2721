"""The autograd graph of a loss, drawn as boxes and arrows from loss.grad_fn down to the weights."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView, QWidget

from lenet_desktop.core.inspector import AutogradGraph, GraphNode
from lenet_desktop.gui.services.language import Retranslated, fill

ROW_HEIGHT = 58
COLUMN_GAP = 18
PADDING = 8
ARROW = 6
ROOT_FILL = QColor(254, 215, 170)  # loss.grad_fn
LEAF_FILL = QColor(191, 219, 254)  # AccumulateGrad: where a parameter's .grad is written
NODE_FILL = QColor(241, 245, 249)
EDGE_COLOUR = QColor(100, 116, 139)
NAME_ROLE = 0  # QGraphicsItem.data key holding the autograd node's class name


def graph_rows(graph: AutogradGraph) -> list[list[int]]:
    """Node indices by row: each node one row below the lowest of the nodes pointing to it, so
    every arrow points down, as backward runs from the loss towards the weights."""
    row = [0] * len(graph.nodes)
    changed = True
    while changed:  # longest-path layering; the graph is acyclic, so this settles
        changed = False
        for parent, child in graph.edges:
            if row[child] < row[parent] + 1:
                row[child] = row[parent] + 1
                changed = True
    rows: list[list[int]] = [[] for _ in range(max(row, default=-1) + 1)]
    for index, depth in enumerate(row):
        rows[depth].append(index)
    return rows


def node_text(node: GraphNode) -> str:
    return node.name if node.parameter is None else f"{node.name}\n{node.parameter}"


class AutogradGraphView(Retranslated, QGraphicsView):
    """Shows an AutogradGraph; an empty view says what produces one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._boxes: list[QGraphicsRectItem] = []
        self._graph: AutogradGraph | None = None
        self.set_graph(None)

    def _retranslate(self) -> None:
        self.set_graph(self._graph)  # the hint and the tooltips are scene items: draw them again

    def node_names(self) -> list[str]:
        """The class names drawn, one per box, in the graph's node order."""
        return [box.data(NAME_ROLE) for box in self._boxes]

    def set_graph(self, graph: AutogradGraph | None) -> None:
        scene = self.scene()
        scene.clear()
        self._boxes = []
        self._graph = graph
        if graph is None:
            scene.addSimpleText(self.tr("Press 3 (loss) to record the graph autograd builds for backward."))
            return
        font = QFont(self.font())
        metrics = QFontMetricsF(font)
        sizes = [self._box_size(metrics, node_text(node)) for node in graph.nodes]
        rows = graph_rows(graph)
        widest = max(sum(sizes[i][0] for i in row) + COLUMN_GAP * (len(row) - 1) for row in rows)
        rects: dict[int, QRectF] = {}
        for depth, row in enumerate(rows):
            x = (widest - (sum(sizes[i][0] for i in row) + COLUMN_GAP * (len(row) - 1))) / 2
            for index in row:
                width, height = sizes[index]
                rects[index] = QRectF(x, depth * ROW_HEIGHT, width, height)
                x += width + COLUMN_GAP
        for parent, child in graph.edges:
            self._add_arrow(rects[parent], rects[child])
        self._boxes = [self._add_box(node, rects[index], font, index == 0) for index, node in enumerate(graph.nodes)]
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-PADDING, -PADDING, PADDING, PADDING))

    @staticmethod
    def _box_size(metrics: QFontMetricsF, text: str) -> tuple[float, float]:
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        return width + 2 * PADDING, metrics.height() * len(lines) + PADDING

    def _add_box(self, node: GraphNode, rect: QRectF, font: QFont, root: bool) -> QGraphicsRectItem:
        background = ROOT_FILL if root else LEAF_FILL if node.parameter is not None else NODE_FILL
        box = self.scene().addRect(rect, QPen(EDGE_COLOUR), QBrush(background))
        box.setData(NAME_ROLE, node.name)
        box.setToolTip(
            "loss.grad_fn"
            if root
            else fill(self.tr("%1: .grad of %2"), node.name, node.parameter)
            if node.parameter
            else node.name
        )
        label = QGraphicsSimpleTextItem(node_text(node), box)
        label.setFont(font)
        label.setPos(rect.x() + PADDING, rect.y() + PADDING / 2)
        return box

    def _add_arrow(self, start: QRectF, end: QRectF) -> None:
        tail = QPointF(start.center().x(), start.bottom())
        head = QPointF(end.center().x(), end.top())
        path = QPainterPath(tail)
        path.cubicTo(QPointF(tail.x(), (tail.y() + head.y()) / 2), QPointF(head.x(), (tail.y() + head.y()) / 2), head)
        self.scene().addPath(path, QPen(EDGE_COLOUR, 1.2))
        tip = QPolygonF(
            [head, QPointF(head.x() - ARROW / 2, head.y() - ARROW), QPointF(head.x() + ARROW / 2, head.y() - ARROW)]
        )
        self.scene().addPolygon(tip, QPen(EDGE_COLOUR), QBrush(EDGE_COLOUR))
