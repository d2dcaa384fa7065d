"""The one facade every face calls: ``Project.create(path)`` / ``Project.open(path)``.

A project owns a :class:`~qualcode.context.ProjectContext` (the connection, the current
coder, the action helper) and the services built on it, one per domain::

    project.study        participants, waves, attendance, coders, time points, facts
    project.transcripts  import, manifests, speakers, corrections of imported data
    project.media        recordings linked to transcripts, turn times, playing a turn
    project.search       full-text search over turns
    project.codebook     the code tree and its file
    project.coding       applying codes, codings, segments, auto-coding
    project.memos        memos and their links
    project.summaries    the summary grid: the analyst's summary per row x wave x theme
    project.analysis     cube, matrix, change, saturation, co-occurrence, sample
    project.agreement    inter-coder agreement, blind copies
    project.exports      Word, Markdown, CSV and spreadsheet documents, networks
    project.exchange     REFI-QDA projects
    project.team         codebook merge plans, merging coders' projects
    project.privacy      the name key, de-identification
    project.query        code queries (AND, OR, NOT, WITHIN, NEAR, OVERLAPS) and named sets

Methods that change the project run as one action: one transaction and one event in
the log (see :func:`qualcode.store.db.recording`), so a failure leaves the file exactly
as it was and every change can be undone. Undo, redo, the log and the status belong to
the project as a whole and are methods of this class.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .context import ProjectContext
from .errors import ConflictError, NotFoundError, QualcodeError
from .store import db as store_db
from .store import errors as store_errors
from .store import events as store_events
from .store import study as store_study
from .store import untrusted
from .store.connection import Database

if TYPE_CHECKING:
    from .analysis.agreement_service import AgreementService
    from .analysis.service import AnalysisService
    from .coding.codebook import CodebookService
    from .coding.memos import MemoService
    from .coding.service import CodingService
    from .coding.summaries import SummaryService
    from .exchange.service import ExchangeService
    from .export.service import ExportService
    from .ingest.media import MediaService
    from .ingest.search import SearchService
    from .ingest.service import TranscriptService
    from .privacy.service import PrivacyService
    from .query.service import QueryService
    from .records import Event
    from .records.exchange import RefiImportReport
    from .study.service import StudyService
    from .team.live import AccessKeys, PresenceService
    from .team.service import TeamService


class Project:
    """An open project file."""

    def __init__(self, db: Database, path: Path) -> None:
        self.ctx = ProjectContext(db, path)
        # (While its connection is open, no output may be written over the file or its
        # companions: see qualcode.open_files.)
        # Ctrl-C stops a long statement too, not only the Python between statements.
        untrusted.honour_interrupts(db.conn)

    # --- the services ----------------------------------------------------------------
    # Each is built, and its module imported, on first use: a command that only reads
    # the status never pays for the Word, spreadsheet or language-model code. A service
    # is given only those below it.

    @functools.cached_property
    def study(self) -> StudyService:
        from .study.service import StudyService

        return StudyService(self.ctx)

    @functools.cached_property
    def transcripts(self) -> TranscriptService:
        from .ingest.service import TranscriptService

        return TranscriptService(self.ctx, self.study)

    @functools.cached_property
    def media(self) -> MediaService:
        from .ingest.media import MediaService

        return MediaService(self.ctx)

    @functools.cached_property
    def search(self) -> SearchService:
        from .ingest.search import SearchService

        return SearchService(self.ctx)

    @functools.cached_property
    def codebook(self) -> CodebookService:
        from .coding.codebook import CodebookService

        return CodebookService(self.ctx)

    @functools.cached_property
    def coding(self) -> CodingService:
        from .coding.service import CodingService

        return CodingService(self.ctx, self.codebook)

    @functools.cached_property
    def memos(self) -> MemoService:
        from .coding.memos import MemoService

        return MemoService(self.ctx)

    @functools.cached_property
    def summaries(self) -> SummaryService:
        from .coding.summaries import SummaryService

        return SummaryService(self.ctx)

    @functools.cached_property
    def analysis(self) -> AnalysisService:
        from .analysis.service import AnalysisService

        return AnalysisService(self.ctx)

    @functools.cached_property
    def agreement(self) -> AgreementService:
        from .analysis.agreement_service import AgreementService

        return AgreementService(self.ctx)

    @functools.cached_property
    def query(self) -> QueryService:
        from .query.service import QueryService

        return QueryService(self.ctx)

    @functools.cached_property
    def privacy(self) -> PrivacyService:
        from .privacy.service import PrivacyService

        return PrivacyService(self.ctx)

    @functools.cached_property
    def team(self) -> TeamService:
        from .team.service import TeamService

        return TeamService(self.ctx, self.codebook)

    @functools.cached_property
    def exports(self) -> ExportService:
        from .export.service import ExportService

        return ExportService(self.ctx, lambda: self.study, lambda: self.transcripts,
                             lambda: self.codebook, lambda: self.coding, lambda: self.memos,
                             lambda: self.analysis)

    @functools.cached_property
    def exchange(self) -> ExchangeService:
        from .exchange.service import ExchangeService

        return ExchangeService(self.ctx, self.study, self.codebook, self.memos)

    # Several coders live on one file: who else is here, and the keys of `serve`.
    @functools.cached_property
    def presence(self) -> PresenceService:
        from .team.live import PresenceService

        return PresenceService(self.ctx)

    @functools.cached_property
    def access(self) -> AccessKeys:
        from .team.live import AccessKeys

        return AccessKeys(self.ctx)

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, title: str | None = None) -> Project:
        path = Path(path)
        return cls(store_study.create_project_file(path, title), path)

    @classmethod
    def open(cls, path: str | Path) -> Project:
        path = Path(path)
        return cls(store_db.open_database(path), path)

    @classmethod
    def open_reader(cls, path: str | Path) -> Project:
        """Another connection, for reading only, to a project this process has open
        already (a thread worker's): no checks, no migration, no backup; see
        :func:`qualcode.store.db.open_reader`."""
        path = Path(path)
        return cls(store_db.open_reader(path), path)

    @staticmethod
    def in_use_elsewhere(path: str | Path) -> bool:
        """Whether another program has the project at ``path`` open (asked of SQLite; call
        it only while this process has no connection to it)."""
        return store_db.in_use_elsewhere(path)

    @staticmethod
    def from_refi(source: str | Path, dest: str | Path, *, coder: str | None = None) -> RefiImportReport:
        """Create the new project ``dest`` from a REFI-QDA ``.qdpx`` or ``.qde``; returns
        the report (counts, dropped, warnings, checks). Nothing is made at ``dest`` unless
        the import completes."""
        from .exchange.service import import_refi

        try:
            return import_refi(source, dest, coder=coder)
        except Exception as exc:
            error = store_errors.translated(exc)
            if error is None:
                raise
            raise error from None

    def close(self) -> None:
        # (Closing the connection also ends the protection of the file from outputs:
        # see qualcode.open_files.)
        self.db.close()

    def reading(self) -> contextlib.AbstractContextManager[Database]:
        """A context in which every read sees the same state of the project."""
        return store_db.reading(self.db)

    def data_version(self) -> int:
        """Changes whenever another connection (another program) has committed a change."""
        return store_db.data_version(self.db)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        # SQLite's "interrupted" and "busy" leave as the project's errors.
        error = store_errors.translated(exc)
        if error is not None:
            raise error from None

    # --- what every service shares ---------------------------------------------------

    @property
    def db(self) -> Database:
        """The connection (for scripts and tests; the faces go through the services)."""
        return self.ctx.db

    @property
    def path(self) -> Path:
        return self.ctx.path

    @property
    def title(self) -> str:
        return self.ctx.title

    @property
    def schema_version(self) -> int:
        return store_db.schema_version(self.db)

    @property
    def coder(self) -> str:
        """The current coder: set explicitly, else $QUALCODE_CODER, else the project's
        default coder, else the login name."""
        return self.ctx.coder

    @coder.setter
    def coder(self, name: str | None) -> None:
        self.ctx.coder = name

    def action(self, action: str, summary: str, *, details: dict[str, Any] | None = None,
               undoable: bool = True) -> contextlib.AbstractContextManager[int]:
        """One user action: one transaction, one event in the log."""
        return self.ctx.action(action, summary, details=details, undoable=undoable)

    # --- status, undo, log -----------------------------------------------------------

    def status(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "path": str(self.path),
            "schema_version": self.schema_version,
            "counts": store_study.counts(self.db),
            "recordings": self.recordings_status(),
        }

    def recordings_status(self) -> dict[str, Any]:
        """How many transcripts have a recording linked, and which of those files are
        missing or changed (by size: hashing every recording would make the status slow)."""
        links = self.media.all(verify=False)
        return {"linked": len(links),
                "missing": [link.transcript for link in links if link.state == "missing"],
                "changed": [link.transcript for link in links if link.state == "changed"]}

    def undo(self) -> Event:
        """Undo the current coder's most recent action (never another coder's)."""
        return store_events.undo(self.db, coder=self.coder)

    def redo(self) -> Event:
        """Redo the action the current coder undid most recently."""
        return store_events.redo(self.db, coder=self.coder)

    def backup(self, dest: str | Path) -> dict[str, Any]:
        """A consistent copy of the project at ``dest``, safe while others work on it."""
        from .team.backup import backup_project

        return backup_project(self.ctx, dest)

    def log(
        self, *, since: str | None = None, coder: str | None = None, limit: int | None = None
    ) -> list[Event]:
        return store_events.list_events(self.db, since=since, coder=coder, limit=limit)


__all__ = ["ConflictError", "NotFoundError", "Project", "QualcodeError"]
