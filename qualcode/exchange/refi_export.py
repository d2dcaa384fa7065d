"""REFI-QDA Project Exchange (``.qdpx``) out.

A zip with ``project.qde`` at its root and one UTF-8 ``sources/<GUID>.txt`` per
transcript. The ``.qde`` holds:

* ``Users``: the coders, with their GUIDs;
* ``CodeBook``: the code tree by nesting, ``isCodable``, colour, and the definition
  and criteria as a Description (as in the ``.qdc`` export), with ``NoteRef`` to the
  memos linked to the code;
* ``Variables`` and ``Cases``: each participant is a Case (GUID kept, ``name`` = the
  participant id) whose VariableValues are its pseudonym, role, site and attributes;
  attributes that vary by wave are variables named ``KEY [WAVE]``, and attendance
  (interviewed, missed, withdrawn, not yet) variables named ``Attendance [WAVE]``. A
  Case lists its transcripts with ``SourceRef``;
* ``Sources``: one TextSource per transcript, ``plainTextPath="internal://<GUID>.txt"``.
  Each distinct coded range is one PlainTextSelection (positions in code points of
  the stored text, end exclusive; the quoted text in ``@name``) holding one Coding
  per coding, with ``creatingUser`` and ``creationDateTime``. The wave, kind and
  date of a transcript are VariableValues of the source;
* ``Notes``: one per memo (``PlainTextContent``), referenced by ``NoteRef`` from the
  codes, sources and codings they are linked to; links to participants and waves,
  for which the schema has no NoteRef, are ``Link`` elements from the note. A
  coding's own short memo is a Note referenced from its Coding, and so is the mark of
  an exemplar quote (a Note "Exemplar quote");
* ``Sets``: one per wave, with ``MemberSource`` for its transcripts (never an empty
  ``<Sets/>``, which the schema forbids).

The document is validated against ``Project.xsd`` before anything is written; an
invalid document is a bug of ours and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree as ET

from .. import outputs
from ..errors import QualcodeError
from ..store import refi as store_refi
from ..store import study as store_study
from ..version import __version__
from .refi_qdc import description_text
from .xml_safety import validation_error

NAMESPACE = "urn:QDA-XML:project:1.0"
QUOTE_LENGTH = 100  # @name of a selection: its text, cut after this many characters with "…"

# Markers in Descriptions that let our own import read back what REFI has no field for.
MEMO_TYPE_PREFIX = "qualcode memo type: "
CODING_MEMO_MARK = "qualcode coding memo"
EXEMPLAR_MARK = "qualcode exemplar"
WAVE_MARK = "qualcode wave"
WAVE_ATTRIBUTE_MARK = "qualcode attribute by wave"
ATTENDANCE_MARK = "qualcode attendance"
STUDY_MARK = "qualcode study facts"
SOURCE_VARIABLES = {"wave": ("Wave", "Text"), "kind": ("Transcript kind", "Text"),
                    "date": ("Transcript date", "Date")}
SOURCE_VARIABLE_MARK = "qualcode transcript field: "

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _clean(value: str | None) -> str:
    """Text as XML 1.0 can hold it (control characters become U+FFFD)."""
    return _ILLEGAL_XML.sub("\ufffd", value or "")


def xml_datetime(stamp: str | None) -> str | None:
    """A stored timestamp as xsd:dateTime in UTC with ``Z``, or None."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stable_guid(project_guid: str, *parts: object) -> str:
    """A GUID for something we store without one (a selection, a variable), the same
    on every export of the same project."""
    key = ":".join(str(p) for p in parts)
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"qualcode:{project_guid}:{key}"))


def quote(text: str) -> str:
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"


def _sub(parent: ET.Element, tag: str, attrs: dict | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k: _clean(str(v)) for k, v in (attrs or {}).items()
                                              if v is not None})
    if text is not None:
        element.text = _clean(text)
    return element


def _value(parent: ET.Element, variable_guid: str, value: str | None, type_: str = "Text") -> None:
    element = _sub(parent, "VariableValue")
    _sub(element, "VariableRef", {"targetGUID": variable_guid})
    if value is None:
        return  # the schema allows a VariableValue without a value: "not set"
    _sub(element, {"Text": "TextValue", "Date": "DateValue"}[type_], text=value)


