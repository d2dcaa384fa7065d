"""Write co-occurrence networks: GraphML, GEXF, node-link JSON, CSV edge list, PNG.

Pictures use a force-directed layout (``spring_layout``) with a fixed seed, so the same
network always looks the same; node size follows the code's frequency and edge width
the weight. Several networks (one per wave) share one layout computed on their union,
so a code sits at the same place in every picture and they can be compared.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from .. import outputs
from ..csv_writer import DEFAULT, CsvStyle
from ..csv_writer import write_csv as write_csv_file
from .network_formats import FORMATS, format_of  # noqa: F401  (FORMATS: read from here too)

SEED = 7


def shared_layout(graphs: list[nx.Graph], seed: int = SEED) -> dict:
    """One position per node over all graphs (union graph, weights summed)."""
    union = nx.Graph()
    for graph in graphs:
        for node, data in graph.nodes(data=True):
            if node in union:
                union.nodes[node]["frequency"] += data.get("frequency", 1)
            else:
                union.add_node(node, frequency=data.get("frequency", 1))
        for a, b, data in graph.edges(data=True):
            weight = float(data.get("weight", 1.0))
            if union.has_edge(a, b):
                union[a][b]["weight"] += weight
            else:
                union.add_edge(a, b, weight=weight)
    if union.number_of_nodes() == 0:
        return {}
    # Normalise weights so the spring strength does not depend on the measure's scale.
    top = max((d["weight"] for _, _, d in union.edges(data=True)), default=1.0) or 1.0
    for _, _, d in union.edges(data=True):
        d["weight"] = 0.2 + d["weight"] / top
    # Codes without any link would be flung to the edges by the spring model and squash
    # the linked ones together: lay out the linked codes, and ring the others around.
    linked = [n for n in union if union.degree(n) > 0]
    alone = sorted((n for n in union if union.degree(n) == 0), key=str)
    pos: dict = {}
    if linked:
        core = union.subgraph(linked)
        k = 3.2 / max(len(linked), 1) ** 0.5
        pos = nx.spring_layout(core, seed=seed, weight="weight", k=k, iterations=200)
    radius = 1.3 if linked else 1.0
    for i, node in enumerate(alone):
        angle = 2 * math.pi * i / len(alone) + math.pi / 2
        pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


def write_graphml(graph: nx.Graph, path: Path) -> None:
    with outputs.output_path(path) as tmp:
        nx.write_graphml(graph, tmp, encoding="utf-8", prettyprint=True)


def write_gexf(graph: nx.Graph, path: Path, pos: Mapping | None = None,
               title: str | None = None) -> None:
    """GEXF 1.2 with a description, Gephi's viz colour, size and position (see
    :mod:`qualcode.export.gexf`)."""
    from .gexf import write_gexf as write

    write(graph, path, pos, title=title or "Code co-occurrence")


def write_json(graph: nx.Graph, path: Path) -> None:
    data = nx.node_link_data(graph, edges="links")
    outputs.write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_csv(graph: nx.Graph, path: Path, style: CsvStyle = DEFAULT) -> None:
    columns = ["source", "target", "weight", "count", "jaccard", "c", "freq_ratio_flag"]
    edges = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))
    write_csv_file(path, columns, ([a, b] + [data.get(c, "") for c in columns[2:]] for a, b, data in edges),
                   style=style)


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def write_png(graph: nx.Graph, path: Path, pos: Mapping | None = None, *,
              title: str | None = None, max_frequency: float | None = None,
              max_weight: float | None = None) -> None:
    """Draw the network (see :func:`draw`) and save it."""
    import matplotlib.pyplot as plt

    fig, _boxes = draw(graph, pos, title=title, max_frequency=max_frequency, max_weight=max_weight)
    try:
        with outputs.output_path(path) as tmp:
            fig.savefig(tmp, format="png")  # the temporary name has no suffix to go by
    finally:
        plt.close(fig)


def draw(graph: nx.Graph, pos: Mapping | None = None, *, title: str | None = None,
         max_frequency: float | None = None, max_weight: float | None = None):
    """The figure of a network: node area by frequency (coded passages), filled with
    the category's colour, edge width by weight, and labels placed where they overlap
    no other label (:func:`place_labels`). Returns (figure, the labels' boxes in
    display units)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = dict(pos) if pos else shared_layout([graph])
    missing = [n for n in graph if n not in pos]
    if missing:
        pos.update(nx.spring_layout(graph.subgraph(missing), seed=SEED))
    fig, ax = plt.subplots(figsize=(13, 10), dpi=120)
    ax.set_axis_off()
    boxes = []
    if graph.number_of_nodes():
        freqs = [graph.nodes[n].get("frequency", 1) for n in graph]
        top_f = max_frequency or max(freqs) or 1
        sizes = [120 + 1500 * (f / top_f) for f in freqs]
        # Fill by category colour (codes' own colours are pale tints of it).
        colours = [graph.nodes[n].get("category_colour") or graph.nodes[n].get("colour", "#888888")
                   for n in graph]
        weights = [d.get("weight", 1.0) for _, _, d in graph.edges(data=True)]
        top_w = max_weight or max(weights, default=1.0) or 1.0
        widths = [0.6 + 7.0 * (w / top_w) for w in weights]
        nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#4d4d4d", alpha=0.4)
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=colours,
                               edgecolors="#222222", linewidths=0.8, alpha=0.95)
        handles = {}
        for node in graph:
            data = graph.nodes[node]
            cat = data.get("category") or ""
            if cat and cat not in handles:
                handles[cat] = plt.Line2D([], [], marker="o", linestyle="", markersize=9,
                                          markerfacecolor=data.get("category_colour", "#888888"),
                                          markeredgecolor="#222222", label=cat)
        if handles:
            ax.legend(handles=list(handles.values()), loc="upper left", fontsize=8,
                      frameon=False, title="category", title_fontsize=8)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        pad = 0.16
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad - 0.06, max(ys) + pad)
    else:
        ax.text(0.5, 0.5, "no co-occurrences", ha="center", va="center", fontsize=14)
    if title:
        ax.set_title(title, fontsize=13)
    caption = (f"{graph.number_of_nodes()} codes, {graph.number_of_edges()} links; node size: "
               f"coded passages, edge width: {graph.graph.get('measure', 'weight')} "
               f"({graph.graph.get('scope', '')} scope)")
    fig.text(0.5, 0.02, caption, ha="center", fontsize=9, color="#444444")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    if graph.number_of_nodes():
        boxes = place_labels(fig, ax, [(pos[n], str(graph.nodes[n].get("label", n)), s ** 0.5 / 2)
                                       for n, s in zip(graph, sizes)])
    return fig, boxes


