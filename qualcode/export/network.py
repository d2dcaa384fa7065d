"""The co-occurrence network written to files: one headless function the CLI's
``cooccur -o`` and the terminal UI's network export both call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .. import outputs
from ..analysis import cooccurrence as cooc
from ..model import DEFAULT_CSV, CsvStyle
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


def network_drawing(results: Mapping[str, cooc.Cooccurrence], *, measure: str, minimum: float = 0) -> dict:
    """What a picture of the networks of ``results`` needs, laid out as the PNGs are:
    ``graphs`` ({label: graph}), ``pos`` (one layout over them all, so a code sits at the
    same place in every wave's picture) and the size scales ``max_frequency`` and
    ``max_weight`` they share, with the pairs as table rows (``tables``)."""
    from . import graph as graph_export

    graphs = {label: cooc.to_graph(r, measure=measure, minimum=minimum) for label, r in results.items()}
    return {
        "tables": {label: cooc.table(r, measure=measure, minimum=minimum) for label, r in results.items()},
        "graphs": graphs,
        "pos": graph_export.shared_layout(list(graphs.values())),
        "max_frequency": max((d.get("frequency", 1) for g in graphs.values() for _, d in g.nodes(data=True)),
                             default=1),
        "max_weight": max((d.get("weight", 1.0) for g in graphs.values() for _, _, d in g.edges(data=True)),
                          default=1.0),
    }


EDGE_COLUMNS = ("source", "target", "weight", "count", "jaccard", "c", "freq_ratio_flag")


def write_edge_list(result: cooc.Cooccurrence, output: str | Path, *, measure: str, minimum: float = 0,
                    csv_style: CsvStyle = DEFAULT_CSV) -> Path:
    """The CSV edge list, cell for cell what the graph's CSV writer gives for
    :func:`cooc.to_graph`: each edge's codes by name in name order, the edges by
    descending weight then names, the measures rounded as on the graph's edges."""
    import csv
    import io

    from ..csv_writer import neutralise

    names = {code: info["name"] for code, info in result.codes.items()}
    rows = []
    for edge in result.edges(measure, minimum):
        a = names.get(edge["source"], str(edge["source"]))
        b = names.get(edge["target"], str(edge["target"]))
        if b < a:
            a, b = b, a
        rows.append((a, b, float(edge["weight"]), edge["count"], round(edge["jaccard"], 6),
                     round(edge["c"], 6), edge["freq_ratio_flag"]))
    rows.sort(key=lambda row: (-row[2], row[0], row[1]))
    if csv_style.neutralise:
        # Only the names are text: each guarded once here, not every cell by the writer.
        guarded = {name: neutralise(name) for name in {row[0] for row in rows} | {row[1] for row in rows}}
        rows = [(guarded[a], guarded[b], *rest) for a, b, *rest in rows]
    # (As csv_writer.write_csv writes, with the cells already guarded: no call per cell.)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EDGE_COLUMNS)
    writer.writerows(rows)
    return outputs.write_text(output, buffer.getvalue(), bom=csv_style.bom)
