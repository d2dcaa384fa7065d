"""GEXF 1.2 (Gephi's format) for co-occurrence networks, written with lxml.

networkx's writer leaves an empty ``name`` on ``<graph>`` (the 1.2 schema has no such
attribute), no description, no positions unless asked. Here every file has:

* ``<meta>``: qualcode as creator, a description (what the network is: scope, measure,
  waves, counting rule) and keywords ``scope=...; measure=...; wave=...``;
* node attributes frequency (coded passages), category, colour, wave, scope; edge
  attributes count, jaccard, c, freq_ratio_flag, wave, scope, measure;
* Gephi's viz extension: the node's category colour, a size by frequency and a
  position (the shared spring layout), and the edge weight.

:func:`write_dynamic_gexf` writes one file for several waves: the graph is
``mode="dynamic"`` with integer time (the wave's order), each node and edge has a
spell per wave where it occurs and its frequency and weight per wave as dynamic
attribute values, so Gephi's timeline steps through the waves.

The official 1.2 schema declares the viz elements (color, position, size) in the main
GEXF namespace instead of the viz namespace Gephi and every writer use; validation
(tests/export/test_networks.py) maps them to the declared names, that schema bug
being the one exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import outputs

NS = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"
NODE_ATTRS = (("frequency", "long"), ("category", "string"), ("colour", "string"),
              ("wave", "string"), ("scope", "string"))
EDGE_ATTRS = (("count", "long"), ("jaccard", "double"), ("c", "double"),
              ("freq_ratio_flag", "boolean"), ("wave", "string"), ("scope", "string"),
              ("measure", "string"))
SCALE = 500.0


def _rgb(colour: str | None) -> tuple[int, int, int]:
    colour = (colour or "#888888").lstrip("#")
    try:
        return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)
    except (ValueError, IndexError):
        return 136, 136, 136


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _root(description: str, keywords: str, *, dynamic: bool):
    from lxml import etree

    from ..version import __version__

    root = etree.Element(f"{{{NS}}}gexf", nsmap={None: NS, "viz": VIZ}, version="1.2")
    meta = etree.SubElement(root, f"{{{NS}}}meta", lastmodifieddate=dt.date.today().isoformat())
    etree.SubElement(meta, f"{{{NS}}}creator").text = f"qualcode {__version__}"
    etree.SubElement(meta, f"{{{NS}}}description").text = description
    etree.SubElement(meta, f"{{{NS}}}keywords").text = keywords
    graph = etree.SubElement(root, f"{{{NS}}}graph", defaultedgetype="undirected",
                             mode="dynamic" if dynamic else "static",
                             **({"timeformat": "integer"} if dynamic else {}))
    for cls, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        block = etree.SubElement(graph, f"{{{NS}}}attributes", {"class": cls,
                                 "mode": "dynamic" if dynamic else "static"})
        for title, kind in attrs:
            etree.SubElement(block, f"{{{NS}}}attribute", id=f"{cls}_{title}", title=title, type=kind)
    return root, graph


def _viz(element, data: Mapping, pos, frequency: float, top: float) -> None:
    from lxml import etree

    r, g, b = _rgb(data.get("category_colour") or data.get("colour"))
    etree.SubElement(element, f"{{{VIZ}}}color", r=str(r), g=str(g), b=str(b), a="1.0")
    if pos is not None:
        etree.SubElement(element, f"{{{VIZ}}}position", x=_text(float(pos[0]) * SCALE),
                         y=_text(float(pos[1]) * SCALE), z="0.0")
    etree.SubElement(element, f"{{{VIZ}}}size", value=_text(4.0 + 26.0 * (frequency / (top or 1)) ** 0.5))


def _write(root, path: str | Path) -> None:
    from lxml import etree

    outputs.write_bytes(path, etree.tostring(root, xml_declaration=True, encoding="utf-8",
                                             pretty_print=True))


def write_gexf(graph, path: str | Path, pos: Mapping | None = None, *,
               title: str = "Code co-occurrence") -> None:
    """One network as static GEXF 1.2 with viz colour, size and position."""
    from lxml import etree

    from .graph import shared_layout

    pos = dict(pos) if pos else shared_layout([graph])
    g = graph.graph
    root, element = _root(describe(title, g), keywords(g), dynamic=False)
    top = max((d.get("frequency", 1) for _, d in graph.nodes(data=True)), default=1)
    nodes = etree.SubElement(element, f"{{{NS}}}nodes", count=str(graph.number_of_nodes()))
    ids = {}
    for i, (name, data) in enumerate(graph.nodes(data=True)):
        ids[name] = f"n{i}"
        node = etree.SubElement(nodes, f"{{{NS}}}node", id=f"n{i}", label=str(data.get("label", name)))
        values = etree.SubElement(node, f"{{{NS}}}attvalues")
        for key, _ in NODE_ATTRS:
            if data.get(key) is not None:
                etree.SubElement(values, f"{{{NS}}}attvalue", {"for": f"node_{key}", "value": _text(data[key])})
        _viz(node, data, pos.get(name), data.get("frequency", 1), top)
    edges = etree.SubElement(element, f"{{{NS}}}edges", count=str(graph.number_of_edges()))
    for i, (a, b, data) in enumerate(graph.edges(data=True)):
        edge = etree.SubElement(edges, f"{{{NS}}}edge", id=f"e{i}", source=ids[a], target=ids[b],
                                weight=_text(float(data.get("weight", 1.0))))
        values = etree.SubElement(edge, f"{{{NS}}}attvalues")
        for key, _ in EDGE_ATTRS:
            if data.get(key) is not None:
                etree.SubElement(values, f"{{{NS}}}attvalue", {"for": f"edge_{key}", "value": _text(data[key])})
    _write(root, path)


def write_dynamic_gexf(graphs: Mapping[str, Any], path: str | Path, pos: Mapping, *,
                       order: Mapping[str, int], title: str = "Code co-occurrence") -> None:
    """Several networks (one per wave, ``order``: wave -> its position) as one dynamic
    GEXF: a spell per wave where a node or edge occurs, frequency and weight per wave."""
    from lxml import etree

    first = next(iter(graphs.values()))
    meta = dict(first.graph, wave=", ".join(graphs))
    root, element = _root(describe(title, meta) + " One time slice per wave, numbered in wave "
                          "order: " + ", ".join(f"{order[w]} = {w}" for w in graphs) + ".",
                          keywords(meta), dynamic=True)
    top = max((d.get("frequency", 1) for g in graphs.values() for _, d in g.nodes(data=True)), default=1)
    nodes: dict[str, dict] = {}
    edges: dict[tuple, dict] = {}
    for wave, graph in graphs.items():
        for name, data in graph.nodes(data=True):
            nodes.setdefault(name, {"data": data, "waves": {}})["waves"][wave] = data
        for a, b, data in graph.edges(data=True):
            key = (a, b) if (a, b) not in edges and (b, a) not in edges else ((a, b) if (a, b) in edges else (b, a))
            edges.setdefault(key, {})[wave] = data
    ids = {name: f"n{i}" for i, name in enumerate(nodes)}
    block = etree.SubElement(element, f"{{{NS}}}nodes", count=str(len(nodes)))
    for name, entry in nodes.items():
        data = entry["data"]
        node = etree.SubElement(block, f"{{{NS}}}node", id=ids[name], label=str(data.get("label", name)))
        values = etree.SubElement(node, f"{{{NS}}}attvalues")
        for attr, _ in NODE_ATTRS:
            if attr in ("frequency", "wave"):
                for wave, at in entry["waves"].items():
                    t = str(order[wave])
                    etree.SubElement(values, f"{{{NS}}}attvalue", {"for": f"node_{attr}",
                                                                   "value": _text(at.get(attr)),
                                                                   "start": t, "end": t})
            elif data.get(attr) is not None:
                etree.SubElement(values, f"{{{NS}}}attvalue", {"for": f"node_{attr}", "value": _text(data[attr])})
        spells = etree.SubElement(node, f"{{{NS}}}spells")
        for wave in entry["waves"]:
            etree.SubElement(spells, f"{{{NS}}}spell", start=str(order[wave]), end=str(order[wave]))
        _viz(node, data, pos.get(name), max(d.get("frequency", 1) for d in entry["waves"].values()), top)
    block = etree.SubElement(element, f"{{{NS}}}edges", count=str(len(edges)))
    for i, ((a, b), per_wave) in enumerate(edges.items()):
        edge = etree.SubElement(block, f"{{{NS}}}edge", id=f"e{i}", source=ids[a], target=ids[b])
        values = etree.SubElement(edge, f"{{{NS}}}attvalues")
        for wave, data in per_wave.items():
            t = str(order[wave])
            etree.SubElement(values, f"{{{NS}}}attvalue", {"for": "weight", "value": _text(float(data["weight"])),
                                                           "start": t, "end": t})
            for attr, _ in EDGE_ATTRS:
                if data.get(attr) is not None:
                    etree.SubElement(values, f"{{{NS}}}attvalue", {"for": f"edge_{attr}",
                                                                   "value": _text(data[attr]),
                                                                   "start": t, "end": t})
        spells = etree.SubElement(edge, f"{{{NS}}}spells")
        for wave in per_wave:
            etree.SubElement(spells, f"{{{NS}}}spell", start=str(order[wave]), end=str(order[wave]))
    _write(root, path)


def describe(title: str, meta: Mapping) -> str:
    return (f"{title}. Scope: {meta.get('scope', '')}; edge weight: {meta.get('measure', '')}; "
            f"waves: {meta.get('wave', 'all')}. Node frequency counts coded passages "
            "(overlapping codings of one code by several coders count once).")


def keywords(meta: Mapping) -> str:
    return "; ".join(f"{k}={meta.get(k, '')}" for k in ("scope", "measure", "wave"))
