"""Coding use cases of :class:`qualcode.project.Project` (codebook, tagging, memos)."""

from __future__ import annotations


class CodingMixin:
    """Codebook, tagging, memos, constant comparison and auto-coding."""
