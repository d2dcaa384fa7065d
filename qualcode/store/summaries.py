"""SQL for the summary grid: summaries per row x wave x theme, and the codings they cite."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import NotFoundError
from ..records import Summary, SummaryCitation
from .connection import Database
from .db import inserted_id, new_guid, now

#: Words of a cited coding kept with the citation (what a dangling citation shows).
QUOTE_LIMIT = 300

SUMMARY_SQL = """
SELECT s.id, s.guid, coalesce(p.pid, s.site), CASE WHEN s.participant_id IS NULL THEN 'case'
       ELSE 'participant' END, w.label, coalesce(k.name, s.dimension),
       CASE WHEN s.code_id IS NULL THEN 'dimension' ELSE 'code' END,
       s.body, a.name, s.created, s.updated
FROM summaries s
JOIN waves w ON w.id = s.wave_id
LEFT JOIN participants p ON p.id = s.participant_id
LEFT JOIN codes k ON k.id = s.code_id
LEFT JOIN coders a ON a.id = s.author_id
"""


def site_exists(db: Database, site: str) -> bool:
    return db.execute("SELECT 1 FROM participants WHERE site = ? LIMIT 1", [site]).fetchone() is not None


def sites(db: Database) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT site FROM participants WHERE site IS NOT NULL AND site != '' ORDER BY site")]


def live_code_id(db: Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM codes WHERE name = ? AND merged_into_id IS NULL", [name]).fetchone()
    return row[0] if row else None


def codebook_order(db: Database) -> list[str]:
    """Live code names in the order of the codebook tree (each category, then its codes)."""
    children: dict[int | None, list[tuple[int, str]]] = {}
    for id_, parent, name in db.execute(
            "SELECT id, parent_id, name FROM codes WHERE merged_into_id IS NULL ORDER BY position, name"):
        children.setdefault(parent, []).append((id_, name))
    order: list[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        id_, name = stack.pop()
        order.append(name)
        stack.extend(reversed(children.get(id_, [])))
    return order


def _cell_clause(participant_id: int | None, site: str | None, wave_id: int, code_id: int | None,
                 dimension: str | None) -> tuple[str, list[object]]:
    return ("ifnull(participant_id, 0) = ? AND ifnull(site, '') = ? AND wave_id = ? "
            "AND ifnull(code_id, 0) = ? AND ifnull(dimension, '') = ?",
            [participant_id or 0, site or "", wave_id, code_id or 0, dimension or ""])


def find_summary(db: Database, participant_id: int | None, site: str | None, wave_id: int,
                 code_id: int | None, dimension: str | None) -> int | None:
    clause, params = _cell_clause(participant_id, site, wave_id, code_id, dimension)
    row = db.execute(f"SELECT id FROM summaries WHERE {clause}", params).fetchone()
    return row[0] if row else None


def insert_summary(db: Database, participant_id: int | None, site: str | None, wave_id: int,
                   code_id: int | None, dimension: str | None, body: str, author_id: int | None,
                   *, guid: str | None = None) -> int:
    stamp = now()
    cursor = db.execute(
        "INSERT INTO summaries (guid, participant_id, site, wave_id, code_id, dimension, body, author_id, "
        "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [guid or new_guid(), participant_id, site, wave_id, code_id, dimension, body, author_id, stamp, stamp],
    )
    return inserted_id(cursor)


def update_summary(db: Database, summary_id: int, body: str, author_id: int | None) -> None:
    db.execute("UPDATE summaries SET body = ?, author_id = ?, updated = ? WHERE id = ?",
               [body, author_id, now(), summary_id])


def delete_summary(db: Database, summary_id: int) -> None:
    db.execute("DELETE FROM summaries WHERE id = ?", [summary_id])


def missing_codings(db: Database, coding_ids: Iterable[int]) -> list[int]:
    return [i for i in coding_ids
            if db.execute("SELECT 1 FROM codings WHERE id = ?", [i]).fetchone() is None]


def replace_citations(db: Database, summary_id: int, coding_ids: Iterable[int]) -> None:
    """Cite exactly ``coding_ids`` (each must exist), keeping the quote of each."""
    db.execute("DELETE FROM summary_citations WHERE summary_id = ?", [summary_id])
    for coding_id in dict.fromkeys(coding_ids):
        db.execute(
            "INSERT INTO summary_citations (summary_id, coding_id, quote) "
            "SELECT ?, c.id, substr(t.text, c.start + 1, min(c.end - c.start, ?)) "
            "FROM codings c JOIN transcripts t ON t.id = c.transcript_id WHERE c.id = ?",
            [summary_id, QUOTE_LIMIT, coding_id],
        )


def summary_ids(db: Database, *, participant_id: int | None = None, site: str | None = None,
                wave_id: int | None = None, code_id: int | None = None, dimension: str | None = None,
                row_kind: str | None = None) -> list[int]:
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (("participant_id", participant_id), ("site", site), ("wave_id", wave_id),
                          ("code_id", code_id), ("dimension", dimension)):
        if value is not None:
            clauses.append(f"s.{column} = ?")
            params.append(value)
    if row_kind == "participant":
        clauses.append("s.participant_id IS NOT NULL")
    elif row_kind == "case":
        clauses.append("s.site IS NOT NULL")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return [r[0] for r in db.execute(
        f"SELECT s.id FROM summaries s LEFT JOIN participants p ON p.id = s.participant_id "
        f"JOIN waves w ON w.id = s.wave_id {where} "
        "ORDER BY coalesce(p.pid, s.site), w.ordinal, s.code_id IS NULL, s.id", params)]


def summaries_by_ids(db: Database, ids: list[int]) -> list[Summary]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    citations: dict[int, list[SummaryCitation]] = {i: [] for i in ids}
    for summary_id, coding_id, quote, present, transcript, code, start, end in db.execute(
        "SELECT sc.summary_id, sc.coding_id, sc.quote, c.id IS NOT NULL, t.name, k.name, c.start, c.end "
        "FROM summary_citations sc LEFT JOIN codings c ON c.id = sc.coding_id "
        "LEFT JOIN transcripts t ON t.id = c.transcript_id LEFT JOIN codes k ON k.id = c.code_id "
        f"WHERE sc.summary_id IN ({marks}) ORDER BY sc.id", ids,
    ):
        citations[summary_id].append(SummaryCitation(coding_id, quote, bool(present), transcript, code, start, end))
    found = {}
    for id_, guid, row, row_kind, wave, theme, theme_kind, body, author, created, updated in db.execute(
            SUMMARY_SQL + f" WHERE s.id IN ({marks})", ids):
        found[id_] = Summary(id_, guid, row, row_kind, wave, theme, theme_kind, body, author, created, updated,
                             tuple(citations[id_]))
    return [found[i] for i in ids if i in found]


def summary_exists(db: Database, summary_id: int) -> None:
    if not db.execute("SELECT 1 FROM summaries WHERE id = ?", [summary_id]).fetchone():
        raise NotFoundError(f"no summary with id {summary_id}")


def summary_by_guid(db: Database, guid: str) -> int | None:
    row = db.execute("SELECT id FROM summaries WHERE guid = ?", [guid]).fetchone()
    return row[0] if row else None


def dimension_order(db: Database) -> list[str]:
    """Named dimensions in the order they were first written."""
    return [r[0] for r in db.execute(
        "SELECT dimension FROM summaries WHERE dimension IS NOT NULL GROUP BY dimension ORDER BY min(id)")]


# --- REFI-QDA: summaries as notes ----------------------------------------------------------

#: The transcripts a summary is about: those at its wave of its participant (as the
#: transcript's participant or as a speaker), or of any participant of its case's site.
_SOURCES_SQL = """
SELECT DISTINCT s.guid, t.id FROM summaries s JOIN transcripts t ON t.wave_id = s.wave_id
WHERE EXISTS (
    SELECT 1 FROM participants p WHERE (p.id = s.participant_id OR p.site = s.site)
    AND (p.id = t.participant_id OR p.id IN (SELECT participant_id FROM speakers WHERE transcript_id = t.id)))
