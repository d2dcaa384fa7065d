"""Paragraphs of text without speaker labels: where a line break ends a paragraph.

Field notes, oral-history narratives and documents have no labels; their units are
paragraphs, as in QualCoder, NVivo and MAXQDA. A blank line always ends one. Whether
a single line break does depends on how the file was written:

* hard-wrapped text (lines cut at a fixed width, as e-mail and many editors write
  it): a break is a paragraph end only where the next line's first word would have
  fitted on the line (the test reflowing editors use), or where indentation starts
  a new paragraph;
* text not wrapped by hand (one paragraph per line, as word processors save it):
  every line break ends a paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

# A file is hard-wrapped when most lines that run on into another line are within
# this many characters of the widest line (a wrapped line lacks at most one word).
_WRAP_SLACK = 15
_MIN_WRAP_WIDTH = 40


def _width(lengths: list[int]) -> int:
    """The wrap width: the 95th percentile of line lengths (a long URL on a line of
    its own does not widen a 72-column text)."""
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def hard_wrap_width(lines: Sequence[str]) -> int | None:
    """The width the text was wrapped at, or None if it was not wrapped by hand."""
    inner = [
        len(line.rstrip()) for line, after in pairwise(lines)
        if line.strip() and after.strip()
    ]
    if len(inner) < 3:
        return None
    width = _width([len(line.rstrip()) for line in lines if line.strip()])
    if width < _MIN_WRAP_WIDTH:
        return None
    near_full = sum(1 for length in inner if length >= width - _WRAP_SLACK)
    return width if near_full >= 0.6 * len(inner) else None


def paragraph_breaks(lines: Sequence[str]) -> set[int]:
    """Indexes of the lines that start a paragraph although no blank line precedes
    them (see the module docstring)."""
    width = hard_wrap_width(lines)
    starts: set[int] = set()
    for i in range(1, len(lines)):
        line, before = lines[i], lines[i - 1]
        if not line.strip() or not before.strip():
            continue
        if width is None:
            starts.add(i)
            continue
        first_word = line.split(None, 1)[0]
        fitted = len(before.rstrip()) + 1 + len(first_word) <= width
        indented = line[:1].isspace() and not before[:1].isspace()
        if fitted or indented:
            starts.add(i)
    return starts
