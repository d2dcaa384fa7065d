"""REFI-QDA in: the notes, written once every reference to them is known.

References to notes come from everywhere in the document (codes, sources, selections,
codings, ``Links``), and some notes are no memo at all: a coding's own memo and the mark
of an exemplar quote (which our export writes as notes) go back onto their codings, the
study facts into the project's settings. The references are gathered while the rest is
written; then the notes are read again one at a time (the reader's third pass) and each
is written where it belongs, so that a project of many memos is never held whole.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from ..store import codes as store_codes
from ..store import memos as store_memos
from ..store import refi as store_refi
from ..store import schema
from ..store import study as store_study
from .refi_import_reader import note_kind
from .refi_summaries import read_summary
from .refi_vocabulary import MEMO_TYPE_PREFIX

Links = dict[str, list[tuple[str, int]]]  # note GUID -> (memo_links column, target id)


def write_memos(writer: Any) -> None:
    """The notes of the document and the selections' comments, as memos (``writer`` is
    the import's :class:`~qualcode.exchange.refi_import_writer._Writer`)."""
    links = _links(writer)
    if writer.plan["study_notes"]:
        _study_facts(writer.db, writer.plan["study_notes"])
    for note in writer.plan["notes"]:
        kind, targets = note_kind(note), links.get(note["guid"], [])
        if kind == "coding":
            for column, coding_id in targets:
                if column == "coding_id":
                    store_codes.set_coding_memo(writer.db, coding_id, note["body"] or None)
        elif kind == "exemplar":
            for column, coding_id in targets:
                if column == "coding_id":
                    store_codes.set_exemplar(writer.db, coding_id, True)
        elif kind == "memo":
            author = writer._coder(note["user"]) if note["user"] else None
            if not read_summary(writer.db, note, writer.report.warnings, author):
                _memo(writer, note, list(dict.fromkeys(targets)))
    for title, body, tid, coding_ids, user, created in writer.selection_comments:
        memo_id = store_memos.insert_memo(writer.db, "segment", title, body,
                                          writer._coder(user) if user else None, created=created)
        if coding_ids:
            for coding_id in coding_ids:
                store_memos.add_link(writer.db, memo_id, "coding_id", coding_id)
        elif tid is not None:
            store_memos.add_link(writer.db, memo_id, "transcript_id", tid)
    if writer.selection_comments:
        writer.report.warnings.append(f"{len(writer.selection_comments)} selection or source descriptions "
                                      "(comments) kept as segment memos")


def _links(writer: Any) -> Links:
    """What each note is linked to: the NoteRefs met on sources, selections, codings and
    codes, and the Links from notes to things qualcode keeps."""
    plan, report, notes = writer.plan, writer.report, writer.plan["note_guids"]
    links: Links = defaultdict(list)
    for note, column, target in writer.pending_memo_links:
        if note in notes:
            links[note].append((column, target))
        else:
            report.drop("references to notes that are not in the file", 1)
    for code_guid, refs in plan["code_notes"].items():
        for note in refs:
            if code_guid in writer.code_ids:
                links[note].append(("code_id", writer.code_ids[code_guid]))
    targets = {**{g: ("participant_id", i) for g, i in store_refi.ids_by_guid(writer.db, "participants").items()},
               **{g: ("wave_id", i) for g, i in store_refi.ids_by_guid(writer.db, "waves").items()},
               **{g: ("transcript_id", i) for g, i in writer.transcript_ids.items()},
               **{g: ("code_id", i) for g, i in writer.code_ids.items()}}
    for origin, target, _name in plan["links"]:
        if origin in notes and target in targets:
            links[origin].append(targets[target])
        elif origin in notes and writer.selection_codings.get(target):
            links[origin].extend(("coding_id", c) for c in writer.selection_codings[target])
        else:
            report.drop("links (other than from a memo to something qualcode keeps)", 1)
    return links


def _memo(writer: Any, note: dict, targets: list[tuple[str, int]]) -> None:
    type_ = None
    description = (note["description"] or "").strip()
    body = note["body"]
    if description.startswith(MEMO_TYPE_PREFIX) and description[len(MEMO_TYPE_PREFIX):] in schema.MEMO_TYPES:
        type_ = description[len(MEMO_TYPE_PREFIX):]
    elif description:
        body = f"{description}\n\n{body}" if body else description
    if type_ is None:
        columns = {c for c, _ in targets}
        type_ = ("code" if "code_id" in columns else "segment" if "coding_id" in columns
                 else "participant" if "participant_id" in columns
                 else "transcript" if "transcript_id" in columns else "project")
    title = note["title"] or _title_from(body) or "Note"
    author = writer._coder(note["user"]) if note["user"] else None
    # Note GUIDs are unique by then (the reader gives a repeated one a new GUID).
    memo_id = store_memos.insert_memo(writer.db, type_, title, body, author, guid=note["guid"],
                                      created=note["created"])
    if note["updated"]:
        store_refi.set_memo_updated(writer.db, memo_id, note["updated"])
    for column, target in targets:
        store_memos.add_link(writer.db, memo_id, column, target)


def _study_facts(db: Any, study_notes: list[dict]) -> None:
    """The study facts and interviewers our export wrote as notes, back into the
    project's settings (lines "what (COREQ n): value")."""
    from ..model import FACTS, INTERVIEWER_FIELDS
    from ..study.facts import FACTS_KEY, INTERVIEWERS_KEY

    by_item = {item: key for key, (item, _) in FACTS.items()}
    by_field = {item: key for key, (item, _) in INTERVIEWER_FIELDS.items()}
    facts, people = {}, []
    for note in study_notes:
        values = {int(n): v.strip() for n, v in
                  re.findall(r"^.*?\(COREQ (\d+)\): (.*)$", note["body"] or "", re.MULTILINE)}
        if 1 in values:
            person = {"name": values.pop(1)}
            person.update({by_field[n]: v for n, v in values.items() if n in by_field})
            people.append(person)
        else:
            facts.update({by_item[n]: v for n, v in values.items() if n in by_item})
    if facts:
        store_study.set_setting(db, FACTS_KEY, json.dumps(facts, ensure_ascii=False))
    if people:
        store_study.set_setting(db, INTERVIEWERS_KEY, json.dumps(people, ensure_ascii=False))


def _title_from(body: str) -> str:
    line = next((item for item in body.splitlines() if item.strip()), "")
    line = " ".join(line.split())
    return line[:60] + ("…" if len(line) > 60 else "")
