"""Speaker labels named by the researcher, for when detection gets a file wrong.

``--labels "Interviewer,Janet"`` says which labels are speakers (a comma inside a
label is written ``\\,``); ``--label-pattern REGEX`` gives a regular expression
matched at the start of each line (after a turn-start timestamp), whose group
``label`` (or first group, or whole match) is the speaker. Either way nothing else is
a speaker, whatever its shape or frequency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import QualcodeError
from .clock import CLOCK, LEAD, parse_clock
from .labels import LabelCandidate

_AFTER_LABEL = re.compile(
    rf"[ \t]*(?:[\[(][ \t]*(?P<t>{CLOCK})[ \t]*[\])][ \t]*)?(?:[:\uff1a][ \t\u3000]*|\t[ \t]*| {{2,}}|$)"
)


def split_labels(value: str) -> list[str]:
    """ "A,B\\, Jr.,C" -> ["A", "B, Jr.", "C"]."""
    parts = re.split(r"(?<!\\),", value)
    return [" ".join(p.replace("\\,", ",").split()) for p in parts if p.strip()]


class LabelOverride:
    """The researcher's own label list or pattern (see the module docstring)."""

    def __init__(self, labels: Iterable[str] = (), pattern: str | None = None) -> None:
        self.labels = sorted({" ".join(label.split()) for label in labels if label.strip()}, key=len, reverse=True)
        if not self.labels and not pattern:
            raise QualcodeError("--labels needs at least one label")
        try:
            self.pattern = re.compile(pattern) if pattern else None
        except re.error as exc:
            raise QualcodeError(f"--label-pattern {pattern!r} is not a valid regular expression ({exc})") from None
        self._folded = [(label.casefold(), label) for label in self.labels]

    def describe(self) -> str:
        return f"pattern {self.pattern.pattern!r}" if self.pattern else ", ".join(self.labels)

    def candidate(self, line: str) -> LabelCandidate | None:
        lead = LEAD.match(line)
        pos = lead.end() if lead else 0
        raw_time = (lead.group("t1") or lead.group("t2") or lead.group("t3")) if lead and pos else None
        time = parse_clock(raw_time) if raw_time else None
        rest = line[pos:]
        if self.pattern is not None:
            m = self.pattern.match(rest)
            if not m:
                return None
            if "label" in self.pattern.groupindex:
                label = m.group("label")
            elif self.pattern.groups:
                label = m.group(1)
            else:
                label = m.group(0).strip(" \t:\uff1a[]")
            label = " ".join((label or "").split())
            if not label:
                return None
            speech = pos + m.end()
            while speech < len(line) and line[speech] in " \t\u3000":
                speech += 1
            return LabelCandidate(label, "given", speech, time, True, False, False, "given")
        bracketed = rest.startswith("[")
        body = rest[1:] if bracketed else rest
        folded = body.casefold()
        for key, label in self._folded:
            if not folded.startswith(key):
                continue
            after = len(key) + (1 if bracketed else 0)
            if bracketed:
                if rest[after:after + 1] != "]":
                    continue
                after += 1
            m = _AFTER_LABEL.match(rest, after)
            if m is None or (m.end() == after and after < len(rest) and not bracketed):
                continue  # "Janet" must not match "Janetta said"
            inner = parse_clock(m.group("t")) if m.group("t") else None
            return LabelCandidate(label, "given", pos + m.end(), time if time is not None else inner,
                                  True, False, False, "given")
        return None
