"""The codebook as a Word document: an overview table of the tree with counts by wave,
then every code with its definition, inclusion and exclusion criteria, example, stage
and counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QualcodeError
from ..records.codes import CodeNode
from . import docx_common as dc

COUNT_RULE = ("Counts are coded passages: overlapping codings of one code by several coders "
              "count once; a category counts the passages of its codes, once where they overlap.")


@dataclass(frozen=True, slots=True)
class CodePassages:
    """The coded passages of one code of the tree: ``passages``, its own;
    ``inclusive_by_wave`` and ``total``, with everything under it."""

    passages: int = 0
    passages_by_wave: Counter = field(default_factory=Counter)
    inclusive_by_wave: Counter = field(default_factory=Counter)
    total: int = 0


def count_passages(project, tree: list[CodeNode], coder: str | None = None) -> dict[str, CodePassages]:
    """{code name: its passage counts} for every node of the codebook tree; see
    :mod:`qualcode.analysis.passages`."""
    counts = project.analysis.passage_counts(coders=[coder] if coder else None)
    result: dict[str, CodePassages] = {}
    for node, _depth in _walk(tree):
        entry = counts.get(node.name)
        own = entry.own if entry else {}
        inclusive = entry.inclusive if entry else {}
        result[node.name] = CodePassages(
            passages=sum(own.values()), passages_by_wave=Counter(own),
            inclusive_by_wave=Counter(inclusive), total=sum(inclusive.values()))
    return result


def rule_caption(coder: str | None = None) -> str:
    """What the counts count, for captions."""
    if coder:
        return f"Counts are passages coded by {coder} (overlapping codings of one code count once)."
    return COUNT_RULE


def _walk(nodes: Iterable[CodeNode], depth: int = 0) -> Iterator[tuple[CodeNode, int]]:
    for node in nodes:
        yield node, depth
        yield from _walk(node.children, depth + 1)


def write_codebook(project, path: Path) -> Path:
    tree = project.codebook.tree()
    if not tree:
        raise QualcodeError("nothing to export: the codebook is empty")
    counted = count_passages(project, tree)
    waves = project.study.waves()
    labels = [w.label for w in waves]
    if any("-" in c.inclusive_by_wave for c in counted.values()):
        labels.append("-")
    flat = list(_walk(tree))
    doc = dc.new_document(f"Codebook: {project.title}", subject="Codebook")
    facts = [
        ("Study", project.title), ("Date", dc.today()),
        ("Codes", f"{sum(1 for n, _ in flat if not n.is_category)} codes in "
                  f"{sum(1 for n, _ in flat if n.is_category)} categories"),
        ("Coded passages", str(sum(counted[r.name].total for r in tree))),
        ("Coders", ", ".join(dc.coder_names(project)) or "none"),
        ("Waves", "; ".join(f"{w.label} ({w.description})" if w.description
                            else w.label for w in waves)),
    ]
    dc.title_page(doc, "Codebook", project.title, facts)
    dc.page_break(doc)
    roots = [node for node, depth in flat if depth == 0]
    dc.add_contents(doc, [("Overview", "overview"),
                          *((node.name, f"code_{i}") for i, node in enumerate(roots, start=1))])
    numbers = dc.Numbering()
    dc.bookmark(dc.heading(doc, "Overview", 1), "overview")
    header = ["Code", "Stage", *("no wave" if item == "-" else item for item in labels), "Total"]
    rows = []
    for node, depth in flat:
        passages = counted[node.name]
        rows.append(["\u2003" * depth + node.name, node.stage,
                     *(passages.inclusive_by_wave.get(item, 0) for item in labels), passages.total])
    dc.add_table(doc, header, rows, font_size=9, widths=_widths(len(header)),
                 caption=numbers.table("The coding tree with coded passages per wave. "
                                       + COUNT_RULE))
    marks = {id(node): f"code_{i}" for i, node in enumerate(roots, start=1)}
    for node, depth in flat:
        write_code(doc, node, depth, labels, counted[node.name], marks.get(id(node)))
    return dc.save(doc, path)


def _widths(n: int) -> list[float]:
    first, stage = 6.5, 2.0
    rest = (16.0 - first - stage) / max(1, n - 2)
    return [first, stage] + [rest] * (n - 2)


def write_code(doc, node: CodeNode, depth: int, labels: list[str], counted: CodePassages,
               mark: str | None = None) -> None:
    heading = dc.heading(doc, node.name, min(depth + 1, 3))
    if mark:
        dc.bookmark(heading, mark)
    if depth == 0:
        heading.paragraph_format.page_break_before = True
    kind = "Category" if node.is_category else "Code"
    bits = [kind, f"stage: {node.stage}"]
    if node.in_vivo:
        bits.append("in vivo")
    if node.parent:
        bits.append(f"under {node.parent}")
    dc.note(doc, "; ".join(bits) + ".")
    if node.definition:
        dc.labelled(doc, "Definition", node.definition)
    else:
        dc.note(doc, "No definition has been written yet.")
    dc.labelled(doc, "Include", node.inclusion)
    dc.labelled(doc, "Exclude", node.exclusion)
    if node.example:
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.add_run("Example:").bold = True
        dc.par(doc, node.example.strip(), "Quote")
    if node.keywords:
        dc.labelled(doc, "Keywords", ", ".join(node.keywords))
    by_wave = counted.inclusive_by_wave
    parts = ", ".join(f"{'no wave' if item == '-' else item} {by_wave.get(item, 0)}" for item in labels)
    own = f"; {counted.passages} at the category itself" if node.children and counted.passages else ""
    dc.labelled(doc, "Coded passages", f"{counted.total} ({parts}){own}")
