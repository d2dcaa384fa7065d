"""REFI-QDA out: the ``CodeBook``.

The code tree by nesting, ``isCodable``, colour, and the definition and criteria as a
Description (as in the ``.qdc`` export), with ``NoteRef`` to the memos linked to the
code. Each top-level code is written with its branch, which is bounded: a codebook
holds at most 100,000 codes, nested at most 50 levels deep.
"""

from __future__ import annotations

from lxml import etree

from ..records.codes import CodeNode
from ..store import refi as store_refi
from .refi_export_context import ExportContext, element, sub
from .refi_qdc import description_text


def _code_attributes(node: CodeNode) -> dict[str, object]:
    attrs: dict[str, object] = {"guid": node.guid, "name": node.name,
                                "isCodable": "true" if node.codable else "false"}
    if node.colour:
        attrs["color"] = node.colour.upper()
    return attrs


def _branch(ctx: ExportContext, node: CodeNode) -> tuple[etree._Element, int]:
    """The element of a code and every code under it (without recursion: a branch may
    be 50 levels deep), and how many codes it holds."""
    top = element("Code", _code_attributes(node))
    stack: list[tuple[etree._Element, CodeNode]] = [(top, node)]
    count = 0
    while stack:
        built, code = stack.pop()
        count += 1
        text = description_text(code)
        if text:
            sub(built, "Description", text=text)
        for guid in store_refi.memo_guids_linked_to(ctx.db, "code_id", code.id):
            sub(built, "NoteRef", {"targetGUID": guid})
        children = [(sub(built, "Code", _code_attributes(child)), child) for child in code.children]
        stack.extend(reversed(children))
    return top, count


def write_codebook(ctx: ExportContext) -> None:
    if not ctx.codebook:
        return
    with ctx.xml.open("CodeBook"), ctx.xml.open("Codes"):
        for node in ctx.codebook:
            branch, count = _branch(ctx, node)
            ctx.xml.write(branch)
            ctx.counts.codes += count
