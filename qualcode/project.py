"""The one facade every face calls: ``Project.create(path)`` / ``Project.open(path)``.

Each use case is a method. Methods that change the project run as one action: one
transaction and one event in the log (see :func:`qualcode.store.db.recording`), so
a failure leaves the file exactly as it was and every change can be undone.

The methods are grouped by domain in mixins that live next to their domain code
(``qualcode.ingest.service``, ``qualcode.coding.service``, ...); this module holds
opening, the current coder, the study design (participants, waves, attributes,
attendance), status and undo/redo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from sqlite_utils import Database

from .errors import ConflictError, NotFoundError, QualcodeError
from .store import db as store_db
from .store import events as store_events
from .store import schema, untrusted
from .store import study as store_study

PARTICIPANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
FIXED_FIELDS = store_study.PARTICIPANT_FIELDS  # pseudonym, role, site: columns, not attributes


def _check_date(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise QualcodeError(f"{what} {value!r} is not a date (use YYYY-MM-DD)") from None


def _check_pid(pid: str) -> str:
    pid = (pid or "").strip()
    if not PARTICIPANT_ID.match(pid):
        raise QualcodeError(
            f"participant id {pid!r} is not valid (letters, digits, '-', '_', '.'; up to 64)"
        )
    if pid.casefold() == "interviewer":
        raise QualcodeError("participant id 'interviewer' is reserved: in a speaker map it marks "
                            "the interviewer's label")
    return pid


from .analysis.agreement_service import AgreementMixin  # noqa: E402
from .analysis.service import AnalysisMixin  # noqa: E402
from .coding.service import CodingMixin  # noqa: E402  (mixins import store helpers only)
from .exchange.service import ExchangeMixin  # noqa: E402
from .export.service import ExportMixin  # noqa: E402
from .ingest.service import IngestMixin  # noqa: E402
from .privacy.service import PrivacyMixin  # noqa: E402
from .study_facts import StudyFactsMixin  # noqa: E402
from .team.service import TeamMixin  # noqa: E402


class Project(IngestMixin, CodingMixin, TeamMixin, PrivacyMixin, AgreementMixin, AnalysisMixin,
              ExportMixin, ExchangeMixin, StudyFactsMixin):
    """An open project file."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._coder: str | None = None
        # Ctrl-C stops a long statement too, not only the Python between statements.
        untrusted.honour_interrupts(db.conn)

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, title: str | None = None) -> Project:
        path = Path(path)
        db = store_db.create_database(path)
        project = cls(db, path)
        with store_db.write(db):
            store_study.set_meta(db, "title", title or path.stem)
            store_study.set_meta(db, "created", store_db.now())
            store_study.set_meta(db, "project_guid", store_db.new_guid())
        return project

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

    def close(self) -> None:
        # (Closing the connection also ends the protection of the file from outputs:
        # see qualcode.store.open_files.)
        self.db.close()

    def reading(self):
        """A context in which every read sees the same state of the project."""
        return store_db.reading(self.db)

    def data_version(self) -> int:
        """Changes whenever another connection (another program) has committed a change."""
        return store_db.data_version(self.db)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def title(self) -> str:
        return store_study.get_meta(self.db, "title") or self.path.stem

    @property
    def schema_version(self) -> int:
        return store_db.schema_version(self.db)

    # --- who is working --------------------------------------------------------------

    @property
    def coder(self) -> str:
        """The current coder: set explicitly, else $QUALCODE_CODER, else the project's
        default coder, else the login name."""
        return (
            self._coder
            or os.environ.get("QUALCODE_CODER")
            or store_study.get_setting(self.db, "default_coder")
            or getpass.getuser()
        )

    @coder.setter
    def coder(self, name: str | None) -> None:
        if name is not None and not name.strip():
            raise QualcodeError("coder name is empty")
        self._coder = name.strip() if name else None

    def set_default_coder(self, name: str) -> None:
        with self.action("setting", f"default coder is {name}"):
            store_study.set_setting(self.db, "default_coder", name)

    def coders(self) -> list[dict]:
        return store_study.list_coders(self.db)

    def _coder_id(self) -> int:
        return store_study.coder_id(self.db, self.coder)

    @contextlib.contextmanager
    def action(
        self, action: str, summary: str, *, details: dict | None = None, undoable: bool = True
    ) -> Iterator[int]:
        """One user action: one transaction, one event in the log."""
        with store_db.recording(
            self.db, action, summary, coder=self.coder, details=details, undoable=undoable
        ) as event_id:
            yield event_id

    # --- participants ----------------------------------------------------------------

    def add_participant(
        self,
        pid: str,
        *,
        role: str | None = None,
        site: str | None = None,
        pseudonym: str | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> dict:
        pid = _check_pid(pid)
        with self.action("participant.add", f"added participant {pid}"):
            participant_id = store_study.add_participant(
                self.db, pid, pseudonym=pseudonym, role=role, site=site
            )
            for key, value in (attributes or {}).items():
                self._set_one(participant_id, pid, key, value, wave_id=None)
        return self.participant(pid)

    def participants(self) -> list[dict]:
        return store_study.list_participants(self.db)

    def participant(self, pid: str) -> dict:
        row = store_study.participant_row(self.db, pid)
        for person in store_study.list_participants(self.db):
            if person["id"] == row["id"]:
                return person
        raise NotFoundError(f"no participant with id {pid!r}")  # pragma: no cover

    def set_participant(
        self, pid: str, values: Mapping[str, str | None], *, wave: str | None = None
    ) -> dict:
        """Set fields (pseudonym, role, site) and attributes; with ``wave``, attributes
        that vary by wave."""
        if not values:
            raise QualcodeError("nothing to set: give key=value pairs")
        row = store_study.participant_row(self.db, pid)
        wave_id = store_study.wave_row(self.db, wave)["id"] if wave else None
        summary = ", ".join(f"{k}={v}" for k, v in values.items())
        with self.action("participant.set", f"{pid}{' at ' + wave if wave else ''}: {summary}"):
            for key, value in values.items():
                self._set_one(row["id"], pid, key, value, wave_id=wave_id)
        return self.participant(pid)

    def _set_one(
        self, participant_id: int, pid: str, key: str, value: str | None, *, wave_id: int | None
    ) -> None:
        key = key.strip()
        if not key:
            raise QualcodeError(f"attribute name for {pid} is empty")
        value = None if value is None or value == "" else value
        if key in FIXED_FIELDS:
            if wave_id is not None:
                raise QualcodeError(f"{key} is fixed for a participant; it cannot vary by wave")
            store_study.update_participant(self.db, pid, **{key: value})
        elif wave_id is None:
            store_study.set_attribute(self.db, participant_id, key, value)
        else:
            store_study.set_wave_attribute(self.db, participant_id, wave_id, key, value)

    # --- waves and attendance --------------------------------------------------------

    def add_wave(
        self,
        label: str,
        *,
        order: int | None = None,
        start: str | None = None,
        end: str | None = None,
        description: str | None = None,
    ) -> dict:
        label = (label or "").strip()
        if not label:
            raise QualcodeError("wave label is empty")
        start, end = _check_date(start, "start date"), _check_date(end, "end date")
        if start and end and end < start:
            raise QualcodeError(f"wave {label}: end date {end} is before start date {start}")
        with self.action("wave.add", f"added wave {label}"):
            store_study.add_wave(
                self.db, label, ordinal=order, start_date=start, end_date=end,
                description=description,
            )
        return store_study.wave_row(self.db, label)

    def waves(self) -> list[dict]:
        """Waves in order, each with its ``time_points`` ({role or "*": label})."""
        points = self.time_points()
        return [dict(w, time_points=points.get(w["label"], {}))
                for w in store_study.list_waves(self.db)]

    def wave(self, label: str) -> dict:
        return dict(store_study.wave_row(self.db, label),
                    time_points=self.time_points().get(label, {}))

    def set_attendance(self, pid: str, wave: str, status: str, note: str | None = None) -> None:
        if status not in schema.ATTENDANCE:
            raise QualcodeError(
                f"attendance {status!r} is not one of {', '.join(schema.ATTENDANCE)}"
            )
        participant = store_study.participant_row(self.db, pid)
        wave_row = store_study.wave_row(self.db, wave)
        with self.action("attendance.set", f"{pid} at {wave}: {status}"):
            store_study.set_attendance(self.db, participant["id"], wave_row["id"], status, note)

    def attendance(self) -> list[tuple[str, str, str]]:
        """(participant pid, wave label, status) for every recorded attendance cell."""
        return [tuple(row) for row in store_study.attendance_rows(self.db)]

    # --- status, undo, log -----------------------------------------------------------

    def status(self) -> dict:
        return {
            "title": self.title,
            "path": str(self.path),
            "schema_version": self.schema_version,
            "counts": store_study.counts(self.db),
        }

    def undo(self) -> store_events.Event:
        return store_events.undo(self.db, coder=self.coder)

    def redo(self) -> store_events.Event:
        return store_events.redo(self.db, coder=self.coder)

    def log(
        self, *, since: str | None = None, coder: str | None = None, limit: int | None = None
    ) -> list[store_events.Event]:
        return store_events.list_events(self.db, since=since, coder=coder, limit=limit)


__all__ = ["ConflictError", "NotFoundError", "Project", "QualcodeError"]
