"""Hand-built projects for the agreement tests: transcripts, turns, codes and codings
written straight through the store helpers (no spaCy, no import pipeline: fast)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from qualcode import Project
from qualcode.store import codes as store_codes
from qualcode.store import db as store_db
from qualcode.store import memos as store_memos
from qualcode.store import study as store_study
from qualcode.store import transcripts as store_tx

AgreementProject = Project  # Project includes the agreement methods


def build(path: Path, texts: Mapping[str, str], codings: Iterable[tuple[str, str, str, int, int]],
          *, turns: Mapping[str, Sequence[tuple[int, int]]] | None = None,
          codes: Sequence[str | tuple[str, str]] = (), coders: Sequence[str] = ()) -> Path:
    """codings: (transcript, code, coder, start, end); codes: names, or (name, parent)
    pairs for a tree (parents first); turns: transcript -> [(start, end)]."""
    codings = list(codings)
    with Project.create(path, title="agreement") as project:
        db = project.db
        with store_db.write(db):
            tx = {}
            for name, text in texts.items():
                tx[name] = store_tx.insert_transcript(
                    db, name=name, kind="interview", wave_id=None, participant_id=None, date=None,
                    source_name=f"{name}.txt", source_format="text",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), encoding="utf-8",
                    text=text, imported_by=None)
                bounds = (turns or {}).get(name, [(0, len(text))])
                store_tx.insert_turns(db, tx[name], [(k + 1, None, s, e, None, None)
                                                     for k, (s, e) in enumerate(bounds)])
            code_ids: dict[str, int] = {}
            wanted = [c if isinstance(c, tuple) else (c, None) for c in codes]
            wanted += [(c[1], None) for c in codings if c[1] not in {w[0] for w in wanted}]
            for name, parent in wanted:
                if name not in code_ids:
                    code_ids[name] = store_codes.insert_code(
                        db, name, code_ids[parent] if parent else None, {})
            for name in coders:
                store_study.coder_id(db, name)
            for transcript, code, coder, start, end in codings:
                store_codes.insert_coding(db, tx[transcript], code_ids[code],
                                          store_study.coder_id(db, coder), start, end)
    return path


def add_memo(path: Path, author: str, title: str) -> None:
    with Project.open(path) as project, store_db.write(project.db):
        store_memos.insert_memo(project.db, "project", title, "body",
                                store_study.coder_id(project.db, author))
