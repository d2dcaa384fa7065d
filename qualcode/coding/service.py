"""Coding use cases of :class:`qualcode.project.Project`, one mixin per concern."""

from __future__ import annotations

from .autocode import AutocodeMixin
from .codebook import CodebookMixin
from .codebook_file import CodebookFileMixin
from .memos import MemoMixin
from .segments import SegmentsMixin
from .tagging import TaggingMixin


class CodingMixin(CodebookMixin, CodebookFileMixin, TaggingMixin, MemoMixin, SegmentsMixin,
                  AutocodeMixin):
    """Codebook, tagging, memos, constant comparison and auto-coding."""
