"""Pseudonymisation (``project.privacy``).

The name key maps real names (of people, places, organisations) to pseudonyms. It is
applied to every transcript as it is imported, and can be applied to transcripts
already in the project (``deidentify``), moving turns, sentences and codings with the
text. The key can be exported to a file kept elsewhere and removed from the project;
only with that file can pseudonymised text be read with the real names again.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import outputs
from ..context import Service
from ..csv_writer import DEFAULT, CsvStyle, restore, write_csv
from ..errors import InputError, QualcodeError
from ..input_files import read_regular_file
from ..model import NAME_KINDS
from ..records.study import NameKeyEntry, NameSuggestion
from ..store import events as store_events
from ..store import namekey as store_key
from ..store import study as store_study
from ..store import transcripts as store_tx
from .replace import reidentify, replace_names
from .suggest import COMMON, STOP_WORDS, collect, entity_candidates, heuristic_candidates, number_proposals

KINDS = NAME_KINDS
KEY_COLUMNS = ("real", "pseudonym", "kind", "participant")


def _unguarded(row: dict) -> dict:
    """A key file row as it was before the CSV formula guard (see qualcode.csv_writer)."""
    return {k: restore(v) if isinstance(v, str) else v for k, v in row.items()}


class PrivacyService(Service):
    """The name key, de-identification and suggestions."""

    def name_key(self) -> list[NameKeyEntry]:
        """The name key, by real name."""
        return [NameKeyEntry(**entry) for entry in store_key.entries(self.db)]

    def add_name(self, real: str, pseudonym: str, *, kind: str = "person",
                 participant: str | None = None) -> None:
        real, pseudonym = " ".join((real or "").split()), " ".join((pseudonym or "").split())
        if not real or not pseudonym:
            raise QualcodeError("a name key entry needs a real name and a pseudonym")
        if kind not in KINDS:
            raise QualcodeError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        participant_id = store_study.participant_row(self.db, participant)["id"] if participant else None
        # Logged without the name itself: the log must not become a copy of the key.
        with self.action("namekey.add", f"added a name key entry ({kind})", undoable=False):
            store_key.add(self.db, real, pseudonym, kind, participant_id)

    def export_name_key(self, path: str | Path, *, remove: bool = False,
                        csv_style: CsvStyle = DEFAULT) -> int:
        """Write the key to a CSV file readable by its owner only. The file is written
        anew (a link at ``path`` is replaced, never followed) and never over the open
        project; with ``remove``, the key then leaves the project."""
        path = outputs.check_target(path)
        entries = store_key.entries(self.db)
        if not entries:
            raise QualcodeError("the name key is empty")
        write_csv(path, KEY_COLUMNS, ([e[k] for k in KEY_COLUMNS] for e in entries),
                  style=csv_style, lineterminator="\n")
        if remove:
            with self.action("namekey.remove", "moved the name key out of the project", undoable=False):
                store_key.remove_all(self.db)
            store_key.scrub(self.db)
        return len(entries)

    def import_name_key(self, path: str | Path) -> int:
        path = Path(path)
        rows = _read_key_rows(path)
        if not rows or "real" not in rows[0] or "pseudonym" not in rows[0]:
            raise InputError(path, "is not a name key (columns real, pseudonym[, kind, participant])")
        with self.action("namekey.import", f"imported a name key of {len(rows)} entries", undoable=False):
            for number, row in enumerate(rows, start=2):
                try:
                    self.add_name(row["real"], row["pseudonym"], kind=row.get("kind") or "person",
                                  participant=row.get("participant") or None)
                except QualcodeError as exc:
                    raise InputError(path, f"row {number}: {exc}") from None
        return len(rows)

    def _key(self, key_file: str | Path | None = None) -> dict[str, str]:
        if key_file:
            return {r["real"]: r["pseudonym"] for r in _read_key_rows(Path(key_file))}
        return store_key.mapping(self.db)

    def deidentify(self, *, memos: bool = True) -> dict[str, int]:
        """Apply the name key to everything already in the project (one transaction, after
        a backup): the transcripts' text, with turns, sentences and codings moved with it;
        speaker labels; transcript and source file names; code names, definitions,
        criteria, examples and keywords; roles, sites and other attributes; attendance
        notes and wave descriptions; memos and codings' memos (unless ``memos`` is false,
        see :mod:`qualcode.privacy.fields`); and the event log's copies of all of them."""
        from ..store.db import backup_database
        from .fields import field_changes, log_changes

        key = store_key.mapping(self.db)
        if not key:
            raise QualcodeError("the name key is empty: add names first (qualcode namekey add)")
        plans = []
        for transcript_id, _name in store_key.transcript_ids(self.db):
            text = store_tx.transcript_text(self.db, transcript_id)
            new_text, offsets, reps = replace_names(text, key)
            if reps:
                plans.append((transcript_id, new_text, offsets, len(reps)))
        fields = field_changes(self.db, key, memos=memos)
        events, event_changes = log_changes(self.db, key, {p[0]: p[2] for p in plans}, memos=memos)
        # The log's copies of a transcript's text, turns and sentences belong to other
        # versions of the text: they cannot be rewritten, so the history up to the newest
        # of them is sealed instead (see store.events.seal_history).
        sealed_up_to, sealed_changes = store_events.text_history(self.db)
        labels = store_study.speaker_labels(self.db)
        result = {"transcripts": len(plans), "replacements": sum(p[3] for p in plans), "speakers": 0,
                  "names": sum(1 for f in fields if f.table == "transcripts"),
                  "fields": sum(len(f.values) for f in fields if f.table != "transcripts"),
                  "log": len(events) + len(event_changes)}
        if not plans and not fields and not events and not event_changes and not labels & set(key):
            return result
        backup = backup_database(self.db, Path(self.path), "pre-deidentify")
        summary = (f"applied the name key to {len(plans)} transcript(s), {result['names']} name(s) "
                   f"and {result['fields']} other field(s)")
        event_changes = [change for change in event_changes if change[0] not in sealed_changes]
        try:
            self._deidentify(summary, plans, fields, events, event_changes, key, result, sealed_up_to)
        except BaseException:
            backup.unlink(missing_ok=True)  # nothing changed (one transaction): no copy to keep
            raise
        store_key.scrub(self.db)
        return result

    def _deidentify(self, summary, plans, fields, events, event_changes, key, result, sealed_up_to=None) -> None:
        """Write what :meth:`deidentify` worked out, as one action."""
        with self.action("deidentify", summary, undoable=False):
            store_key.secure_delete(self.db)  # overwritten values are zeroed, not left in free pages
            if sealed_up_to is not None:
                store_events.seal_history(self.db, up_to=sealed_up_to)
            for transcript_id, new_text, offsets, _n in plans:
                store_key.rewrite_transcript(self.db, transcript_id, new_text, offsets)
            for change in fields:
                store_key.update_row(self.db, change.table, change.rowid, change.values)
            result["speakers"] = store_key.rename_speakers(self.db, key)
            for event_id, event_summary, details in events:
                store_key.update_event(self.db, event_id, event_summary, details)
            for change_id, old, new in event_changes:
                store_key.update_event_change(self.db, change_id, old, new)
            store_key.forget_replaced_text(self.db)

    def suggest_names(self, *, use_entities: bool | None = None) -> list[NameSuggestion]:
        """Likely identifying words still in the transcripts, with a proposed pseudonym."""
        from ..nlp import trained_pipeline_name

        key = store_key.mapping(self.db)
        exclude = set(key.values())
        for person in store_study.list_participants(self.db):
            exclude.update(filter(None, (person["pseudonym"], person["pid"])))
        exclude.update(store_study.speaker_labels(self.db))
        names = [(tid, name, store_tx.transcript_text(self.db, tid)) for tid, name in store_key.transcript_ids(self.db)]
        hits: dict = {}
        for _tid, name, text in names:
            for start, end, real in ((r.start, r.end, r.real) for r in replace_names(text, key)[2]):
                collect(hits, text, name, start, end, "person", "name key (not yet replaced)")
                hits[text[start:end]]["pseudonym"] = key[real]
        entities = trained_pipeline_name() is not None if use_entities is None else use_entities
        if entities:
            for (_tid, name, text), found in zip(names, entity_candidates([t for _, _, t in names])):
                for start, end, kind in found:
                    word = text[start:end]
                    if word not in exclude and word not in COMMON and word.lower() not in STOP_WORDS:
                        collect(hits, text, name, start, end, kind, "named entity")
        else:
            for _tid, name, text in names:
                for start, end, kind in heuristic_candidates(text, exclude):
                    collect(hits, text, name, start, end, kind, "capitalised word")
        return [NameSuggestion(e["text"], e["kind"], e["source"], e["count"], tuple(e["transcripts"]),
                               e["example"], e["proposed"], e.get("pseudonym"))
                for e in number_proposals(hits)]

    def reidentified_text(self, transcript: str, key_file: str | Path | None = None) -> str:
        key = self._key(key_file)
        if not key:
            raise QualcodeError("no name key: give the key file it was exported to")
        row = store_tx.transcript_row(self.db, transcript)
        return reidentify(store_tx.transcript_text(self.db, row["id"]), key)


#: Largest name key read (a key of tens of thousands of names is a few MB).
MAX_KEY_BYTES = 16 * 1024 * 1024


def _read_key_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV name key, read through the one door for files from elsewhere
    (regular files only, bounded, never the open project), neutralised cells restored."""
    data = read_regular_file(path, MAX_KEY_BYTES, "name key")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text, so not a name key") from None
    try:
        return [_unguarded(row) for row in csv.DictReader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise InputError(path, f"cannot be read as a CSV name key ({exc})") from None