def study_fact_notes(project, project_guid: str) -> list[tuple[str, str, str]]:
    """(guid, name, text) of the notes holding the study facts: one for the facts, one
    per interviewer, each line "what (COREQ item): value"."""
    from ..model import FACTS, INTERVIEWER_FIELDS

    study = project.study.study_facts()
    notes = []
    if study["facts"]:
        lines = [f"{FACTS[key][1]} (COREQ {FACTS[key][0]}): {value}"
                 for key, value in study["facts"].items() if key in FACTS]
        notes.append((stable_guid(project_guid, "study", "facts"), "Study facts", "\n".join(lines)))
    for person in study["interviewers"]:
        lines = [f"Interviewer or facilitator (COREQ 1): {person['name']}"]
        lines += [f"{label} (COREQ {item}): {person[key]}"
                  for key, (item, label) in INTERVIEWER_FIELDS.items() if person.get(key)]
        notes.append((stable_guid(project_guid, "study", "interviewer", person["name"]),
                      f"Interviewer: {person['name']}", "\n".join(lines)))
    return notes


def project_document(project) -> tuple[bytes, dict[str, bytes], dict]:
    """The ``project.qde`` bytes, the internal files by path, and counts."""
    db = project.db
    ET.register_namespace("", NAMESPACE)
    project_guid = store_study.get_meta(db, "project_guid") or str(uuid.uuid4())
    coders = {c["id"]: c for c in project.study.coders()}
    root = ET.Element(_q("Project"), {
        "name": _clean(project.title), "origin": f"qualcode {__version__}",
    })
    created = xml_datetime(store_study.get_meta(db, "created"))
    if created:
        root.set("creationDateTime", created)
    root.set("modifiedDateTime", xml_datetime(dt.datetime.now(dt.UTC).isoformat()))

    # --- memos and what they are linked to --------------------------------------------
    memos = project.memos.all()
    links_by_column: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    memo_guid = {m["id"]: m["guid"] for m in memos}
    for memo_id, column, target in store_refi.memo_link_targets(db):
        links_by_column[column][target].append(memo_guid[memo_id])
    linked_memos = store_refi.linked_memo_ids(db)
    time_points = project.study.time_points()

    # --- users ----------------------------------------------------------------------------
    if coders:
        users = _sub(root, "Users")
        for coder in sorted(coders.values(), key=lambda c: c["name"]):
            _sub(users, "User", {"guid": coder["guid"], "name": coder["name"]})

    # --- codebook ----------------------------------------------------------------------------
    code_ids = store_refi.ids_by_guid(db, "codes")
    tree = project.codebook.tree()
    n_codes = 0
    if tree:
        codes = _sub(_sub(root, "CodeBook"), "Codes")

        def add(parent: ET.Element, node: dict) -> None:
            nonlocal n_codes
            n_codes += 1
            attrs = {"guid": node["guid"], "name": node["name"],
                     "isCodable": "true" if node["codable"] else "false"}
            if node.get("colour"):
                attrs["color"] = node["colour"].upper()
            element = _sub(parent, "Code", attrs)
            text = description_text(node)
            if text:
                _sub(element, "Description", text=text)
            for guid in links_by_column["code"].get(code_ids[node["guid"]], []):
                _sub(element, "NoteRef", {"targetGUID": guid})
            for child in node["children"]:
                add(element, child)

        for node in tree:
            add(codes, node)

    # --- variables and cases ---------------------------------------------------------------
    participants = project.study.participants()
    waves = project.study.waves()
    wave_by_id = {w["id"]: w for w in waves}
    transcripts = store_refi.transcripts(db)
    case_variables: dict[tuple, tuple[str, str, str | None]] = {}  # key -> (guid, name, description)
    for person in participants:
        for key in ("pseudonym", "role", "site"):
            if person[key] is not None:
                case_variables[("field", key)] = None
        for key in person["attributes"]:
            case_variables[("attribute", key)] = None
        for wave, values in person["wave_attributes"].items():
            for key in values:
                case_variables[("wave", wave, key)] = None
    # Attendance (interviewed, missed, withdrawn, not yet) has no REFI field either: a
    # variable per wave, which other programs show as a case attribute.
    attendance: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pid, wave, status in store_study.attendance_rows(db):
        attendance[pid].append((wave, status))
        case_variables[("attendance", wave)] = None
    for spec in case_variables:
        if spec[0] == "wave":
            name = f"{spec[2]} [{spec[1]}]"
            description = f"{WAVE_ATTRIBUTE_MARK}\nattribute: {spec[2]}\nwave: {spec[1]}"
        elif spec[0] == "attendance":
            name = f"Attendance [{spec[1]}]"
            description = f"{ATTENDANCE_MARK}\nwave: {spec[1]}"
        else:
            name, description = spec[-1], None
        case_variables[spec] = (stable_guid(project_guid, "case-variable", *spec), name, description)
    used_source_variables = [key for key in ("wave", "kind", "date")
                             if any(t[{"wave": "wave_id"}.get(key, key)] is not None for t in transcripts)]
    if case_variables or used_source_variables:
        variables = _sub(root, "Variables")
        for guid, name, description in case_variables.values():
            element = _sub(variables, "Variable", {"guid": guid, "name": name, "typeOfVariable": "Text"})
            if description:
                _sub(element, "Description", text=description)
        for key in used_source_variables:
            name, type_ = SOURCE_VARIABLES[key]
            element = _sub(variables, "Variable", {"guid": stable_guid(project_guid, "source-variable", key),
                                                   "name": name, "typeOfVariable": type_})
            _sub(element, "Description", text=SOURCE_VARIABLE_MARK + key)

    transcripts_of: dict[int, list[str]] = defaultdict(list)
    for t in transcripts:
        if t["participant_id"] is not None:
            transcripts_of[t["participant_id"]].append(t["guid"])
    if participants:
        cases = _sub(root, "Cases")
        for person in participants:
            case = _sub(cases, "Case", {"guid": person["guid"], "name": person["pid"]})
            for key in ("pseudonym", "role", "site"):
                if person[key] is not None:
                    _value(case, case_variables[("field", key)][0], person[key])
            for key, value in person["attributes"].items():
                _value(case, case_variables[("attribute", key)][0], value)
            for wave, values in person["wave_attributes"].items():
                for key, value in values.items():
                    _value(case, case_variables[("wave", wave, key)][0], value)
            for wave, status in attendance.get(person["pid"], []):
                _value(case, case_variables[("attendance", wave)][0], status)
            for guid in transcripts_of.get(person["id"], []):
                _sub(case, "SourceRef", {"targetGUID": guid})

    # --- sources, selections, codings --------------------------------------------------------
    codings_by_transcript: dict[int, list[tuple]] = defaultdict(list)
    for row in store_refi.codings(db):
        codings_by_transcript[row[2]].append(row)
    files: dict[str, bytes] = {}
    coding_memo_notes: list[tuple[str, str, str | None, str | None]] = []  # (guid, body, author, created)
    exemplar_notes: list[tuple[str, str | None, str | None]] = []  # (guid, author, created)
    n_selections = n_codings = 0
    if transcripts:
        sources = _sub(root, "Sources")
        for t in transcripts:
            path = f"{t['guid']}.txt"
            files[f"sources/{path}"] = t["text"].encode("utf-8")
            importer = coders.get(t["imported_by"])
            source = _sub(sources, "TextSource", {
                "guid": t["guid"], "name": t["name"], "plainTextPath": f"internal://{path}",
                "creatingUser": importer["guid"] if importer else None,
                "creationDateTime": xml_datetime(t["imported_at"]),
            })
            by_range: dict[tuple[int, int], list[tuple]] = defaultdict(list)
            for row in codings_by_transcript.get(t["id"], []):
                by_range[(row[5], row[6])].append(row)
            for (start, end), rows in by_range.items():
                n_selections += 1
                first = min(rows, key=lambda r: r[8] or "")
                selection = _sub(source, "PlainTextSelection", {
                    "guid": stable_guid(project_guid, "selection", t["guid"], start, end),
                    "name": quote(t["text"][start:end]), "startPosition": start, "endPosition": end,
                    "creatingUser": coders[first[4]]["guid"], "creationDateTime": xml_datetime(first[8]),
                })
                for cid, cguid, _tid, code_guid, coder_id, _s, _e, memo, created, exemplar in rows:
                    n_codings += 1
                    coding = _sub(selection, "Coding", {
                        "guid": cguid, "creatingUser": coders[coder_id]["guid"],
                        "creationDateTime": xml_datetime(created),
                    })
                    _sub(coding, "CodeRef", {"targetGUID": code_guid})
                    if memo:
                        note_guid = stable_guid(project_guid, "coding-memo", cguid)
                        coding_memo_notes.append((note_guid, memo, coders[coder_id]["guid"], created))
                        _sub(coding, "NoteRef", {"targetGUID": note_guid})
                    if exemplar:
                        note_guid = stable_guid(project_guid, "exemplar", cguid)
                        exemplar_notes.append((note_guid, coders[coder_id]["guid"], created))
                        _sub(coding, "NoteRef", {"targetGUID": note_guid})
                    for guid in links_by_column["coding"].get(cid, []):
                        _sub(coding, "NoteRef", {"targetGUID": guid})
            for guid in links_by_column["transcript"].get(t["id"], []):
                _sub(source, "NoteRef", {"targetGUID": guid})
            wave = wave_by_id.get(t["wave_id"])
            if wave:
                _value(source, stable_guid(project_guid, "source-variable", "wave"), wave["label"])
            if "kind" in used_source_variables:
                _value(source, stable_guid(project_guid, "source-variable", "kind"), t["kind"])
            if t["date"]:
                _value(source, stable_guid(project_guid, "source-variable", "date"), t["date"], "Date")

    # --- notes -------------------------------------------------------------------------------
    study_notes = study_fact_notes(project, project_guid)
    if memos or coding_memo_notes or exemplar_notes or study_notes:
        notes = _sub(root, "Notes")
        author_guid = {c["name"]: c["guid"] for c in coders.values()}
        for memo in memos:
            note = _sub(notes, "Note", {
                "guid": memo["guid"], "name": memo["title"],
                "creatingUser": author_guid.get(memo["author"]) if memo["author"] else None,
                "creationDateTime": xml_datetime(memo["created"]),
                "modifiedDateTime": xml_datetime(memo["updated"]),
            })
            _sub(note, "Description", text=MEMO_TYPE_PREFIX + memo["type"])
            _sub(note, "PlainTextContent", text=memo["body"])
        for guid, body, author, created in coding_memo_notes:
            note = _sub(notes, "Note", {"guid": guid, "name": "Coding memo", "creatingUser": author,
                                        "creationDateTime": xml_datetime(created)})
            _sub(note, "Description", text=CODING_MEMO_MARK)
            _sub(note, "PlainTextContent", text=body)
        for guid, author, created in exemplar_notes:
            note = _sub(notes, "Note", {"guid": guid, "name": "Exemplar quote", "creatingUser": author,
                                        "creationDateTime": xml_datetime(created)})
            _sub(note, "Description", text=EXEMPLAR_MARK)
            _sub(note, "PlainTextContent", text="Chosen as an exemplar quote for its code.")
        for guid, name, body in study_notes:
            note = _sub(notes, "Note", {"guid": guid, "name": name})
            _sub(note, "Description", text=STUDY_MARK)
            _sub(note, "PlainTextContent", text=body)

    # --- links: memos on participants and waves (no NoteRef for those in the schema) -------------
    person_guid = {p["id"]: p["guid"] for p in participants}
    wave_guid = {w["id"]: w["guid"] for w in waves}
    link_rows = [(note, person_guid[target]) for target, notes_ in links_by_column["participant"].items()
                 for note in notes_]
    link_rows += [(note, wave_guid[target]) for target, notes_ in links_by_column["wave"].items()
                  for note in notes_]
    if link_rows:
        links = _sub(root, "Links")
        for note, target in link_rows:
            _sub(links, "Link", {"guid": stable_guid(project_guid, "link", note, target), "name": "memo",
                                 "direction": "OneWay", "originGUID": note, "targetGUID": target})

    # --- sets: one per wave --------------------------------------------------------------------
    if waves:
        sets = _sub(root, "Sets")
        for wave in waves:
            element = _sub(sets, "Set", {"guid": wave["guid"], "name": wave["label"]})
            lines = [WAVE_MARK, f"order: {wave['ordinal']}"]
            for key in ("start_date", "end_date"):
                if wave[key]:
                    lines.append(f"{key.replace('_date', '')}: {wave[key]}")
            for role, label in sorted(time_points.get(wave["label"], {}).items()):
                lines.append(f"time point [{role}]: {' '.join(label.split())}")
            if wave["description"]:
                lines.append(f"description: {wave['description']}")
            _sub(element, "Description", text="\n".join(lines))
            for t in transcripts:
                if t["wave_id"] == wave["id"]:
                    _sub(element, "MemberSource", {"targetGUID": t["guid"]})

    # Memos linked to nothing belong to the project as a whole, as do the study facts.
    for memo in memos:
        if memo["id"] not in linked_memos:
            _sub(root, "NoteRef", {"targetGUID": memo["guid"]})
    for guid, _name, _body in study_notes:
        _sub(root, "NoteRef", {"targetGUID": guid})

    ET.indent(root, space=" ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    counts = {"users": len(coders), "codes": n_codes, "participants": len(participants),
              "sources": len(transcripts), "selections": n_selections, "codings": n_codings,
              "memos": len(memos), "waves": len(waves)}
    return data, files, counts


def export_qdpx(project, path: str | Path) -> dict:
    """Write the project as a REFI-QDA ``.qdpx``; returns what was written (counts)."""
    path = outputs.check_target(path)  # refused before the document is built
    data, files, counts = project_document(project)
    error = validation_error(data, "Project.xsd")
    if error:  # a bug of ours, never the user's: refuse to write an invalid file
        raise QualcodeError(f"{path.name}: the project does not validate against Project.xsd ({error})")
    with outputs.output_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", data)
            for name, content in files.items():
                archive.writestr(name, content)
    return {"path": str(path), **counts}