ORDER BY s.id, t.id
"""


def has_summaries(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM summaries)").fetchone()[0] == 1


def summary_sources(db: Database) -> list[tuple[str, int]]:
    """(summary GUID, transcript id) of every summary and the transcripts it is about."""
    return [(guid, transcript_id) for guid, transcript_id in db.execute(_SOURCES_SQL)]


def summary_authors(db: Database) -> dict[int, str | None]:
    """Each summary's author's GUID by summary id."""
    return {i: g for i, g in db.execute(
        "SELECT s.id, a.guid FROM summaries s LEFT JOIN coders a ON a.id = s.author_id")}


def participant_guids(db: Database) -> dict[str, str]:
    """Each participant's GUID by participant id (pid)."""
    return {pid: guid for pid, guid in db.execute("SELECT pid, guid FROM participants")}


def cited_coding_guids(db: Database) -> dict[int, list[str]]:
    """The GUIDs of the codings each summary cites that still exist, by summary id."""
    cited: dict[int, list[str]] = {}
    for summary_id, guid in db.execute(
            "SELECT sc.summary_id, c.guid FROM summary_citations sc JOIN codings c ON c.id = sc.coding_id "
            "ORDER BY sc.id"):
        cited.setdefault(summary_id, []).append(guid)
    return cited


def coding_ids_by_guid(db: Database, guids: list[str]) -> list[int]:
    found = []
    for guid in guids:
        row = db.execute("SELECT id FROM codings WHERE guid = ?", [guid]).fetchone()
        if row:
            found.append(row[0])
    return found
