"""Writing what :mod:`qualcode.exchange.refi_import` read into a new project."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QualcodeError
from ..model import RESERVED_FILTER_NAMES, AttributeType
from ..store import codes as store_codes
from ..store import refi as store_refi
from ..store import schema
from ..store import study as store_study
from .refi_container import TEXT_EXTENSIONS
from .refi_import import PARTICIPANT_ID
from .refi_import_media import attach_recording, text_sha
from .refi_import_notes import write_memos
from .refi_import_reader import Report, _Selection
from .refi_positions import (
    _is_quote,
    _on_boundary,
    _TextMap,
    quote_matches,
    utf16_to_code_points,
)
from .refi_vocabulary import (
    ATTENDANCE_MARK,
    SOURCE_VARIABLE_MARK,
    WAVE_ATTRIBUTE_MARK,
    WAVE_MARK,
)

#: REFI-QDA variable types that are typed attributes here (Boolean and DateTime stay text).
REFI_ATTRIBUTE_KINDS = {"Integer": "number", "Float": "number", "Date": "date"}


class _Writer:
    """The plan into a new project, in one action."""

    def __init__(self, project, plan: dict, report: Report, coder: str | None):
        self.project, self.plan, self.report = project, plan, report
        self.db = project.db
        self.coder = coder
        self.ours, self.nvivo_windows = plan["ours"], plan["nvivo_windows"]
        self.container = plan.get("container")
        self.extracted: list[Path] = []  # recordings copied out of the .qdpx (removed if the import fails)
        self.recordings = 0

    def write(self) -> None:
        plan, report = self.plan, self.report
        users = plan["users"]
        first = users.get(plan["project_user"]) or next(iter(users.values()), None)
        self.project.ctx.coder = self.coder or first or self.project.coder
        with self.project.action("refi.import", f"imported REFI-QDA project {Path(report.source).name}",
                                 undoable=False):
            self._coders()
            self._waves()
            self._participants()
            self._codes()
            self._sources()
            self._memos()
        report.counts = {k: v for k, v in store_study.counts(self.db).items()
                         if k not in ("turns", "sentences")}
        report.counts["selections"] = self.n_selections
        report.counts["recordings"] = self.recordings

    # coders -----------------------------------------------------------------------------
    def _coders(self) -> None:
        self.coder_ids: dict[str, int] = {}
        taken: set[str] = set()
        for guid, name in self.plan["users"].items():
            unique = name or f"user {guid[:8]}"
            n = 2
            while unique in taken:
                unique = f"{name} ({n})"
                n += 1
            taken.add(unique)
            self.coder_ids[guid] = store_study.coder_id(self.db, unique, guid=guid)
        self.default_coder = store_study.coder_id(self.db, self.project.coder)

    def _coder(self, *guids: str | None) -> int:
        for guid in guids:
            if not guid:
                continue
            if guid not in self.coder_ids:
                self.report.warnings.append(f"user {guid} is not in Users; kept as coder 'user {guid[:8]}'")
                self.coder_ids[guid] = store_study.coder_id(self.db, f"user {guid[:8]}", guid=guid)
            return self.coder_ids[guid]
        if self.coder:  # chosen by the person importing
            return self.default_coder
        return self.coder_ids.get(self.plan["project_user"]) or self.default_coder

    # waves ---------------------------------------------------------------------------------
    def _waves(self) -> None:
        plan, report = self.plan, self.report
        variables = plan["variables"]
        self.source_fields: dict[str, str] = {}  # variable guid -> wave / kind / date
        for guid, var in variables.items():
            if var["description"].startswith(SOURCE_VARIABLE_MARK):
                self.source_fields[guid] = var["description"][len(SOURCE_VARIABLE_MARK):].strip()
            elif var["name"].casefold() == "wave":
                self.source_fields[guid] = "wave"
        self.wave_sets: set[str] = set()
        labels_in_sources = set()
        for values in plan["source_values"]:
            for guid, value in values:
                if self.source_fields.get(guid) == "wave" and value:
                    labels_in_sources.add(value)
        ordered = []
        for s in plan["sets"]:
            if s["description"].startswith(WAVE_MARK) or (s["name"] in labels_in_sources and not s["codes"]):
                head, _sep, description = s["description"].partition("\ndescription: ")
                info = dict(re.findall(r"^(order|start|end): (.*)$", head, re.MULTILINE))
                if _sep:
                    info["description"] = description
                ordered.append((s, info))
                self.wave_sets.add(s["guid"])
        self.wave_guid: dict[str, str] = {}
        time_points: dict[str, dict[str, str]] = {}
        for s, _info in ordered:
            head = s["description"].partition("\ndescription: ")[0]
            for role, label in re.findall(r"^time point \[(.+?)\]: (.+)$", head, re.MULTILINE):
                time_points.setdefault(s["name"], {})[role] = label.strip()
        if time_points:
            store_study.set_setting(self.db, "time_points", json.dumps(time_points, ensure_ascii=False))
        for s, info in ordered:
            if s["name"] in self.wave_guid or not s["name"]:
                continue
            # At most nine digits: a longer number is no order of waves (and may be longer than
            # Python converts, or SQLite stores).
            order = int(info["order"]) if re.fullmatch(r"-?\d{1,9}", info.get("order", "").strip()) else None
            store_study.add_wave(self.db, s["name"], ordinal=order, start_date=info.get("start"),
                                 end_date=info.get("end"), description=info.get("description"), guid=s["guid"])
            self.wave_guid[s["name"]] = s["guid"]
        for label in sorted(labels_in_sources - set(self.wave_guid)):
            store_study.add_wave(self.db, label)
            self.wave_guid[label] = store_study.wave_row(self.db, label)["guid"]
        other = [s for s in plan["sets"] if s["guid"] not in self.wave_sets]
        report.drop("sets of codes (code groups)", sum(1 for s in other if s["codes"]))
        report.drop("sets of sources (document groups)", sum(1 for s in other if s["sources"] and not s["codes"]))
        report.drop("empty sets", sum(1 for s in other if not s["sources"] and not s["codes"] and not s["notes"]))
        report.drop("sets of notes", sum(1 for s in other if s["notes"] and not s["codes"] and not s["sources"]))

    # participants -------------------------------------------------------------------------
    def _participants(self) -> None:
        plan, report = self.plan, self.report
        variables = plan["variables"]
        self.participant_of_source: dict[str, str] = {}
        self.case_pid: dict[str, str] = {}
        # attribute -> (REFI type, [(participant, value)]) of Integer, Float, Date variables
        self.typed_values: dict[str, tuple[str, list[tuple[str, str | None]]]] = {}
        cases_of_source: dict[str, list[str]] = defaultdict(list)
        taken: set[str] = set()
        renamed = 0
        for case in plan["cases"]:
            name = case["name"] or case["guid"][:8]
            pid = name if PARTICIPANT_ID.match(name) else (
                re.sub(r"[^A-Za-z0-9_.\-]+", "_", name).strip("_.-")[:64] or f"case-{case['guid'][:8]}")
            if not pid[0].isalnum():
                pid = f"c{pid}"[:64]
            base, n = pid, 2
            while pid in taken:
                pid = f"{base[:60]}-{n}"
                n += 1
            taken.add(pid)
            if pid != name:
                renamed += 1
            fields, attributes, by_wave, attendance = {}, {}, [], []
            for guid, value in case["values"]:
                var = variables.get(guid)
                if var is None:
                    report.drop("case values of unknown variables", 1)
                    continue
                desc = var["description"]
                if desc.startswith(ATTENDANCE_MARK):
                    wave = dict(re.findall(r"^(wave): (.*)$", desc, re.MULTILINE)).get("wave")
                    if wave in self.wave_guid and value in schema.ATTENDANCE:
                        attendance.append((wave, value))
                        continue
                if desc.startswith(WAVE_ATTRIBUTE_MARK):
                    info = dict(re.findall(r"^(attribute|wave): (.*)$", desc, re.MULTILINE))
                    if "attribute" in info and info.get("wave") in self.wave_guid:
                        by_wave.append((info["wave"], info["attribute"], value))
                        self._typed_value(var, info["attribute"], pid, value)
                        continue
                key = var["name"] or guid[:8]
                if key.casefold() in ("pseudonym", "role", "site") and key == key.lower():
                    fields[key] = value
                else:
                    attributes[key] = value
                    self._typed_value(var, key, pid, value)
            participant_id = store_study.add_participant(self.db, pid, guid=case["guid"], **fields)
            for key, value in attributes.items():
                store_study.set_attribute(self.db, participant_id, key, value)
            for wave, key, value in by_wave:
                store_study.set_wave_attribute(self.db, participant_id,
                                               store_study.wave_row(self.db, wave)["id"], key, value)
            for wave, status in attendance:
                store_study.set_attendance(self.db, participant_id, store_study.wave_row(self.db, wave)["id"], status)
            if case["description"]:
                store_study.set_attribute(self.db, participant_id, "description", case["description"].strip())
            self.case_pid[case["guid"]] = pid
            for source in case["sources"]:
                cases_of_source[source].append(pid)
        if renamed:
            report.warnings.append(f"{renamed} case names are not valid participant ids; made valid "
                                   "(letters, digits, '-', '_', '.')")
        for source, pids in cases_of_source.items():
            if len(pids) == 1:
                self.participant_of_source[source] = pids[0]
        self._declare_typed_variables()

    def _typed_value(self, variable: dict, key: str, pid: str, value: str | None) -> None:
        """Remember a value of a variable REFI-QDA types as a number or a date."""
        kind = REFI_ATTRIBUTE_KINDS.get(variable.get("type") or "")
        if kind is not None and key not in RESERVED_FILTER_NAMES:
            self.typed_values.setdefault(key, (variable["type"], []))[1].append((pid, value))

    def _declare_typed_variables(self) -> None:
        """Integer, Float and Date variables become number and date attributes when every
        value fits (stored in the type's spelling); otherwise the attribute stays text and
        the report names the first value that does not fit."""
        for key, (refi_type, values) in sorted(self.typed_values.items()):
            declared = AttributeType(key, REFI_ATTRIBUTE_KINDS[refi_type])
            spellings: dict[str, str] = {}
            for pid, value in values:
                if value is None or value in spellings:
                    continue
                try:
                    spellings[value] = declared.normalise(value)
                except QualcodeError as error:
                    self.report.warnings.append(f"variable {key} is {refi_type} but {pid} has {value!r} "
                                                f"({error}): kept as text")
                    break
            else:
                store_study.declare_attribute(self.db, declared)
                for old, new in spellings.items():
                    if old != new:
                        store_study.set_attribute_text(self.db, key, old, new)

    # codes ----------------------------------------------------------------------------------
    def _codes(self) -> None:
        from ..coding.codebook import check_name, clean_fields

        self.code_ids: dict[str, int] = {}
        renamed = []
        used_guids: set[str] = set()

        def insert(node: dict, parent_id: int | None, parent_name: str | None) -> None:
            name = check_name(node["name"])[:200]
            if store_codes.name_is_live(self.db, name):
                candidate = f"{name} ({parent_name})" if parent_name else name
                n = 2
                while store_codes.name_is_live(self.db, candidate):
                    candidate = f"{name} ({parent_name or 'top'} {n})"
                    n += 1
                renamed.append(f"{name} -> {candidate}")
                name = candidate
            fields = {k: node[k] for k in ("definition", "inclusion", "exclusion", "example", "colour",
                                           "stage", "in_vivo", "keywords", "codable") if k in node}
            if node.get("category"):
                fields["category"] = True
            guid = node["guid"]
            if guid in used_guids:
                self.report.warnings.append(f"code {name!r}: guid {guid} is used twice; given a new one")
                guid = str(uuid.uuid4())
            used_guids.add(guid)
            code_id = store_codes.insert_code(self.db, name, parent_id, clean_fields(fields), guid=guid)
            self.code_ids.setdefault(node["guid"], code_id)
            for sub in node["children"]:
                insert(sub, code_id, name)

        for node in self.plan["codes"]:
            insert(node, None, None)
        if renamed:
            self.report.warnings.append(f"{len(renamed)} code names occur more than once; renamed: "
                                        + "; ".join(renamed[:10]) + (" ..." if len(renamed) > 10 else ""))

    # sources, selections, codings ----------------------------------------------------------------
    def _sources(self) -> None:
        """Each source as the reader gives it (one at a time): stored, then its selections
        placed as codings."""
        self.transcript_ids: dict[str, int] = {}
        # The codings of a selection are remembered only for selections a Link points to.
        self.link_targets = {target for _origin, target, _name in self.plan["links"]}
        self.selection_codings: dict[str, list[int]] = {}
        # (note guid, column, target id); None for a reference without a target.
        self.pending_memo_links: list[tuple[str | None, str, int]] = []
        self.selection_comments: list[tuple[str, str, int | None, list[int], str | None, str | None]] = []
        self.n_selections = 0
        self.names: set[str] = set()
        self.shas: set[str] = set()
        self.tid_by_text: dict[str, int] = {}  # text path or text hash -> transcript, to match recordings
        self.tally = _Tally()
        for source in self.plan["sources"]:
            recording = source.get("recording")
            # The transcript of a TextSource already stored: the same text file, or the same text.
            same_text = self.tid_by_text.get(source["text_path"] or "") or (
                self.tid_by_text.get(text_sha(source["raw"])) if source["raw"].strip() else None)
            if recording is not None and same_text is not None:
                attach_recording(self, source, same_text)
                continue
            tid, name = self._store_source(source)
            if recording is not None:
                attach_recording(self, source, tid)
            if source["selections"]:
                self._place_selections(source, tid, name)
        self._report_sources()

    def _source_name(self, source: dict) -> str:
        name = source["name"]
        if not self.ours and not source["pdf"]:
            for ext in TEXT_EXTENSIONS:
                if name.lower().endswith(ext) and len(name) > len(ext):
                    name = name[: -len(ext)]
                    break
        name = " ".join(name.split()) or source["guid"][:8]
        base, n = name, 2
        while name in self.names:
            name = f"{base} ({n})"
            n += 1
        self.names.add(name)
        return name

    def _source_fields(self, source: dict) -> tuple[str, str | None, str | None]:
        """The kind, date and wave label a source's variable values give."""
        kind, date, wave = ("document" if source["pdf"] else "interview"), None, None
        for guid, value in source["values"]:
            field_ = self.source_fields.get(guid)
            if field_ == "wave":
                wave = value
            elif field_ == "kind" and value in schema.TRANSCRIPT_KINDS:
                kind = value
            elif field_ == "date":
                date = value
            else:
                self.report.drop("source variable values (qualcode keeps attributes on participants)", 1)
        return kind, date, wave

    def _store_source(self, source: dict) -> tuple[int, str]:
        """The transcript of a source, stored as every import stores one; (its id, name)."""
        from ..ingest.model import ParsedTranscript, ParsedTurn
        from ..ingest.text import find_turns

        name = self._source_name(source)
        for warning in source["warnings"]:
            self.report.warnings.append(f"source {source['name']!r}: {warning}")
        if source["missing"]:
            self.tally.missing_text += 1
        raw = source["raw"]
        text = _TextMap(raw).text
        turns = list(source["docx_turns"]) if source["docx_turns"] is not None else find_turns(text)
        if not turns and text.strip():
            turns = [ParsedTurn(None, 0, len(text))]
        data = raw.encode("utf-8", "surrogatepass")
        sha = hashlib.sha256(data).hexdigest()
        if sha in self.shas:
            sha = hashlib.sha256(source["guid"].encode() + b":" + data).hexdigest()
        self.shas.add(sha)
        kind, date, wave = self._source_fields(source)
        participant = self.participant_of_source.get(source["guid"])
        parsed = ParsedTranscript(text=text, turns=turns, source_name=source["base"], sha256=sha,
                                  format=source["format"], encoding=source["encoding"])
        try:
            result = self.project.store_parsed(parsed, participant=participant, wave=wave, kind=kind,
                                                speaker_map={}, date=date, name=name)
        except QualcodeError as exc:
            if date is None:
                raise
            self.report.warnings.append(f"source {name!r}: {exc}; date not kept")
            result = self.project.store_parsed(parsed, participant=participant, wave=wave, kind=kind,
                                                speaker_map={}, date=None, name=name)
        tid = store_refi.keep_source_identity(self.db, result.name, source["guid"], source["created"],
                                              self.coder_ids.get(source["user"]) if source["user"] else None)
        self.transcript_ids[source["guid"]] = tid
        self.tid_by_text.setdefault(text_sha(raw), tid)
        if source["text_path"]:
            self.tid_by_text.setdefault(source["text_path"], tid)
        for note in source["notes"]:
            self.pending_memo_links.append((note, "transcript_id", tid))
        if source["description"] and source["description"].strip():
            self.selection_comments.append((f"Description of {name}", source["description"], tid, [],
                                            source["user"], source["created"]))
        return tid, name

    def _place_selections(self, source: dict, tid: int, name: str) -> None:
        """A source's selections as codings, positions mapped to the stored text."""
        selections, raw, report = source["selections"], source["raw"], self.report
        if source["missing"] or not raw:
            report.drop("selections on sources whose text is missing", len(selections))
            report.drop("codings on sources whose text is missing", sum(len(s.codings) for s in selections))
            for sel in selections:
                if sel.description:
                    self.selection_comments.append((f"Comment on {name} {sel.start}-{sel.end}",
                                                    _comment_body(sel), tid, [], sel.user, sel.created))
            return
        convert = self._position_mode(source, raw, selections)
        mapping = _TextMap(raw)
        seen: dict[tuple[int, int], list[int]] = {}
        for sel in selections:
            span = self._span(sel, convert, mapping, raw, name)
            if span is None:
                report.drop("empty selections", 1)
                continue
            if span in seen:
                self.tally.dup_selections += 1
            else:
                self.n_selections += 1
                seen[span] = []
            ids = seen[span]
            if not sel.codings:
                report.drop("selections without codings (qualcode keeps only coded text)", 1)
            self._place_codings(source, sel, tid, span, ids)
            if sel.guid in self.link_targets:
                self.selection_codings[sel.guid] = ids or self.selection_codings.get(sel.guid, [])
            for note in sel.notes:
                self.pending_memo_links.extend((note, "coding_id", c) for c in ids)
                if not ids:
                    self.pending_memo_links.append((note, "transcript_id", tid))
            if sel.description and sel.description.strip():
                self.selection_comments.append((f"Comment on {name} {span[0]}-{span[1]}",
                                                _comment_body(sel, mapping.text[span[0]:span[1]]),
                                                tid, list(ids), sel.user, sel.created))

    def _span(self, sel: _Selection, convert, mapping: _TextMap, raw: str, name: str) -> tuple[int, int] | None:
        """A selection's range in the stored text, or None when it is empty."""
        if sel.whole:
            start, end = 0, len(mapping.text)
        else:
            a, b = convert(sel.start), convert(sel.end)
            if a > b:
                a, b = b, a
            if a < 0 or b > len(raw):
                self.tally.outside += 1
            a, b = max(0, min(a, len(raw))), max(0, min(b, len(raw)))
            start, end = mapping.start(a), mapping.end(b)
            if _is_quote(sel.name):
                self.tally.checked += 1
                if not quote_matches(sel.name, mapping.text[start:end]):
                    self.tally.mismatch(f"{name} {sel.start}-{sel.end}")
        return (start, end) if end > start else None

    def _place_codings(self, source: dict, sel: _Selection, tid: int, span: tuple[int, int],
                       ids: list[int]) -> None:
        for coding in sel.codings:
            code_id = self.code_ids.get(coding.code)
            if code_id is None:
                self.report.drop("codings of codes not in the codebook", 1)
                continue
            coder_id = self._coder(coding.user, sel.user, source["user"])
            coding_id, new = store_refi.place_coding(self.db, tid, code_id, coder_id, span[0], span[1],
                                                     coding.guid, coding.created or sel.created)
            if new:
                self.tally.placed += 1
                ids.append(coding_id)
            else:
                self.tally.dup_codings += 1
            for note in coding.notes:
                self.pending_memo_links.append((note, "coding_id", coding_id))

    def _report_sources(self) -> None:
        report, tally = self.report, self.tally
        if tally.missing_text:
            report.warnings.append(f"the text of {tally.missing_text} source(s) is not in the file (a bare .qde, "
                                   "or files missing from sources/): they are imported empty and their "
                                   "selections are not kept")
        if tally.outside:
            report.warnings.append(f"{tally.outside} selections run outside their source's text; cut to fit")
        if tally.dup_selections:
            report.warnings.append(f"{tally.dup_selections} duplicate selections (same range) merged")
        if tally.dup_codings:
            report.warnings.append(f"{tally.dup_codings} duplicate codings (same code, coder and range) merged")
        report.checks["quoted selections checked"] = tally.checked
        report.checks["quoted selections matching the text"] = tally.checked - tally.mismatched
        if tally.mismatched:
            shown_ = ", ".join(tally.first_mismatches)
            report.warnings.append(f"{tally.mismatched} of {tally.checked} selections quote other text than they "
                                   f"cover: {shown_}{' ...' if tally.mismatched > len(tally.first_mismatches) else ''}")
        report.checks["codings placed"] = tally.placed

    def _position_mode(self, source: dict, raw: str, selections: list[_Selection]):
        """Code points (the standard) or UTF-16 code units (NVivo for Windows)?"""
        points = lambda p: p  # noqa: E731
        utf16 = utf16_to_code_points(raw)
        if self.ours or utf16(len(raw) * 2) == len(raw) * 2:  # ours, or nothing outside the BMP
            return points
        quoted = [s for s in selections if _is_quote(s.name) and not s.whole]
        spans = [s for s in selections if not s.whole]
        if quoted:
            score = {label: sum(quote_matches(s.name or "", raw[convert(s.start):convert(s.end)]) for s in quoted)
                     for label, convert in (("points", points), ("utf16", utf16))}
            chosen = "utf16" if score["utf16"] > score["points"] or (
                score["utf16"] == score["points"] and self.nvivo_windows) else "points"
            how = "quoted text" if score["utf16"] != score["points"] else "origin"
        elif self.nvivo_windows:
            chosen, how = "utf16", "origin"
        else:
            # Neither quotes nor a telling origin: only a clear majority of selections
            # that start and end on word boundaries under UTF-16 counting overrides the
            # standard's code points.
            score = {label: sum(_on_boundary(raw, convert(s.start), convert(s.end)) for s in spans)
                     for label, convert in (("points", points), ("utf16", utf16))}
            chosen = "utf16" if len(spans) >= 5 and score["utf16"] > 1.5 * score["points"] else "points"
            how = "word boundaries"
        if chosen == "utf16":
            self.report.warnings.append(f"source {source['name']!r}: positions are counted in UTF-16 code units "
                                        f"(judged by {how}); converted to characters")
            return utf16
        return points

    # memos ------------------------------------------------------------------------------------
    def _memos(self) -> None:
        write_memos(self)


@dataclass
class _Tally:
    """What placing the sources' selections counted, for the report."""

    missing_text: int = 0
    placed: int = 0
    dup_selections: int = 0
    dup_codings: int = 0
    outside: int = 0
    checked: int = 0
    mismatched: int = 0
    first_mismatches: list[str] = field(default_factory=list)

    def mismatch(self, where: str) -> None:
        self.mismatched += 1
        if len(self.first_mismatches) < 5:  # the report names a few, and counts them all
            self.first_mismatches.append(where)


def _comment_body(sel: _Selection, covered: str | None = None) -> str:
    body = (sel.description or "").strip()
    if covered is None and sel.name and _is_quote(sel.name):
        covered = sel.name
    if covered:
        body += f"\n\nOn: {covered}"
    return body
