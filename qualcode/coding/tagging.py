"""Tagging use cases: apply and remove codes on ranges, turns, sentences, speakers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..errors import ConflictError, NotFoundError, QualcodeError
from ..model import Target
from ..records.codings import Coding
from ..store import codes as store_codes
from ..store import freshness as store_fresh
from ..store import transcripts as store_tx

if TYPE_CHECKING:
    from .service import CodingService


def speaks(turn: dict, speaker: str) -> bool:
    """Whether a turn is by ``speaker``: its label, or the participant id its label is
    mapped to (an interviewer's turns never count as a participant's, as in autocode)."""
    if turn["speaker"] == speaker:
        return True
    return turn["participant"] == speaker and not turn["interviewer"]





def resolve_target(self: CodingService, transcript: str, target: Target) -> tuple[dict, list[tuple[int, int]]]:
    """The transcript row and the (start, end) spans a target stands for."""
    row = store_tx.transcript_row(self.db, transcript)
    given = [x for x in (target.range, target.turn, target.sentence, target.speaker) if x is not None]
    if len(given) != 1:
        raise QualcodeError("give exactly one of a range, a turn, a sentence or a speaker")
    if target.range is not None:
        start, end = target.range
        if start >= end:
            raise QualcodeError(f"range {start}:{end} is empty or backwards (start must be before end)")
        if start < 0 or end > row["char_count"]:
            raise QualcodeError(
                f"range {start}:{end} is outside {transcript} (0:{row['char_count']})"
            )
        return row, [(start, end)]
    turns = store_tx.turns_of(self.db, row["id"])
    if target.turn is not None:
        match = [t for t in turns if t["seq"] == int(target.turn)]
        if not match:
            raise NotFoundError(f"{transcript} has no turn {target.turn} (it has {len(turns)})")
        if match[0]["end"] <= match[0]["start"]:
            raise QualcodeError(f"turn {target.turn} of {transcript} has no text to code")
        return row, [(match[0]["start"], match[0]["end"])]
    if target.speaker is not None:
        spans = [(t["start"], t["end"]) for t in turns
                 if t["end"] > t["start"] and speaks(t, target.speaker)]
        if not spans:
            labels = sorted({t["speaker"] for t in turns if t["speaker"]})
            pids = sorted({t["participant"] for t in turns if t["participant"] and not t["interviewer"]})
            known = ", ".join(labels) + (f"; participants: {', '.join(pids)}" if pids else "")
            raise NotFoundError(f"{transcript} has no turns by {target.speaker!r} "
                                f"(speakers: {known})")
        return row, spans
    sentences = store_tx.sentences_of(self.db, row["id"])
    text = str(target.sentence)
    if "." in text:
        turn_text, _, nth_text = text.partition(".")
        try:
            turn_no, nth = int(turn_text), int(nth_text)
        except ValueError:
            raise QualcodeError(f"sentence {text!r} is not N or TURN.N") from None
        in_turn = [s for s in sentences if s["turn"] == turn_no]
        if not 1 <= nth <= len(in_turn):
            raise NotFoundError(f"turn {turn_no} of {transcript} has no sentence {nth} "
                                f"(it has {len(in_turn)})")
        chosen = in_turn[nth - 1]
    else:
        try:
            number = int(text)
        except ValueError:
            raise QualcodeError(f"sentence {text!r} is not N or TURN.N") from None
        if not 1 <= number <= len(sentences):
            raise NotFoundError(f"{transcript} has no sentence {number} (it has {len(sentences)})")
        chosen = sentences[number - 1]
    return row, [(chosen["start"], chosen["end"])]

def _codable(self: CodingService, code: str) -> dict:
    row = store_codes.code_by_name(self.db, code)
    if not row["codable"]:
        raise QualcodeError(f"{code} is a category that is not applied to text; pick one of its codes")
    return row

def tag(self: CodingService, transcript: str, code: str, target: Target, *,
        memo: str | None = None) -> list[Coding]:
    """Apply ``code`` to the target's spans as the current coder; one action."""
    row, spans = self.resolve_target(transcript, target)
    code_row = self._codable(code)
    with self.action("coding.add", f"coded {len(spans)} span(s) of {transcript} with {code}"):
        coder_id = self.ctx.coder_id()
        new_ids = []
        for start, end in spans:
            if store_codes.find_coding(self.db, row["id"], code_row["id"], coder_id, start, end):
                if len(spans) == 1:
                    raise ConflictError(
                        f"{transcript} {start}:{end} is already coded {code} by {self.coder}")
                continue
            new_ids.append(store_codes.insert_coding(
                self.db, row["id"], code_row["id"], coder_id, start, end, memo))
        if not new_ids:
            # Raising rolls the action back: no empty event in the log to undo.
            raise ConflictError(
                f"all {len(spans)} spans of {transcript} are already coded {code} by {self.coder}")
    return self.codings_by_ids(new_ids)

