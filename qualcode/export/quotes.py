"""Coded passages for the exports, and quotes made of them.

Exports read coded segments (one per coding, :meth:`Project.segments`) and merge them
into passages (:class:`qualcode.records.codings.Passage`, made in one step by
:func:`passages`): overlapping codings (of one code, or of any code of a theme) count
and show once. A passage keeps the codings it is made of (their codes, coders, memos,
exemplar marks) and takes its speaker, turn and participant from its earliest coding.

Quotes
    A quote is a passage widened to whole sentences (the stored sentences that hold its
    first and last character), so that it never starts or ends in the middle of one.
    A quote longer than :data:`QUOTE_CAP` characters is cut after the last whole
    sentence that fits (or, when even the first does not, at a word) and ends with an
    ellipsis. Choosing quotes prefers passages whose quote needs no cut.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from operator import attrgetter

from ..analysis.passages import merge
from ..records import Wave
from ..records.codings import Passage, Segment
from .docx_common import attribution

QUOTE_CAP = 600
GOOD_LENGTH = (60, 700)
ELLIPSIS = "\u2026"
NO_WAVE = 10**6


class Texts:
    """Transcript texts and sentences, read once per transcript."""

    def __init__(self, project) -> None:
        self.project = project
        self._cache: dict[str, tuple[str, list[int], list[int]]] = {}

    def get(self, name: str) -> tuple[str, list[int], list[int]]:
        """(text, sentence starts, sentence ends) of transcript ``name``."""
        found = self._cache.get(name)
        if found is None:
            row = self.project.transcripts.get(name)
            sentences = sorted((s.start, s.end) for s in row.sentences)
            found = self._cache[name] = (row.text, [s for s, _ in sentences],
                                         [e for _, e in sentences])
        return found

    def text(self, name: str) -> str:
        return self.get(name)[0]


def passages(segments: Sequence[Segment], texts: Texts, waves: Mapping[str, Wave], *,
             by_code: bool = True, cap: int = QUOTE_CAP) -> list[Passage]:
    """Merge segments into passages (per transcript and code, or with ``by_code`` False
    per transcript: across the codes given), in text order (:func:`text_key`). Each
    passage takes who, where and when from its earliest segment, its span and text
    from the union, and is quoted (whole sentences, cut at ``cap`` characters) and
    attributed (``waves``: by label) as it is made."""
    key = attrgetter("transcript", "code") if by_code else attrgetter("transcript")
    result = []
    for members in merge(segments, key=key, span=_SPAN):
        first = members[0]
        start, end = first.start, max(s.end for s in members)
        quote, cut = _quote(texts, first.transcript, start, end, cap)
        result.append(Passage(
            id=first.id, code=first.code, transcript=first.transcript, start=start, end=end,
            text=texts.text(first.transcript)[start:end],
            codes=tuple(dict.fromkeys(s.code for s in members)),
            coders=tuple(sorted({s.coder for s in members if s.coder is not None})),
            coding_ids=tuple(s.id for s in members),
            memos=tuple(dict.fromkeys(s.memo for s in members if s.memo)),
            exemplar=any(s.exemplar for s in members),
            interviewer=all(s.interviewer for s in members),
            wave=first.wave, wave_order=first.wave_order, turn=first.turn, time=first.time,
            participant=first.participant, pseudonym=first.pseudonym, role=first.role,
            site=first.site, attribution=attribution(first, waves), quote=quote, cut=cut))
    result.sort(key=text_key)
    return result


_SPAN = attrgetter("start", "end")


def quote_text(passage: Passage, texts: Texts, cap: int = QUOTE_CAP) -> tuple[str, bool]:
    """The passage widened to whole sentences, cut at ``cap`` characters with an
    ellipsis; returns (text, was cut)."""
    return _quote(texts, passage.transcript, passage.start, passage.end, cap)


def _quote(texts: Texts, transcript: str, start: int, end: int, cap: int) -> tuple[str, bool]:
    text, starts, ends = texts.get(transcript)
    i = bisect_right(starts, start) - 1
    if i >= 0 and ends[i] > start:
        start = starts[i]
    j = bisect_right(starts, max(start, end - 1)) - 1
    if j >= 0 and ends[j] >= end:
        end = ends[j]
    start, end = _balanced(text, start, end)
    body = text[start:end].strip()
    if not cap or len(body) <= cap:
        return body, False
    # Cut after the last sentence that ends within the cap, else at a word.
    limit = start + cap
    k = bisect_right(ends, limit) - 1
    cut = ends[k] if k >= 0 and ends[k] > start + cap // 3 else None
    if cut is None:
        head = text[start:limit]
        space = head.rfind(" ")
        cut = start + (space if space > cap // 2 else len(head))
    return text[start:cut].rstrip(" ,;:\u2013-") + " " + ELLIPSIS, True


_OPEN, _CLOSE = "[(", "])"


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """Keep a transcriber's bracketed note ("[laughs]", "(pause)") whole: a quote that
    starts inside one begins after it, one that ends inside one ends before it."""
    head = text[start:end]
    for o, c in zip(_OPEN, _CLOSE):
        close, open_ = head.find(c), head.find(o)
        if close >= 0 and (open_ < 0 or close < open_):
            start += close + 1
            head = text[start:end]
        close, open_ = head.rfind(c), head.rfind(o)
        if open_ >= 0 and open_ > close:
            end = start + open_
            head = text[start:end]
    return start, end


def _wave_key(r: Passage) -> int:
    return r.wave_order if r.wave_order is not None else NO_WAVE


def text_key(r: Passage) -> tuple:
    return (_wave_key(r), r.participant or "\uffff", r.transcript, r.start, r.id)


def role_person_wave(r: Passage) -> tuple:
    return (r.role or "", r.participant or "\uffff", _wave_key(r))


def _length(r: Passage) -> int:
    return len(r.quote or r.text.strip())


def pick_quotes(rows: list[Passage], n: int, spread: Callable[[Passage], tuple] = role_person_wave,
                used: AbstractSet[tuple[str, str]] = frozenset()) -> list[Passage]:
    """Choose ``n`` passages spread over the dimensions ``spread(row)`` returns, most
    important first (default: role, participant, wave). Pure and deterministic.

    Rows that overlap one already kept in the same transcript are dropped (an
    exemplar-marked one wins); exemplars come first. The other places go round-robin:
    each pick takes, from the group whose role, then participant, then wave have been
    quoted least so far (ties: fewest picks from the group, then the group with most
    rows, then earlier wave and participant id), its best remaining row: one not quoted
    elsewhere in the document (``used``: (transcript, quote) pairs), then one whose
    quote needed no cut, then one of 60-700 characters, then the shorter, then text
    order. The chosen rows come back in wave, participant and text order."""
    # An interviewer's words are never quoted as a participant's, unless the analyst
    # marked the segment as an exemplar on purpose.
    rows = [r for r in rows if r.exemplar or not r.interviewer]
    if n <= 0 or not rows:
        return []
    kept: dict[str, list[Passage]] = defaultdict(list)
    unique: list[Passage] = []
    for r in sorted(rows, key=lambda r: (not r.exemplar, *text_key(r))):
        if any(r.start < k.end and k.start < r.end for k in kept[r.transcript]):
            continue
        kept[r.transcript].append(r)
        unique.append(r)
    chosen = sorted((r for r in unique if r.exemplar), key=text_key)[:n]
    seen: list[Counter] = [Counter() for _ in spread(rows[0])]
    for r in chosen:
        for counter, value in zip(seen, spread(r)):
            counter[value] += 1
    groups: dict[tuple, list[Passage]] = defaultdict(list)
    lo, hi = GOOD_LENGTH
    for r in unique:
        if not r.exemplar:
            groups[spread(r)].append(r)
    for members in groups.values():
        members.sort(key=lambda r: ((r.transcript, r.quote) in used, r.cut,
                                    not lo <= _length(r) <= hi, _length(r),
                                    _wave_key(r), r.transcript, r.start))
    taken: Counter = Counter()
    while len(chosen) < n:
        open_groups = [g for g, members in groups.items() if taken[g] < len(members)]
        if not open_groups:
            break
        group = min(open_groups, key=lambda g: (
            tuple(counter[v] for counter, v in zip(seen, g)), taken[g], -len(groups[g]),
            tuple(reversed(g))))
        row = groups[group][taken[group]]
        taken[group] += 1
        chosen.append(row)
        for counter, value in zip(seen, group):
            counter[value] += 1
    return sorted(chosen, key=text_key)
