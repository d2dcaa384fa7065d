"""REFI-QDA out: ``Notes``, ``Links`` and the project's own ``NoteRef``s.

* ``Notes``: one per memo (``PlainTextContent``, its type in the Description), referenced
  by ``NoteRef`` from the codes, sources and codings they are linked to. A coding's own
  short memo is a Note referenced from its Coding, and so is the mark of an exemplar
  quote (a Note "Exemplar quote"). The study facts are notes too: one for the facts, one
  per interviewer, each line "what (COREQ item): value";
* ``Links``: links of memos to participants and waves, for which the schema has no
  NoteRef, are ``Link`` elements from the note;
* memos linked to nothing belong to the project as a whole, as do the study facts: the
  ``NoteRef``s at the end of the ``Project``.

Memos are read one at a time.
"""

from __future__ import annotations

from itertools import chain

from ..store import refi as store_refi
from ..store import summaries as store_summaries
from .refi_export_context import ExportContext, element, sub
from .refi_export_sources import coding_memo_note_guid, exemplar_note_guid
from .refi_summaries import summaries_without_source, summary_case_links, write_summary_notes
from .refi_vocabulary import (
    CODING_MEMO_MARK,
    EXEMPLAR_MARK,
    MEMO_TYPE_PREFIX,
    STUDY_MARK,
    stable_guid,
    xml_datetime,
)


def study_fact_notes(ctx: ExportContext) -> list[tuple[str, str, str]]:
    """(guid, name, text) of the notes holding the study facts: one for the facts, one
    per interviewer, each line "what (COREQ item): value"."""
    from ..model import FACTS, INTERVIEWER_FIELDS

    study = ctx.study_facts
    notes = []
    if study.facts:
        lines = [f"{FACTS[key][1]} (COREQ {FACTS[key][0]}): {value}"
                 for key, value in study.facts.items() if key in FACTS]
        notes.append((stable_guid(ctx.project_guid, "study", "facts"), "Study facts", "\n".join(lines)))
    for person in study.interviewers:
        lines = [f"Interviewer or facilitator (COREQ 1): {person.name}"]
        lines += [f"{label} (COREQ {item}): {value}"
                  for key, (item, label) in INTERVIEWER_FIELDS.items() if (value := person.value(key))]
        notes.append((stable_guid(ctx.project_guid, "study", "interviewer", person.name),
                      f"Interviewer: {person.name}", "\n".join(lines)))
    return notes


def _note(attrs: dict[str, object | None], mark: str, body: str) -> object:
    built = element("Note", attrs)
    sub(built, "Description", text=mark)
    sub(built, "PlainTextContent", text=body)
    return built


def _write_memos(ctx: ExportContext) -> None:
    for memo in store_refi.memos(ctx.db):
        ctx.xml.write(_note({"guid": memo.guid, "name": memo.title, "creatingUser": memo.author_guid,
                             "creationDateTime": xml_datetime(memo.created),
                             "modifiedDateTime": xml_datetime(memo.updated)},
                            MEMO_TYPE_PREFIX + memo.type, memo.body))
        ctx.counts.memos += 1


def _write_coding_notes(ctx: ExportContext) -> None:
    """Codings' own memos first, then the marks of exemplar quotes."""
    for note in store_refi.coding_notes(ctx.db):
        if note.memo:
            ctx.xml.write(_note({"guid": coding_memo_note_guid(ctx, note.guid), "name": "Coding memo",
                                 "creatingUser": note.coder_guid, "creationDateTime": xml_datetime(note.created)},
                                CODING_MEMO_MARK, note.memo))
    for note in store_refi.coding_notes(ctx.db):
        if note.exemplar:
            ctx.xml.write(_note({"guid": exemplar_note_guid(ctx, note.guid), "name": "Exemplar quote",
                                 "creatingUser": note.coder_guid, "creationDateTime": xml_datetime(note.created)},
                                EXEMPLAR_MARK, "Chosen as an exemplar quote for its code."))


def write_notes(ctx: ExportContext) -> None:
    study_notes = study_fact_notes(ctx)
    if not (store_refi.has_memos(ctx.db) or store_refi.has_coding_notes(ctx.db) or study_notes
            or store_summaries.has_summaries(ctx.db)):
        return
    with ctx.xml.open("Notes"):
        _write_memos(ctx)
        _write_coding_notes(ctx)
        write_summary_notes(ctx)
        for guid, name, body in study_notes:
            ctx.xml.write(_note({"guid": guid, "name": name}, STUDY_MARK, body))


def write_links(ctx: ExportContext) -> None:
    """Memos on participants and waves: the schema has no NoteRef for those."""
    links = chain(store_refi.memo_links_to(ctx.db, "participant_id"), store_refi.memo_links_to(ctx.db, "wave_id"))
    first = next(links, None)
    summary_links = summary_case_links(ctx)
    if first is None and not summary_links:
        return
    with ctx.xml.open("Links"):
        for note, target in chain([first] if first else [], links):
            ctx.xml.leaf("Link", {"guid": stable_guid(ctx.project_guid, "link", note, target), "name": "memo",
                                  "direction": "OneWay", "originGUID": note, "targetGUID": target})
        for guid, note, target in summary_links:
            ctx.xml.leaf("Link", {"guid": guid, "name": "summary", "direction": "OneWay",
                                  "originGUID": note, "targetGUID": target})


def write_project_note_refs(ctx: ExportContext) -> None:
    for guid in store_refi.unlinked_memo_guids(ctx.db):
        ctx.xml.leaf("NoteRef", {"targetGUID": guid})
    for guid, _name, _body in study_fact_notes(ctx):
        ctx.xml.leaf("NoteRef", {"targetGUID": guid})
    for guid in summaries_without_source(ctx):
        ctx.xml.leaf("NoteRef", {"targetGUID": guid})
