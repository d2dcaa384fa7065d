"""Timestamps as transcribers write them, at a line start or beside a label.

Inside brackets or parentheses ``mm:ss`` is unambiguous enough, and so is the
day-first mission clock of some logs (``[02:04:13:08.5]``, days first, perhaps
negative before the start); bare, we require ``hh:mm:ss`` so that "10:30 we met" (a
clock time in speech) is never a timestamp.
"""

from __future__ import annotations

import re

CLOCK = r"(?:\d{1,2}:)?\d{1,3}:\d{2}(?:[.,]\d{1,3})?"
# Only inside brackets: an optional sign and a days field before hh:mm:ss.
_BRACKETED_CLOCK = r"-?(?:\d{1,3}:)?(?:\d{1,2}:)?\d{1,3}:\d{2}(?:[.,]\d{1,3})?"
BARE_CLOCK = r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?(?![\d:])"
TIMESTAMP = (
    rf"(?:\[[ \t]*(?P<t1>{_BRACKETED_CLOCK})[ \t]*\]|\([ \t]*(?P<t2>{CLOCK})[ \t]*\)"
    rf"|(?P<t3>{BARE_CLOCK}))"
)
# Optional indentation and turn-start timestamp, with a separator such as " - ".
LEAD = re.compile(rf"[ \t]*(?:{TIMESTAMP}[ \t]*(?:[-\u2013\u2014|][ \t]*)?)?")
# A timestamp at the start of the speech, after a label ("Adam: [04:06] So...", or
# "[Carla Mendes] 10:02:15" as Zoom's text export writes it, the speech below): the
# turn's start time, kept in the text but outside the turn's span.
SPEECH_TIME = re.compile(
    rf"\[[ \t]*(?P<t>{CLOCK})[ \t]*\][ \t]*|\([ \t]*(?P<u>{CLOCK})[ \t]*\)[ \t]*|(?P<v>{BARE_CLOCK})(?:[ \t]+|$)"
)
# "Speaker 1  0:03" (Otter): a time at the end of a label line, the speech below.
TRAILING_TIME = re.compile(rf"(?P<t5>{CLOCK})[ \t]*$")
# Anything clock-like, for telling a line (or a "turn") that holds only times.
_DIGIT = re.compile(r"\d")
_ANY_CLOCK = re.compile(r"\\?-?\d{1,3}(?::\d{1,3}){1,3}(?:[.,]\d{1,3})?")


def parse_clock(value: str) -> float | None:
    """Seconds from "mm:ss", "hh:mm:ss" or "dd:hh:mm:ss" (optional .mmm or ,mmm, a
    leading minus); None if invalid."""
    negative = value.startswith("-")
    parts = value.lstrip("-").replace(",", ".").split(":")
    try:
        seconds = float(parts[-1])
        numbers = [int(p) for p in parts[:-1]]
    except ValueError:
        return None
    if not 0 <= seconds < 60 or len(numbers) not in (1, 2, 3):
        return None
    if len(numbers) >= 2 and numbers[-1] >= 60:
        return None
    if len(numbers) == 3 and numbers[1] >= 24:
        return None
    total = seconds
    for unit, number in zip((60, 3600, 86400), reversed(numbers)):
        total += unit * number
    return -total if negative else total


def only_times(text: str) -> bool:
    """Whether ``text`` holds timestamps and nothing said: "[18:04] to [00:18:51.08]"
    (an ad break in a podcast transcript), "(00:12:03)", "12:04 - 12:30"."""
    if ":" not in text or len(text) > 80 or _DIGIT.search(text) is None:
        return False  # (a marker is short; most turns are tested here, so cheap tests first)
    clocks = _ANY_CLOCK.findall(text)
    # One bare "10:30" is something said (a time of day); a marker writes its times as
    # timestamps: in brackets, with hours, or two of them.
    if len(clocks) < 2 and not re.search(r"[\[(]\\?-?\d", text) and not re.search(r"\d:\d{2}:\d{2}", text):
        return False
    rest = _ANY_CLOCK.sub(" ", text)
    words = re.findall(r"[^\W\d_]+", rest)
    # A joining word may remain ("to", "bis", "à"); anything longer is speech.
    return len(words) <= 1 and all(len(w) <= 3 for w in words)
