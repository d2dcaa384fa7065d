"""What another coder's project must be before anything of it is merged.

The other file is read like an import (see :func:`qualcode.store.untrusted.open_untrusted_copy`)
and everything taken from it is checked here first, so a crafted or damaged file is
refused whole, with one line naming it, before this project is touched (no backup, no
transaction): codings within the text they point into (both in their file and here),
names by the rules this project's own names follow, GUIDs well formed, values of the
types and sizes the schema means.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..coding.codebook import check_name
from ..errors import InputError, QualcodeError
from ..store import schema
from ..terminal_text import has_controls

GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
NAME_LIMIT = 200  # code names (the codebook's rule), coder names, wave labels
SHORT_TEXT_LIMIT = 10_000  # pseudonym, role, site, memo titles
LONG_TEXT_LIMIT = 1_000_000  # memo bodies, coding memos, code definitions


def _show(value) -> str:
    """A value in an error message: cut short, and its control characters escaped."""
    text = repr(value) if not isinstance(value, str) else repr(value[:40] + ("…" if len(value) > 40 else ""))
    return text


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, what: str, problem: str) -> None:
        raise InputError(self.path, f"{what}: {problem}; the file is refused, nothing was merged")

    def guid(self, what: str, value) -> None:
        if not isinstance(value, str) or not GUID.match(value):
            self.fail(what, f"GUID {_show(value)} is not well formed")

    def name(self, what: str, value, *, limit: int = NAME_LIMIT) -> None:
        if not isinstance(value, str) or not value.strip():
            self.fail(what, f"name {_show(value)} is empty or not text")
        if len(value) > limit:
            self.fail(what, f"name {_show(value)} is longer than {limit} characters")
        if has_controls(value) or "\n" in value or "\t" in value:
            self.fail(what, f"name {_show(value)} holds control characters")

    def text(self, what: str, value, *, limit: int, optional: bool = True) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            self.fail(what, f"{_show(value)} is not text")
        if len(value) > limit:
            self.fail(what, f"a text of {len(value):,} characters is longer than {limit:,}")

    def whole(self, what: str, value, *, low: int = 0) -> int:
        if type(value) is not int or value < low:
            self.fail(what, f"{_show(value)} is not a whole number of at least {low}")
        return value


MAX_DEPTH = 100  # sub-codes in sub-codes; the codebook's tree is walked recursively


def check_codes(path: Path, codes: list[dict]) -> None:
    """The other project's codebook (``store.merge.codes``), before any of it is read as
    a tree: identities, names, texts, keywords, stage, colour, and a tree of bounded depth."""
    import json

    from ..coding.code_fields import COLOUR

    c = _Checker(path)
    parents = {code["id"]: code["parent_id"] for code in codes}
    for code in codes:
        what = f"code {_show(code['name'])}"
        c.guid(what, code["guid"])
        if not code.get("live", True):
            continue  # the record of a code merged away: its name is not a code's name
        try:
            check_name(code["name"] if isinstance(code["name"], str) else "")
        except QualcodeError as exc:
            c.fail(what, str(exc))
        c.name(what, code["name"])
        for field in ("definition", "inclusion", "exclusion", "example"):
            c.text(f"{what} ({field})", code.get(field), limit=LONG_TEXT_LIMIT)
        if code.get("stage") not in schema.STAGES:
            c.fail(what, f"stage {_show(code.get('stage'))} is not one of {', '.join(schema.STAGES)}")
        colour = code.get("colour")
        if colour is not None and (not isinstance(colour, str) or not COLOUR.match(colour)):
            c.fail(what, f"colour {_show(colour)} is not #rrggbb")
        keywords = code.get("keywords")
        if keywords is not None:
            try:
                words = json.loads(keywords) if isinstance(keywords, str) and len(keywords) < 100_000 else None
            except (ValueError, RecursionError):
                words = None
            if not isinstance(words, list) or not all(isinstance(w, str) and len(w) <= NAME_LIMIT
                                                      for w in words):
                c.fail(what, "its keywords are not a list of words")
        depth, parent = 0, code["parent_id"]
        while parent is not None:
            depth += 1
            if depth > MAX_DEPTH:
                c.fail(what, f"it is nested more than {MAX_DEPTH} codes deep (or in a loop)")
            parent = parents.get(parent)


def check_other(path: Path, *, transcripts: dict[str, dict], ours: dict[str, dict], codes: list[dict],
                people: list[dict], coders: list[dict], codings: list[dict], memos: list[dict]) -> None:
    """Refuse the other project (an :class:`InputError` naming ``path``) unless all that
    would be merged from it is sound. ``transcripts``/``ours``: by SHA-256, each with its
    ``name`` and ``length`` (code points of the text)."""
    from ..model import PARTICIPANT_ID

    check_codes(path, codes)
    c = _Checker(path)
    for person in people:
        what = f"participant {_show(person['pid'])}"
        c.guid(what, person["guid"])
        if not isinstance(person["pid"], str) or not PARTICIPANT_ID.match(person["pid"]):
            c.fail(what, "the id is not a valid participant id")
        for field in ("pseudonym", "role", "site"):
            c.text(f"{what} ({field})", person[field], limit=SHORT_TEXT_LIMIT)
    for coder in coders:
        c.guid(f"coder {_show(coder['name'])}", coder["guid"])
        c.name(f"coder {_show(coder['name'])}", coder["name"])
    for coding in codings:
        what = f"coding {_show(coding['guid'])}"
        c.guid(what, coding["guid"])
        start = c.whole(what, coding["start"])
        end = c.whole(what, coding["end"], low=1)
        if end <= start:
            c.fail(what, f"it ends ({end}) where it starts or before ({start})")
        theirs, here = transcripts.get(coding["sha256"]), ours.get(coding["sha256"])
        for transcript, where in ((theirs, "in the file"), (here, "here")):
            if transcript is not None and end > transcript["length"]:
                c.fail(what, f"it ends at {end:,}, past the end of transcript "
                             f"{_show(transcript['name'])} {where} ({transcript['length']:,} characters)")
        if coding["exemplar"] not in (0, 1):
            c.fail(what, f"exemplar {_show(coding['exemplar'])} is not 0 or 1")
        c.text(f"{what} (memo)", coding["memo"], limit=LONG_TEXT_LIMIT)
        c.text(f"{what} (created)", coding["created"], limit=100, optional=False)
    for memo in memos:
        what = f"memo {_show(memo['title'])}"
        c.guid(what, memo["guid"])
        if memo["type"] not in schema.MEMO_TYPES:
            c.fail(what, f"type {_show(memo['type'])} is not one of {', '.join(schema.MEMO_TYPES)}")
        c.text(what, memo["title"], limit=SHORT_TEXT_LIMIT, optional=False)
        c.text(f"{what} (body)", memo["body"], limit=LONG_TEXT_LIMIT, optional=False)
        c.text(f"{what} (created)", memo["created"], limit=100, optional=False)
        for link in memo["links"]:
            if link["wave"] is not None:
                c.name(f"{what} (link to a wave)", link["wave"])


__all__ = ["check_codes", "check_other"]
