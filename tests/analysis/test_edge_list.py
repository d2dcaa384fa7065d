"""The CSV edge list written straight from the counts (export.network.write_edge_list)
is, byte for byte, what the graph's CSV writer makes of the same network."""

from __future__ import annotations

import shutil

import pytest

from qualcode.analysis.cooccurrence import to_graph
from qualcode.export import graph as graph_export
from qualcode.export.network import write_edge_list
from qualcode.model import CsvStyle

from .conftest import AnalysisProject


@pytest.fixture
def formula_names(cooc_path, tmp_path):
    # Names a spreadsheet would run, and ones whose order the guard's apostrophe would change.
    path = tmp_path / "names.qualcode"
    shutil.copy(cooc_path, path)
    with AnalysisProject.open(path) as project:
        # ...and one the CSV must quote (a comma and quotes in it)
        for old, new in (("A", "=SUM(1)"), ("B", "0 first"), ("C", "+ plus"), ("E", "@ at"),
                         ("D", 'say "no", then')):
            project.codebook.rename_code(old, new)
        yield project


@pytest.mark.parametrize("scope", ["overlap", "turn", "transcript"])
@pytest.mark.parametrize("measure", ["count", "jaccard", "c"])
@pytest.mark.parametrize("style", [CsvStyle(), CsvStyle(neutralise=False, bom=True)])
def test_same_file_as_through_the_graph(formula_names, tmp_path, scope, measure, style):
    result = formula_names.analysis.cooccurrence(scope=scope)
    direct = write_edge_list(result, tmp_path / "direct.csv", measure=measure, minimum=0.1, csv_style=style)
    through = graph_export.write_graph(to_graph(result, measure=measure, minimum=0.1), tmp_path / "graph.csv",
                                       csv_style=style)
    assert direct.read_bytes() == through.read_bytes()
    text = direct.read_text(encoding="utf-8-sig")
    assert ("'=SUM(1)" in text) == style.neutralise and "=SUM(1)" in text
    assert len(text.splitlines()) > 2
    assert '"say ""no"", then"' in text or scope != "transcript"
