"""Plain-text transcripts: speaker labels, turn-start timestamps and turns.

Transcribers write speaker labels in many styles. We recognise, at the start of a
line (after an optional turn-start timestamp):

* colon labels: ``Janet:``, ``JANET:``, ``Mary Ann Smith:`` (1-4 words), ``I:``,
  ``R:``, ``P07:``, ``INT:``, ``Interviewer:``, and a timestamp before the colon:
  ``Janet (03:15):``, ``Speaker 1 (00:01:02):``; the full-width colon of Chinese and
  Japanese text (``李华：``) counts as a colon;
* bracket labels: ``[Janet]``, ``[id1]``;
* padded labels (Rev, Otter and table-to-text exports): ``JANET   Well...`` or
  ``Janet<TAB>Well...``, and ``Speaker 1  0:03`` with the speech on later lines;
* timestamps before the label: ``[00:01:02]``, ``[01:02]``, ``(01:02)``,
  ``00:01:02.500``, ``00:01:02``.

Everything that looks like a label is not one ("Note: ...", "Money: none", a
wrapped line that happens to start with "Then:"), so a candidate counts as a label
only when one of these holds:

1. it is a known role or group label (Interviewer, INT, I, R, Moderator, Several...)
   or looks like an id (P07, C01, id1, Speaker 2, initials such as JS);
2. the same label starts a line at least twice in the file (in a script without
   letter case, such as Chinese or Arabic, this is the only way a name counts);
3. it occurs once, is shaped like a name, is written in the file's main label style
   after a label confirmed by rule 1 or 2, and starts a paragraph (or the file is
   "dense": most lines start with a label). This catches the focus-group member
   who speaks only once, and the respondent of a two-turn transcript.

Metadata words (Note, Date, Location, Transcript...) never count, and a role word
that occurs only once before the first repeated label ("Participant: Janet" in a
header block) is read as preamble, not as a turn.

Turns run across wrapped lines until the next label; a blank line ends a turn and
an unlabelled paragraph after it is a new turn of the same speaker (unattributed
before any label). A line holding only a timestamp ends the current turn and times
the next one. Spans exclude the label, the turn-start timestamp and surrounding
whitespace. :func:`find_turns` is shared with the Word reader.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import NamedTuple

from .encoding import decode_bytes, normalise
from .model import ParsedTranscript, ParsedTurn

# --- timestamps -------------------------------------------------------------

# Inside brackets or parentheses mm:ss is unambiguous enough; bare, we require
# hh:mm:ss so that "10:30 we met" (a clock time in speech) is never a timestamp.
_CLOCK = r"(?:\d{1,2}:)?\d{1,3}:\d{2}(?:[.,]\d{1,3})?"
_BARE_CLOCK = r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?(?![\d:])"
_TS = (
    rf"(?:\[[ \t]*(?P<t1>{_CLOCK})[ \t]*\]|\([ \t]*(?P<t2>{_CLOCK})[ \t]*\)"
    rf"|(?P<t3>{_BARE_CLOCK}))"
)
# Optional indentation and turn-start timestamp, with a separator such as " - ".
_LEAD = re.compile(rf"[ \t]*(?:{_TS}[ \t]*(?:[-\u2013\u2014|][ \t]*)?)?")

_WORD = r"[^\W_][\w'\u2019.\-]*"
_COLON_LABEL = re.compile(
    rf"(?P<label>{_WORD}(?:[ \t]+[\w'\u2019.\-]+){{0,3}}?)[ \t]*"
    rf"(?:[\[(][ \t]*(?P<t4>{_CLOCK})[ \t]*[\])][ \t]*)?(?::(?=\s|$)|\uff1a)[ \t\u3000]*"
)
_BRACKET_LABEL = re.compile(r"\[(?P<label>[^\[\]\n:]{1,40})\](?:[ \t]*:)?[ \t]*")
# Padded labels are separated from the speech by a tab or 2+ spaces; words within
# the label by single spaces (so "Yes.  Then I" cannot swallow several words).
_PADDED_LABEL = re.compile(rf"(?P<label>{_WORD}(?: [\w'\u2019.\-]+){{0,3}})(?:\t[ \t]*| {{2,}}[ \t]*)(?=\S)")
_OTTER_TIME = re.compile(rf"(?P<t5>{_CLOCK})[ \t]*$")


def parse_clock(value: str) -> float | None:
    """Seconds from "mm:ss", "hh:mm:ss" (optional .mmm or ,mmm); None if invalid."""
    parts = value.replace(",", ".").split(":")
    try:
        seconds = float(parts[-1])
        numbers = [int(p) for p in parts[:-1]]
    except ValueError:
        return None
    if not 0 <= seconds < 60 or len(numbers) not in (1, 2):
        return None
    if len(numbers) == 2:
        hours, minutes = numbers
        if minutes >= 60:
            return None
        return hours * 3600 + minutes * 60 + seconds
    return numbers[0] * 60 + seconds


# --- what a label may be ----------------------------------------------------

# Full-word roles and group labels, compared case-insensitively.
_ROLE_WORDS = frozenset(
    ["interviewer", "interviewee", "respondent", "participant", "moderator", "facilitator", "co-facilitator", "researcher", "client", "patient", "informant", "narrator", "host", "guest", "chair", "chairperson", "translator", "interpreter", "speaker", "several", "all", "everyone", "group", "both", "others", "audience", "multiple", "various", "unknown", "unidentified", "voices"]
) | frozenset(
    {"multiple speakers", "several participants", "all participants", "several voices",
     "unknown speaker", "unidentified speaker", "inaudible speaker", "female voice",
     "male voice", "group members"}
)
# Abbreviations; the one- and two-letter ones must be written in capitals.
_ROLE_ABBREVIATIONS = frozenset(
    ["int", "intv", "iv", "ivr", "ier", "iee", "res", "resp", "rsp", "mod", "fac", "part", "pt"]
)
_ROLE_LETTERS = frozenset(["I", "R", "P", "Q", "A", "M", "F", "IV", "IR", "IE", "PT"])
_ROLE_NUMBERED = re.compile(
    r"(?:speaker|participant|interviewer|respondent|interviewee|person|voice|moderator|"
    r"facilitator|client|patient|member|guest|researcher|student|trainer|manager|"
    r"man|woman|male|female|int|p|r|i)[ \t]*[-#]?[ \t]*(?:\d{1,3}|[A-Z])",
    re.IGNORECASE,
)
_ID_LIKE = re.compile(r"[A-Za-z]{1,4}[-_]?\d{1,4}[a-z]?|[A-Z]{1,3}")
# Capitalised abbreviations that start sentences rather than turns.
_NOT_INITIALS = frozenset(
    ["OK", "NB", "PS", "TV", "UK", "US", "USA", "NHS", "GP", "AM", "PM", "ID", "RE", "CC", "FYI", "BTW", "FAQ", "CD", "DVD", "PC", "IT", "HR", "AND", "THE", "BUT", "SO", "YES", "NO", "HI", "WHO", "WHY", "HOW", "AGE"]
)
# Words that introduce notes, metadata or speech content, never a speaker.
_NEVER_LABELS = frozenset(
    ["note", "notes", "nb", "n.b", "ps", "p.s", "date", "time", "location", "place", "venue", "setting", "duration", "length", "interview", "transcript", "transcriber", "transcription", "recording", "file", "filename", "audio", "video", "consent", "project", "study", "title", "subject", "re", "topic", "theme", "summary", "keywords", "tags", "example", "e.g", "i.e", "tip", "warning", "source", "http", "https", "www", "present", "attendees", "absent", "apologies", "wave", "site", "code", "codes", "memo", "comment", "comments", "observation", "observations", "context", "background", "key", "total", "step", "part", "section", "chapter", "page", "day", "week", "month", "year", "morning", "afternoon", "evening", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "first", "second", "third", "finally", "also", "and", "but", "so", "well", "yes", "no", "yeah", "ok", "okay", "right", "um", "er", "erm", "mm", "hmm", "oh", "ah", "sure", "thanks", "laughs", "laughter", "laughing", "inaudible", "crosstalk", "pause", "silence", "unclear", "overlapping", "overtalk", "sighs", "coughs", "music", "noise", "interruption", "redacted", "end", "start", "begin", "beginning", "break", "update", "edit", "edited", "important", "remember", "reminder", "quote", "agenda", "action", "actions", "outcome", "result", "results", "goal", "goals", "aim", "aims", "objective", "purpose", "reason", "problem", "issue", "issues", "solution", "tl;dr", "caption", "question", "questions", "prompt", "probe"]
)
_NEVER_LAST_WORDS = frozenset(
    ["date", "time", "duration", "length", "location", "venue", "number", "no", "id", "code", "title", "name", "type", "version", "status", "notes", "note"]
)
_PARTICLES = frozenset(["de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das", "bin", "al", "el", "y", "of", "st"])


class LabelCandidate(NamedTuple):
    """Something at the start of a line that may be a speaker label. (A named tuple:
    one is made for every labelled line, and a tuple is much quicker to make than a
    frozen dataclass.)"""

    speaker: str | None  # None: a turn-start timestamp with no label
    style: str  # "colon", "bracket", "padded" or "time"
    speech_start: int  # offset in the line where the speech begins
    time: float | None
    strong: bool  # a known role or id-like label: needs no confirmation
    role_word: bool  # a full role word such as "Interviewer" (not "I", not "P07")
    name_like: bool  # shaped like a personal name (for the single-occurrence rule)


@functools.lru_cache(maxsize=4096)  # the same few labels recur on every other line
def classify_label(label: str) -> tuple[bool, bool, bool] | None:
    """Return (strong, role_word, name_like) for a label, or None if it cannot be one."""
    words = label.split()
    if not 1 <= len(words) <= 4 or len(label) > 40:
        return None
    lower = label.lower().rstrip(".")
    if lower in _NEVER_LABELS or (words[-1].lower().rstrip(".") in _NEVER_LAST_WORDS and len(words) > 1):
        # "Participant ID", "Interview date": metadata fields, not speakers.
        return None
    if lower in _ROLE_WORDS or (lower in _ROLE_ABBREVIATIONS and len(lower) > 2):
        return True, lower in _ROLE_WORDS, False
    if label in _ROLE_LETTERS or _ROLE_NUMBERED.fullmatch(label):
        return True, False, False
    if _ID_LIKE.fullmatch(label) and label not in _NOT_INITIALS:
        return True, False, False
    first = words[0][0]
    if not first.isalpha() or first.islower():
        return None
    if not first.isupper():
        # A script without letter case (Chinese, Japanese, Arabic, Hebrew...): nothing
        # marks a name as one, so such a label counts only once it repeats (rule 2).
        return False, False, False
    for word in words[1:]:
        if not (word[0].isupper() or word[0].isdigit() or word.lower() in _PARTICLES):
            return None
    name_like = len(words) <= 3 and not any(ch.isdigit() for ch in label)
    return False, False, name_like


def label_candidate(line: str) -> LabelCandidate | None:
    """Parse what may be a label (and timestamp) at the start of one line.

    This only looks at the line; whether the candidate counts is decided for the
    whole file by :func:`find_turns`.
    """
    lead = _LEAD.match(line)
    assert lead is not None  # the pattern can match the empty string
    pos = lead.end()
    if pos:
        raw_time = lead.group("t1") or lead.group("t2") or lead.group("t3")
        time = parse_clock(raw_time) if raw_time else None
        has_lead_time = raw_time is not None
        if has_lead_time and time is None:
            return None  # "[75:99]" is not a time we understand; leave the line alone
        rest = line[pos:]
    else:  # most lines: no indentation, no timestamp
        time, has_lead_time, rest = None, False, line

    m = _BRACKET_LABEL.match(rest) if rest[:1] == "[" else None
    if m:
        label = " ".join(m.group("label").split())
        kind = classify_label(label) if label else None
        # Bracketed lower-case words are annotations ("[laughs]") unless id-like.
        if kind and (kind[0] or label[0].isupper()):
            return LabelCandidate(label, "bracket", pos + m.end(), time, *kind)

    # (The membership tests, at C speed, spare most speech lines the regexes.)
    m = _COLON_LABEL.match(rest) if ":" in rest or "\uff1a" in rest else None
    if m:
        label = " ".join(m.group("label").split())
        kind = classify_label(label)
        inner_time = parse_clock(m.group("t4")) if m.group("t4") else None
        if kind and not (m.group("t4") and inner_time is None):
            return LabelCandidate(label, "colon", pos + m.end(), time if time is not None else inner_time, *kind)

    # Padded labels sit at the very start of the line: continuation lines of
    # padded transcripts are indented, and must not be read as labels.
    if (not pos or (has_lead_time and not line[:1].isspace())) and ("\t" in rest or "  " in rest):
        m = _PADDED_LABEL.match(rest)
        if m:
            label = m.group("label")
            kind = classify_label(label)
            if kind:
                after = rest[m.end():]
                otter = _OTTER_TIME.match(after)
                if otter and time is None:
                    # "Speaker 1  0:03" (Otter): the time, and the speech below.
                    return LabelCandidate(label, "padded", len(line), parse_clock(otter.group("t5")), *kind)
                return LabelCandidate(label, "padded", pos + m.end(), time, *kind)

    if has_lead_time:
        return LabelCandidate(None, "time", pos, time, False, False, False)
    return None


def label_prefix(text: str) -> tuple[str, int, bool] | None:
    """A ``Name:`` prefix at the start of subtitle cue text.

    Returns (speaker, offset where the speech starts, strong). Used by the VTT and
    SRT readers, which apply their own confirmation (a cue start is a much
    stronger position than any line start).
    """
    m = _COLON_LABEL.match(text)
    if not m or m.group("t4"):
        return None
    label = " ".join(m.group("label").split())
    kind = classify_label(label)
    if not kind:
        return None
    return label, m.end(), kind[0]


# --- turns ------------------------------------------------------------------


@dataclass(slots=True)
class _OpenTurn:
    speaker: str | None
    time: float | None
    first: int | None = None  # first non-space character of the speech
    last: int | None = None  # one past the last non-space character


def _lines(text: str) -> list[tuple[int, str]]:
    result = []
    offset = 0
    for line in text.split("\n"):
        result.append((offset, line))
        offset += len(line) + 1
    return result


def _accepted(
    lines: list[tuple[int, str]],
    candidates: list[LabelCandidate | None],
    paragraph_starts: Set[int],
) -> list[LabelCandidate | None]:
    """Decide which label candidates count (see the module docstring)."""
    counts = Counter(
        c.speaker for c in candidates if c is not None and c.speaker is not None and c.style != "padded"
    )
    padded_counts = Counter(c.speaker for c in candidates if c is not None and c.style == "padded")
    blank = [not line.strip() for _, line in lines]

    def para_start(i: int) -> bool:
        return i == 0 or blank[i - 1] or lines[i][0] in paragraph_starts

    # Labels confirmed by rules 1 and 2, and the first line holding a repeated label.
    accepted: list[LabelCandidate | None] = [None] * len(lines)
    first_repeated = len(lines)
    for i, c in enumerate(candidates):
        if c is None:
            continue
        if c.speaker is None:
            accepted[i] = c  # a bare timestamp: handled by the turn builder
            continue
        if c.style == "padded":
            # A lone "I  went" (a double space after a capital) is too common in
            # speech to count; longer roles and ids are safe once.
            ok = padded_counts[c.speaker] >= 2 or c.role_word or (c.strong and len(c.speaker) > 1)
            repeated = padded_counts[c.speaker] >= 2
        else:
            repeated = counts[c.speaker] >= 2
            ok = c.strong or repeated
        if ok:
            accepted[i] = c
        if repeated:
            first_repeated = min(first_repeated, i)

    # A role word used once before any repeated label is a header field
    # ("Interviewer: Anna Smith"), not the first turn.
    header_zone = first_repeated if first_repeated < len(lines) else 0
    for i in range(header_zone):
        c = accepted[i]
        once = c is not None and c.speaker is not None and counts[c.speaker] + padded_counts[c.speaker] < 2
        if once and c.role_word:
            accepted[i] = None

    # Rule 3: a name used once, in the file's main label style.
    styles = Counter(c.style for c in accepted if c is not None and c.speaker is not None)
    if styles:
        main_style, _ = styles.most_common(1)[0]
        confirmed = {c.speaker for c in accepted if c is not None and c.style == main_style and c.speaker}
        nonblank = sum(1 for b in blank if not b)
        dense = nonblank and sum(1 for c in accepted if c is not None and c.speaker) / nonblank >= 0.5
        header_end = min(i for i, c in enumerate(accepted) if c is not None and c.speaker is not None)
        if confirmed:
            for i, c in enumerate(candidates):
                if (
                    c is not None
                    and accepted[i] is None
                    and c.speaker is not None
                    and c.style == main_style
                    and c.name_like
                    and i > header_end
                    and (dense or para_start(i))
                ):
                    accepted[i] = c
    return accepted


def find_turns(
    text: str,
    *,
    hints: Mapping[int, tuple[str, int]] | None = None,
    paragraph_starts: Set[int] = frozenset(),
) -> list[ParsedTurn]:
    """Split normalised text into speaker turns.

    ``hints`` maps the offset of a line start to (speaker, offset where its speech
    begins) for labels known from outside the text, such as a bold run or a table
    cell in a Word file; they always count. ``paragraph_starts`` holds offsets of
    lines that start a paragraph although no blank line precedes them (each Word
    paragraph), so an unlabelled one is a new turn of the same speaker.
    """
    hints = hints or {}
    lines = _lines(text)
    # (A blank line is never a label: no need to parse it.)
    candidates = [label_candidate(line) if line and not line.isspace() else None for _, line in lines]
    accepted = _accepted(lines, candidates, paragraph_starts)

    turns: list[ParsedTurn] = []
    current: _OpenTurn | None = None
    last_speaker: str | None = None
    pending_time: float | None = None
    at_paragraph = True

    def close() -> None:
        nonlocal current, pending_time
        if current is not None:
            if current.first is not None and current.last is not None:
                turns.append(ParsedTurn(current.speaker, current.first, current.last, current.time))
            elif current.time is not None and pending_time is None:
                # An empty labelled turn ("Janet (02:10):" then a blank line) still
                # times the paragraph that follows.
                pending_time = current.time
        current = None

    def open_turn(speaker: str | None, time: float | None) -> None:
        nonlocal current, pending_time
        close()
        current = _OpenTurn(speaker, time if time is not None else pending_time)
        pending_time = None

    def add(start: int, end: int) -> None:
        # Trim whitespace: the span starts at the first non-space character of
        # the speech and ends after the last.
        segment = text[start:end]
        stripped = segment.strip()
        if current is None or not stripped:
            return
        first = start + (len(segment) - len(segment.lstrip()))
        if current.first is None:
            current.first = first
        current.last = first + len(stripped)

    for (offset, line), raw, cand in zip(lines, candidates, accepted):
        end = offset + len(line)
        if not line.strip():
            close()
            at_paragraph = True
            continue
        if offset in paragraph_starts:
            at_paragraph = True
        hint = hints.get(offset)
        if hint is not None:
            speaker, speech_start = hint
            open_turn(speaker, raw.time if raw is not None else None)
            last_speaker = speaker
            add(max(speech_start, offset), end)
        elif cand is not None and cand.speaker is not None:
            open_turn(cand.speaker, cand.time)
            last_speaker = cand.speaker
            add(offset + cand.speech_start, end)
        elif cand is not None and line[cand.speech_start:].strip() == "":
            # A line holding only a timestamp: it times the next turn.
            close()
            pending_time = cand.time
            at_paragraph = True
            continue
        elif cand is not None and at_paragraph:
            open_turn(last_speaker, cand.time)
            add(offset + cand.speech_start, end)
        elif at_paragraph or current is None:
            open_turn(last_speaker, None)
            add(offset, end)
        else:
            add(offset, end)
        at_paragraph = False
    close()
    return _with_end_times(turns)


def _with_end_times(turns: list[ParsedTurn]) -> list[ParsedTurn]:
    """A timed turn ends where the next timed turn starts (if that is later)."""
    result = list(turns)
    next_time: float | None = None
    for i in range(len(result) - 1, -1, -1):
        turn = result[i]
        if turn.start_time is not None:
            if next_time is not None and next_time >= turn.start_time:
                result[i] = ParsedTurn(turn.speaker, turn.start, turn.end, turn.start_time, next_time)
            next_time = turn.start_time
    return result


def read_text(data: bytes, source_name: str) -> ParsedTranscript:
    """Read a plain-text transcript (any of the label styles above)."""
    raw, encoding = decode_bytes(data, source_name)
    text = normalise(raw)
    turns = find_turns(text)
    warnings = [] if turns else ["no text found"]
    return ParsedTranscript(
        text=text,
        turns=turns,
        source_name=source_name,
        sha256=hashlib.sha256(data).hexdigest(),
        format="text",
        encoding=encoding,
        warnings=warnings,
    )
