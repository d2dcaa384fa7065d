"""Which label candidates of a file are speakers: decided by evidence in the whole file.

Everything that looks like a label is not one ("Note: ...", "Money: none", a wrapped
line that happens to start with "Then:", a bold "**Break:**" marking an ad break), so
a candidate counts only when one of these holds:

1. it is a known role or group label (Interviewer, INT, I, R, Moderator, Several...)
   or looks like an id (P07, C01, id1, Speaker 2, initials such as JS);
2. the same label starts a line at least twice (in a script without letter case, such
   as Chinese or Arabic, this is the only way a plain-text name counts). A
   lower-case handle (``jdoe:``, ``user_7:``) must also be written in the file's main
   label style, in a file where most lines start with a label, with speech after it,
   never be used as an ordinary word in the speech, and, if it is a plain word, not
   be the file's only handle (so a wrapped line starting "said: ..." stays speech). A
   name alone on its line only counts where that is the file's main style;
3. it occurs once, is shaped like a name, an id, a handle with a digit or ``?``, is
   written in the file's main label style after a label confirmed by rule 1 or 2, and
   starts a paragraph (or the file is "dense": most lines start with a label). This
   catches the focus-group member who speaks only once, and the respondent of a
   two-turn transcript. A label marked up as one (a bold run, a heading ending in a
   colon) needs no name shape: the markup says it is a label.

Metadata words (Note, Date, Location, Transcript...) never count, and a role word
that occurs only once before the first repeated label ("Participant: Janet" in a
header block) is read as preamble, not as a turn. A label whose every turn holds only
timestamps (``**Break:** [18:04] to [18:51]``) is a marker, not a speaker: that is
decided once the turns are built (:mod:`qualcode.ingest.turns`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .labels import CAPS, HANDLE, ID, NAME, UNKNOWN, LabelCandidate

MARKUP_STYLES = frozenset({"bold", "heading"})
# Shapes a label used once may have (rule 3).
_ONCE_SHAPES = frozenset({NAME, CAPS, ID, UNKNOWN})


def accept_labels(
    lines: Sequence[str],
    candidates: Sequence[LabelCandidate | None],
    paragraph_start: Sequence[bool],
) -> list[LabelCandidate | None]:
    """The candidates that count (see the module docstring); time-only candidates pass
    through for the turn builder."""
    counts = Counter(
        c.speaker for c in candidates if c is not None and c.speaker is not None and c.style != "padded"
    )
    padded_counts = Counter(c.speaker for c in candidates if c is not None and c.style == "padded")

    # Rules 1 and 2, and the first line holding a repeated label.
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
            repeated = padded_counts[c.speaker] >= 2
            ok = repeated or c.role_word or (c.strong and len(c.speaker) > 1)
        else:
            repeated = counts[c.speaker] >= 2
            ok = c.strong or repeated
        if ok:
            accepted[i] = c
        if repeated:
            first_repeated = min(first_repeated, i)

    main_style = _main_style(accepted)
    speech_lines = sum(
        1 for line, c in zip(lines, candidates)
        if line and not line.isspace()
        and not (c is not None and c.speaker is None and not line[c.speech_start:].strip())
    )
    labelled = sum(1 for c in accepted if c is not None and c.speaker is not None)
    dense = bool(speech_lines) and labelled / speech_lines >= 0.5

    # Weak shapes count only where the whole file supports them.
    doubtful = _doubtful_handles(lines, candidates)
    for i, c in enumerate(accepted):
        if c is None or c.speaker is None or c.style in MARKUP_STYLES:
            continue
        weak_handle = c.shape == HANDLE and not (dense and c.style == main_style and c.speaker not in doubtful)
        if weak_handle or (c.style == "alone" and main_style != "alone"):
            accepted[i] = None

    # A role word used once before any repeated label is a header field
    # ("Interviewer: Anna Smith"), not the first turn.
    header_zone = first_repeated if first_repeated < len(lines) else 0
    for i in range(header_zone):
        c = accepted[i]
        once = c is not None and c.speaker is not None and counts[c.speaker] + padded_counts[c.speaker] < 2
        if once and c is not None and c.role_word:
            accepted[i] = None

    # Rule 3: a label used once, in the file's main label style.
    main_style = _main_style(accepted)
    if main_style is None:
        return accepted
    labelled = sum(1 for c in accepted if c is not None and c.speaker is not None)
    dense = bool(speech_lines) and labelled / speech_lines >= 0.5
    header_end = next(i for i, c in enumerate(accepted) if c is not None and c.speaker is not None)
    for i, c in enumerate(candidates):
        if (
            c is None
            or accepted[i] is not None
            or c.speaker is None
            or c.style != main_style
            or i <= header_end
            or not (dense or paragraph_start[i])
        ):
            continue
        if c.style in MARKUP_STYLES:
            ok = c.shape != HANDLE or dense
        elif c.shape == HANDLE:
            ok = dense and any(ch.isdigit() for ch in c.speaker) and bool(lines[i][c.speech_start:].strip())
        else:
            ok = c.shape in _ONCE_SHAPES and (
                c.name_like or c.shape in (ID, UNKNOWN) or _has_suffix(c.speaker))
        if ok:
            accepted[i] = c
    return accepted


def _doubtful_handles(lines: Sequence[str], candidates: Sequence[LabelCandidate | None]) -> set[str]:
    """Lower-case words before a colon that are more likely speech than handles: one
    with nothing after it on its line ("said:" ending a wrapped line), one the file
    also uses as an ordinary word inside the speech, and a plain word (no digit, "_",
    "-" or ".") that is the file's only handle-shaped label."""
    handles = {c.speaker for c in candidates if c is not None and c.speaker is not None and c.shape == HANDLE}
    if not handles:
        return set()
    doubtful = {c.speaker for line, c in zip(lines, candidates)
                if c is not None and c.speaker is not None and c.shape == HANDLE
                and not line[c.speech_start:].strip()}
    inside = re.compile(r"(?<=[ \t])(" + "|".join(re.escape(h) for h in handles) + r")\b")
    for line, c in zip(lines, candidates):
        speech = line[c.speech_start:] if c is not None and c.speaker is not None else line
        doubtful.update(m.group(1) for m in inside.finditer(speech))
    if len(handles - doubtful) == 1:
        (only,) = handles - doubtful
        if not any(ch in only for ch in "0123456789_-."):
            doubtful.add(only)
    return doubtful


def _has_suffix(label: str) -> bool:
    """A name with a parenthesis or a title ("Jane Roe (Labour)", "Jo Bloggs, MP")."""
    return "(" in label or "," in label or "|" in label


def _main_style(accepted: Sequence[LabelCandidate | None]) -> str | None:
    styles = Counter(c.style for c in accepted if c is not None and c.speaker is not None)
    if not styles:
        return None
    return styles.most_common(1)[0][0]
