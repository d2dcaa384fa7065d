"""Code queries and named sets (``project.query``): see docs/query.md."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from ..context import Service
from ..errors import NotFoundError, QualcodeError
from ..records import Memo, QueryPassage, QueryResult, QuerySet
from ..records.study import QueryCount
from ..store import query as store
from . import engine


class QueryService(Service):
    """Run a code query; save its passages as a named set, refresh, list, show, delete."""

    def run(self, text: str, *, limit: int | None = None,
            filters: Sequence[str] = ()) -> QueryResult:
        """The passages of ``text`` (at most ``limit`` as records; the totals count all)."""
        evaluation = engine.run(self.db, text, extra_filters=filters)
        return QueryResult(text, tuple(engine.passages(self.db, evaluation, limit=limit)),
                           evaluation.totals())

    def totals(self, text: str) -> dict[str, int]:
        """Only the totals (no passage texts are read)."""
        return engine.run(self.db, text).totals()

    def counts(self, text: str, by: str) -> list[QueryCount]:
        """Passages by wave, participant or participant-wave (``by``), in wave order and
        participant id order (only groups with any)."""
        rows = engine.counts(self.db, engine.run(self.db, text), by)
        return [QueryCount(by, row.get("participant"), row.get("wave"), row["passages"]) for row in rows]

    def search_memos(self, text: str, *, limit: int = 200) -> list[tuple[Memo, str]]:
        """Memos whose title or body holds every word of ``text`` (case and accents
        ignored), newest first, each with a stretch of text around the first word."""
        from ..store import memos as store_memos

        words = [_folded(w) for w in text.split()]
        if not words:
            raise QualcodeError("search text is empty")
        found = []
        for memo in reversed(store_memos.memos_by_ids(self.db, store_memos.memo_ids(self.db))):
            haystack = _folded(f"{memo.title}\n{memo.body}")
            if all(w in haystack for w in words):
                at = haystack.find(words[0])
                body = f"{memo.title}\n{memo.body}"
                found.append((memo, " ".join(body[max(0, at - 40):at + 80].split())))
                if len(found) >= limit:
                    break
        return found

    # --- named sets ---------------------------------------------------------------------

    def save_set(self, name: str, text: str) -> QuerySet:
        """Run ``text`` and keep its passages as the set ``name`` (replacing a set of that
        name): one undoable action."""
        name = name.strip()
        if not name:
            raise QualcodeError("a set needs a name")
        evaluation = engine.run(self.db, text)
        starts, ends = evaluation.offsets()
        rows = list(zip(evaluation.transcript.tolist(), starts.tolist(), ends.tolist()))
        with self.action("save set", f"save set {name!r} ({len(rows)} passages)",
                         details={"name": name, "query": text}):
            store.save_set(self.db, name, text, self.ctx.coder_id(), rows)
        return self.get_set(name)

    def refresh_set(self, name: str) -> QuerySet:
        """Run the set's query again on the project as it is now."""
        return self.save_set(name, self.get_set(name).query)

    def get_set(self, name: str) -> QuerySet:
        row = store.set_row(self.db, name)
        if row is None:
            raise NotFoundError(f"no set named {name!r}")
        return QuerySet(*row[1:])

    def list_sets(self) -> list[QuerySet]:
        return [QuerySet(*row[1:]) for row in store.list_sets(self.db)]

    def set_passages(self, name: str, *, limit: int | None = None) -> list[QueryPassage]:
        """The passages saved in a set, as the query returned them then."""
        row = store.set_row(self.db, name)
        if row is None:
            raise NotFoundError(f"no set named {name!r}")
        evaluation = engine.from_spans(self.db, row[2], store.set_passages(self.db, row[0]))
        return engine.passages(self.db, evaluation, limit=limit)

    def set_spans(self, name: str) -> list[tuple[int, int, int]]:
        """(transcript id, start, end) of a set's passages, for the analyses' ``--set``."""
        row = store.set_row(self.db, name)
        if row is None:
            raise NotFoundError(f"no set named {name!r}")
        return store.set_passages(self.db, row[0])

    def within_set(self, name: str) -> contextlib.AbstractContextManager[int]:
        """A context in which every analysis of this project (matrix, co-occurrence,
        segment exports) counts only the codings that share a character with a passage
        of the set ``name``; yields how many codings that is."""
        return store.codings_within(self.db, self.set_spans(name))

    def delete_set(self, name: str) -> None:
        row = store.set_row(self.db, name)
        if row is None:
            raise NotFoundError(f"no set named {name!r}")
        with self.action("delete set", f"delete set {name!r}", details={"name": name}):
            store.delete_set(self.db, row[0])


def _folded(text: str) -> str:
    """Lower case without accents, one character for each of ``text`` (so that an offset
    in one is an offset in the other)."""
    import unicodedata

    return "".join(unicodedata.normalize("NFD", c.lower()[:1] or c)[0] for c in text)