# Where a label may go around its node, tried in this order: below, above, right,
# left, the diagonals, then further out.
_PLACES = [(0, -1, "center", "top"), (0, 1, "center", "bottom"), (1, 0, "left", "center"),
           (-1, 0, "right", "center"), (1, -1, "left", "top"), (-1, -1, "right", "top"),
           (1, 1, "left", "bottom"), (-1, 1, "right", "bottom")]


def place_labels(fig, ax, items: list[tuple[tuple[float, float], str, float]]) -> list:
    """Put each label (node position, text, node radius in points) at the first place
    around its node where its box overlaps no label placed before and no node (largest
    nodes first); when none is free, the place that overlaps least. Returns the labels'
    boxes."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    scale = fig.dpi / 72
    nodes = []
    for (x, y), _label, radius in items:
        cx, cy = ax.transData.transform((x, y))
        r = radius * scale
        nodes.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))
    placed: list = []
    order = sorted(range(len(items)), key=lambda i: -items[i][2])
    for i in order:
        (x, y), label, radius = items[i]
        text, best = _wrap(label), None
        for reach in (1.0, 2.2, 3.4):
            for dx, dy, ha, va in _PLACES:
                gap = (radius + 3) * reach
                artist = ax.annotate(text, (x, y), xytext=(dx * gap, dy * gap), textcoords="offset points",
                                     ha=ha, va=va, fontsize=8, zorder=5,
                                     bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                           "alpha": 0.8})
                box = artist.get_window_extent(renderer).expanded(1.02, 1.05)
                overlap = (sum(_area(box, other) for other in placed)
                           + sum(_area(box, node) for j, node in enumerate(nodes) if j != i))
                if best is None or overlap < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (overlap, artist, box)
                else:
                    artist.remove()
                if overlap == 0:
                    break
            if best is not None and best[0] == 0:
                break
        if best is not None:
            placed.append(best[2])
    return placed


def _area(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def write_graph(graph: nx.Graph, path: str | Path, *, fmt: str | None = None,
                pos: Mapping | None = None, title: str | None = None,
                csv_style: CsvStyle = DEFAULT, **png) -> Path:
    path = Path(path)
    fmt = format_of(path, fmt)
    if fmt == "graphml":
        write_graphml(graph, path)
    elif fmt == "gexf":
        write_gexf(graph, path, pos, title)
    elif fmt == "json":
        write_json(graph, path)
    elif fmt == "csv":
        write_csv(graph, path, csv_style)
    else:
        write_png(graph, path, pos, title=title, **png)
    return path


def write_graphs(graphs: Mapping[str, nx.Graph], path: str | Path, *,
                 fmt: str | None = None, title: str | None = None,
                 order: Mapping[str, int] | None = None, csv_style: CsvStyle = DEFAULT) -> list[Path]:
    """One file per graph (``name_W1.png``...), all drawn with one shared layout and
    the same size scales; as GEXF, one dynamic file with a time slice per graph
    (``order``: each graph's position in time, default their order here)."""
    path = Path(path)
    fmt = format_of(path, fmt)
    pos = shared_layout(list(graphs.values()))
    if fmt == "gexf":
        from .gexf import write_dynamic_gexf

        write_dynamic_gexf(graphs, path, pos, title=title or "Code co-occurrence",
                           order=order or {w: i for i, w in enumerate(graphs, start=1)})
        return [path]
    max_f = max((d.get("frequency", 1) for g in graphs.values() for _, d in g.nodes(data=True)),
                default=1)
    max_w = max((d.get("weight", 1.0) for g in graphs.values() for _, _, d in g.edges(data=True)),
                default=1.0)
    written = []
    for label, graph in graphs.items():
        target = path.with_name(f"{path.stem}_{_safe(label)}{path.suffix}")
        extra = {"max_frequency": max_f, "max_weight": max_w} if fmt == "png" else {}
        write_graph(graph, target, fmt=fmt, pos=pos, csv_style=csv_style,
                    title=f"{title or 'Code co-occurrence'}: {label}", **extra)
        written.append(target)
    return written


def _safe(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)
