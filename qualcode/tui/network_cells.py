"""A co-occurrence network drawn in a terminal's character cells.

The same picture as the PNG export, at terminal resolution: the positions come from the
same layout (``project.exports.network_drawing``, so per-wave pictures put each code
where the PNGs do), edges are braille lines (eight
dots a cell, so lines are finer than the cells) whose dot density follows the weight,
nodes are a dot in their category's colour, larger for codes coded more often, and
labels go beside their node where they cover no other label or node.

Pure text and colours, no Textual: the network widget turns a :class:`Picture` into
what it draws, and a test can read it as plain lines.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

BRAILLE = 0x2800
# The dot bit of each (column, row) in a braille cell of 2 x 4 dots.
_DOT = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20,
        (0, 3): 0x40, (1, 3): 0x80}
EDGE_COLOUR = "#8a8a8a"
STRONG_EDGE_COLOUR = "#d0d0d0"
BIG_NODE, SMALL_NODE = "●", "•"


@dataclass
class Picture:
    """``width`` x ``height`` cells: ``chars[row][col]`` and ``colours[row][col]``
    (``#rrggbb`` or None), plus each label's row, column and node (for tests)."""

    width: int
    height: int
    chars: list[list[str]] = field(default_factory=list)
    colours: list[list[str | None]] = field(default_factory=list)
    labels: dict[str, tuple[int, int]] = field(default_factory=dict)
    nodes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.chars]


def _scale(pos: Mapping, width: int, height: int, margin: int) -> dict:
    """Layout coordinates to dot coordinates (2 x 4 dots a cell), y pointing down,
    leaving ``margin`` cells on the left and right for labels."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    dots_w = max(1, (width - 2 * margin) * 2 - 1)
    dots_h = max(1, (height - 2) * 4 - 1)
    span_x = (x1 - x0) or 1.0
    span_y = (y1 - y0) or 1.0
    return {node: (margin * 2 + round((x - x0) / span_x * dots_w),
                   4 + round((y1 - y) / span_y * dots_h))  # row 0 is left for the top label
            for node, (x, y) in pos.items()}


def _line(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[int, int]]:
    """The dots of a straight line from ``a`` to ``b`` (Bresenham)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    err, out = dx + dy, []
    while True:
        out.append((x0, y0))
        if (x0, y0) == (x1, y1):
            return out
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x0 += sx
        if e2 <= dx:
            err += dx
            y0 += sy


def draw_network(graph: nx.Graph, pos: Mapping, width: int, height: int, *,
                 max_frequency: float | None = None, max_weight: float | None = None) -> Picture:
    """The network in ``width`` x ``height`` cells. ``pos`` is the layout (missing nodes
    are left out); ``max_frequency`` and ``max_weight`` share one scale between
    several pictures (one per wave), as the PNGs do."""
    width, height = max(8, width), max(4, height)
    pic = Picture(width, height, [[" "] * width for _ in range(height)],
                  [[None] * width for _ in range(height)])
    nodes = [n for n in graph if n in pos]
    if not nodes:
        message = "no co-occurrences"[:width]
        row = height // 2
        for i, ch in enumerate(message):
            pic.chars[row][(width - len(message)) // 2 + i] = ch
        return pic
    margin = min(12, width // 6)
    dots = _scale({n: pos[n] for n in nodes}, width, height, margin)
    top_w = max_weight or max((d.get("weight", 1.0) for _, _, d in graph.edges(data=True)), default=1.0) or 1.0
    cells: dict[tuple[int, int], int] = {}  # braille bits by (row, col)
    strength: dict[tuple[int, int], float] = {}
    # Weakest first, so a cell crossed by several lines takes the strongest one's colour.
    edges = sorted(((a, b, d.get("weight", 1.0)) for a, b, d in graph.edges(data=True)
                    if a in dots and b in dots), key=lambda e: e[2])
    for a, b, weight in edges:
        share = weight / top_w
        # Dot density shows the weight: every dot, every second, every third.
        step = 1 if share > 2 / 3 else 2 if share > 1 / 3 else 3
        for i, (x, y) in enumerate(_line(dots[a], dots[b])):
            if i % step:
                continue
            cell = (y // 4, x // 2)
            if not (0 <= cell[0] < height and 0 <= cell[1] < width):
                continue
            cells[cell] = cells.get(cell, 0) | _DOT[(x % 2, y % 4)]
            strength[cell] = max(strength.get(cell, 0.0), share)
    for (row, col), bits in cells.items():
        pic.chars[row][col] = chr(BRAILLE + bits)
        pic.colours[row][col] = STRONG_EDGE_COLOUR if strength[(row, col)] > 2 / 3 else EDGE_COLOUR
    top_f = max_frequency or max(graph.nodes[n].get("frequency", 1) for n in nodes) or 1
    taken: set[tuple[int, int]] = set()
    for node in nodes:
        x, y = dots[node]
        row, col = min(height - 1, y // 4), min(width - 1, x // 2)
        data = graph.nodes[node]
        big = data.get("frequency", 1) / top_f > 0.5
        pic.chars[row][col] = BIG_NODE if big else SMALL_NODE
        pic.colours[row][col] = data.get("category_colour") or data.get("colour") or "#888888"
        pic.nodes[str(node)] = (row, col)
        taken.add((row, col))
    # Labels of the most frequent codes first: they get the best places.
    for node in sorted(nodes, key=lambda n: (-graph.nodes[n].get("frequency", 1), str(n))):
        row, col = pic.nodes[str(node)]
        place = _label_place(_cells(str(graph.nodes[node].get("label", node))), row, col, width,
                             height, taken)
        if place is None:
            continue
        r, c, shown = place
        colour = graph.nodes[node].get("category_colour") or graph.nodes[node].get("colour")
        for i, ch in enumerate(shown):
            pic.chars[r][c + i] = ch
            pic.colours[r][c + i] = colour
            taken.add((r, c + i))
        pic.labels[str(node)] = (r, c)
    return pic


def _cells(text: str) -> list[str]:
    """A label as one string per terminal cell: a wide character (CJK) fills its cell
    and leaves the next one empty (""), a combining mark joins the character before it,
    and control characters show as "?" (nothing in a label reaches the terminal raw)."""
    out: list[str] = []
    for ch in text.replace("\t", " "):
        if unicodedata.combining(ch) and out:
            out[-1] += ch
        elif not ch.isprintable():
            out.append("?")
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            out += [ch, ""]
        else:
            out.append(ch)
    return out


def _label_place(text: list[str], row: int, col: int, width: int, height: int,
                 taken: set[tuple[int, int]]) -> tuple[int, int, list[str]] | None:
    """Where a node's label (one string a cell) fits with a cell to spare around it:
    right of the node, left of it, the row above, the row below; cut to 16 cells if
    need be. None when no place is free."""
    short = None
    if len(text) > 16:
        short = [*text[:15], "…"]
        if text[15] == "":
            short[-2] = " "  # the cut went through a wide character: never draw half of one
    for shown in (text, short):
        if not shown:
            continue
        n = len(shown)
        for r, c in ((row, col + 2), (row, col - 1 - n), (row - 1, col - n // 2), (row + 1, col - n // 2)):
            if not (0 <= r < height and c >= 0 and c + n <= width):
                continue
            if any((r, x) in taken for x in range(c - 1, c + n + 1)):
                continue
            return r, c, shown
    return None
