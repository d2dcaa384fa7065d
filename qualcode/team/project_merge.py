"""Merging another coder's copy of the project into this one.

Transcripts are matched by the SHA-256 of their source file, participants by id,
codes through the codebook merge plan (by GUID, name, or the team's decisions), coders
by name. Codings keep their coder; a coding identical to one already here (same
transcript, code, coder and span) is not duplicated. Memos are matched by GUID; their
links follow the same mappings. The whole merge is one transaction and one undoable
action, taken after a backup copy of this project.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, QualcodeError
from ..store import codes as store_codes
from ..store import db as store_db
from ..store import memos as store_memos
from ..store import merge as store_merge
from ..store import study as store_study
from ..store import untrusted
from .codebook_merge import apply_plan, build_plan, codebook_of, read_plan, summarise
from .merge_checks import check_other


class _DryRun(Exception):
    """Raised to roll a dry run back."""


@dataclass
class MergeReport:
    other: str
    dry_run: bool
    codebook: dict = field(default_factory=dict)
    transcripts_matched: int = 0
    transcripts_only_there: list[str] = field(default_factory=list)
    participants_added: list[str] = field(default_factory=list)
    coders_added: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_identical: int = 0
    codings_skipped: int = 0
    memos_added: int = 0
    memos_identical: int = 0
    conflicts: list[str] = field(default_factory=list)
    backup: str | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def merge_project(project, other_path: str | Path, *, plan_path: str | Path | None = None,
                  dry_run: bool = False, threshold: float = 85.0) -> MergeReport:
    other_path = Path(other_path)
    if untrusted.same_file(other_path, project.path):
        raise QualcodeError("cannot merge a project into itself")
    report = MergeReport(other=other_path.name, dry_run=dry_run)
    # The other file is someone else's: read from a private copy (never migrated or
    # written in place), under SQLite's defences, and checked whole before anything
    # here changes.
    with untrusted.open_untrusted_copy(other_path) as other_db:
        theirs_tx = store_merge.transcripts_by_sha(other_db)
        ours_tx = store_merge.transcripts_by_sha(project.db)
        shared = set(theirs_tx) & set(ours_tx)
        if not shared:
            raise QualcodeError(
                f"{other_path.name}: shares no transcript with this project (is it another study?)")
        report.transcripts_matched = len(shared)
        report.transcripts_only_there = sorted(theirs_tx[s]["name"] for s in set(theirs_tx) - shared)
        people, coders = store_merge.participants(other_db), store_merge.coders(other_db)
        codings, memos = store_merge.codings(other_db), store_merge.memos(other_db)
        check_other(other_path, transcripts=theirs_tx, ours=ours_tx, codes=store_merge.codes(other_db),
                    people=people, coders=coders, codings=codings, memos=memos)
        incoming = codebook_of(other_db, other_path)
    plan = (read_plan(plan_path) if plan_path
            else build_plan(project, [other_path], threshold, loaded={str(other_path): incoming}))
    report.codebook = summarise(plan)
    backup = None if dry_run else store_db.backup_database(project.db, Path(project.path), "pre-merge")
    try:
        with project.action("project.merge", f"merged {other_path.name}",
                            details={"other": other_path.name}):
            _merge(project, plan, plan_path, people, coders, codings, memos, ours_tx, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException as exc:
        # Nothing was merged (the action rolled back): the backup of an unchanged
        # project would only be litter.
        if backup is not None:
            backup.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.IntegrityError):
            raise InputError(other_path, f"cannot be merged ({exc}); nothing was merged") from None
        raise
    report.backup = str(backup) if backup else None
    return report


def _merge(project, plan, plan_path, people, coders, codings, memos, ours_tx, report) -> None:
    db = project.db
    code_map = apply_plan(project, plan, plan_name=Path(plan_path).name if plan_path else "plan")
    for person in people:
        if not store_study.participant_exists(db, person["pid"]):
            guid = None if store_merge.guid_taken(db, "participants", person["guid"]) else person["guid"]
            store_study.add_participant(db, person["pid"], pseudonym=person["pseudonym"],
                                        role=person["role"], site=person["site"], guid=guid)
            report.participants_added.append(person["pid"])
    for coder in coders:
        if not store_study.coder_exists(db, coder["name"]):
            guid = None if store_merge.guid_taken(db, "coders", coder["guid"]) else coder["guid"]
            store_study.coder_id(db, coder["name"], guid=guid)
            report.coders_added.append(coder["name"])
    coder_ids = store_study.coder_ids(db)
    coding_map: dict[str, int] = {}
    for c in codings:
        transcript = ours_tx.get(c["sha256"])
        code_id = code_map.get(c["code_guid"])
        if transcript is None or code_id is None:
            report.codings_skipped += 1
            continue
        existing = store_codes.find_coding(db, transcript["id"], code_id, coder_ids[c["coder"]],
                                           c["start"], c["end"])
        if existing:
            report.codings_identical += 1
            coding_map[c["guid"]] = existing
            continue
        guid = None if store_merge.guid_taken(db, "codings", c["guid"]) else c["guid"]
        coding_map[c["guid"]] = store_codes.insert_coding(
            db, transcript["id"], code_id, coder_ids[c["coder"]], c["start"], c["end"], c["memo"],
            guid=guid, created=c["created"], exemplar=bool(c["exemplar"]))
        report.codings_added += 1
    for memo in memos:
        mine = store_merge.memo_by_guid(db, memo["guid"])
        if mine is not None:
            if (mine["title"], mine["body"]) != (memo["title"], memo["body"]):
                report.conflicts.append(f"memo {memo['title']!r} differs in the two projects; ours kept")
            else:
                report.memos_identical += 1
            continue
        author = coder_ids.get(memo["author"]) if memo["author"] else None
        memo_id = store_memos.insert_memo(db, memo["type"], memo["title"], memo["body"], author,
                                          guid=memo["guid"], created=memo["created"])
        for link in memo["links"]:
            target = None
            if link["code"]:
                target = ("code_id", code_map.get(link["code"]))
            elif link["coding"]:
                coding_id = coding_map.get(link["coding"]) or store_merge.coding_id_by_guid(db, link["coding"])
                target = ("coding_id", coding_id)
            elif link["participant"]:
                target = ("participant_id", store_study.participant_id(db, link["participant"]))
            elif link["transcript"]:
                target = ("transcript_id", (ours_tx.get(link["transcript"]) or {}).get("id"))
            elif link["wave"]:
                target = ("wave_id", store_study.wave_id(db, link["wave"]))
            if target and target[1]:
                store_memos.add_link(db, memo_id, target[0], target[1])
            else:
                report.conflicts.append(f"memo {memo['title']!r}: a link could not be carried over")
        report.memos_added += 1
