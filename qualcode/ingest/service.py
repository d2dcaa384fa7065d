"""Import use cases of :class:`qualcode.project.Project` (transcripts, manifests, search)."""

from __future__ import annotations


class IngestMixin:
    """Transcript import, listing, and full-text search."""
