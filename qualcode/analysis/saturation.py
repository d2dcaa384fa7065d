"""Saturation: cumulative distinct codes against transcripts in interview order.

Transcripts are ordered by wave, then date, then name (interview order). For each
transcript the curve records the codes it has, how many of them were never seen
before (``new``) and the cumulative number of distinct codes. ``new_share_last_k``
is the share of all distinct codes that were first seen in the last k transcripts:
close to 0 means the last interviews added (almost) nothing new. With ``by_wave``
the curve restarts at each wave ("what did this wave add to the codebook in use?").
"""

from __future__ import annotations

from collections import defaultdict

from ..store import analysis as store


def saturation_curve(transcripts: list[dict], pairs, *, k: int = 3) -> dict:
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
        points.append({"index": index, "transcript": transcript["name"],
                       "wave": transcript.get("wave"), "codes": len(codes),
                       "new": len(new), "cumulative": len(seen)})
    total = len(seen)
    n = len(transcripts)
    k = max(1, min(k, n)) if n else k
    new_last_k = sum(1 for at in first_seen_at.values() if at > n - k)
    return {"points": points, "distinct_codes": total, "transcripts": n, "k": k,
            "new_in_last_k": new_last_k,
            "new_share_last_k": round(new_last_k / total, 4) if total else 0.0}


def saturation(db, *, by_wave: bool = False, k: int = 3, coders=None,
               kinds: tuple[str, ...] | None = None) -> dict:
    """The saturation curve for the whole study, or ``{"waves": {label: curve}}``."""
    from ..store import study as store_study

    coder_ids = store.coder_ids(db, coders) if coders else None
    labels = {w["id"]: w["label"] for w in store_study.list_waves(db)}
    transcripts = store.transcripts_in_order(db)
    for t in transcripts:
        t["wave"] = labels.get(t["wave_id"])
    if kinds:
        transcripts = [t for t in transcripts if t["kind"] in kinds]
    pairs = store.transcript_code_pairs(db, coder_ids=coder_ids)
    if not by_wave:
        return {"by": "study", **saturation_curve(transcripts, pairs, k=k)}
    groups: dict[str, list[dict]] = {}
    for t in transcripts:
        groups.setdefault(t["wave"] or "(no wave)", []).append(t)
    return {"by": "wave",
            "waves": {label: saturation_curve(ts, pairs, k=k) for label, ts in groups.items()}}
