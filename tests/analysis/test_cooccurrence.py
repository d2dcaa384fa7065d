"""Co-occurrence counts for each scope and measure, filters, and graph exports read back
by networkx and by lxml. Expected values are worked out by hand from the layout in
conftest.build_cooccurrence:

    frequencies (codings): A 3, B 2, C 2, D 1, E 6, F 2 (1 by tester, 1 by zed)
    passages: the same (E's six codings and F's two only touch: no shared character)
    coded characters (union): A 10+7+5 = 22, B 10+4 = 14, C 8+6 = 14, D 10, E 6, F 3
    turns with each code: A 2 (X1, X2), B 2 (X1, Y1), C 2 (X1, Y2), D 1, E 1, F 1
    transcripts with each code: A 1, B 2, C 2, D 1, E 1, F 1
"""

from __future__ import annotations

import json
from fractions import Fraction as Fr

import networkx as nx
import pytest
from lxml import etree

from qualcode import QualcodeError
from qualcode.analysis.cooccurrence import table, to_graph
from qualcode.export.graph import write_graph, write_graphs


def edges(result, measure="count"):
    return {(r.code_a, r.code_b) if r.code_a < r.code_b else (r.code_b, r.code_a):
            r for r in table(result, measure=measure)}


def approx(value):
    return pytest.approx(float(value), abs=1e-4)


def test_overlap_scope(cooc):
    result = cooc.analysis.cooccurrence(scope="overlap")
    rows = edges(result)
    # A[0,10)-B[5,15): 5 chars; B-C[12,20): 3 chars; C-A[18,25): 2 chars; E-F: F[0,2)
    # meets E[0,1), E[1,2); zed's F[2,3) meets E[2,3).
    assert {k: r.count for k, r in rows.items()} == {
        ("A", "B"): 1, ("B", "C"): 1, ("A", "C"): 1, ("E", "F"): 3}
    assert rows[("A", "B")].jaccard == approx(Fr(5, 22 + 14 - 5))
    assert rows[("B", "C")].jaccard == approx(Fr(3, 14 + 14 - 3))
    assert rows[("A", "C")].jaccard == approx(Fr(2, 22 + 14 - 2))
    assert rows[("E", "F")].jaccard == approx(Fr(3, 6 + 3 - 3))
    assert rows[("A", "B")].c == approx(Fr(1, 3 + 2 - 1))
    assert rows[("B", "C")].c == approx(Fr(1, 2 + 2 - 1))
    assert rows[("E", "F")].c == approx(Fr(3, 6 + 2 - 3))
    assert not rows[("E", "F")].freq_ratio_flag            # 6 is not > 5 * 2
    assert (rows[("A", "B")].n1, rows[("A", "B")].n2) == (3, 2)


def test_turn_scope(cooc):
    rows = edges(cooc.analysis.cooccurrence(scope="turn"))
    # Turns: X1 {A, B, C}, X2 {A, D}, Y1 {B}, Y2 {C}, Z1 {E, F}
    assert {k: r.count for k, r in rows.items()} == {
        ("A", "B"): 1, ("A", "C"): 1, ("B", "C"): 1, ("A", "D"): 1, ("E", "F"): 1}
    # Turns with each code: A 2, B 2, C 2, D 1, E 1, F 1. c counts turns as n12 does
    # (not codings: E's 6 codings would make c(E, F) = 1 / (6 + 2 - 1)).
    assert rows[("A", "B")].jaccard == approx(Fr(1, 3))
    assert rows[("A", "D")].jaccard == approx(Fr(1, 2))
    assert rows[("A", "D")].c == approx(Fr(1, 2 + 1 - 1))
    assert rows[("B", "C")].c == approx(Fr(1, 2 + 2 - 1))
    assert rows[("E", "F")].c == approx(Fr(1, 1 + 1 - 1))
    assert (rows[("E", "F")].n1, rows[("E", "F")].n2) == (1, 1)
    assert all(r.c == approx(r.jaccard) for r in rows.values())


