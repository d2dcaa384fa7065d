"""Records of the codebook: a code with its counts, and a code in the tree.

The fields are in the order ``--json`` has always printed them (``qualcode code show``,
``qualcode codebook show``), so the JSON made from a record by
:func:`qualcode.records.json_data` keeps its shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import INTERNAL


@dataclass(frozen=True, slots=True)
class Code:
    """A live code of the codebook, with its parent's name, its keywords and how often
    it is applied (in all, and per wave)."""

    id: int = field(metadata=INTERNAL, repr=False)
    guid: str
    name: str
    definition: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    example: str | None = None
    colour: str | None = None
    stage: str = "initial"
    in_vivo: bool = False
    #: A category groups codes; it is not applied to text unless also ``codable``.
    is_category: bool = False
    codable: bool = True
    #: Words that auto-coding looks for, in the order given, without repeats.
    keywords: tuple[str, ...] = ()
    #: Its place among its siblings (1 first).
    position: int = 0
    created: str = ""
    updated: str = ""
    #: The id of the action that last changed it: an edit made on an older revision is
    #: refused (see ``expected_revision`` of the codebook service's edits).
    revision: int = 0
    #: The name of the code it is under, None at the top level.
    parent: str | None = None
    #: Codings of this code alone (not its sub-codes').
    codings: int = 0
    #: {wave label, or "-" for transcripts without a wave: codings}.
    codings_by_wave: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CodeNode(Code):
    """A code in the tree: its sub-codes, and ``total``, its codings plus those of all
    its sub-codes (at every depth)."""

    children: tuple[CodeNode, ...] = ()
    total: int = 0

    def walk(self) -> list[CodeNode]:
        """This node and every node below it, parents before children (tree order)."""
        nodes: list[CodeNode] = []
        stack: list[CodeNode] = [self]
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(reversed(node.children))
        return nodes


@dataclass(frozen=True, slots=True)
class CodeMerge:
    """What merging code ``source`` into ``target`` moved: its codings, less those the
    target already had on the same text by the same coder (absorbed: their memos and
    memo links kept on the target's twin)."""

    source: str
    target: str
    codings_moved: int
    duplicates_absorbed: int


@dataclass(frozen=True, slots=True)
class CodeDeletion:
    """What deleting a code removed: its codings, its sub-codes (moved up to its parent,
    not deleted) and the links of memos to it (the memos stay)."""

    code: str
    codings_deleted: int
    subcodes_moved: int
    memo_links_removed: int
