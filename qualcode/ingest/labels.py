"""What may be a speaker label at the start of one line, and what shape it has.

This module looks at one line at a time; whether a candidate counts is decided for
the whole file by :mod:`qualcode.ingest.label_evidence`. Styles recognised (after an
optional turn-start timestamp such as ``[00:01:02]``):

* ``colon``: ``Janet:``, ``JANET:``, ``Mary Ann Smith:``, ``I:``, ``P07:``,
  ``admin-1:``, ``nflaig:``, ``?:``, with a parenthesis (``Justin Florentine (Besu):``,
  ``Mr SMITH (Northern Tablelands):``), a title after a comma (``Mireille B. Reece,
  Psy.D:``), an affiliation after a bar (``Tim Beiko | EF:``), a timestamp before the
  colon (``Janet (03:15):``); the full-width colon (``李华：``) counts as a colon, and a
  timestamp at the start of the speech (``Adam: [04:06] So...``) times the turn;
* ``timed``: a name and a bracketed timestamp, no colon (``Speaker 1 [00:00:04] So``);
* ``bracket``: ``[Janet]``, ``[P04]``;
* ``padded``: ``JANET   Well...``, ``Janet<TAB>Well...`` (Rev, table exports), and the
  Otter line ``Speaker 1  0:03`` with the speech on the lines below;
* ``alone``: a name alone on its line with the speech below (parliamentary records:
  ``The Prime Minister (Boris Johnson)``);
* ``time``: a timestamp and no label.

Markup gives two more styles, made by the readers that see it: ``bold`` (Markdown
``**Name:**``, a bold run in Word) and ``heading`` (``### Name:``).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from .clock import CLOCK, LEAD, SPEECH_TIME, TRAILING_TIME, parse_clock

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
# Short ids are trusted once (P07, id1, pk910, JS); longer letter prefixes (admin-1,
# user_12) are ids too, but must earn their place like names.
_ID_LIKE = re.compile(r"[A-Za-z]{1,4}[-_]?\d{1,4}[a-z]?|[A-Z]{1,3}")
_LONG_ID = re.compile(r"[A-Za-z]{5,12}[-_]?\d{1,4}[a-z]?")
# A lower-case handle: one token of letters, digits, "_", "." or "-".
_HANDLE = re.compile(r"[a-z][a-z0-9_.\-]{1,30}")
# Capitalised abbreviations that start sentences rather than turns.
_NOT_INITIALS = frozenset(
    ["OK", "NB", "PS", "TV", "UK", "US", "USA", "NHS", "GP", "AM", "PM", "ID", "RE", "CC", "FYI", "BTW", "FAQ", "CD", "DVD", "PC", "IT", "HR", "AND", "THE", "BUT", "SO", "YES", "NO", "HI", "WHO", "WHY", "HOW", "AGE"]
)
# Words that introduce notes, metadata or speech content, never a speaker.
_NEVER_LABELS = frozenset(
    ["note", "notes", "nb", "n.b", "ps", "p.s", "date", "time", "location", "place", "venue", "setting", "duration", "length", "interview", "transcript", "transcriber", "transcription", "recording", "file", "filename", "audio", "video", "consent", "project", "study", "title", "subject", "re", "topic", "theme", "summary", "keywords", "tags", "example", "e.g", "i.e", "tip", "warning", "source", "http", "https", "www", "present", "attendees", "absent", "apologies", "wave", "site", "code", "codes", "memo", "comment", "comments", "observation", "observations", "context", "background", "key", "total", "step", "part", "section", "chapter", "page", "day", "week", "month", "year", "morning", "afternoon", "evening", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "first", "second", "third", "finally", "also", "and", "but", "so", "well", "yes", "no", "yeah", "ok", "okay", "right", "um", "er", "erm", "mm", "hmm", "oh", "ah", "sure", "thanks", "laughs", "laughter", "laughing", "inaudible", "crosstalk", "pause", "silence", "unclear", "overlapping", "overtalk", "sighs", "coughs", "music", "noise", "interruption", "redacted", "end", "start", "begin", "beginning", "break", "update", "edit", "edited", "important", "remember", "reminder", "quote", "agenda", "action", "actions", "outcome", "result", "results", "goal", "goals", "aim", "aims", "objective", "purpose", "reason", "problem", "issue", "issues", "solution", "tl;dr", "caption", "question", "questions", "prompt", "probe", "exactly", "absolutely", "anyway", "basically", "honestly", "actually", "then", "now", "here", "there", "thank you", "good", "great", "fine", "true", "indeed", "definitely", "sorry", "hello", "hi", "bye", "order"]
)
_NEVER_LAST_WORDS = frozenset(
    ["date", "time", "duration", "length", "location", "venue", "number", "no", "id", "code", "title", "name", "type", "version", "status", "notes", "note"]
)
# Small words inside the title of an office ("Secretary of State for Health and Social Care").
_OFFICE_WORDS = frozenset(["for", "and", "of", "the", "on", "to", "in"])
_PARTICLES = frozenset(["de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das", "bin", "al", "el", "y", "of", "st"])

# Shapes of a label (see :func:`label_shape`).
ROLE, ID, NAME, CAPS, HANDLE, CASELESS, UNKNOWN = "role", "id", "name", "caps", "handle", "caseless", "unknown"

# --- label patterns ------------------------------------------------------------

_WORD = r"[^\W_][\w'\u2019.\-]*"
_WORDS = rf"{_WORD}(?:[ \t]+{_WORD}){{0,5}}?"
# A parenthesis after the name that is not a timestamp: "(Besu)", "(Cape)",
# "(Grayndler—Prime Minister)".
_PAREN = r"\((?![ \t]*-?\d{1,3}:)[^()\n]{1,60}\)"
_TITLE = rf",[ \t]*{_WORD}(?:[ \t]+{_WORD}){{0,5}}?"
_BAR = r"[ \t]*\|[ \t]*[^|:\n\uff1a]{1,40}?"
_LABEL = rf"(?P<label>\?|{_WORDS}(?:[ \t]*{_PAREN}){{0,2}}(?:{_TITLE})?(?:{_BAR})?)"
_INNER_TIME = rf"[\[(][ \t]*(?P<t4>{CLOCK})[ \t]*[\])]"
_COLON_LABEL = re.compile(rf"{_LABEL}[ \t]*(?:{_INNER_TIME}[ \t]*)?(?::(?=\s|$)|\uff1a)[ \t\u3000]*")
_TIMED_LABEL = re.compile(rf"{_LABEL}[ \t]+{_INNER_TIME}(?:[ \t]+|$)")
_BRACKET_LABEL = re.compile(r"\[(?P<label>[^\[\]\n:]{1,40})\](?:[ \t]*:)?[ \t]*")
# Padded labels are separated from the speech by a tab or 2+ spaces; words within
# the label by single spaces (so "Yes.  Then I" cannot swallow several words).
_PADDED_LABEL = re.compile(rf"(?P<label>{_WORD}(?: [\w'\u2019.\-]+){{0,3}})(?:\t[ \t]*| {{2,}}[ \t]*)(?=\S)")
_ALONE_LABEL = re.compile(rf"{_LABEL}[ \t]*(?:{_INNER_TIME})?[ \t]*")
# What LEAD can start with, besides a digit: the empty string, white space, brackets.
_MAY_LEAD = frozenset(("", " ", "\t", "[", "("))
# An underscore-prefixed field ("_page : 77", "_note: ..."): metadata some logs carry.
FIELD_LINE = re.compile(r"[ \t]*_[A-Za-z]+[ \t]*:")


class LabelCandidate(NamedTuple):
    """Something at the start of a line that may be a speaker label. (A named tuple:
    one is made for every labelled line, and a tuple is much quicker to make than a
    frozen dataclass.)"""

    speaker: str | None  # None: a turn-start timestamp with no label
    style: str  # "colon", "timed", "bracket", "padded", "alone", "bold", "heading" or "time"
    speech_start: int  # offset in the line where the speech begins
    time: float | None
    strong: bool  # a known role or id-like label: needs no confirmation
    role_word: bool  # a full role word such as "Interviewer" (not "I", not "P07")
    name_like: bool  # shaped like a personal name (for the single-occurrence rule)
    shape: str = NAME  # see label_shape


def _core(label: str) -> tuple[str, str]:
    """A label split into its name and what follows it: " (Besu)", ", Psy.D", " | EF"."""
    cut = len(label)
    for mark in (" (", "(", ", ", ",", " |", "|"):
        at = label.find(mark)
        if 0 < at < cut:
            cut = at
    return label[:cut].strip(), label[cut:].strip()


@functools.lru_cache(maxsize=4096)  # the same few labels recur on every other line
def label_shape(label: str) -> str | None:
    """The shape of a label (role, id, name, caps, handle, caseless, unknown), or None
    if it cannot be one."""
    if label == "?":
        return UNKNOWN  # an unidentified speaker, as mission and court logs write it
    if len(label) > 80:
        return None
    core, extra = _core(label)
    words = core.split()
    # An office with the holder's name in parentheses may be long: "The Minister for
    # Local Transport (Simon Lightwood)".
    office = extra.startswith("(") and len(words) > 1
    if not 1 <= len(words) <= (8 if office else 4) or len(core) > (70 if office else 40):
        return None
    lower = core.lower().rstrip(".")
    if lower in _NEVER_LABELS or (words[-1].lower().rstrip(".") in _NEVER_LAST_WORDS and len(words) > 1):
        # "Participant ID", "Interview date": metadata fields, not speakers.
        return None
    if extra.startswith(",") and not extra[1:].strip()[:1].isupper():
        return None  # "Well, basically:" is speech; "Reece, Psy.D:" is a title
    if lower in _ROLE_WORDS or (lower in _ROLE_ABBREVIATIONS and len(lower) > 2):
        return ROLE
    if core in _ROLE_LETTERS or _ROLE_NUMBERED.fullmatch(core):
        return ID
    if len(words) == 2 and words[1].isdigit() and words[0].lower() in _NEVER_LABELS:
        return None  # "Question 3", "Part 2", "Day 4": a heading, not a speaker
    if len(words) == 2 and words[1].isdigit() and words[0][0].isupper():
        return ID  # "Unit 12", "Caller 3", "Table 2": numbered, as "Speaker 2" is
    if (_ID_LIKE.fullmatch(core) and core not in _NOT_INITIALS) or _LONG_ID.fullmatch(core):
        return ID
    first = words[0][0]
    if not first.isalpha():
        return None
    if first.islower():
        # One lower-case token may be a handle ("nflaig", "stokes"); words are speech.
        return HANDLE if len(words) == 1 and _HANDLE.fullmatch(core) else None
    if not first.isupper():
        # A script without letter case (Chinese, Japanese, Arabic, Hebrew...): nothing
        # marks a name as one, so such a label counts only with other evidence.
        return CASELESS
    for word in words[1:]:
        if not (word[0].isupper() or word[0].isdigit() or word.lower() in _PARTICLES
                or (office and word in _OFFICE_WORDS)):
            return None
    return CAPS if core.isupper() and len(core) > 1 else NAME


@functools.lru_cache(maxsize=4096)
def classify_label(label: str) -> tuple[bool, bool, bool] | None:
    """Return (strong, role_word, name_like) for a label, or None if it cannot be one."""
    shape = label_shape(label)
    if shape is None:
        return None
    core, _ = _core(label)
    if shape == ROLE:
        return True, core.lower().rstrip(".") in _ROLE_WORDS, False
    if shape == ID:
        # Short ids (P07, JS, id1) and numbered roles are trusted once; "admin-1" and
        # "Unit 12" must earn their place as names do.
        strong = bool(core in _ROLE_LETTERS or _ROLE_NUMBERED.fullmatch(core)
                      or (_ID_LIKE.fullmatch(core) and core not in _NOT_INITIALS))
        return strong, False, False
    if shape in (NAME, CAPS):
        # "Maria de la Cruz" is three words of name and two particles.
        words = [w for w in core.split() if w.lower() not in _PARTICLES]
        return False, False, len(words) <= 3 and not any(ch.isdigit() for ch in core)
    return False, False, False


@functools.lru_cache(maxsize=4096)  # as label_shape: a file's few labels recur on every other line
def _label_facts(raw: str) -> tuple[str, bool, bool, bool, str] | None:
    """(label with its white space made single spaces, strong, role_word, name_like,
    shape), or None if ``raw`` cannot be a label."""
    label = " ".join(raw.split())
    shape = label_shape(label) if label else None
    if shape is None:
        return None
    strong, role_word, name_like = classify_label(label)  # type: ignore[misc]
    return label, strong, role_word, name_like, shape


def _candidate(label: str, style: str, speech_start: int, time: float | None) -> LabelCandidate | None:
    facts = _label_facts(label)
    if facts is None:
        return None
    label, strong, role_word, name_like, shape = facts
    return LabelCandidate(label, style, speech_start, time, strong, role_word, name_like, shape)


def speech_time(line: str, at: int, time: float | None) -> tuple[int, float | None]:
    """A timestamp opening the speech ("Adam: [04:06] So") times the turn."""
    first = line[at:at + 1]
    if first != "[" and first != "(" and not first.isdecimal():
        return at, time  # (what SPEECH_TIME can start with: most speech starts otherwise)
    m = SPEECH_TIME.match(line, at)
    if m is None:
        return at, time
    found = parse_clock(m.group("t") or m.group("u") or m.group("v"))
    if found is None:
        return at, time
    return m.end(), time if time is not None else found


def label_candidate(line: str) -> LabelCandidate | None:
    """Parse what may be a label (and timestamp) at the start of one line.

    This only looks at the line; whether the candidate counts is decided for the
    whole file (:func:`qualcode.ingest.label_evidence.accept_labels`).
    """
    first = line[:1]
    # LEAD matches more than nothing only from white space, a bracket or a digit: most
    # lines start with a letter, and are spared the regular expression.
    lead = LEAD.match(line) if first in _MAY_LEAD or first.isdecimal() else None
    pos = lead.end() if lead is not None else 0
    if lead is not None and pos:
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
        at, when = speech_time(line, pos + m.end(), time)
        found = _candidate(m.group("label"), "bracket", at, when)
        # Bracketed lower-case words are annotations ("[laughs]") unless id-like.
        if found and (found.strong or (found.speaker is not None and found.speaker[0].isupper())):
            return found

    # (The membership tests, at C speed, spare most speech lines the regexes.)
    m = _COLON_LABEL.match(rest) if ":" in rest or "\uff1a" in rest else None
    # A tab inside what reads as "label:" is the separator of a padded label
    # ("Interviewer<TAB>Yes, I said:"): the label is the part before it (below).
    if m and "\t" in m.group("label") and not pos and _PADDED_LABEL.match(rest):
        m = None
    if m:
        inner_time = parse_clock(m.group("t4")) if m.group("t4") else None
        if not (m.group("t4") and inner_time is None):
            at, when = speech_time(line, pos + m.end(), time if time is not None else inner_time)
            found = _candidate(m.group("label"), "colon", at, when)
            if found:
                return found

    if ("[" in rest or "(" in rest) and ":" in rest:
        m = _TIMED_LABEL.match(rest)
        if m and (inner := parse_clock(m.group("t4"))) is not None:
            found = _candidate(m.group("label"), "timed", pos + m.end(), time if time is not None else inner)
            if found:
                return found

    # Padded labels sit at the very start of the line: continuation lines of
    # padded transcripts are indented, and must not be read as labels.
    if (not pos or (has_lead_time and not line[:1].isspace())) and ("\t" in rest or "  " in rest):
        m = _PADDED_LABEL.match(rest)
        if m:
            after = rest[m.end():]
            otter = TRAILING_TIME.match(after)
            if otter and time is None:
                # "Speaker 1  0:03" (Otter): the time, and the speech below.
                found = _candidate(m.group("label"), "padded", len(line), parse_clock(otter.group("t5")))
            else:
                found = _candidate(m.group("label"), "padded", pos + m.end(), time)
            if found:
                return found

    # A name alone on its line, the speech below it. (Most short lines are wrapped
    # speech, mostly lower-case words: only lines mostly of capitals are tried.)
    if len(rest) <= 90 and not line[:1].isspace() and _mostly_capitalised(rest):
        m = _ALONE_LABEL.fullmatch(rest)
        if m and not _ends_sentence(m.group("label")):
            inner_time = parse_clock(m.group("t4")) if m.group("t4") else None
            found = _candidate(m.group("label"), "alone", len(line), time if time is not None else inner_time)
            # "I" or "OK" alone on a line is speech; a name alone needs some length.
            if found and found.speaker is not None and len(found.speaker) > 2 and found.shape != HANDLE:
                return found

    if has_lead_time:
        return LabelCandidate(None, "time", pos, time, False, False, False, "")
    return None


def _mostly_capitalised(text: str) -> bool:
    if text[:1].islower() or text.count(" ") > 16:
        return False
    words = text.split()
    if not words or len(words) > 14:
        return False
    upper = sum(1 for w in words if not w[0].islower())
    return upper * 2 >= len(words)


def _ends_sentence(label: str) -> bool:
    """"Exactly." and "Thanks!" are speech; "Jr." and "Psy.D" are not sentence ends."""
    if label[-1:] in "!?,;":
        return label != "?"
    if label.endswith("."):
        last = label.split()[-1]
        return len(last) > 4 and "." not in last[:-1]
    return False


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
