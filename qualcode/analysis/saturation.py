"""Saturation: cumulative distinct codes against transcripts in interview order, or
in the order they were coded.

Interview order: transcripts by wave, then date, then name. For each transcript the
curve records the codes it has, how many of them were never seen before (``new``) and
the cumulative number of distinct codes. ``new_share_last_k`` is the share of all
distinct codes that were first seen in the last k transcripts: close to 0 means the
last interviews added (almost) nothing new. With ``by_wave`` the curve restarts at
each wave ("what did this wave add to the codebook in use?").

Coding order (``order="coding"``): a code is *first used* where its earliest coding
was made (by time, then id); transcripts come in the order their first coding was
made, and ``new`` counts the codes first used in each. A codebook loaded before
coding starts holds every code from the start, so counting the codes that exist, or
taking the interviews in the order they happened, says little about when the coding
stopped finding new things; the first use of each code in the order the coding was
done does. ``by_role`` draws one curve per role (the transcript's participant's role;
for a focus group, the role most of its mapped speakers have): saturation is judged
within a group of similar people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ..records.analysis import Saturation, SaturationCurve, SaturationPoint
from ..store import analysis as store


def saturation_curve(transcripts: list[dict], pairs, *, k: int = 3) -> SaturationCurve:
    """Pure: ``transcripts`` in order (id, name, ...), ``pairs`` (transcript_id, code_id)."""
    codes_of: dict[int, set[int]] = defaultdict(set)
    for t, c in pairs:
        codes_of[t].add(c)
    seen: set[int] = set()
    points = []
    first_seen_at: dict[int, int] = {}
    for index, transcript in enumerate(transcripts, start=1):
        codes = codes_of.get(transcript["id"], set())
        new = codes - seen
        for c in new:
            first_seen_at[c] = index
        seen |= codes
        points.append(SaturationPoint(index, transcript["name"], transcript.get("wave"),
                                      len(codes), len(new), len(seen)))
    total = len(seen)
    n = len(transcripts)
    k = max(1, min(k, n)) if n else k
    new_last_k = sum(1 for at in first_seen_at.values() if at > n - k)
    return SaturationCurve(tuple(points), total, n, k, new_last_k,
                           round(new_last_k / total, 4) if total else 0.0)


def first_use_curve(transcripts: list[dict], uses, *, k: int = 3) -> SaturationCurve:
    """Pure: ``uses`` are (transcript_id, code_id, when) with ``when`` the order of the
    code's first coding in that transcript (any sortable). Each code counts as new in
    the transcript of its earliest use among ``transcripts``; transcripts come in the
    order of their own first coding (uncoded ones are left out)."""
    ids = {t["id"] for t in transcripts}
    first_of_code: dict[int, tuple] = {}
    first_of_transcript: dict[int, Any] = {}  # an interview date or a coding time, compared as such
    codes_of: dict[int, set[int]] = defaultdict(set)
    for t, c, when in uses:
        if t not in ids:
            continue
        codes_of[t].add(c)
        if c not in first_of_code or when < first_of_code[c][0]:
            first_of_code[c] = (when, t)
        if t not in first_of_transcript or when < first_of_transcript[t]:
            first_of_transcript[t] = when
    new_in: dict[int, int] = defaultdict(int)
    for _, t in first_of_code.values():
        new_in[t] += 1
    ordered = sorted((t for t in transcripts if t["id"] in first_of_transcript),
                     key=lambda t: first_of_transcript[t["id"]])
    points: list[SaturationPoint] = []
    total = 0
    for index, transcript in enumerate(ordered, start=1):
        total += new_in[transcript["id"]]
        points.append(SaturationPoint(index, transcript["name"], transcript.get("wave"),
                                      len(codes_of[transcript["id"]]), new_in[transcript["id"]], total))
    n = len(ordered)
    k = max(1, min(k, n)) if n else k
    new_last_k = sum(p.new for p in points[n - k:]) if n else 0
    return SaturationCurve(tuple(points), total, n, k, new_last_k,
                           round(new_last_k / total, 4) if total else 0.0)


def saturation(db, *, by_wave: bool = False, k: int = 3, coders=None,
               kinds: tuple[str, ...] | None = None, order: str = "interview",
               by_role: bool = False, keep: Callable[[dict], bool] | None = None,
               group: tuple[str, Callable[[dict], Any], Callable[[Any], Any]] | None = None,
               shown: Callable[[Any], str] = str) -> Saturation:
    """The saturation curve for the whole study (labelled "all"), or one per wave, or
    with ``by_role`` one per role; ``order`` is "interview" or "coding" (see the module
    docstring). ``keep(transcript)`` leaves transcripts out (``--where``); ``group`` =
    (name, value of a transcript, sort key of a value) gives one curve per value
    (``--by`` an attribute of the transcript's participant at its wave, labelled by
    ``shown``), in the order of the attribute's type."""
    from ..errors import QualcodeError
    from ..store import study as store_study

    if order not in ("interview", "coding"):
        raise QualcodeError(f"order {order!r} is not 'interview' or 'coding'")
    if by_wave and by_role:
        raise QualcodeError("saturation by wave or by role, not both")
    coder_ids = store.coder_ids(db, coders) if coders else None
    labels = {w["id"]: w["label"] for w in store_study.list_waves(db)}
    transcripts = store.transcripts_in_order(db)
    roles = store.transcript_roles(db)
    for t in transcripts:
        t["wave"] = labels.get(t["wave_id"])
        t["role"] = roles.get(t["id"])
    if kinds:
        transcripts = [t for t in transcripts if t["kind"] in kinds]
    if keep is not None:
        transcripts = [t for t in transcripts if keep(t)]
    if order == "coding":
        uses = store.first_codings(db, coder_ids=coder_ids)

        def curve(ts):
            return first_use_curve(ts, uses, k=k)
    else:
        pairs = store.transcript_code_pairs(db, coder_ids=coder_ids)

        def curve(ts):
            return saturation_curve(ts, pairs, k=k)
    if group is not None:
        if by_wave or by_role:
            raise QualcodeError("saturation by wave, by role or by an attribute, one of them")
        name, value_of, sort_key = group
        by_value: dict[Any, list[dict]] = {}
        for t in transcripts:
            by_value.setdefault(value_of(t), []).append(t)
        return Saturation(name, order, {("(missing)" if value is None else shown(value)): curve(by_value[value])
                                        for value in sorted(by_value, key=sort_key)})
    if not by_wave and not by_role:
        return Saturation("study", order, {"all": curve(transcripts)})
    groups: dict[str, list[dict]] = {}
    for t in transcripts:
        key = (t["wave"] or "(no wave)") if by_wave else (t["role"] or "(no role)")
        groups.setdefault(key, []).append(t)
    keys = list(groups) if by_wave else sorted(groups)
    return Saturation("wave" if by_wave else "role", order, {key: curve(groups[key]) for key in keys})
