"""The co-occurrence network written to files: one headless function the CLI's
``cooccur -o`` and the terminal UI's network export both call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .. import outputs
from ..analysis import cooccurrence as cooc
from ..model import DEFAULT_CSV, CsvStyle
from ..records.analysis import NetworkDrawing
from .network_formats import format_of


def network_label(waves: Sequence[str] | None) -> str:
    """How a network over some waves (or all) is named in titles and files."""
    return ",".join(waves) if waves else "all"


def check_network_file(output: str | Path) -> None:
    """Refuse a file of an unknown kind, or one that must not be written, before any
    counting is done."""
    format_of(output)
    outputs.check_target(output)


def write_network(results: Mapping[str, cooc.Cooccurrence], output: str | Path, *, scope: str,
                  measure: str, minimum: float = 0, per_wave: bool = False,
                  order: Mapping[str, int] | None = None, csv_style: CsvStyle = DEFAULT_CSV) -> list[Path]:
    """Write the networks of ``results`` ({label: co-occurrence}) to ``output`` (its
    suffix says the format): one file, or with ``per_wave`` one per wave drawn with one
    layout (as GEXF, one dynamic file). Returns the files written."""
    if not per_wave and format_of(output) == "csv":
        # The edge list needs no graph (nor networkx): written straight from the counts.
        return [write_edge_list(next(iter(results.values())), output, measure=measure, minimum=minimum,
                                csv_style=csv_style)]
    from . import graph as graph_export  # networkx and matplotlib: only when a network is written

    graphs = {label: cooc.to_graph(r, measure=measure, minimum=minimum) for label, r in results.items()}
    if per_wave:
        return graph_export.write_graphs(graphs, output, title=f"Co-occurrence ({scope})", order=order,
                                         csv_style=csv_style)
    label, graph = next(iter(graphs.items()))
    title = f"Code co-occurrence ({scope})" + ("" if label == "all" else f": {label}")
    return [graph_export.write_graph(graph, output, title=title, csv_style=csv_style)]


def network_drawing(results: Mapping[str, cooc.Cooccurrence], *, measure: str,
                    minimum: float = 0) -> NetworkDrawing:
    """What a picture of the networks of ``results`` needs, laid out as the PNGs are
    (see :class:`qualcode.records.analysis.NetworkDrawing`)."""
    from . import graph as graph_export

    # The table and the graph read the same measures: count the units once for both.
    results = {label: r.with_units() for label, r in results.items()}
    graphs = {label: cooc.to_graph(r, measure=measure, minimum=minimum) for label, r in results.items()}
    return NetworkDrawing(
        tables={label: cooc.table(r, measure=measure, minimum=minimum) for label, r in results.items()},
        graphs=graphs,
        pos=graph_export.shared_layout(list(graphs.values())),
        max_frequency=max((d.get("frequency", 1) for g in graphs.values() for _, d in g.nodes(data=True)),
                          default=1),
        max_weight=max((d.get("weight", 1.0) for g in graphs.values() for _, _, d in g.edges(data=True)),
                       default=1.0),
    )


EDGE_COLUMNS = ("source", "target", "weight", "count", "jaccard", "c", "freq_ratio_flag")


def write_edge_list(result: cooc.Cooccurrence, output: str | Path, *, measure: str, minimum: float = 0,
                    csv_style: CsvStyle = DEFAULT_CSV) -> Path:
    """The CSV edge list, cell for cell what the graph's CSV writer gives for
    :func:`cooc.to_graph`: each edge's codes by name in name order, the edges by
    descending weight then names, the measures rounded as on the graph's edges."""
    import numpy as np

    from ..analysis.edge_table import edge_columns
    from ..csv_writer import neutralise

    columns = edge_columns(result.with_units(), measure, minimum)
    # Each edge's codes by name in name order, then the edges by descending weight and
    # names: sorts of name ranks in numpy (lexsort is stable, as Python's sort is).
    ids = np.union1d(columns["source"], columns["target"])
    labels = [result.name(code) for code in ids.tolist()]
    order = sorted(range(len(labels)), key=labels.__getitem__)
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels))
    first = rank[np.searchsorted(ids, columns["source"])]
    second = rank[np.searchsorted(ids, columns["target"])]
    swap = second < first
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    weight = columns["weight"]
    at = np.lexsort((second, first, -weight))
    by_rank = [labels[i] for i in order]
    if csv_style.neutralise:
        # Only the names are text: each guarded once here (after the sort, which is by the
        # names as they are), not every cell by the writer.
        by_rank = [neutralise(name) for name in by_rank]
    names = _text_cells(by_rank)
    rounded = _float_cells(columns["jaccard"][at], 6)
    # In the turn and transcript scopes c is Jaccard over the units: one column serves both.
    same = np.array_equal(columns["jaccard"], columns["c"])
    # Each cell formatted as csv.writer formats it (floats by repr, names quoted only
    # when they need it), the lines joined at once: no writer call per row.
    lines = map(",".join, zip(
        [names[i] for i in first[at].tolist()], [names[i] for i in second[at].tolist()],
        _float_cells(weight[at]), map(str, columns["count"][at].tolist()), rounded,
        rounded if same else _float_cells(columns["c"][at], 6),
        map(str, columns["freq_ratio_flag"][at].tolist())))
    text = "\r\n".join([",".join(EDGE_COLUMNS), *lines]) + "\r\n"
    return outputs.write_text(output, text, bom=csv_style.bom)


def _float_cells(values, digits: int | None = None) -> list[str]:
    """The CSV cells of a float column, as the csv module writes a float (its repr),
    rounded by Python's ``round`` when ``digits`` is given; each distinct value is
    formatted once."""
    import numpy as np

    if not len(values):
        return []
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    where = np.empty(len(values), dtype=np.int64)
    where[order] = np.cumsum(new) - 1
    distinct = ordered[new].tolist()
    cells = [repr(v if digits is None else round(v, digits)) for v in distinct]
    return [cells[i] for i in where.tolist()]


def _text_cells(texts: list[str]) -> list[str]:
    """Each text as a cell of a CSV line, quoted as csv.writer quotes it (only when it
    holds a comma, a quote or a line break)."""
    import csv
    import io

    cells = []
    for text in texts:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow([text, ""])
        cells.append(buffer.getvalue()[:-3])  # less the "," and "\r\n" after it
    return cells
