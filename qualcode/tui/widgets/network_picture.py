"""One co-occurrence network drawn in the terminal (see :mod:`qualcode.tui.network_cells`),
redrawn to fit whenever the widget's size changes."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ..network_cells import Picture, draw_network
from ..shown import plain


class NetworkPicture(Widget):
    """A title row, then the network: nodes in their category's colour, braille edges
    denser for stronger links, labels beside their nodes."""

    DEFAULT_CSS = "NetworkPicture { height: 1fr; min-height: 10; }"

    def __init__(self, title: str, graph, pos: Mapping, *, max_frequency: float | None = None,
                 max_weight: float | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title, self.graph, self.pos = title, graph, pos
        self.scales = {"max_frequency": max_frequency, "max_weight": max_weight}
        self.picture: Picture | None = None  # the last drawn Picture (for tests and for looking up codes)
        # Drawn again only when the size changes: a network of thousands of links takes
        # a good part of a second to draw, and the screen repaints for other reasons.
        self._drawn: tuple[tuple[int, int], Text] | None = None

    def render(self) -> Text:
        size = (self.size.width, self.size.height)
        if self._drawn is None or self._drawn[0] != size:
            self._drawn = (size, self._draw(*size))
        return self._drawn[1]

    def _draw(self, width: int, height: int) -> Text:
        picture = self.picture = draw_network(self.graph, self.pos, width, max(4, height - 1),
                                              **self.scales)
        out = Text(no_wrap=True, overflow="crop")
        caption = (f"{plain(self.title)}  ·  {self.graph.number_of_nodes()} codes, "
                   f"{self.graph.number_of_edges()} links  ·  ● coded often  • less  ·  "
                   "⣿ strong link  ⠕ weak")
        out.append(caption[:width] + "\n", style="bold")
        styles: dict[str, Style] = {}
        for r, (chars, colours) in enumerate(zip(picture.chars, picture.colours)):
            for ch, colour in zip(chars, colours):
                if colour is None:
                    out.append(ch)
                else:
                    style = styles.get(colour) or styles.setdefault(colour, Style(color=colour))
                    out.append(ch, style)
            if r < len(picture.chars) - 1:
                out.append("\n")
        return out