def apply_spans(self: CodingService, spans: Iterable[tuple[str, str, int, int]], *, summary: str,
                memo: str | None = None) -> list[Coding]:
    """Apply many (transcript, code, start, end) at once as ONE undoable action;
    spans already coded identically by this coder are skipped."""
    spans = list(spans)
    if not spans:
        raise QualcodeError("nothing to code: no spans given")
    new_ids = []
    with self.action("coding.batch", summary):
        coder_id = self.ctx.coder_id()
        transcripts, codes = {}, {}
        for transcript, code, start, end in spans:
            if transcript not in transcripts:
                transcripts[transcript] = store_tx.transcript_row(self.db, transcript)
            if code not in codes:
                codes[code] = self._codable(code)
            t, c = transcripts[transcript], codes[code]
            if not (0 <= start < end <= t["char_count"]):
                raise QualcodeError(f"range {start}:{end} is outside {transcript} (0:{t['char_count']})")
            if store_codes.find_coding(self.db, t["id"], c["id"], coder_id, start, end):
                continue
            new_ids.append(store_codes.insert_coding(self.db, t["id"], c["id"], coder_id, start, end, memo))
        if not new_ids:
            raise ConflictError(f"all {len(spans)} spans are already coded by {self.coder}")
    return self.codings_by_ids(new_ids)

def untag(self: CodingService, transcript: str, code: str, target: Target, *, any_coder: bool = False) -> int:
    """Remove the codings of ``code`` on exactly the target's spans (the current
    coder's, or everyone's with ``any_coder``). Returns how many went."""
    row, spans = self.resolve_target(transcript, target)
    code_row = store_codes.code_by_name(self.db, code)
    ids = []
    for start, end in spans:
        ids.extend(store_codes.coding_ids_on_span(self.db, row["id"], code_row["id"], start, end,
                                                  None if any_coder else self.coder))
    if not ids:
        who = "anyone" if any_coder else self.coder
        raise NotFoundError(f"{transcript} has no coding {code} by {who} on that span")
    with self.action("coding.remove", f"removed {len(ids)} coding(s) {code} from {transcript}"):
        store_codes.delete_codings(self.db, ids)
    return len(ids)

def remove_coding(self: CodingService, coding_id: int) -> Coding:
    """Remove one coding; returns it as it was."""
    coding = self.codings_by_ids([coding_id])
    if not coding:
        raise NotFoundError(f"no coding with id {coding_id}")
    c = coding[0]
    with self.action("coding.remove", f"removed coding {c.code} {c.start}:{c.end} from {c.transcript}"):
        store_codes.delete_codings(self.db, [coding_id])
    return c

def set_exemplar(self: CodingService, coding_id: int, exemplar: bool = True) -> None:
    store_codes.coding_by_id(self.db, coding_id)
    with self.action("coding.exemplar", f"{'marked' if exemplar else 'unmarked'} coding {coding_id} as exemplar"):
        store_codes.set_exemplar(self.db, coding_id, exemplar)

def set_coding_memo(self: CodingService, coding_id: int, memo: str | None) -> None:
    store_codes.coding_by_id(self.db, coding_id)
    with self.action("coding.memo", f"memo on coding {coding_id}"):
        store_codes.set_coding_memo(self.db, coding_id, memo)


# --- for a view that keeps up with other programs (see qualcode.store.freshness) ---

def coding_keys(self: CodingService, transcript: str, after_id: int = 0) -> dict[int, tuple[int, int, int, int]]:
    """The transcript's codings (with ids above ``after_id``) as id -> (code id, coder
    id, start, end)."""
    return store_fresh.coding_keys(self.db, _transcript_id(self, transcript), after_id)


def codings_fingerprint(self: CodingService, transcript: str, up_to_id: int) -> tuple:
    """Figures that change when a coding with an id up to ``up_to_id`` is removed or
    changed."""
    return store_fresh.codings_fingerprint(self.db, _transcript_id(self, transcript), up_to_id)


def transcript_layout_matches(self: CodingService, transcript: str, text: str,
                              turns: tuple[tuple[int, int], ...]) -> bool:
    """Whether the transcript still has this text and these turns' (start, end): the
    offsets of a view that drew it still mean the same words."""
    return store_fresh.layout_matches(self.db, _transcript_id(self, transcript), text, turns)


def _transcript_id(self: CodingService, name: str) -> int:
    return store_tx.transcript_row(self.db, name)["id"]


def codings(self: CodingService, *, transcript: str | None = None, code: str | None = None,
            coder: str | None = None) -> list[Coding]:
    """Codings in transcript order, narrowed by each filter given."""
    rows = store_codes.codings(
        self.db,
        transcript_id=store_tx.transcript_row(self.db, transcript)["id"] if transcript else None,
        code_id=store_codes.code_by_name(self.db, code)["id"] if code else None,
        coder=coder or None)
    return self._with_text(rows)


def codings_by_ids(self: CodingService, ids: Sequence[int]) -> list[Coding]:
    if not ids:
        return []
    return self._with_text(store_codes.codings(self.db, ids=ids))


def _with_text(self: CodingService, rows: list[dict]) -> list[Coding]:
    """Coding records of the store's rows, each with the words it covers."""
    texts: dict[int, str] = {}
    result = []
    for r in rows:
        tid = r["transcript_id"]
        if tid not in texts:
            texts[tid] = store_tx.transcript_text(self.db, tid)
        result.append(Coding(id=r["id"], guid=r["guid"], transcript=r["transcript"], code=r["code"],
                             coder=r["coder"], start=r["start"], end=r["end"], memo=r["memo"],
                             exemplar=bool(r["exemplar"]), created=r["created"],
                             text=texts[tid][r["start"]:r["end"]]))
    return result
