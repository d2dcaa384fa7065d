"""Memo use cases: typed memos linked to codes, codings, participants, transcripts, waves."""

from __future__ import annotations

from collections.abc import Iterable

from ..context import Service
from ..errors import NotFoundError, QualcodeError
from ..model import LONGITUDINAL_MEMO_TYPES, MEMO_TYPES
from ..records import Memo, MemoLink
from ..store import memos as store_memos
from ..store import study as store_study


class MemoService(Service):
    """Memos (``project.memos``). Links are :class:`~qualcode.records.MemoLink` records
    (a face parses what a researcher types with ``MemoLink.parse``)."""

    def add(self, type_: str, title: str, body: str = "", *,
            links: Iterable[MemoLink] = (), author: str | None = None) -> Memo:
        if type_ not in MEMO_TYPES:
            raise QualcodeError(f"memo type {type_!r} is not one of {', '.join(MEMO_TYPES)}")
        title = " ".join((title or "").split())
        if not title:
            raise QualcodeError("memo title is empty")
        links = list(links)
        _check_tied(type_, links)
        resolved = [self._resolve(link) for link in links]
        with self.action("memo.add", f"wrote {type_} memo {title!r}"):
            author_id = store_study.coder_id(self.db, author or self.coder)
            memo_id = store_memos.insert_memo(self.db, type_, title, body or "", author_id)
            for column, target in resolved:
                store_memos.add_link(self.db, memo_id, column, target)
        return self.get(memo_id)

    def get(self, memo_id: int) -> Memo:
        store_memos.memo_exists(self.db, int(memo_id))
        return store_memos.memos_by_ids(self.db, [int(memo_id)])[0]

    def edit(self, memo_id: int, *, title: str | None = None, body: str | None = None,
             type_: str | None = None, add_links: Iterable[MemoLink] = (),
             remove_links: Iterable[MemoLink] = ()) -> Memo:
        memo_id = int(memo_id)
        store_memos.memo_exists(self.db, memo_id)
        fields = {}
        if title is not None:
            title = " ".join(title.split())
            if not title:
                raise QualcodeError("memo title is empty")
            fields["title"] = title
        if body is not None:
            fields["body"] = body
        if type_ is not None:
            if type_ not in MEMO_TYPES:
                raise QualcodeError(f"memo type {type_!r} is not one of {', '.join(MEMO_TYPES)}")
            fields["type"] = type_
        remove_links = list(remove_links)
        adds = [self._resolve(link) for link in add_links]
        removes = [self._resolve(link) for link in remove_links]
        for link, (column, target) in zip(remove_links, removes):
            if not store_memos.has_link(self.db, memo_id, column, target):
                raise NotFoundError(f"memo {memo_id} is not linked to {link}")
        adds = [(c, t) for c, t in dict.fromkeys(adds)
                if not store_memos.has_link(self.db, memo_id, c, t)]
        if not (fields or adds or removes):
            raise QualcodeError("nothing to change in the memo")
        current = self.get(memo_id)
        gone = {str(link) for link in remove_links}
        _check_tied(type_ or current.type, [*(x for x in current.links if str(x) not in gone), *add_links])
        with self.action("memo.edit", f"edited memo {memo_id}"):
            if fields:
                store_memos.update_memo(self.db, memo_id, **fields)
            for column, target in adds:
                store_memos.add_link(self.db, memo_id, column, target)
            for column, target in removes:
                store_memos.remove_link(self.db, memo_id, column, target)
        return self.get(memo_id)

    def delete(self, memo_id: int) -> None:
        memo = self.get(memo_id)
        with self.action("memo.delete", f"deleted memo {memo_id} {memo.title!r}"):
            store_memos.delete_memo(self.db, int(memo_id))

    def all(self, *, type_: str | None = None, author: str | None = None,
            link: MemoLink | None = None) -> list[Memo]:
        target = self._resolve(link) if link else None
        ids = store_memos.memo_ids(self.db, type_=type_, author=author, link=target)
        return store_memos.memos_by_ids(self.db, ids)

    def longitudinal(self, participants: Iterable[str] | None = None) -> dict[str, list[Memo]]:
        """Saldana's cumulative and through-line memos by the participant each is tied
        to (of ``participants``, or everyone), in the order they were written."""
        wanted = None if participants is None else set(participants)
        result: dict[str, list[Memo]] = {}
        for type_ in LONGITUDINAL_MEMO_TYPES:
            for memo in self.all(type_=type_):
                for link in memo.links:
                    if link.kind == "participant" and (wanted is None or link.target in wanted):
                        result.setdefault(link.target, []).append(memo)
        return {pid: sorted(memos, key=lambda m: m.id) for pid, memos in sorted(result.items())}

    def _resolve(self, link: MemoLink) -> tuple[str, int]:
        if not isinstance(link, MemoLink):
            raise TypeError(f"a memo link is a MemoLink, not {type(link).__name__}: "
                            "parse typed text with MemoLink.parse")
        return store_memos.resolve_link(self.db, link.kind, link.target)


def _check_tied(type_: str, links: Iterable[MemoLink]) -> None:
    """A cumulative or through-line memo follows a participant across waves: it must be
    linked to one."""
    if type_ in LONGITUDINAL_MEMO_TYPES and not any(link.kind == "participant" for link in links):
        raise QualcodeError(f"a {type_} memo follows a participant across waves: "
                            "link it to one (participant:ID)")
