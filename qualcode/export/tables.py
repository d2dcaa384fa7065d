"""Tables written both as CSV and as spreadsheets: coded segments with the speaker's
attributes, and the codebook with its passage counts. One function builds each table,
so the two formats cannot disagree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .text_exports import SEGMENT_COLUMNS, segment_cells

if TYPE_CHECKING:
    from ..records.codes import CodeNode
    from ..records.codings import ListedSegment
    from .docx_codebook import CodePassages


def segment_table(project, rows: list[ListedSegment]) -> tuple[list[str], list[list]]:
    """The segment columns, then one column per participant attribute: fixed ones as
    ``attr:KEY``, those that vary by wave as ``wave:KEY`` (the value at the segment's
    wave)."""
    people = {p.pid: p for p in project.study.participants()}
    fixed = sorted({k for p in people.values() for k in p.attributes})
    by_wave = sorted({k for p in people.values() for values in p.wave_attributes.values()
                      for k in values})
    header = [*SEGMENT_COLUMNS, *(f"attr:{k}" for k in fixed), *(f"wave:{k}" for k in by_wave)]
    table = []
    for row in rows:
        segment = row.segment
        person = people.get(segment.participant or "")
        attributes = person.attributes if person else {}
        at_wave = person.wave_attributes.get(segment.wave or "", {}) if person else {}
        table.append(segment_cells(row)
                     + [attributes.get(k) for k in fixed]
                     + [at_wave.get(k) for k in by_wave])
    return header, table


def codebook_table(project, tree: list[CodeNode], counted: dict[str, CodePassages]
                   ) -> tuple[list[str], list[list]]:
    """One row per code in tree order: its place, fields and coded passages per wave
    (``counted``: the tree's counts from :func:`qualcode.export.docx_codebook.count_passages`)."""
    from .docx_codebook import _walk

    labels = [w.label for w in project.study.waves()]
    header = ["code", "parent", "depth", "category", "stage", "definition", "inclusion",
              "exclusion", "example", *(f"passages {w}" for w in labels), "passages",
              "passages (own)"]
    rows = [[node.name, node.parent, depth, int(node.is_category), node.stage,
             node.definition, node.inclusion, node.exclusion, node.example,
             *(counted[node.name].inclusive_by_wave.get(w, 0) for w in labels),
             counted[node.name].total, counted[node.name].passages] for node, depth in _walk(tree)]
    return header, rows