def test_transcript_scope(cooc):
    rows = edges(cooc.analysis.cooccurrence(scope="transcript"))
    # Transcripts: X {A, B, C, D}, Y {B, C}, Z {E, F}
    assert {k: r.count for k, r in rows.items()} == {
        ("A", "B"): 1, ("A", "C"): 1, ("A", "D"): 1, ("B", "C"): 2, ("B", "D"): 1,
        ("C", "D"): 1, ("E", "F"): 1}
    assert rows[("B", "C")].jaccard == approx(1)
    assert rows[("A", "B")].jaccard == approx(Fr(1, 2))
    assert rows[("B", "C")].c == approx(Fr(2, 2 + 2 - 2))
    assert rows[("B", "D")].c == approx(Fr(1, 2 + 1 - 1))
    # n1, n2 are transcripts with the code, as n12 is: E has 6 codings in one transcript
    assert rows[("E", "F")].c == approx(Fr(1, 1 + 1 - 1))
    assert (rows[("A", "B")].n1, rows[("A", "B")].n2) == (1, 2)


def test_coder_filter_and_frequency_flag(cooc):
    rows = edges(cooc.analysis.cooccurrence(scope="overlap", coders=["tester"]))
    ef = rows[("E", "F")]
    assert (ef.count, ef.n1, ef.n2) == (2, 6, 1)
    assert ef.c == approx(Fr(2, 6 + 1 - 2))
    assert ef.freq_ratio_flag                              # 6 > 5 * 1
    assert not rows[("A", "B")].freq_ratio_flag


def test_wave_attribute_category_filters(cooc):
    w2 = cooc.analysis.cooccurrence(scope="transcript", waves=["W2"])
    assert {k: r.count for k, r in edges(w2).items()} == {("B", "C"): 1}
    per_wave = cooc.analysis.cooccurrence(scope="transcript", per_wave=True)
    assert set(per_wave) == {"W1", "W2"}
    assert edges(per_wave["W1"])[("B", "C")].count == 1
    site_b = cooc.analysis.cooccurrence(scope="transcript", where=["site:B"])
    assert site_b.freq == {cooc.codebook.code("B").id: 1, cooc.codebook.code("C").id: 1}
    only = cooc.analysis.cooccurrence(scope="overlap", codes=["A", "B"])
    assert {k: r.count for k, r in edges(only).items()} == {("A", "B"): 1}
    with pytest.raises(QualcodeError, match="no code"):
        cooc.analysis.cooccurrence(category="Nope")
    with pytest.raises(QualcodeError, match="scope"):
        cooc.analysis.cooccurrence(scope="sentence")


def test_minimum_weight(cooc):
    result = cooc.analysis.cooccurrence(scope="transcript")
    assert [(r.code_a, r.code_b) for r in table(result, measure="count", minimum=2)] == [("B", "C")]
    # c over transcripts: A-D 1/(1+1-1), B-C 2/(2+2-2), E-F 1/(1+1-1); the others 1/2
    graph = to_graph(result, measure="c", minimum=0.6)
    assert sorted(tuple(sorted(e)) for e in graph.edges) == [("A", "D"), ("B", "C"), ("E", "F")]
    assert graph.nodes["A"]["frequency"] == 3          # nodes stay, even without edges


EXPECTED_NODES = {"A": 3, "B": 2, "C": 2, "D": 1, "E": 6, "F": 2}
EXPECTED_EDGES = {("A", "B"): 1, ("A", "C"): 1, ("A", "D"): 1, ("B", "C"): 2, ("B", "D"): 1,
                  ("C", "D"): 1, ("E", "F"): 1}


def _pair(a, b):
    return (a, b) if a < b else (b, a)


