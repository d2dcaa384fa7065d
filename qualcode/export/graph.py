"""Write co-occurrence networks: GraphML, GEXF, node-link JSON, CSV edge list, PNG.

Pictures use a force-directed layout (``spring_layout``) with a fixed seed, so the same
network always looks the same; node size follows the code's frequency and edge width
the weight. Several networks (one per wave) share one layout computed on their union,
so a code sits at the same place in every picture and they can be compared.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from ..errors import QualcodeError

FORMATS = ("graphml", "gexf", "json", "csv", "png")
SEED = 7


def format_of(path: str | Path, given: str | None = None) -> str:
    fmt = (given or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise QualcodeError(
            f"{Path(path).name}: cannot tell the format; use a name ending in "
            f"{', '.join('.' + f for f in FORMATS)}"
        )
    return fmt


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


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = (colour or "#888888").lstrip("#")
    try:
        return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)
    except (ValueError, IndexError):
        return 136, 136, 136


def write_graphml(graph: nx.Graph, path: Path) -> None:
    nx.write_graphml(graph, path, encoding="utf-8", prettyprint=True)


def write_gexf(graph: nx.Graph, path: Path, pos: Mapping | None = None) -> None:
    """GEXF with Gephi's viz attributes (colour, size, and position when given)."""
    copy = graph.copy()
    for node, data in copy.nodes(data=True):
        r, g, b = _hex_rgb(data.get("colour"))
        viz = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
               "size": float(4 + 2 * data.get("frequency", 1) ** 0.5)}
        if pos and node in pos:
            viz["position"] = {"x": float(pos[node][0]) * 500, "y": float(pos[node][1]) * 500,
                               "z": 0.0}
        data["viz"] = viz
    nx.write_gexf(copy, path, encoding="utf-8", prettyprint=True)


def write_json(graph: nx.Graph, path: Path) -> None:
    data = nx.node_link_data(graph, edges="links")
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_csv(graph: nx.Graph, path: Path) -> None:
    columns = ["source", "target", "weight", "count", "jaccard", "c", "freq_ratio_flag"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for a, b, data in sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1])):
            writer.writerow([a, b] + [data.get(c, "") for c in columns[2:]])


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
    """Draw the network: node area by frequency, edge width by weight, wrapped labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = dict(pos) if pos else shared_layout([graph])
    missing = [n for n in graph if n not in pos]
    if missing:
        pos.update(nx.spring_layout(graph.subgraph(missing), seed=SEED))
    fig, ax = plt.subplots(figsize=(13, 10), dpi=120)
    ax.set_axis_off()
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
        span = max(max(p[1] for p in pos.values()) - min(p[1] for p in pos.values()), 1e-9)
        for node, size in zip(graph, sizes):
            x, y = pos[node]
            # Label just below the node: radius in points -> a share of the y span.
            offset = span * (0.012 + 0.0009 * size ** 0.5)
            ax.text(x, y - offset, _wrap(str(graph.nodes[node].get("label", node))), fontsize=8,
                    ha="center", va="top", zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
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
        pad = 0.12
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad - 0.08, max(ys) + pad)
    else:
        ax.text(0.5, 0.5, "no co-occurrences", ha="center", va="center", fontsize=14)
    if title:
        ax.set_title(title, fontsize=13)
    caption = (f"{graph.number_of_nodes()} codes, {graph.number_of_edges()} links; node size: "
               f"codings, edge width: {graph.graph.get('measure', 'weight')} "
               f"({graph.graph.get('scope', '')} scope)")
    fig.text(0.5, 0.02, caption, ha="center", fontsize=9, color="#444444")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path)
    plt.close(fig)


def write_graph(graph: nx.Graph, path: str | Path, *, fmt: str | None = None,
                pos: Mapping | None = None, title: str | None = None, **png) -> Path:
    path = Path(path)
    fmt = format_of(path, fmt)
    if fmt == "graphml":
        write_graphml(graph, path)
    elif fmt == "gexf":
        write_gexf(graph, path, pos)
    elif fmt == "json":
        write_json(graph, path)
    elif fmt == "csv":
        write_csv(graph, path)
    else:
        write_png(graph, path, pos, title=title, **png)
    return path


def write_graphs(graphs: Mapping[str, nx.Graph], path: str | Path, *,
                 fmt: str | None = None, title: str | None = None) -> list[Path]:
    """One file per graph (``name_W1.png``...), all drawn with one shared layout and
    the same size scales."""
    path = Path(path)
    fmt = format_of(path, fmt)
    pos = shared_layout(list(graphs.values()))
    max_f = max((d.get("frequency", 1) for g in graphs.values() for _, d in g.nodes(data=True)),
                default=1)
    max_w = max((d.get("weight", 1.0) for g in graphs.values() for _, _, d in g.edges(data=True)),
                default=1.0)
    written = []
    for label, graph in graphs.items():
        target = path.with_name(f"{path.stem}_{_safe(label)}{path.suffix}")
        extra = {"max_frequency": max_f, "max_weight": max_w} if fmt == "png" else {}
        write_graph(graph, target, fmt=fmt, pos=pos,
                    title=f"{title or 'Code co-occurrence'}: {label}", **extra)
        written.append(target)
    return written


def _safe(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)
