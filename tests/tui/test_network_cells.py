"""The network drawn in character cells: positions, node sizes, edge density and labels
worked out by hand on three codes."""

from __future__ import annotations

import networkx as nx
from rich.cells import cell_len

from qualcode.tui.network_cells import BIG_NODE, SMALL_NODE, draw_network

# Layout coordinates: A bottom left, B bottom right, C top left.
POS = {"A": (0.0, 0.0), "B": (1.0, 0.0), "C": (0.0, 1.0)}


def graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("A", label="A", frequency=10, category_colour="#0072B2")
    g.add_node("B", label="B", frequency=4, category_colour="#D55E00")
    g.add_node("C", label="C", frequency=6, category_colour="#009E73")
    g.add_edge("A", "B", weight=3.0)  # the strongest: every dot
    g.add_edge("A", "C", weight=1.0)  # a third of it: every third dot
    return g


def test_nodes_edges_and_labels_land_where_worked_out():
    pic = draw_network(graph(), POS, 40, 12)
    assert all(len(line) == 40 for line in pic.lines()) and len(pic.lines()) == 12
    # A margin of 6 cells each side (40 // 6); 55 dots across ((40 - 12) * 2 - 1) and
    # 39 down ((12 - 2) * 4 - 1), below a first row kept for labels: A at dot (12, 43)
    # is cell (10, 6), B at dot (67, 43) cell (10, 33), C at dot (12, 4) cell (1, 6).
    assert pic.nodes == {"A": (10, 6), "B": (10, 33), "C": (1, 6)}
    assert pic.chars[10][6] == BIG_NODE and pic.colours[10][6] == "#0072B2"  # 10 of 10
    assert pic.chars[1][6] == BIG_NODE  # 6 of 10: over half the most coded
    assert pic.chars[10][33] == SMALL_NODE  # 4 of 10
    # Labels right of their node, a cell apart.
    assert pic.labels == {"A": (10, 8), "B": (10, 35), "C": (1, 8)}
    assert pic.chars[10][8] == "A" and pic.chars[10][35] == "B"
    # A-B is a full line along the bottom dot row of row 10: both dots of every cell.
    assert "".join(pic.chars[10][9:33]) == "⣀" * 24
    # A-C, a third as strong, is dotted: every cell on the way has a dot, none all four.
    column = [pic.chars[r][6] for r in range(2, 10)]
    assert all(0x2800 < ord(ch) <= 0x28FF for ch in column)
    assert "⡇" not in column


def test_a_shared_scale_makes_sizes_comparable_between_waves():
    pic = draw_network(graph(), POS, 40, 12, max_frequency=20)
    # Against 20 (the busiest wave's most coded code), A's 10 is not over half.
    assert pic.chars[10][6] == SMALL_NODE


def test_labels_never_overlap_and_wide_names_take_two_cells():
    g = graph()
    g.nodes["B"]["label"] = "食物银行 and a rather long name"
    pic = draw_network(g, {**POS, "B": (0.1, 0.0)}, 40, 12)
    row = "".join(pic.chars[pic.labels["B"][0]])
    # Cut to 16 cells with an ellipsis; each wide character holds two cells.
    assert "食物银行 and a …" in row  # 8 + 7 + 1 cells
    assert cell_len(row) == 40
    # A's label and B's label do not share a cell.
    a_row, a_col = pic.labels["A"]
    b_row, b_col = pic.labels["B"]
    assert a_row != b_row or a_col + 1 < b_col or b_col + 16 < a_col


def test_empty_network_says_so():
    pic = draw_network(nx.Graph(), {}, 30, 6)
    assert "no co-occurrences" in "\n".join(pic.lines())
