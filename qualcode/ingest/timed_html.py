"""Transcription editors' HTML with timestamps: oTranscribe (.otr) and noScribe (.html).

oTranscribe saves ``{"text": "<p><span class=\\"timestamp\\" data-timestamp=\\"4.37\\">0:04
</span> ...</p>", "media": "interview.mp3", ...}``; noScribe writes an HTML page whose
paragraphs hold its segments as ``<a name="ts_4370_9120_S00">`` anchors (milliseconds
from and to, and the speaker), often with the time written out as well.

Both become the plain text a transcriber would type, one paragraph per ``<p>``, with a
paragraph's time written at its start as ``[hh:mm:ss.sss]``; the text reader then finds
the speakers and turns as it does in any typed transcript (labels, continuation
paragraphs, timestamps beside labels), so nothing of its detection is written twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser

from ..errors import InputError
from .clock import SPEECH_TIME
from .encoding import decode_text
from .model import ParsedTranscript
from .text import read_text

_NOSCRIBE_ANCHOR = re.compile(r"ts_(\d+)_(\d+)(?:_(.*))?$")
_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br"})
_SKIPPED = frozenset({"script", "style", "head", "title"})
# A time written at the start of a paragraph, or after its speaker label.
_WRITTEN_TIME = re.compile(rf"^[ \t]*(?:[^\s:]{{1,40}}(?:[ \t][^\s:]{{1,40}}){{0,3}}:[ \t]*)?(?:{SPEECH_TIME.pattern})")


def _clock(seconds: float) -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    if millis == 1000:
        whole, millis = whole + 1, 0
    return f"[{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}]"


class _TimedText(HTMLParser):
    """Paragraphs of text, each with the first time met inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[float | None, list[str]]] = [(None, [])]
        self._skipping = 0
        self._in_timestamp = 0

    def _new_paragraph(self) -> None:
        if self.paragraphs[-1][1] or self.paragraphs[-1][0] is not None:
            self.paragraphs.append((None, []))

    def _time(self, seconds: float) -> None:
        time, pieces = self.paragraphs[-1]
        if time is None and not "".join(pieces).strip():
            self.paragraphs[-1] = (seconds, pieces)
        elif time is None:
            # A time part-way through a paragraph: only the label may come before it.
            self.paragraphs[-1] = (seconds, pieces) if len("".join(pieces).strip()) <= 40 else (time, pieces)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self._new_paragraph()
        if tag == "span" and "timestamp" in (values.get("class") or "").split():
            stamp = _number(values.get("data-timestamp"))
            if stamp is not None:
                self._time(stamp)
            self._in_timestamp += 1  # its visible "0:04" is replaced by the exact time
        elif tag == "span" and self._in_timestamp:
            self._in_timestamp += 1
        if tag == "a" and (anchor := _NOSCRIBE_ANCHOR.match(values.get("name") or "")):
            self._time(int(anchor.group(1)) / 1000)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(self._skipping - 1, 0)
        elif tag in _BLOCKS:
            self._new_paragraph()
        if tag == "span" and self._in_timestamp:
            self._in_timestamp -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and not self._in_timestamp:
            self.paragraphs[-1][1].append(data)

    def text(self) -> str:
        lines = []
        for time, pieces in self.paragraphs:
            body = " ".join("".join(pieces).split())
            if not body:
                continue
            if time is not None and not _WRITTEN_TIME.match(body):
                body = f"{_clock(time)} {body}"
            lines.append(body)
        return "\n\n".join(lines) + "\n"


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= 0 else None


def _as_text(html: str, data: bytes, source_name: str, fmt: str, encoding: str | None,
             warnings: list[str]) -> ParsedTranscript:
    parser = _TimedText()
    parser.feed(html)
    parser.close()
    parsed = read_text(parser.text().encode("utf-8"), source_name)
    # The source is the file as given, not the text made of it.
    parsed.sha256 = hashlib.sha256(data).hexdigest()
    parsed.format = fmt
    parsed.encoding = encoding
    parsed.warnings = [*warnings, *parsed.warnings]
    return parsed


def read_otr(data: bytes, source_name: str) -> ParsedTranscript:
    """Read an oTranscribe .otr file (JSON holding the transcript as HTML)."""
    raw, encoding, notes = decode_text(data, source_name)
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(source_name, f"line {exc.lineno}: is not an oTranscribe file (not JSON: {exc.msg})") from None
    if not isinstance(document, dict) or not isinstance(document.get("text"), str):
        raise InputError(source_name, "is not an oTranscribe file: no \"text\" holding the transcript")
    return _as_text(document["text"], data, source_name, "otr", encoding, list(notes))


def read_timed_html(data: bytes, source_name: str) -> ParsedTranscript:
    """Read an HTML transcript with timestamps (noScribe's output, a saved oTranscribe page)."""
    raw, encoding, notes = decode_text(data, source_name)
    if "<" not in raw:
        raise InputError(source_name, "is not HTML: it has no tags")
    return _as_text(raw, data, source_name, "html", encoding, list(notes))