def test_graphml_read_back_by_networkx_and_lxml(cooc, tmp_path):
    graph = to_graph(cooc.analysis.cooccurrence(scope="transcript"), measure="count")
    path = write_graph(graph, tmp_path / "net.graphml")
    back = nx.read_graphml(path)
    assert {n: d["frequency"] for n, d in back.nodes(data=True)} == EXPECTED_NODES
    assert {_pair(a, b): d["weight"] for a, b, d in back.edges(data=True)} == EXPECTED_EDGES
    assert back.nodes["A"]["colour"] == "#e69f00"
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    tree = etree.parse(str(path))
    keys = {(k.get("for"), k.get("attr.name")): k.get("id") for k in tree.findall("g:key", ns)}
    freq_key, weight_key = keys[("node", "frequency")], keys[("edge", "weight")]
    nodes = {n.get("id"): int(n.find(f"g:data[@key='{freq_key}']", ns).text)
             for n in tree.findall(".//g:node", ns)}
    edges_ = {_pair(e.get("source"), e.get("target")): float(e.find(f"g:data[@key='{weight_key}']", ns).text)
              for e in tree.findall(".//g:edge", ns)}
    assert nodes == EXPECTED_NODES
    assert edges_ == EXPECTED_EDGES


def test_gexf_read_back_by_networkx_and_lxml(cooc, tmp_path):
    graph = to_graph(cooc.analysis.cooccurrence(scope="transcript"), measure="count")
    path = write_graph(graph, tmp_path / "net.gexf")
    back = nx.read_gexf(path)
    assert {d["label"]: d["frequency"] for _, d in back.nodes(data=True)} == EXPECTED_NODES
    labels = {n: d["label"] for n, d in back.nodes(data=True)}
    assert {_pair(labels[a], labels[b]): d["weight"] for a, b, d in back.edges(data=True)} == EXPECTED_EDGES
    tree = etree.parse(str(path))
    root = tree.getroot()
    ns = {"g": root.nsmap[None]}
    attr_id = {a.get("title"): a.get("id") for a in root.findall(".//g:attributes[@class='node']/g:attribute", ns)}
    node_label, nodes = {}, {}
    for n in root.findall(".//g:nodes/g:node", ns):
        node_label[n.get("id")] = n.get("label")
        value = n.find(f"g:attvalues/g:attvalue[@for='{attr_id['frequency']}']", ns)
        nodes[n.get("label")] = int(value.get("value"))
    edges_ = {_pair(node_label[e.get("source")], node_label[e.get("target")]): float(e.get("weight"))
              for e in root.findall(".//g:edges/g:edge", ns)}
    assert nodes == EXPECTED_NODES
    assert edges_ == EXPECTED_EDGES
    # Gephi's viz colour of A is its code colour #e69f00.
    first = root.find(".//g:nodes/g:node[@label='A']", ns)
    colour = next(el for el in first.iter() if etree.QName(el).localname == "color")
    assert (colour.get("r"), colour.get("g"), colour.get("b")) == ("230", "159", "0")


def test_json_and_csv(cooc, tmp_path):
    graph = to_graph(cooc.analysis.cooccurrence(scope="transcript"), measure="count")
    data = json.loads(write_graph(graph, tmp_path / "net.json").read_text())
    assert {n["id"]: n["frequency"] for n in data["nodes"]} == EXPECTED_NODES
    assert {_pair(e["source"], e["target"]): e["weight"] for e in data["links"]} == EXPECTED_EDGES
    lines = write_graph(graph, tmp_path / "net.csv").read_text().splitlines()
    assert lines[0] == "source,target,weight,count,jaccard,c,freq_ratio_flag"
    assert lines[1].startswith("B,C,2.0,2,")
    assert len(lines) == 1 + len(EXPECTED_EDGES)


def test_png_per_wave_share_a_layout(cooc, tmp_path):
    per_wave = cooc.analysis.cooccurrence(scope="overlap", per_wave=True)
    graphs = {w: to_graph(r) for w, r in per_wave.items()}
    written = write_graphs(graphs, tmp_path / "net.png")
    assert [p.name for p in written] == ["net_W1.png", "net_W2.png"]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(QualcodeError, match="format"):
        write_graph(graphs["W1"], tmp_path / "net.svg")


