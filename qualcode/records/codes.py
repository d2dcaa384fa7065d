"""Records of the codebook: a code with its counts, and a code in the tree.

The fields are in the order ``--json`` has always printed them (``qualcode code show``,
``qualcode codebook show``), so the JSON made from a record by
:func:`qualcode.records.json_data` keeps its shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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


# --- a codebook merge plan ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MergeIncoming:
    """A code of the other codebook as a merge plan names it: its name, GUID and the
    name of its parent there."""

    name: str
    guid: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class MergeCandidate:
    """A code of this codebook that an incoming code resembles, and how closely (0-100)."""

    name: str
    score: float


@dataclass(frozen=True, slots=True)
class MergeDecision:
    """What to do with one incoming code: ``action`` (map, add, rename, reject, or
    review until the team decides) with its ``target`` (the code to map it to) or
    ``new_name``; ``status`` says how it was matched (guid, name, fuzzy, ambiguous,
    new, conflict), ``fields`` are its definition and other fields as the other
    codebook has them.

    The plan is a file people edit, so a decision is read from and written to the
    file's mapping (:meth:`from_dict`, :meth:`to_dict`): the keys in the order the
    file has always had them; ``matched_by``, ``conflicts``, ``definition`` (the choice
    on a definition conflict), ``candidates`` and ``new_name`` only where they are set."""

    source: str | None
    incoming: MergeIncoming
    fields: Mapping[str, Any]
    parent_guid: str | None
    status: str | None
    action: str
    target: str | None = None
    matched_by: str | None = None
    conflicts: tuple[str, ...] | None = None
    definition: str | None = None
    candidates: tuple[MergeCandidate, ...] | None = None
    new_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "incoming": {"name": self.incoming.name, "guid": self.incoming.guid,
                         "parent": self.incoming.parent},
            "fields": {k: list(v) if isinstance(v, tuple) else v for k, v in self.fields.items()},
            "parent_guid": self.parent_guid, "status": self.status}
        if self.matched_by is not None:
            data["matched_by"] = self.matched_by
        if self.conflicts is not None:
            data["conflicts"] = list(self.conflicts)
        data.update(action=self.action, target=self.target)
        if self.definition is not None:
            data["definition"] = self.definition
        if self.candidates is not None:
            data["candidates"] = [{"name": c.name, "score": c.score} for c in self.candidates]
        if self.new_name is not None:
            data["new_name"] = self.new_name
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MergeDecision:
        """A decision from a plan file's mapping whose values are checked already
        (:func:`qualcode.team.codebook_merge.read_plan`)."""
        incoming = data["incoming"]
        fields = data.get("fields") or {}
        return cls(
            source=data.get("source"),
            incoming=MergeIncoming(incoming["name"], incoming["guid"], _text(incoming.get("parent"))),
            fields={k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()},
            parent_guid=data.get("parent_guid"), status=data.get("status"),
            action=data["action"], target=data.get("target"),
            matched_by=_text(data.get("matched_by")), conflicts=_conflicts(data.get("conflicts")),
            definition=data.get("definition"), candidates=_candidates(data.get("candidates")),
            new_name=data.get("new_name"))


@dataclass(frozen=True, slots=True)
class CodebookMergePlan:
    """A plan for merging other codebooks into this one: one decision per incoming
    code, from the ``sources`` named (file names), fuzzy matches above ``threshold``.
    Its file (YAML, or the JSON of ``--json``) is :meth:`to_dict`."""

    threshold: float | None
    sources: tuple[str, ...]
    decisions: tuple[MergeDecision, ...]
    version: Any = 1

    #: What the file's ``format`` says.
    FORMAT = "qualcode-merge-plan"

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.FORMAT, "version": self.version, "threshold": self.threshold,
                "sources": list(self.sources), "decisions": [d.to_dict() for d in self.decisions]}

    def counts(self) -> dict[str, int]:
        """Decisions per status ("decided" for those of a hand-written plan without one)."""
        counts: dict[str, int] = {}
        for d in self.decisions:
            status = d.status or "decided"
            counts[status] = counts.get(status, 0) + 1
        return counts


# What a plan says only for the reader (how a code was matched) is not checked when the
# plan is read, as nothing acts on it: a hand-edited value of the wrong shape is dropped.

def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _conflicts(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _candidates(value: Any) -> tuple[MergeCandidate, ...] | None:
    if not isinstance(value, list):
        return None
    found = tuple(MergeCandidate(c["name"], c["score"]) for c in value
                  if isinstance(c, dict) and isinstance(c.get("name"), str)
                  and isinstance(c.get("score"), int | float) and not isinstance(c.get("score"), bool))
    return found if len(found) == len(value) else None
