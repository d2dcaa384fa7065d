"""Coding (``project.coding``): apply and remove codes, list codings, constant
comparison of segments, and auto-coding suggestions.

The use cases are written in their own modules (:mod:`.tagging`, :mod:`.segments`,
:mod:`.autocode`) as functions of this service, and gathered here.
"""

from __future__ import annotations

from ..context import ProjectContext, Service
from . import autocode as _autocode
from . import segments as _segments
from . import tagging as _tagging
from .codebook import CodebookService


class CodingService(Service):
    """Codings: apply, remove, list; segments under a code; auto-coding."""

    def __init__(self, ctx: ProjectContext, codebook: CodebookService) -> None:
        super().__init__(ctx)
        self.codebook = codebook

    resolve_target = _tagging.resolve_target
    tag = _tagging.tag
    apply_spans = _tagging.apply_spans
    untag = _tagging.untag
    remove_coding = _tagging.remove_coding
    set_exemplar = _tagging.set_exemplar
    set_coding_memo = _tagging.set_coding_memo
    codings = _tagging.codings
    codings_by_ids = _tagging.codings_by_ids
    coding_keys = _tagging.coding_keys
    codings_fingerprint = _tagging.codings_fingerprint
    transcript_layout_matches = _tagging.transcript_layout_matches
    _codable = _tagging._codable
    _with_text = _tagging._with_text

    segments = _segments.segments
    group_segments = _segments.group_segments

    suggest_by_speaker = _autocode.suggest_by_speaker
    suggest_by_pattern = _autocode.suggest_by_pattern
    suggest_by_keywords = _autocode.suggest_by_keywords
    apply_suggestions = _autocode.apply_suggestions
    _transcript_names = _autocode._transcript_names
    _already = _autocode._already
    _units = _autocode._units
    _suggest_matches = _autocode._suggest_matches