def brute_passages(rows):
    """Passages by the definition: characters covered by a code in a transcript, split
    where no coding of the code covers two neighbouring characters together."""
    covered = {}
    for t, k, _, s, e in rows:
        for i in range(s, e):
            covered.setdefault((t, k), set()).add(i)
    # two codings are one passage when they share a character; chains join
    passages = []
    for (t, k) in sorted(covered):
        spans = sorted((s, e) for tt, kk, _, s, e in rows if (tt, kk) == (t, k))
        groups = []
        for s, e in spans:
            if groups and s < groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], e)
            else:
                groups.append([s, e])
        passages += [(t, k, s, e) for s, e in groups]
    return passages


@pytest.mark.parametrize("seed", [3, 4])
def test_sweep_matches_brute_force(seed):
    """The sweep against the definition, pair by pair, on random codings by two coders
    (so that codings of one code overlap and must merge into passages)."""
    import random
    from itertools import combinations

    from qualcode.analysis.cooccurrence import count_overlap

    rng = random.Random(seed)
    rows = []
    for t in (1, 2, 3):
        for _ in range(60):
            s = rng.randrange(0, 500)
            rows.append((t, rng.randrange(1, 6), rng.choice((1, 2)), s, s + rng.randint(1, 60)))
    rows.sort(key=lambda r: (r[0], r[3], r[4]))
    freq, chars, pairs, _merged = count_overlap(rows)
    passages = brute_passages(rows)
    assert len(passages) < len(rows)          # the random codings do overlap
    assert freq == {k: sum(1 for p in passages if p[1] == k) for k in {p[1] for p in passages}}
    expected_n, cover = {}, {}
    for a, b in combinations(passages, 2):
        if a[0] == b[0] and a[1] != b[1] and a[2] < b[3] and b[2] < a[3]:
            key = tuple(sorted((a[1], b[1])))
            expected_n[key] = expected_n.get(key, 0) + 1
    for t, k, _, s, e in rows:
        cover.setdefault(k, set()).update((t, i) for i in range(s, e))
    assert {k: v[0] for k, v in pairs.items() if v[0]} == expected_n
    assert chars == {k: len(v) for k, v in cover.items()}
    for (a, b), (_, shared) in pairs.items():
        assert shared == len(cover[a] & cover[b])


def test_double_coded_passage_counts_once(project, tmp_path):
    """anna and ben code one sentence "Trust" (ben a clause of it); anna codes the whole
    sentence "Place" too. By codings: Trust 2, n12 = 2, c = 2 / (2 + 1 - 2) -> capped 1
    and Jaccard over characters. By passages: Trust 1, Place 1, n12 = 1, c = 1/(1+1-1)."""
    text = "I: Hello.\nR: She lives round the corner from me, so she knows the area.\n"
    (tmp_path / "t1.txt").write_text(text, encoding="utf-8")
    project.study.add_wave("W1")
    project.study.add_participant("P1")
    project.transcripts.import_transcript(tmp_path / "t1.txt", participant="P1", wave="W1")
    body = project.transcripts.get("t1").text
    sentence = "She lives round the corner from me, so she knows the area."
    s = body.index(sentence)
    clause = body.index("she knows the area")
    for code in ("Trust", "Place"):
        project.codebook.add_code(code)
    project.coder = "anna"
    project.coding.apply_spans([("t1", "Trust", s, s + len(sentence)), ("t1", "Place", s, s + 20)],
                        summary="anna")
    project.coder = "ben"
    project.coding.apply_spans([("t1", "Trust", clause, clause + len("she knows the area"))], summary="ben")
    [row] = table(project.analysis.cooccurrence(scope="overlap"), measure="c")
    assert (row.n1, row.n2, row.count) == (1, 1, 1)   # Place, Trust
    assert row.c == approx(1)
    assert row.jaccard == approx(Fr(20, len(sentence)))
    [by_ben] = table(project.analysis.cooccurrence(scope="overlap", coders=["anna"]), measure="c")
    assert by_ben.count == 1
