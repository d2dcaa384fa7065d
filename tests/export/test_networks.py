"""Network files for Gephi and others: GEXF validated against the GEXF 1.2 schema
(static and dynamic, one time slice per wave), GraphML with wave and scope on nodes
and edges, and pictures whose categories differ in colour and whose labels do not
overlap."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import xmlschema
from lxml import etree

from qualcode.analysis.cooccurrence import to_graph
from qualcode.export.gexf import NS, VIZ
from qualcode.export.graph import draw, write_graph, write_graphs

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "gexf-1.2draft" / "gexf.xsd"


@pytest.fixture(scope="module")
def gexf_schema():
    return xmlschema.XMLSchema(str(SCHEMA))


def validate(schema, path) -> None:
    """Validate against the official schema. Its one known bug: it declares the viz
    elements (color, position, size) in the GEXF namespace, not in the viz namespace
    that Gephi and every writer use; they are renamed to the declared names first, so
    their content is still checked against the schema's viz types."""
    tree = etree.parse(str(path))
    for element in tree.iter(f"{{{VIZ}}}color", f"{{{VIZ}}}position", f"{{{VIZ}}}size"):
        element.tag = f"{{{NS}}}{etree.QName(element).localname}"
    errors = list(schema.iter_errors(etree.tostring(tree).decode()))
    assert errors == [], [e.reason for e in errors[:3]]


def test_static_gexf_validates_with_meta_colours_and_positions(small, tmp_path, gexf_schema):
    result = small.analysis.cooccurrence(scope="transcript")
    path = write_graph(to_graph(result, measure="c"), tmp_path / "n.gexf", title="Walking study")
    validate(gexf_schema, path)
    root = etree.parse(str(path)).getroot()
    ns = {"g": NS, "viz": VIZ}
    assert root.find("g:graph", ns).get("name") is None                      # not an empty name
    description = root.find("g:meta/g:description", ns).text
    assert description.startswith("Walking study. Scope: transcript; edge weight: c; waves: all.")
    assert root.find("g:meta/g:keywords", ns).text == "scope=transcript; measure=c; wave=all"
    nodes = root.findall(".//g:nodes/g:node", ns)
    assert nodes and all(n.find("viz:position", ns) is not None for n in nodes)
    walking = next(n for n in nodes if n.get("label") == "Walking")
    # the small codebook has no colours: categories get palette colours, one each
    colours = {n.get("label"): tuple(n.find("viz:color", ns).get(c) for c in "rgb") for n in nodes}
    assert colours["Walking"] == colours["Referral"] != colours["Paperwork"]
    titles = {a.get("id"): a.get("title") for a in root.iter(f"{{{NS}}}attribute")}
    values = {titles[v.get("for")]: v.get("value") for v in walking.iter(f"{{{NS}}}attvalue")}
    assert values["frequency"] == "3" and values["wave"] == "all" and values["scope"] == "transcript"


def test_dynamic_gexf_has_a_time_slice_per_wave(small, tmp_path, gexf_schema):
    per_wave = small.analysis.cooccurrence(scope="overlap", per_wave=True)
    graphs = {w: to_graph(r) for w, r in per_wave.items()}
    [path] = write_graphs(graphs, tmp_path / "waves.gexf", order={"W1": 1, "W2": 2})
    validate(gexf_schema, path)
    root = etree.parse(str(path)).getroot()
    ns = {"g": NS}
    graph = root.find("g:graph", ns)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "integer")
    spells = {n.get("label"): [(s.get("start"), s.get("end")) for s in n.iter(f"{{{NS}}}spell")]
              for n in root.iter(f"{{{NS}}}node")}
    # Referral and Change are coded at W1 only, Let down at W2 only, Walking at both
    assert spells["Referral"] == [("1", "1")] and spells["Let down"] == [("2", "2")]
    assert spells["Walking"] == [("1", "1"), ("2", "2")]
    walking = next(n for n in root.iter(f"{{{NS}}}node") if n.get("label") == "Walking")
    frequencies = [(v.get("start"), v.get("value")) for v in walking.iter(f"{{{NS}}}attvalue")
                   if v.get("for") == "node_frequency"]
    assert frequencies == [("1", "1"), ("2", "2")]       # passages: one at W1 (two coders), two at W2


def test_graphml_carries_wave_and_scope_on_nodes_and_edges(small, tmp_path):
    graph = to_graph(small.analysis.cooccurrence(scope="transcript", waves=["W1"]), measure="jaccard")
    back = nx.read_graphml(write_graph(graph, tmp_path / "n.graphml"))
    assert back.number_of_edges() > 0
    assert {d["wave"] for _, d in back.nodes(data=True)} == {"W1"}
    assert {(d["wave"], d["scope"], d["measure"]) for _, _, d in back.edges(data=True)} == {
        ("W1", "transcript", "jaccard")}


def test_picture_labels_do_not_overlap(example, tmp_path):
    graph = to_graph(example.analysis.cooccurrence(scope="overlap"))
    fig, boxes = draw(graph, title="Example")
    assert len(boxes) == graph.number_of_nodes() >= 30
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)]
    assert overlapping == []
    faces = {tuple(c) for c in fig.axes[0].collections[-1].get_facecolor()}
    assert len(faces) == 7                  # one colour per category of the example's codebook
    path = write_graph(graph, tmp_path / "n.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
